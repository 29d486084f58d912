/**
 * `npm run bench` (bench/run.ts): the ratio parser understands the formats the benchmarks of the
 * project print, and a real (narrowed) run prints only `name: ratio` lines on stdout and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRatios } from '../../bench/run.ts';
import { repoRoot } from './python.ts';

describe('bench/run.ts', () => {
  it('parses plain, commented and table-row ratios, and nothing else', () => {
    const output = [
      'gitops.deploy.vs_plain_git: 2.399',
      'throughput runtime/bare_fastapi: 0.61 (median of per-round ratios; target >= 0.70)',
      'render benchmark: examples/langgraph-tools, 400 iterations, median of each',
      'case                       files  render ms  yaml.stringify ms  ratio  (of which toYaml ms)',
      'production/kubernetes         11      3.241              1.498   2.16x      1.955',
      'size: 1.5x',
      'note: took 12 ms',
      'rebuild   cold (fresh base) 24.1 s, warm after one-line change 1.0 s: ratio 0.040; layers changed 1 of 7',
      'start     docker run → /ready median 1.58 s over 5 (min 1.01, max 1.88; target < 2 s)',
      '',
    ].join('\n');
    expect(parseRatios(output)).toEqual([
      { name: 'gitops.deploy.vs_plain_git', ratio: 2.399 },
      { name: 'throughput_runtime/bare_fastapi', ratio: 0.61 },
      { name: 'production/kubernetes', ratio: 2.16 },
      { name: 'size', ratio: 1.5 },
      { name: 'rebuild', ratio: 0.04 },
    ]);
  });

  it('`npm run bench` is node --import tsx bench/run.ts', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.scripts.bench).toBe('node --import tsx bench/run.ts');
  });

  it('a real narrowed run prints one `name: ratio` per stdout line and exits 0', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'validate.inprocess'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(3); // 3 examples × vs yaml.parse (the regex check is in process)
    for (const line of lines) expect(line).toMatch(/^validate\.inprocess\.[a-z-]+\.[a-z_]+: \d+(\.\d+)?$/);
    for (const { ratio } of parseRatios(r.stdout)) expect(ratio).toBeGreaterThan(0);
    expect(r.stderr).toContain('loadDockfile');
  });
});
