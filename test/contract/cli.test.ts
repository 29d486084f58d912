/**
 * `dockrion diff`: the real command (in-process through `main`, and once as a child process),
 * on Dockfiles in a temporary git repository, including `<rev>:<path>` read with git.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.ts';
import { git } from '../support/git.ts';
import { patchedDockfile } from './support.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
let work: string;

function write(relativePath: string, text: string): void {
  const path = join(work, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function dockrion(args: string[], cwd = work) {
  const cli = captureCli({ cwd, env: { PATH: process.env.PATH ?? '' }, logger: 'silent' });
  const code = await cli.run(['diff', ...args]);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

// The input schema lives in an included file, so `<rev>:<path>` must read includes from the commit.
const SCHEMA_V1 = `type: object
properties:
  invoice_id: { type: string }
  amount: { type: number }
required: [invoice_id]
`;
const SCHEMA_V2 = `type: object
properties:
  invoice_id: { type: string }
  amount: { type: integer }
  customer: { type: string }
required: [invoice_id, customer]
`;

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'dockrion-diff-cli-')));
  git(work, 'init', '-q', '-b', 'main');
  write(
    'agents/invoice/Dockfile.yaml',
    patchedDockfile('io_schema: { output: null }').replace(
      /io_schema:\n {2}input:[\s\S]*?(?=\n\S)/,
      'io_schema:\n  input: !include schema.yaml',
    ),
  );
  write('agents/invoice/schema.yaml', SCHEMA_V1);
  write('old.yaml', patchedDockfile(''));
  write(
    'new.yaml',
    patchedDockfile('auth: { mode: none, roles: null, rate_limits: null }\nexpose: { port: 9090 }'),
  );
  write('broken.yaml', 'version: "1.0"\nagent:\n  name: Invoice_Copilot\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'v1');
  // The working tree moves on: only the included schema changes.
  write('agents/invoice/schema.yaml', SCHEMA_V2);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('dockrion diff', () => {
  it('prints the classified changes as text on stdout, exit 0', async () => {
    const { code, stdout, stderr } = await dockrion(['old.yaml', 'new.yaml']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'Contract changes: 1 breaking, 1 widening',
        '',
        'Breaking (1):',
        '  expose.port: changed from 8080 to 9090: callers and probes must follow',
        '',
        'Widening (security) (1):',
        '  auth.mode: loosened from api_key to none: anyone who can reach the agent may call it',
        '',
      ].join('\n'),
    );
  });

  it('--format json prints one document grouping the changes by class, each naming its path', async () => {
    const { code, stdout } = await dockrion(['old.yaml', 'new.yaml', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['summary', 'breaking', 'widening', 'operational', 'compatible']);
    expect(report.summary).toBe('1 breaking, 1 widening');
    expect(report.breaking).toEqual([
      {
        path: 'expose.port',
        message: 'expose.port: changed from 8080 to 9090: callers and probes must follow',
        before: 8080,
        after: 9090,
      },
    ]);
    expect(report.widening[0]).toMatchObject({ path: 'auth.mode', before: 'api_key', after: 'none' });
    expect(report.operational).toEqual([]);
    expect(report.compatible).toEqual([]);
  });

  it('prints "No contract changes." for equal contracts', async () => {
    const { code, stdout } = await dockrion(['old.yaml', 'HEAD:old.yaml']);
    expect(code).toBe(0);
    expect(stdout).toBe('No contract changes.\n');
  });

  it('reads <rev>:<path> and its !include from the commit, not from the working tree', async () => {
    const { code, stdout, stderr } = await dockrion([
      'HEAD:agents/invoice/Dockfile.yaml',
      'agents/invoice/Dockfile.yaml',
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.breaking.map((c: { message: string }) => c.message)).toEqual([
      'io_schema.input.properties.amount.type: type changed from number to integer',
      'io_schema.input.properties.customer: new required field',
    ]);
  });

  it('takes ./ paths relative to the current directory, as git does, and a directory for its Dockfile.yaml', async () => {
    const agent = join(work, 'agents', 'invoice');
    const { code, stdout } = await dockrion(['HEAD:./Dockfile.yaml', '.'], agent);
    expect(code).toBe(0);
    expect(stdout).toContain('Contract changes: 2 breaking');
  });

  it('--env keeps one environment’s deployment changes', async () => {
    write('bigger.yaml', patchedDockfile('deploy: { resources: { limits: { memory: 2Gi } } }'));
    const staging = await dockrion(['old.yaml', 'bigger.yaml', '--env', 'staging']);
    expect(staging.code).toBe(0);
    expect(staging.stdout).toContain('deploy.environments.staging.resources.limits.memory');
    expect(staging.stdout).not.toContain('deploy.environments.prod.');
    const unknown = await dockrion(['old.yaml', 'bigger.yaml', '--env', 'qa']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--env qa: neither Dockfile defines deploy.environments.qa');
    expect(unknown.stderr).toContain('use one of: prod, staging');
  });

  it('exits 1 with file:line:col diagnostics for an invalid Dockfile, on disk or in a commit', async () => {
    const onDisk = await dockrion(['broken.yaml', 'old.yaml']);
    expect(onDisk.code).toBe(1);
    expect(onDisk.stdout).toBe('');
    expect(onDisk.stderr).toContain('broken.yaml:3:9: error 4002 InvalidSchemaError at agent.name');
    expect(onDisk.stderr).toContain('   3 |   name: Invoice_Copilot');

    const inCommit = await dockrion(['HEAD:broken.yaml', 'old.yaml']);
    expect(inCommit.code).toBe(1);
    expect(inCommit.stderr).toContain('HEAD:broken.yaml:3:9: error 4002 InvalidSchemaError at agent.name');
    // Source excerpts come from the commit's text.
    expect(inCommit.stderr).toContain('   3 |   name: Invoice_Copilot');
    expect(inCommit.stderr).toContain('HEAD:broken.yaml: invalid');
  });

  it.each([
    [['old.yaml'], 'diff takes two Dockfiles (OLD and NEW), got 1'],
    [['old.yaml', 'new.yaml', 'third.yaml'], 'diff takes two Dockfiles (OLD and NEW), got 3'],
    [['old.yaml', 'new.yaml', '--format', 'xml'], "--format must be one of text, json, got 'xml'"],
    [['old.yaml', 'new.yaml', '--strict'], "unknown option '--strict'"],
    [['missing.yaml', 'new.yaml'], 'missing.yaml: no such file'],
    [['no-such-rev:old.yaml', 'new.yaml'], 'no-such-rev: no such revision'],
    [['HEAD:missing.yaml', 'new.yaml'], 'HEAD:missing.yaml: no such file in that revision'],
    [['HEAD:agents', 'new.yaml'], 'HEAD:agents: is a directory, not a file'],
    [['HEAD:../outside.yaml', 'new.yaml'], 'HEAD:../outside.yaml points outside the repository'],
  ])('usage error (exit 2): %j', async (args, message) => {
    const { code, stdout, stderr } = await dockrion(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('a <rev>:<path> outside any git repository is a usage error', async () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'dockrion-diff-nogit-')));
    try {
      writeFileSync(join(outside, 'Dockfile.yaml'), patchedDockfile(''));
      const { code, stderr } = await dockrion(['HEAD:Dockfile.yaml', 'Dockfile.yaml'], outside);
      expect(code).toBe(2);
      expect(stderr).toContain(
        `HEAD:Dockfile.yaml: no such file, and ${outside} is not inside a git repository`,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('--help prints the usage on stdout, exit 0', async () => {
    const { code, stdout } = await dockrion(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: dockrion diff OLD NEW [options]');
    expect(stdout).toContain('<rev>:<path>');
  });

  it('runs as the dockrion binary would: a child process, JSON on stdout, the exit code', async () => {
    const run = promisify(execFile);
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const { stdout } = await run(
      tsx,
      [join(repoRoot, 'action', 'cli.ts'), 'diff', 'HEAD:old.yaml', 'new.yaml', '--format', 'json'],
      { cwd: work, env: { PATH: process.env.PATH ?? '' } },
    );
    expect(JSON.parse(stdout).summary).toBe('1 breaking, 1 widening');
    const failed = await run(tsx, [join(repoRoot, 'action', 'cli.ts'), 'diff', 'old.yaml'], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '' },
    }).then(
      () => ({ code: 0 }),
      (e: { code: number }) => e,
    );
    expect(failed.code).toBe(2);
  }, 60_000);
});
