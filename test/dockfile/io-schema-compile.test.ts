/**
 * Inline io_schemas must compile (ajv resolves their `$ref`s). Compile outcomes are kept by the
 * schema's canonical JSON, so a schema seen before is not compiled again: the outcome, and so the
 * diagnostics, must be the same as without the cache, whatever the key order and the load order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setSchemaCompileCacheLimit } from '../../action/dockfile/checks/io-schema.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';

const dockfile = (input: string) =>
  `version: "1.0"\nagent: {name: compiled, handler: "app:run"}\nauth: {mode: none}\nio_schema:\n  input: ${input}\n`;

const unresolved = '{type: object, properties: {a: {$ref: "#/$defs/missing"}}}';
const unresolvedReordered = '{properties: {a: {$ref: "#/$defs/missing"}}, type: object}';
const resolved =
  '{type: object, $defs: {missing: {type: string}}, properties: {a: {$ref: "#/$defs/missing"}}}';

async function findings(input: string): Promise<string[]> {
  const result = await validateDockfileText(dockfile(input), 'D.yaml', { python: null, processEnv: {} });
  return result.errors.map((d) => `${d.code} ${d.path}: ${d.message}`);
}

describe('io_schema compile check, with its cache of outcomes', () => {
  afterEach(() => setSchemaCompileCacheLimit(128));

  it('an unresolvable $ref is reported the same on every load, in any key order, cache on or off', async () => {
    const first = await findings(unresolved);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^4004 io_schema\.input: io_schema\.input does not compile as JSON Schema: /);
    expect(await findings(unresolved)).toEqual(first);
    expect(await findings(unresolvedReordered)).toEqual(first);
    expect(await findings(resolved)).toEqual([]);
    expect(await findings(unresolved)).toEqual(first);

    setSchemaCompileCacheLimit(0);
    expect(await findings(unresolvedReordered)).toEqual(first);
    expect(await findings(resolved)).toEqual([]);
  });

  it('a cache of one entry evicts and recompiles without changing an outcome', async () => {
    setSchemaCompileCacheLimit(1);
    for (let round = 0; round < 3; round++) {
      expect(await findings(unresolved)).toHaveLength(1);
      expect(await findings(resolved)).toEqual([]);
    }
  });
});
