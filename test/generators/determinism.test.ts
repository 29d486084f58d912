import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateDockfileText } from '../../action/dockfile/index.ts';
import type { DockSpec } from '../../action/dockfile/types.ts';
import { renderManifests } from '../../generators/index.ts';
import { repoRoot } from '../support/infra.ts';
import { fullSpec, IMAGE, type Loose } from './support.ts';

/** Rebuilds every object with its keys in a seeded random order; arrays keep theirs. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, random)]));
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function renderAll(spec: DockSpec): string {
  const out: string[] = [];
  for (const environment of ['staging', 'production', 'aws-prod']) {
    for (const target of ['compose', 'kubernetes'] as const) {
      const { files } = renderManifests({
        spec,
        environment,
        image: IMAGE,
        version: '1.4.2',
        target,
        secretVersions: 'h1',
      });
      for (const file of files) out.push(`== ${environment}/${target}/${file.path}\n${file.content}`);
    }
  }
  return out.join('');
}

describe('determinism', () => {
  const reference = renderAll(fullSpec());

  it('renders byte-identical output twice from the same input', () => {
    expect(renderAll(fullSpec())).toBe(reference);
  });

  it('renders byte-identical output whatever order the Dockfile maps and secret lists are in', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const random = seededRandom(seed);
        const shuffled = shuffleKeys(fullSpec(), random) as Loose;
        shuffled.secrets.required.reverse();
        shuffled.deploy.environments.production.network_policy.egress.reverse();
        expect(Object.keys(shuffled)).toEqual(expect.arrayContaining(['version', 'agent', 'deploy']));
        expect(renderAll(shuffled as DockSpec)).toBe(reference);
      }),
      { numRuns: 25 },
    );
  });

  it('does not mutate or depend on a frozen spec', () => {
    const frozen = deepFreeze(fullSpec());
    expect(renderAll(frozen)).toBe(reference);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('determinism through the loader', () => {
  const dockfile = path.join(repoRoot, 'examples/langgraph-tools/Dockfile.yaml');
  const text = readFileSync(dockfile, 'utf8');

  async function renderText(source: string): Promise<string> {
    const result = await validateDockfileText(source, dockfile, { processEnv: {}, python: null });
    if (!result.valid || !result.spec)
      throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    return renderAll(result.spec);
  }

  it('renders the same bytes from a Dockfile whose YAML maps are written in another order', async () => {
    const reference = await renderText(text);
    for (const seed of [7, 42, 2024]) {
      const reordered = stringify(shuffleKeys(parse(text), seededRandom(seed)));
      expect(reordered).not.toBe(text);
      expect(await renderText(reordered)).toBe(reference);
    }
  });
});
