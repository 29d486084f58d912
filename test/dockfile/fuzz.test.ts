import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import {
  codeName,
  ErrorCode,
  loadDockfile,
  validateDockfileText,
  WarningCode,
} from '../../action/dockfile/index.ts';
import type { Diagnostic, ValidationResult } from '../../action/dockfile/types.ts';
import { fixture, fullExampleEnv, tempRepo } from './helpers.ts';

const seedText = fixture('prd-full.yaml');
const knownCodes = new Set<number>([...Object.values(ErrorCode), ...Object.values(WarningCode)]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in the document, so mutations can target any depth. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function parentOf(doc: Json, path: (string | number)[]): { parent: Json; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  let parent: Json = doc;
  for (const segment of path.slice(0, -1))
    parent = (parent as Record<string, Json>)[segment as string] as Json;
  return { parent, key: path[path.length - 1] as string | number };
}

const garbage = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string(), { maxKeys: 3 }),
  fc.constantFrom('${UNSET_VAR}', '${', '!include x.yaml', '&a', '*a', '\u0000', '(a+)+', '[', ': :', '- -'),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: garbage }),
  fc.record({
    kind: fc.constant('insert' as const),
    pick: fc.nat(),
    key: fc.string({ maxLength: 12 }),
    value: garbage,
  }),
);

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyMutations(
  doc: Json,
  mutations: readonly { kind: string; pick: number; value?: unknown; key?: string }[],
): Json {
  for (const m of mutations as { kind: string; pick: number; value?: Json; key?: string }[]) {
    const all = paths(doc);
    const target = all[m.pick % all.length] ?? [];
    const where = parentOf(doc, target);
    if (m.kind === 'delete' && where) {
      if (Array.isArray(where.parent)) where.parent.splice(Number(where.key), 1);
      else delete (where.parent as Record<string, Json>)[where.key as string];
    } else if (m.kind === 'replace') {
      if (!where) doc = m.value ?? null;
      else (where.parent as Record<string, Json>)[where.key as string] = m.value ?? null;
    } else if (m.kind === 'insert') {
      let node: Json = doc;
      for (const segment of target) node = (node as Record<string, Json>)[segment as string] as Json;
      if (node !== null && typeof node === 'object' && !Array.isArray(node))
        node[m.key ?? 'k'] = m.value ?? null;
      else if (Array.isArray(node)) node.push(m.value ?? null);
    }
  }
  return doc;
}

function applyTextMutations(
  text: string,
  mutations: { kind: string; at: number; byte?: number; text?: string }[],
): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'flip') bytes[at] = m.byte ?? 0;
    else if (m.kind === 'splice')
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text ?? ''), bytes.subarray(at)]);
    else bytes = bytes.subarray(0, at);
  }
  return bytes;
}

function expectStructured(result: ValidationResult): void {
  expect(typeof result.valid).toBe('boolean');
  expect(result.valid).toBe(result.errors.length === 0);
  for (const d of [...result.errors, ...result.warnings] as Diagnostic[]) {
    expect(knownCodes.has(d.code)).toBe(true);
    expect(d.name).toBe(codeName(d.code));
    expect(typeof d.path).toBe('string');
    expect(d.file).toBe('Dockfile.yaml');
    expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
    expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/\n\s+at /);
    expect(d.hint === null || typeof d.hint === 'string').toBe(true);
  }
}

describe('fuzzed Dockfiles', () => {
  it('1000 structurally mutated Dockfiles always give a structured result', async () => {
    const seed = JSON.parse(JSON.stringify((await import('yaml')).parse(seedText))) as Json;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (mutations) => {
        const doc = applyMutations(structuredClone(seed), mutations);
        const text = stringify(doc);
        const result = await validateDockfileText(text, 'Dockfile.yaml', {
          env: fullExampleEnv,
          processEnv: {},
          python: null,
        });
        expectStructured(result);
      }),
      { numRuns: 1000 },
    );
  });

  it('1000 byte-level mutations (flips, splices, truncation) always give a structured result', async () => {
    const repo = tempRepo();
    onTestFinished(() => repo.cleanup());
    await fc.assert(
      fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        // Through a real file, so the byte-level checks (NUL, UTF-8) run too.
        repo.write('Dockfile.yaml', applyTextMutations(seedText, mutations));
        const result = await loadDockfile('Dockfile.yaml', {
          cwd: repo.root,
          env: fullExampleEnv,
          processEnv: {},
          python: null,
        });
        expectStructured(result);
      }),
      { numRuns: 1000 },
    );
  });
});
