import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/infra.ts';
import { environmentsRepo, git, type Sandbox, sandbox } from './fixtures.ts';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('dockrion apply --interval', () => {
  let box: Sandbox;
  let child: ChildProcess | null = null;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    box.cleanup();
  });

  it('keeps following the base branch and stops cleanly on SIGTERM', async () => {
    const bare = environmentsRepo(box.dir);
    const stateFile = join(box.dir, 'state', 'staging', 'state.json');
    const applied = () => {
      if (!existsSync(stateFile)) return undefined;
      return (JSON.parse(readFileSync(stateFile, 'utf8')) as { applied: { commit: string } | null }).applied
        ?.commit;
    };
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'action/cli.ts',
        'apply',
        '--environments-repo',
        bare,
        '--env',
        'staging',
        '--interval',
        '5s',
        '--state-dir',
        join(box.dir, 'state'),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stderr: string[] = [];
    child.stderr?.on('data', (b: Buffer) => stderr.push(b.toString()));
    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));

    const first = git(bare, ['rev-parse', 'main']);
    expect(await until('the first pass', () => (applied() === first ? first : undefined))).toBe(first);

    // A new commit on main is picked up by a later pass of the same process.
    const work = join(box.dir, 'ops');
    git(box.dir, ['clone', '--quiet', bare, work]);
    writeFileSync(join(work, 'README.md'), '# environments (edited)\n');
    git(work, ['commit', '--quiet', '-am', 'docs']);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    const second = git(bare, ['rev-parse', 'main']);
    expect(await until('the next pass', () => (applied() === second ? second : undefined))).toBe(second);

    child.kill('SIGTERM');
    expect(await exited, stderr.join('')).toBe(0);
  }, 60_000);
});
