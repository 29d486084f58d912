import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit, parallelLimit, parseDockfileInput, resolveDockfiles } from '../../action/agents/index.ts';
import { UsageError } from '../../shared/errors.ts';

describe('parseDockfileInput', () => {
  it('one plain path is the single-Dockfile mode of before', () => {
    expect(parseDockfileInput('Dockfile.yaml')).toEqual({ kind: 'single', path: 'Dockfile.yaml' });
    expect(parseDockfileInput('  agents/a/Dockfile.yaml\n')).toEqual({
      kind: 'single',
      path: 'agents/a/Dockfile.yaml',
    });
  });

  it('a glob, or several lines, is a selection; blank lines and # comments are dropped', () => {
    expect(parseDockfileInput('agents/*/Dockfile.yaml')).toEqual({
      kind: 'many',
      patterns: ['agents/*/Dockfile.yaml'],
    });
    expect(parseDockfileInput('a/Dockfile.yaml\n\n# the billing agent\n b/Dockfile.yaml \n')).toEqual({
      kind: 'many',
      patterns: ['a/Dockfile.yaml', 'b/Dockfile.yaml'],
    });
    expect(parseDockfileInput('agents/agent-?/Dockfile.yaml').kind).toBe('many');
    expect(parseDockfileInput('agents/[ab]/Dockfile.yaml').kind).toBe('many');
  });

  it('an empty input is a usage error naming the input', () => {
    expect(() => parseDockfileInput(' \n# nothing\n')).toThrow(/input 'dockfile' is empty/);
  });
});

describe('resolveDockfiles', () => {
  let root: string;
  let outside: string;
  const touch = (path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), 'version: "1.0"\n');
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'dockrion-agents-select-'));
    outside = mkdtempSync(join(tmpdir(), 'dockrion-agents-outside-'));
    for (const agent of ['billing', 'support', 'triage']) touch(`agents/${agent}/Dockfile.yaml`);
    touch('agents/triage/Dockfile.staging.yaml');
    touch('services/deep/nested/search/Dockfile.yaml');
    touch('node_modules/some-pkg/Dockfile.yaml');
    touch('.hidden/Dockfile.yaml');
    mkdirSync(join(root, 'agents/not-a-file/Dockfile.yaml'), { recursive: true });
    writeFileSync(join(outside, 'Dockfile.yaml'), 'version: "1.0"\n');
    symlinkSync(outside, join(root, 'agents/escape'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('expands a glob to sorted workspace-relative files (directories and symlinks out are left out)', () => {
    expect(resolveDockfiles(['agents/*/Dockfile.yaml'], root)).toEqual([
      'agents/billing/Dockfile.yaml',
      'agents/support/Dockfile.yaml',
      'agents/triage/Dockfile.yaml',
    ]);
  });

  it('`**` spans directories but skips node_modules and hidden ones; ./ and duplicates are folded', () => {
    expect(resolveDockfiles(['**/Dockfile.yaml', './agents/billing/Dockfile.yaml'], root)).toEqual([
      'agents/billing/Dockfile.yaml',
      'agents/support/Dockfile.yaml',
      'agents/triage/Dockfile.yaml',
      'services/deep/nested/search/Dockfile.yaml',
    ]);
    expect(resolveDockfiles(['agents/triage/Dockfile.*.yaml', '.hidden/Dockfile.yaml'], root)).toEqual([
      '.hidden/Dockfile.yaml',
      'agents/triage/Dockfile.staging.yaml',
    ]);
  });

  it('a list mixes plain paths and globs', () => {
    expect(resolveDockfiles(['agents/support/Dockfile.yaml', 'agents/[bt]*/Dockfile.yaml'], root)).toEqual([
      'agents/billing/Dockfile.yaml',
      'agents/support/Dockfile.yaml',
      'agents/triage/Dockfile.yaml',
    ]);
  });

  it('a pattern that matches nothing is an error naming it', () => {
    const call = () => resolveDockfiles(['agents/*/Dockfile.yaml', 'agnets/*/Dockfile.yaml'], root);
    expect(call).toThrow(UsageError);
    expect(call).toThrow(/'agnets\/\*\/Dockfile\.yaml' matches no file in the workspace/);
    expect(() => resolveDockfiles(['agents/missing/Dockfile.yaml'], root)).toThrow(/matches no file/);
  });

  it('a path outside the workspace is refused before anything is read', () => {
    expect(() => resolveDockfiles(['../*/Dockfile.yaml'], root)).toThrow(/is outside the workspace/);
    expect(() => resolveDockfiles(['agents/../../x/Dockfile.yaml'], root)).toThrow(
      /is outside the workspace/,
    );
    expect(() => resolveDockfiles([join(outside, 'Dockfile.yaml')], root)).toThrow(
      /is outside the workspace/,
    );
  });
});

describe('bounded parallelism', () => {
  it('half the cores, at least one and at most four', () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => parallelLimit(cores))).toEqual([1, 1, 1, 2, 4, 4]);
  });

  it('mapLimit keeps order, never runs more than the limit, and runs every item when one fails', async () => {
    let running = 0;
    let peak = 0;
    const settled = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      // Yield a few times so the workers interleave.
      for (let i = 0; i < n; i++) await Promise.resolve();
      running--;
      if (n === 4) throw new Error('four failed');
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      10,
      20,
      30,
      'four failed',
      50,
      60,
      70,
    ]);
  });
});
