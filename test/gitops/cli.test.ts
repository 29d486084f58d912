import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { captureCli } from '../support/cli.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context } from './support.ts';

const cli = (cwd: string, env: NodeJS.ProcessEnv = {}) =>
  captureCli({ cwd, env: { ...process.env, ...env } });

describe('dockrion history and rollback (CLI)', () => {
  let box: Sandbox;
  let bare: string;
  beforeEach(async () => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    const ctx = context();
    for (const version of ['1.0.0', '1.1.0']) {
      ctx.tick(60);
      const record = recordFor('invoice-copilot', 'staging', version);
      await deployToEnvironments(
        { target: { url: bare }, record, files: manifestsFor(record), direct: true },
        ctx,
      );
    }
  });
  afterEach(() => box.cleanup());

  /** `dockrion rollback` of invoice-copilot in staging on the test repo, plus `extra`. */
  const rollbackArgs = (...extra: string[]) => [
    'rollback',
    '--environments-repo',
    bare,
    '--env',
    'staging',
    '--agent',
    'invoice-copilot',
    ...extra,
  ];

  it('history prints one JSON document, newest first', async () => {
    const c = cli(box.dir);
    const code = await c.run([
      'history',
      '--environments-repo',
      'environments.git',
      '--env',
      'staging',
      '--agent',
      'invoice-copilot',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const doc = JSON.parse(c.stdout());
    expect(doc.deployments.map((d: { version: string; kind: string }) => `${d.kind} ${d.version}`)).toEqual([
      'deploy 1.1.0',
      'deploy 1.0.0',
    ]);
    expect(Object.keys(doc.deployments[0]).sort()).toEqual(
      [
        'commit',
        'date',
        'digest',
        'image',
        'kind',
        'source',
        'subject',
        'undoes',
        'undoesDigest',
        'unreadable',
        'version',
      ].sort(),
    );
  });

  it('history prints a table by default; --repo is accepted as an alias', async () => {
    const c = cli(box.dir);
    expect(await c.run(['history', '--repo', bare, '--env', 'staging', '--agent', 'invoice-copilot'])).toBe(
      0,
    );
    const lines = c.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^COMMIT\s+DATE\s+KIND\s+VERSION\s+DIGEST\s+SOURCE$/);
    expect(lines[1]).toMatch(/deploy\s+1\.1\.0/);
    expect(lines).toHaveLength(3);
  });

  it('rollback --direct restores the earlier deploy and history shows it', async () => {
    const c = cli(box.dir);
    const code = await c.run(rollbackArgs('--to', '1.0.0', '--direct', '--format', 'json'));
    expect(c.stderr()).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(c.stdout());
    expect(result.operation).toBe('direct');
    expect(result.from.version).toBe('1.1.0');
    expect(result.to.version).toBe('1.0.0');
    expect(git(bare, ['rev-parse', 'main'])).toBe(result.commit);
    expect(git(bare, ['log', '-1', '--format=%s', 'main'])).toBe(
      'rollback(invoice-copilot): staging 1.1.0 → 1.0.0',
    );
  });

  it('usage problems exit 2, operational ones exit 1 with a message and no stack', async () => {
    const c = cli(box.dir);
    expect(await c.run(['history', '--env', 'staging', '--agent', 'x'])).toBe(2);
    expect(c.stderr()).toContain('--environments-repo is required');
    expect(await c.run(rollbackArgs())).toBe(2);
    expect(
      await c.run(['history', '--environments-repo', bare, '--env', 'staging', '--agent', 'x', '--bogus']),
    ).toBe(2);
    const d = cli(box.dir);
    expect(await d.run(rollbackArgs('--to', '9.9.9', '--direct'))).toBe(1);
    expect(d.stderr()).toContain("no deployment '9.9.9'");
    expect(d.stderr()).not.toMatch(/\n\s+at /);
  });

  it('runs as a real process through the CLI entry point', () => {
    const out = execFileSync(
      'npx',
      [
        'tsx',
        'action/cli.ts',
        'history',
        '--environments-repo',
        bare,
        '--env',
        'staging',
        '--agent',
        'invoice-copilot',
        '--format',
        'json',
      ],
      { cwd: process.cwd(), encoding: 'utf8' },
    );
    expect(JSON.parse(out).deployments).toHaveLength(2);
  });
});
