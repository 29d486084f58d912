import { describe, expect, it } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { backtrackingRisk } from '../../action/dockfile/checks/backtracking.ts';
import { compileWithJavaScript, compileWithPython } from '../../action/dockfile/checks/python-regex.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';

const withPatterns = (patterns: string[]) =>
  `version: "1.0"\nagent: {name: re, handler: "app:run"}\nauth: {mode: api_key}\npolicies:\n  safety:\n    redact_patterns: ${JSON.stringify(patterns)}\n`;

describe('redact_patterns', () => {
  it('compiles with Python re, which accepts Python-only syntax and rejects what Python rejects', async () => {
    const problems = await compileWithPython(
      ['(?P<card>\\d{16})', '(?P<n>a)(?P=n)', '\\Ahello\\Z', '(?<!ab+)c', '[z-a]', '(?i)ok'],
      'python3',
      nodeExec(),
    );
    expect(problems?.map((p) => p.index)).toEqual([3, 4]);
    expect(problems?.[0]?.message).toBe('look-behind requires fixed-width pattern');
    expect(problems?.[1]).toMatchObject({ message: 'bad character range z-a', offset: 1 });
  });

  it('reports 4006 per broken pattern with its index, and 4101 for catastrophic ones', async () => {
    const result = await validateDockfileText(
      withPatterns(['ok\\d+', '(', '(a+)+b', '(x|xy)*z']),
      'Dockfile.yaml',
      {
        processEnv: {},
      },
    );
    expect(result.errors.map((e) => [e.code, e.path])).toEqual([
      [4006, 'policies.safety.redact_patterns[1]'],
    ]);
    expect(result.warnings.map((w) => [w.code, w.path])).toEqual([
      [4101, 'policies.safety.redact_patterns[2]'],
      [4101, 'policies.safety.redact_patterns[3]'],
    ]);
  });

  it('falls back to a best-effort JS check with warning 4105 when python is unavailable', async () => {
    const result = await validateDockfileText(
      withPatterns(['(?P<n>a)(?P=n)', '[unclosed']),
      'Dockfile.yaml',
      {
        processEnv: {},
        python: '/nonexistent/python3',
      },
    );
    expect(result.errors.map((e) => [e.code, e.path])).toEqual([
      [4006, 'policies.safety.redact_patterns[1]'],
    ]);
    expect(result.warnings.map((w) => w.code)).toContain(4105);
    expect(compileWithJavaScript(['\\Afoo\\Z', '(?i)abc', '(?P<x>y)'])).toEqual([]);
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
    ['\\d{16}', false],
    ['[A-Z]{2}\\d{6}', false],
    ['(ab)+', false],
    ['(a|b)+', false],
    ['(\\d{3}-)?\\d{4}', false],
    ['[(a+)+]', false],
    ['\\(a+\\)+', false],
    ['\\b\\d{4}([ -]?\\d{4}){3}\\b', false],
  ])('backtracking risk of %s is %s', (pattern, risky) => {
    expect(backtrackingRisk(pattern) !== undefined).toBe(risky);
  });
});
