/**
 * Every action.yml the repo ships (the Action itself and the local stand-in actions the act tests
 * use) loads under the GitHub runner's rule for expressions: `${{ … }}` only where the runner's
 * action schema allows it (an input's `default`, an output's `value`, composite step fields), and
 * only with the contexts allowed there. An expression in a description made every workflow using
 * the Action fail at "Set up job"; this catches that class of bug in milliseconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkActionYaml, checkActionYamlFile, formatViolation } from '../support/action-yaml-rules.ts';
import { repoRoot } from '../support/infra.ts';

const SKIP = new Set(['node_modules', '.git', '.venv', 'dist']);

function actionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return actionFiles(path);
    return entry.name === 'action.yml' || entry.name === 'action.yaml' ? [path] : [];
  });
}

const files = actionFiles(repoRoot)
  .map((f) => relative(repoRoot, f))
  .sort();
// The runtimes the runner accepts in `runs.using` (node20 is being removed from hosted runners).
const RUNTIMES = new Set(['node24', 'composite', 'docker']);

describe('action.yml files load under the runner rules', () => {
  it('finds the Action and the act stand-ins', () => {
    expect(files).toContain('action.yml');
    expect(files.some((f) => f.startsWith('test/e2e-act/stand-ins/'))).toBe(true);
  });

  it.each(files)('%s: expressions only where the runner allows them', (file) => {
    const violations = checkActionYamlFile(join(repoRoot, file)).map((v) => formatViolation(file, v));
    expect(violations).toEqual([]);
  });

  it.each(files)('%s: runs.using is a current runtime', (file) => {
    const action = parse(readFileSync(join(repoRoot, file), 'utf8')) as { runs: { using: string } };
    expect(RUNTIMES.has(action.runs.using.toLowerCase()), action.runs.using).toBe(true);
  });

  it('the Action runs dist/main.js on node24', () => {
    const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { runs: unknown };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/main.js' });
  });
});

describe('the runner rule itself', () => {
  const action = (inputs: string, runs = 'runs:\n  using: node24\n  main: dist/main.js\n') =>
    `name: x\ndescription: x\ninputs:\n${inputs}${runs}`;

  it('rejects an expression in an input description, with its line and column (the old secrets input)', () => {
    const violations = checkActionYaml(
      action(
        '  secrets:\n    description: >-\n      Secret values, as JSON: `${{ toJSON(secrets) }}`.\n    required: false\n',
      ),
    );
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ path: 'inputs.secrets.description', line: 5, column: 18 });
    expect(violations[0]?.message).toMatch(/not allowed here/);
  });

  it('rejects a context a default may not use (secrets, inputs, steps), as the runner does', () => {
    const violations = checkActionYaml(
      action(
        '  a:\n    default: ${{ secrets.TOKEN }}\n  b:\n    default: ${{ inputs.a }}\n  c:\n    default: x-${{ steps.s.outputs.o }}\n',
      ),
    );
    expect(violations.map((v) => [v.path, v.message])).toEqual([
      ['inputs.a.default', "Unrecognized named-value: 'secrets'"],
      ['inputs.b.default', "Unrecognized named-value: 'inputs'"],
      ['inputs.c.default', "Unrecognized named-value: 'steps'"],
    ]);
  });

  it('accepts the contexts and functions a default may use', () => {
    expect(
      checkActionYaml(
        action(
          "  a:\n    default: ${{ github.token }}\n  b:\n    default: ${{ runner.temp }}/${{ hashFiles('x') }}\n  c:\n    default: ${{ format('{0}', github['api_url']) }}\n",
        ),
      ),
    ).toEqual([]);
  });

  it('rejects expressions in names, runs, branding and output descriptions', () => {
    const text = [
      'name: ${{ github.repository }}',
      'description: x',
      'branding:',
      '  icon: ${{ github.sha }}',
      'outputs:',
      '  o:',
      '    description: ${{ github.sha }}',
      'runs:',
      '  using: node24',
      '  main: ${{ github.action_path }}/main.js',
      '',
    ].join('\n');
    expect(checkActionYaml(text).map((v) => v.path)).toEqual([
      'name',
      'branding.icon',
      'outputs.o.description',
      'runs.main',
    ]);
  });

  it('accepts composite steps with expressions in run, env and with, and output values', () => {
    const text = [
      'name: x',
      'outputs:',
      '  o:',
      '    description: out',
      '    value: ${{ steps.s.outputs.v }}',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - id: s',
      '      shell: bash',
      '      run: echo "${{ inputs.a }}"',
      '      env:',
      '        A: ${{ env.B }}',
      '    - uses: ./other',
      '      with:',
      '        a: ${{ github.token }}',
      '',
    ].join('\n');
    expect(checkActionYaml(text)).toEqual([]);
    expect(checkActionYaml(text.replace('shell: bash', 'shell: ${{ inputs.shell }}'))).toHaveLength(1);
  });

  it('reports an unclosed expression', () => {
    expect(checkActionYaml(action('  a:\n    default: ${{ github.token\n'))[0]?.message).toMatch(
      /not closed/,
    );
  });
});
