/**
 * Render time for a typical Dockfile, as a ratio against plain `yaml.stringify` of the very same
 * objects: how much resolving, building, linting and canonical serialization cost on top of the
 * serialization any generator would pay anyway.
 *
 *   npx tsx bench/render.bench.ts [--iterations N]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadDockfile } from '../action/dockfile/index.ts';
import { renderManifests } from '../generators/index.ts';
import { toYaml } from '../generators/serialize.ts';
import { median, numberFlag } from './support.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const iterations = numberFlag('--iterations', 400);
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function timeMedian(fn: () => unknown): number {
  for (let i = 0; i < Math.min(50, iterations); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const dockfile = path.join(repoRoot, 'examples/langgraph-tools/Dockfile.yaml');
const loaded = await loadDockfile(dockfile, { processEnv: {}, python: null });
if (!loaded.valid || !loaded.spec) throw new Error(`${dockfile} does not validate`);
const spec = loaded.spec;

console.log(`render benchmark: examples/langgraph-tools, ${iterations} iterations, median of each`);
console.log('case                       files  render ms  yaml.stringify ms  ratio  (of which toYaml ms)');
for (const [environment, target] of [
  ['production', 'kubernetes'],
  ['staging', 'compose'],
] as const) {
  const input = {
    spec,
    environment,
    target,
    image: `ghcr.io/acme/langgraph-tools:1.0.0@${DIGEST}`,
    version: '1.0.0',
  };
  const { files } = renderManifests(input);
  const objects = files.map((f) => parse(f.content) as unknown);
  const renderMs = timeMedian(() => renderManifests(input));
  const stringifyMs = timeMedian(() => objects.map((o) => stringify(o)));
  const canonicalMs = timeMedian(() => objects.map((o) => toYaml(o)));
  const name = `${environment}/${target}`.padEnd(26);
  console.log(
    `${name} ${String(files.length).padStart(5)}  ${renderMs.toFixed(3).padStart(9)}  ${stringifyMs.toFixed(3).padStart(17)}  ${(renderMs / stringifyMs).toFixed(2).padStart(5)}x  ${canonicalMs.toFixed(3).padStart(9)}`,
  );
}
