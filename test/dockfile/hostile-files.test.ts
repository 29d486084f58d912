import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { formatMarkdown } from '../../action/report/markdown.ts';
import { captureCli } from '../support/cli.ts';
import { type TempRepo, tempRepo } from './helpers.ts';

const token = 'ghs_c2VjcmV0dG9rZW4xMjM0NTY3ODkw';

/** `dockrion validate ARGS` in `cwd` with `env`: everything it printed. */
async function validateCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const cli = captureCli({ cwd, env, logger: 'silent' });
  const code = await cli.run(['validate', ...args]);
  return { code, output: cli.stdout() + cli.stderr() };
}

describe('the main Dockfile stays inside the repository', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
    execFileSync('git', ['init', '-q', repo.root]);
    // What actions/checkout persists: the workflow token in .git/config.
    execFileSync('git', [
      '-C',
      repo.root,
      'config',
      'http.https://github.com/.extraheader',
      `AUTHORIZATION: basic ${token}`,
    ]);
  });
  afterEach(() => repo.cleanup());

  it('a Dockfile symlinked to /proc/self/environ does not print the environment', async () => {
    symlinkSync('/proc/self/environ', join(repo.root, 'Dockfile.yaml'));
    const canary = 'environ-canary-4711';
    for (const format of ['text', 'json', 'github']) {
      const { code, output } = await validateCli(repo.root, ['Dockfile.yaml', '--format', format], {
        CANARY_VALUE: canary,
      });
      expect(code).toBe(1);
      expect(output).toContain('outside the repository');
      expect(output).not.toContain(canary);
      expect(output).not.toContain('PATH=');
    }
    const result = await loadDockfile('Dockfile.yaml', { cwd: repo.root, root: repo.root, processEnv: {} });
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      [4000, 'Dockfile.yaml resolves (through a symlink) outside the repository'],
    ]);
  });

  it('a Dockfile symlinked to .git/config does not print the persisted token', async () => {
    symlinkSync('.git/config', join(repo.root, 'Dockfile.yaml'));
    const { code, output } = await validateCli(repo.root, ['Dockfile.yaml']);
    expect(code).toBe(1);
    expect(output).toContain("Dockfile.yaml is inside the repository's .git directory");
    expect(output).not.toContain(token);
    const result = await loadDockfile('Dockfile.yaml', { cwd: repo.root, root: repo.root, processEnv: {} });
    expect(formatMarkdown(result)).not.toContain(token);
  });

  it('a Dockfile path that leaves the workspace with .. is refused (the Action passes the workspace as root)', async () => {
    repo.write('../outside.yaml', 'version: "1.0"\nagent: {name: a, handler: "m:f"}\n');
    const result = await loadDockfile('../outside.yaml', { cwd: repo.root, root: repo.root, processEnv: {} });
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      [4000, '../outside.yaml points outside the repository'],
    ]);
  });

  it('an include of .git/config is refused like one outside the repository', async () => {
    repo.write('Dockfile.yaml', 'version: "1.0"\nagent: !include .git/config\n');
    const result = await loadDockfile('Dockfile.yaml', { cwd: repo.root, root: repo.root, processEnv: {} });
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      [4009, "!include .git/config is inside the repository's .git directory"],
    ]);
  });

  it('a file that is not YAML is never quoted: not in messages, not as an excerpt', async () => {
    // .git/config's content as a regular file, e.g. `dockrion validate .env` on an INI-style file.
    execFileSync('cp', [join(repo.root, '.git/config'), join(repo.root, 'settings.ini')]);
    for (const format of ['text', 'json', 'github']) {
      const { code, output } = await validateCli(repo.root, ['settings.ini', '--format', format]);
      expect(code).toBe(1);
      expect(output).toContain('4000');
      expect(output).not.toContain(token);
      expect(output).not.toContain('extraheader');
      expect(output).not.toContain('repositoryformatversion');
    }
  });

  it('a .env passed as the Dockfile (parses as a string, not a map) is not quoted either', async () => {
    repo.write('.env', `API_TOKEN=${token}\n`);
    const { output } = await validateCli(repo.root, ['.env']);
    expect(output).toContain('must be a YAML map');
    expect(output).not.toContain(token);
  });
});

describe('positions and messages for files that are not what they seem', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
  });
  afterEach(() => repo.cleanup());

  it('a parse error in an INI-looking file is placed on its own line, within the line', async () => {
    const lines = [
      '[core]',
      '\tbare = false',
      '[remote "origin"]',
      '\turl = x',
      '[http]',
      `\textraheader = AUTH: basic ${token}`,
    ];
    repo.write('settings.ini', `${lines.join('\n')}\n`);
    const result = await loadDockfile('settings.ini', { cwd: repo.root, processEnv: {} });
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) {
      const line = lines[error.line - 1];
      expect(line, `${error.line}:${error.column} ${error.message}`).toBeDefined();
      expect(error.column).toBeLessThanOrEqual((line ?? '').length + 1);
      expect(error.message).not.toContain(token);
    }
    expect(result.errors.map((e) => `${e.line}:${e.column}`)).toContain('6:20');
  });

  it('CR-only line endings are line breaks', async () => {
    repo.write(
      'Dockfile.yaml',
      'version: "1.0"\ragent:\r  name: classic-mac\r  handler: "app:run"\rauth: {mode: none}\rfoo: 1\r',
    );
    const result = await loadDockfile('Dockfile.yaml', { cwd: repo.root, processEnv: {}, python: null });
    expect(result.errors.map((e) => [e.code, e.path, e.line, e.column])).toEqual([[4002, 'foo', 6, 1]]);
    const { output } = await validateCli(repo.root, ['Dockfile.yaml']);
    expect(output).toContain('   6 | foo: 1\n     | ^');
  });

  it.each([
    ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: "1.0"\n', 'utf16le')])],
    [
      'UTF-16 BE',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('version: "1.0"\n', 'utf16le').swap16()]),
    ],
  ])('%s with a byte-order mark is called UTF-16, not binary', async (_name, bytes) => {
    repo.write('Dockfile.yaml', bytes);
    const result = await loadDockfile('Dockfile.yaml', { cwd: repo.root, processEnv: {} });
    expect(result.errors.map((e) => [e.code, e.message, e.hint])).toEqual([
      [4000, 'Dockfile.yaml is UTF-16 text: save it as UTF-8', expect.stringContaining('UTF-8')],
    ]);
  });

  it('validate /dev/null says it is not a regular file (no /dev/null/Dockfile.yaml)', async () => {
    const { code, output } = await validateCli(repo.root, ['/dev/null']);
    expect(code).toBe(2);
    expect(output).toContain('/dev/null is not a regular file');
    expect(output).not.toContain('/dev/null/Dockfile.yaml');
  });

  it('a directory still gets the Dockfile inside it as the hint', async () => {
    repo.write('agent/app.py', '');
    const { code, output } = await validateCli(repo.root, ['agent']);
    expect(code).toBe(2);
    expect(output).toContain('agent is a directory');
    expect(output).toContain('dockrion validate agent/Dockfile.yaml');
  });
});
