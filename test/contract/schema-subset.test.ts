/**
 * The subset check's documented choices, one by one (the table and the properties in
 * diff.test.ts cover the rest).
 */
import { describe, expect, it } from 'vitest';
import { inlineLocalRefs, isSubsetSchema, subsetProblems } from '../../action/contract/schema-subset.ts';
import type { JsonSchema } from '../../action/contract/types.ts';

describe('subset check choices', () => {
  it('a different pattern is not provably compatible, even a looser one', () => {
    const strict: JsonSchema = { type: 'string', pattern: '^[0-9]{3}$' };
    const loose: JsonSchema = { type: 'string', pattern: '^[0-9]+$' };
    expect(subsetProblems(strict, loose).map((p) => p.message)).toEqual([
      'pattern changed; not provably compatible',
    ]);
    // Dropping the pattern is always wider.
    expect(isSubsetSchema(strict, { type: 'string' })).toBe(true);
  });

  it('format is an annotation (the runtime validates without a format checker)', () => {
    expect(isSubsetSchema({ type: 'string' }, { type: 'string', format: 'email' })).toBe(true);
  });

  it('a finite narrow side is checked value by value, also against keywords it does not reason about', () => {
    expect(isSubsetSchema({ enum: ['a', 'b'] }, { not: { const: 'c' } })).toBe(true);
    expect(subsetProblems({ enum: ['a', 'c'] }, { not: { const: 'c' } }).map((p) => p.message)).toEqual([
      '"c" no longer accepted',
    ]);
  });

  it('keywords it does not reason about must be written alike on the wide side', () => {
    expect(isSubsetSchema({ oneOf: [{ type: 'string' }] }, { oneOf: [{ type: 'string' }] })).toBe(true);
    expect(subsetProblems({ type: 'string' }, { type: 'string', not: { const: '' } })[0]?.message).toBe(
      'not changed; not provably compatible',
    );
  });

  it('open, input and output read undeclared properties differently', () => {
    const before: JsonSchema = { type: 'object', properties: { a: { type: 'string' } } };
    const withB: JsonSchema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
    };
    // JSON Schema itself: before allows any b, so a typed b is narrower.
    expect(isSubsetSchema(before, withB, { undeclared: 'open' })).toBe(false);
    // Callers send what is declared: adding b breaks no one; removing a does.
    expect(isSubsetSchema(before, withB, { undeclared: 'input' })).toBe(true);
    expect(
      subsetProblems(
        withB,
        { type: 'object', properties: { b: { type: 'number' } } },
        { undeclared: 'input' },
      )[0]?.message,
    ).toBe('field removed');
    // Output (narrow = new): a field the new schema drops is removed for its consumers.
    expect(subsetProblems(before, withB, { undeclared: 'output' })[0]?.message).toBe('field removed');
  });

  it('inlines local $refs, and gives up on definitions that fan out without end', () => {
    const schema: JsonSchema = {
      $defs: { n: { type: 'integer' } },
      properties: { x: { $ref: '#/$defs/n' } },
    };
    expect(inlineLocalRefs(schema)).toEqual({
      schema: { properties: { x: { type: 'integer' } } },
      unresolved: false,
    });
    // d0 uses d1 ten times, d1 uses d2 ten times, …: 10^12 copies if followed.
    const defs: Record<string, JsonSchema> = { d12: { type: 'string' } };
    for (let i = 11; i >= 0; i--)
      defs[`d${i}`] = { anyOf: Array.from({ length: 10 }, () => ({ $ref: `#/$defs/d${i + 1}` })) };
    const bomb: JsonSchema = { $defs: defs as never, properties: { x: { $ref: '#/$defs/d0' } } };
    const result = inlineLocalRefs(bomb);
    expect(result.unresolved).toBe(true);
    expect(result.schema).toBe(bomb);
    // Unresolved definitions are then compared as written: equal ones are fine, others are not.
    expect(isSubsetSchema(bomb, bomb)).toBe(true);
    expect(isSubsetSchema(bomb, { ...bomb, $defs: { ...defs, d12: { type: 'number' } } as never })).toBe(
      false,
    );
  });
});
