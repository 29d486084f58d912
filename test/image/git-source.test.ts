/** gitSource against real git checkouts: commit, time, origin, and dirtiness scoped to the agent. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { gitSource } from '../../action/image/source.ts';
import { ImageError } from '../../shared/errors.ts';
import { git } from '../support/git.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function checkout(): { root: string; agent: string } {
  const root = mkdtempSync(join(tmpdir(), 'dockrion-source-'));
  dirs.push(root);
  const agent = join(root, 'agents', 'triage');
  mkdirSync(agent, { recursive: true });
  writeFileSync(join(agent, 'app.py'), 'def run(x):\n    return x\n');
  writeFileSync(join(root, 'README.md'), 'agents\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'first', '--date', '@1700000000 +0000');
  return { root, agent };
}

// No GITHUB_* variables and no global git config: the repository URL comes from `origin`.
const env = { PATH: process.env.PATH, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1' };

describe('gitSource', () => {
  it('reads the commit, its time and origin (without credentials) from the checkout', async () => {
    const { root, agent } = checkout();
    git(root, 'remote', 'add', 'origin', 'https://x-access-token:ghs_secret@github.com/acme/agents.git');
    const source = await gitSource(agent, nodeExec(), env);
    expect(source).toEqual({
      repo: 'https://github.com/acme/agents',
      commit: git(root, 'rev-parse', 'HEAD'),
      commitTime: Number(git(root, 'log', '-1', '--format=%ct')),
      dirty: false,
    });
  });

  it('is dirty only for changes in the agent folder, and names the repository from GitHub Actions', async () => {
    const { root, agent } = checkout();
    writeFileSync(join(root, 'README.md'), 'changed elsewhere\n');
    const actions = { ...env, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/agents' };
    const outside = await gitSource(agent, nodeExec(), actions);
    expect(outside).toMatchObject({ repo: 'https://github.com/acme/agents', dirty: false });
    writeFileSync(join(agent, 'new.py'), 'x = 1\n');
    expect((await gitSource(agent, nodeExec(), env)).dirty).toBe(true);
    expect((await gitSource(agent, nodeExec(), env)).repo).toBe('unknown');
  });

  it('refuses a folder outside any checkout, or a checkout without a commit', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'dockrion-source-'));
    dirs.push(plain);
    await expect(gitSource(plain, nodeExec(), env)).rejects.toThrow(ImageError);
    git(plain, 'init', '-q');
    await expect(gitSource(plain, nodeExec(), env)).rejects.toThrow(
      'is not inside a git checkout with a commit',
    );
  });
});
