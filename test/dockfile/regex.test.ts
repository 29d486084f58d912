import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backtrackingRisk } from '../../action/dockfile/checks/backtracking.ts';
import { compileWithRe2 } from '../../action/dockfile/checks/regex.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';

const withPatterns = (patterns: string[]) =>
  `version: "1.0"\nagent: {name: re, handler: "app:run"}\nauth: {mode: api_key}\npolicies:\n  safety:\n    redact_patterns: ${JSON.stringify(patterns)}\n`;

// The runtime's test (runtime/tests/test_redos.py) checks google-re2 against the same list.
const agreement = JSON.parse(
  readFileSync(new URL('../../runtime/tests/data/re2_agreement.json', import.meta.url), 'utf8'),
) as { patterns: [string, boolean][] };

describe('redact_patterns', () => {
  it.each(agreement.patterns)('RE2 semantics, as in the runtime: %s compiles = %s', (pattern, compiles) => {
    expect(compileWithRe2([pattern]).length === 0).toBe(compiles);
  });

  it('reports 4006 per broken pattern with its index, and 4101 for ambiguous ones, without python', async () => {
    const result = await validateDockfileText(
      withPatterns(['ok\\d+', '(', '(a+)+b', '(x|xy)*z']),
      'Dockfile.yaml',
      // No python at all: the regex check is in process now (re2js).
      { processEnv: {}, python: '/nonexistent/python3' },
    );
    expect(result.errors.map((e) => [e.code, e.path])).toEqual([
      [4006, 'policies.safety.redact_patterns[1]'],
    ]);
    expect(result.warnings.map((w) => [w.code, w.path])).toEqual([
      [4101, 'policies.safety.redact_patterns[2]'],
      [4101, 'policies.safety.redact_patterns[3]'],
    ]);
  });

  it.each([
    ['(a+)\\1*b', 'backreferences are not supported'],
    ['(?P<n>a)(?P=n)', 'backreferences are not supported'],
    ['(?<=\\$)\\d+', 'lookahead and lookbehind are not supported'],
    ['x(?!y)', 'lookahead and lookbehind are not supported'],
    ['end\\Z', 'write \\z for the end of the text'],
    ['a++', 'possessive quantifiers are not supported'],
  ])('the redos attack pattern %s that RE2 refuses is error 4006 with a hint', async (pattern, hint) => {
    const result = await validateDockfileText(withPatterns([pattern]), 'Dockfile.yaml', { processEnv: {} });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 4006, path: 'policies.safety.redact_patterns[0]' });
    expect(result.errors[0]?.message).toMatch(/^redact pattern is not a valid RE2 pattern: /);
    expect(result.errors[0]?.hint).toContain(hint);
  });

  it('names the reason and position, never the offending text (it may be an interpolated value)', async () => {
    const result = await validateDockfileText(withPatterns(['ab(?=${SECRET_TOKEN}']), 'Dockfile.yaml', {
      processEnv: { SECRET_TOKEN: 'tok-3141592653' },
    });
    expect(result.errors[0]?.message).toBe(
      'redact pattern is not a valid RE2 pattern: invalid or unsupported Perl syntax at position 2',
    );
    expect(JSON.stringify(result)).not.toContain('tok-3141592653');
  });

  // Issue 12 #1: every pattern of the attack passed `validate --strict` without a warning.
  it.each([
    '\\b\\d+[ -]?\\d+[ -]?\\d+[ -]?\\d+\\b',
    '\\s*\\s*\\s*$',
    'a*a*a*a*a*a*b',
    '(.*a){20}',
    '(.*,){12}x',
    '(a+)\\1*b',
  ])('the redos attack pattern %s fails validate --strict', async (pattern) => {
    const result = await validateDockfileText(withPatterns([pattern]), 'Dockfile.yaml', {
      processEnv: {},
      strict: true,
    });
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.code)).toEqual([pattern.includes('\\1') ? 4006 : 4101]);
  });

  it.each([
    ['(a+)+', true],
    ['(.*)*', true],
    ['(\\w+\\s?)*$', true],
    ['(a|a)*', true],
    ['(a|ab)+c', true],
    ['(\\d|\\w)+', true],
    ['(?:x+)+y', true],
    ['(.*a){2,}', true],
    ['(.*a){20}', true],
    ['(.*,){12}x', true],
    ['\\s*\\s*\\s*$', true],
    ['a*a*b', true],
    ['\\d+[ -]?\\d+', true],
    ['\\w+\\s*\\w+', true],
    ['((ab)+)+', true],
    ['(a+)\\1*b', true],
    ['\\d{16}', false],
    ['[A-Z]{2}\\d{6}', false],
    ['(ab)+', false],
    ['(a|b)+', false],
    ['(\\d{3}-)?\\d{4}', false],
    ['[(a+)+]', false],
    ['\\(a+\\)+', false],
    ['\\b\\d{4}([ -]?\\d{4}){3}\\b', false],
    ['\\d+(?:[ -]\\d+)*', false],
    ['(?:[^a]*a){20}', false],
    ['\\d+\\.\\d+', false],
    ['[\\w.+-]+@[\\w-]+\\.[\\w.]+', false],
    ['secret-\\w+', false],
    ['a.*b', false],
    ['sk-[A-Za-z0-9]{20,}', false],
  ])('ambiguity (backtracking risk) of %s is %s', (pattern, risky) => {
    expect(backtrackingRisk(pattern) !== undefined).toBe(risky);
  });
});

describe('io_schema patterns', () => {
  const withSchema = (pattern: string) =>
    `version: "1.0"\nagent: {name: re, handler: "app:run"}\nauth: {mode: api_key}\nio_schema:\n  input:\n    type: object\n    properties:\n      zip: {type: string, pattern: ${JSON.stringify(pattern)}}\n    patternProperties:\n      ${JSON.stringify(pattern)}: {type: string}\n`;

  it('compile with RE2 too: the runtime evaluates them on it (4004, at the pattern and the key)', async () => {
    const result = await validateDockfileText(withSchema('^(?=\\d)[0-9]{5}$'), 'Dockfile.yaml', {
      processEnv: {},
    });
    expect(result.errors.map((e) => [e.code, e.path])).toEqual([
      [4004, 'io_schema.input.properties.zip.pattern'],
      [4004, 'io_schema.input.patternProperties["^(?=\\\\d)[0-9]{5}$"]'],
    ]);
    expect(result.errors[0]?.hint).toContain('lookahead and lookbehind are not supported');
  });

  it('accepts RE2 patterns', async () => {
    const result = await validateDockfileText(withSchema('^[0-9]{5}$'), 'Dockfile.yaml', { processEnv: {} });
    expect(result.errors).toEqual([]);
  });
});
