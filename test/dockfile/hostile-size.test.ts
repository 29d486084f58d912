import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetedValidator, type TempRepo, tempRepo } from './helpers.ts';

// Inputs within the 1 MiB size cap that cost seconds to minutes before the value limit (10 000)
// could stop them. Each must give a clean error within 2 s; the worker running the validation is
// terminated when the budget runs out, so a slow case fails instead of stalling the suite.
const budgetMs = 2000;
const megabyte = 1_000_000;

/** `head` then `unit(i)` repeated until the text is about 1 MB. */
function fill(head: string, unit: (i: number) => string, tail = ''): string {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < megabyte; i++) {
    const part = unit(i);
    parts.push(part);
    size += part.length;
  }
  parts.push(tail);
  return parts.join('');
}

describe('documents within the size cap are validated quickly', () => {
  let repo: TempRepo;
  let validator: BudgetedValidator;
  beforeAll(async () => {
    repo = tempRepo();
    validator = new BudgetedValidator();
    // Warm the lexer and parser up (JIT) before any clock starts, with a generous budget.
    const warmUp = `version: "1.0"\nx-big:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1\n`).join('')}`;
    await validator.validate(repo.write('warm-up.yaml', warmUp), 60_000, { root: repo.root, processEnv: {} });
  }, 90_000);
  afterAll(async () => {
    await validator.close();
    repo.cleanup();
  });

  async function errorsOf(name: string, text: string) {
    const path = repo.write(name, text);
    const result = await validator.validate(path, budgetMs, { root: repo.root, processEnv: {} });
    expect(result.valid).toBe(false);
    return result.errors;
  }

  it('the quadratic duplicate-key check: 1 MB with 90 000 distinct keys', async () => {
    const text = fill('version: "1.0"\nx-big:\n', (i) => `  k${i}: 1\n`);
    const errors = await errorsOf('keys.yaml', text);
    expect(errors.map((e) => e.code)).toEqual([4000]);
    expect(errors[0]?.message).toMatch(/more than (40000 YAML tokens|10000 values)/);
  });

  it('the same keys in one flow map', async () => {
    const errors = await errorsOf(
      'flow-keys.yaml',
      fill('version: "1.0"\nx-big: {', (i) => `k${i}: 1, `, '}\n'),
    );
    expect(errors.map((e) => e.code)).toEqual([4000]);
  });

  it('90 000 keys without values', async () => {
    const errors = await errorsOf(
      'bare-keys.yaml',
      fill('version: "1.0"\nx-big:\n', (i) => `  k${i}:\n`),
    );
    expect(errors.map((e) => e.code)).toEqual([4000]);
  });

  it('a flow sequence of 1 MB of commas (one parse error each)', async () => {
    const errors = await errorsOf(
      'commas.yaml',
      fill('version: "1.0"\nx: [', () => ',,,,,,,,,,', ']\n'),
    );
    expect(errors.map((e) => e.code)).toEqual([4000]);
    expect(errors[0]?.message).toContain('more than 40000 YAML tokens');
  });

  it('500 000 empty sequence items', async () => {
    const errors = await errorsOf(
      'dashes.yaml',
      fill('version: "1.0"\nx:\n', () => '-\n'),
    );
    expect(errors.map((e) => e.code)).toEqual([4000]);
  });

  it('tags, anchors and indicators without values', async () => {
    for (const [name, unit] of [
      ['tags.yaml', '!!str '],
      ['anchors.yaml', '&a '],
      ['colons.yaml', ': '],
    ] as const) {
      const errors = await errorsOf(
        name,
        fill('version: "1.0"\nx: [', () => unit, ']\n'),
      );
      expect(errors.map((e) => e.code)).toEqual([4000]);
    }
  });

  it('just under the token limit: 9 999 long values in a flow map still finish in time', async () => {
    const pairs = Array.from({ length: 9_990 }, (_, i) => `k${i}: ${'v'.repeat(60)}`).join(', ');
    const errors = await errorsOf('flow-pairs.yaml', `version: "1.0"\nx-big: {${pairs}}\n`);
    // Valid YAML: the only complaints are about the Dockfile's content (no agent).
    expect(errors.every((e) => e.code !== 4000)).toBe(true);
  });

  it('a duplicate key is still found, at the duplicate', async () => {
    const text = `version: "1.0"\nx-big:\n${Array.from({ length: 5_000 }, (_, i) => `  k${i}: 1\n`).join('')}  k17: 2\n`;
    const errors = await errorsOf('late-duplicate.yaml', text);
    expect(errors.map((e) => [e.code, e.line, e.column, e.message])).toEqual([
      [4000, 5003, 3, 'duplicate key: each key may appear only once in a map'],
    ]);
  });
});
