/**
 * `Git.ensureCommit` / `readBlob`, as validate uses them to read a pull request's base from a
 * checkout made the way actions/checkout makes it (one commit deep): real git, a local `origin`.
 */

import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { Git } from '../../action/gitops/git.ts';
import { git, type Sandbox, sandbox } from './fixtures.ts';

describe('Git.ensureCommit on a shallow checkout', () => {
  let box: Sandbox;
  let origin: string;
  let base: string;
  let head: string;

  beforeEach(() => {
    box = sandbox();
    origin = join(box.dir, 'origin.git');
    git(box.dir, ['init', '--quiet', '--bare', '--initial-branch=main', origin]);
    const author = join(box.dir, 'author');
    git(box.dir, ['clone', '--quiet', origin, author]);
    writeFileSync(join(author, 'Dockfile.yaml'), 'version: "1.0"\n');
    git(author, ['add', '-A']);
    git(author, ['commit', '--quiet', '-m', 'base']);
    base = git(author, ['rev-parse', 'HEAD']);
    writeFileSync(join(author, 'other.txt'), 'x\n');
    git(author, ['add', '-A']);
    git(author, ['commit', '--quiet', '-m', 'head']);
    head = git(author, ['rev-parse', 'HEAD']);
    git(author, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
  });
  afterEach(() => box.cleanup());

  /** What actions/checkout leaves: `origin` set, only the head commit, depth 1. */
  const checkout = async (remote: string) => {
    const workspace = join(box.dir, 'workspace');
    git(box.dir, ['init', '--quiet', workspace]);
    git(workspace, ['remote', 'add', 'origin', origin]);
    git(workspace, ['fetch', '--quiet', '--depth=1', 'origin', head]);
    git(workspace, ['checkout', '--quiet', '--detach', 'FETCH_HEAD']);
    git(workspace, ['remote', 'set-url', 'origin', remote]);
    const found = await Git.forCheckout(nodeExec(), workspace);
    if (!found) throw new Error('not a checkout');
    return found.git;
  };

  it('fetches the missing base alone, keeps the clone shallow, and reads files at it', async () => {
    const repo = await checkout(origin);
    expect(await repo.resolve(`${base}^{commit}`)).toBeNull();
    expect(await repo.ensureCommit(base)).toBeNull();
    expect(await repo.resolve(`${base}^{commit}`)).toBe(base);
    expect(await repo.text(['rev-parse', '--is-shallow-repository'])).toBe('true');
    expect(await repo.readBlob(base, 'Dockfile.yaml')).toBe('version: "1.0"\n');
    expect(await repo.readBlob(base, 'other.txt')).toBeNull();
    // Present now: no second fetch (origin may be gone).
    git(join(box.dir, 'workspace'), ['remote', 'remove', 'origin']);
    expect(await repo.ensureCommit(base)).toBeNull();
  });

  it('names the commit and git’s reason when origin does not have it', async () => {
    const repo = await checkout(origin);
    const missing = 'f'.repeat(40);
    const why = await repo.ensureCommit(missing);
    expect(why).toMatch(
      /^commit ffffffffffff is not in the checkout and could not be fetched from origin \(.+\)$/,
    );
  });

  describe('a remote that accepts the connection and never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    beforeEach(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('is given up on after the timeout instead of hanging the step', async () => {
      const port = (server.address() as { port: number }).port;
      const repo = await checkout(`http://127.0.0.1:${port}/acme/agents.git`);
      const why = await repo.ensureCommit(base, 'origin', 1500);
      expect(why).toMatch(/^commit [0-9a-f]{12} is not in the checkout and could not be fetched from origin/);
    });
  });
});
