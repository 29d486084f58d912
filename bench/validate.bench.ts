/**
 * In-process validation of a typical Dockfile (the PRD full example) against a plain
 * `yaml.parse` of the same text. Prints medians and their ratio. Run: npx tsx bench/validate.bench.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { validateDockfileText } from '../action/dockfile/index.ts';
import { upperMedian } from './support.ts';

const runs = Number(process.env.BENCH_RUNS ?? 300);
const path = join(import.meta.dirname, '../test/fixtures/dockfiles/prd-full.yaml');
const text = readFileSync(path, 'utf8');
const env = { JWT_SECRET: 'k'.repeat(32), LANGFUSE_PUBLIC: 'pk', LANGFUSE_SECRET: 'sk' };

async function measure(name: string, count: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(20, count); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  const m = upperMedian(samples);
  process.stderr.write(`${name.padEnd(44)} median ${m.toFixed(3)} ms over ${count} runs\n`);
  return m;
}

async function main(): Promise<void> {
  const first = performance.now();
  const check = await validateDockfileText(text, 'Dockfile.yaml', { env, processEnv: {}, python: null });
  process.stderr.write(
    `first validation (compiles the schema)       ${(performance.now() - first).toFixed(1)} ms\n`,
  );
  if (check.errors.length > 0) throw new Error(`fixture does not validate: ${JSON.stringify(check.errors)}`);

  const yamlOnly = await measure('yaml.parse', runs, () => parse(text));
  const inProcess = await measure('validateDockfileText (python: null)', runs, () =>
    validateDockfileText(text, 'Dockfile.yaml', { env, processEnv: {}, python: null }),
  );
  // `name: ratio` lines on stdout are what bench/run.ts collects; details stay on stderr.
  console.log(`in-process-vs-yaml-parse: ${(inProcess / yamlOnly).toFixed(2)}`);
  process.stderr.write(`target: in-process well under 100 ms → ${inProcess < 100 ? 'met' : 'NOT met'}\n`);
}

await main();
