import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitComplaint } from '../../action/gitops/remote-errors.ts';
import { captureCli } from '../support/cli.ts';
import { type Sandbox, sandbox } from './fixtures.ts';

describe('git failures name what went wrong', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => box.cleanup());

  it('history on a folder that is not a git repo quotes git’s fatal line, not its generic advice', async () => {
    const notGit = join(box.dir, 'notgit');
    mkdirSync(notGit);
    const c = captureCli({ cwd: box.dir, env: { ...process.env } });
    const code = await c.run(['history', '--environments-repo', notGit, '--env', 'staging', '--agent', 'a']);
    expect(code).toBe(1);
    expect(c.stderr()).toMatch(/does not appear to be a git repository/);
    expect(c.stderr()).not.toMatch(/failed: +\|/);
    expect(c.stderr()).not.toMatch(/\n\s+at /);
  });

  it('keeps fatal/error lines first and falls back to the last non-empty lines', () => {
    const advice =
      "fatal: '/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n";
    expect(gitComplaint(advice)).toBe(
      "fatal: '/x' does not appear to be a git repository | fatal: Could not read from remote repository.",
    );
    expect(gitComplaint('one\n\ntwo\nthree\nfour\n')).toBe('two | three | four');
  });
});
