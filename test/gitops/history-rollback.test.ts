import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployToEnvironments, readHistory, rollbackEnvironment } from '../../action/gitops/index.ts';
import { GitOpsError } from '../../shared/errors.ts';
import { captureCli } from '../support/cli.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context } from './support.ts';

const AGENT = 'invoice-copilot';
const DIR = `staging/${AGENT}`;

describe('history and rollback', () => {
  let box: Sandbox;
  let bare: string;
  let ctx: ReturnType<typeof context>;
  const deploy = async (version: string, extra: { force?: boolean } = {}) => {
    ctx.tick(60);
    const record = recordFor(AGENT, 'staging', version);
    return deployToEnvironments(
      { target: { url: bare }, record, files: manifestsFor(record), direct: true, ...extra },
      ctx,
    );
  };

  beforeEach(() => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    ctx = context();
  });
  afterEach(() => box.cleanup());

  it('lists deployments newest first with commit, date, version, digest, source and kind', async () => {
    const v1 = await deploy('1.0.0');
    const v2 = await deploy('1.1.0');
    // Another agent's deploy does not show up in this agent's history.
    const other = recordFor('other-agent', 'staging', '9.9.9');
    await deployToEnvironments(
      { target: { url: bare }, record: other, files: manifestsFor(other), direct: true },
      ctx,
    );
    const history = await readHistory({ target: { url: bare }, environment: 'staging', agent: AGENT }, ctx);
    expect(history.map((h) => [h.kind, h.version, h.commit])).toEqual([
      ['deploy', '1.1.0', v2.commit],
      ['deploy', '1.0.0', v1.commit],
    ]);
    const [newest] = history;
    expect(newest?.digest).toBe(recordFor(AGENT, 'staging', '1.1.0').digest);
    expect(newest?.source).toEqual(recordFor(AGENT, 'staging', '1.1.0').source);
    expect(newest?.date).toBe(new Date(ctx.now()).toISOString().replace('.000Z', 'Z'));
  });

  it('lists a commit whose dockrion.json is corrupt as unreadable instead of skipping it', async () => {
    const v1 = await deploy('1.0.0');
    const work = join(box.dir, 'hand-edit');
    git(box.dir, ['clone', '--quiet', bare, work]);
    // A hand edit that breaks the record, committed without trailers (as a squash merge would be).
    writeFileSync(join(work, DIR, 'dockrion.json'), '{"agent": "invoice-copilot", "version": \n');
    git(work, ['commit', '--quiet', '-am', 'bump version by hand']);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    const corrupt = git(work, ['rev-parse', 'HEAD']);
    // A later change that leaves the corrupt record as it is is not listed again.
    writeFileSync(join(work, DIR, 'compose.yaml'), 'services: {}\n');
    git(work, ['commit', '--quiet', '-am', 'unrelated edit']);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);

    const history = await readHistory({ target: { url: bare }, environment: 'staging', agent: AGENT }, ctx);
    expect(history.map((h) => [h.commit, h.kind, h.version, h.unreadable])).toEqual([
      [corrupt, 'deploy', null, true],
      [v1.commit, 'deploy', '1.0.0', false],
    ]);

    const c = captureCli({ cwd: box.dir, env: {} });
    expect(await c.run(['history', '--environments-repo', bare, '--env', 'staging', '--agent', AGENT])).toBe(
      0,
    );
    const row = c
      .stdout()
      .split('\n')
      .find((l) => l.startsWith(corrupt.slice(0, 12)));
    expect(row).toMatch(/deploy\s+\(unreadable dockrion\.json\)/);
  });

  it('restores the target tree exactly, equal to what git revert of the later deploy gives', async () => {
    const v1 = await deploy('1.0.0');
    const v2 = await deploy('2.0.0');
    ctx.tick(60);
    const out = await rollbackEnvironment(
      { target: { url: bare }, environment: 'staging', agent: AGENT, to: '1.0.0', direct: true },
      ctx,
    );
    expect(out.operation).toBe('direct');
    expect(out.to.commit).toBe(v1.commit);
    expect(out.from?.commit).toBe(v2.commit);
    const restored = git(bare, ['rev-parse', `${out.commit}:${DIR}`]);
    expect(restored).toBe(git(bare, ['rev-parse', `${v1.commit}:${DIR}`]));

    // The same thing done with plain git revert on a clone.
    const work = join(box.dir, 'revert');
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['reset', '--quiet', '--hard', v2.commit ?? '']);
    git(work, ['revert', '--no-edit', 'HEAD']);
    expect(git(work, ['rev-parse', `HEAD:${DIR}`])).toBe(restored);
    // Whole trees agree too: nothing outside the folder moved.
    expect(git(work, ['rev-parse', 'HEAD^{tree}'])).toBe(git(bare, ['rev-parse', `${out.commit}^{tree}`]));

    const message = git(bare, ['show', '-s', '--format=%B', out.commit ?? '']);
    expect(message.split('\n')[0]).toBe(`rollback(${AGENT}): staging 2.0.0 → 1.0.0`);
    expect(message).toContain(`Dockrion-Rollback-Of: ${v2.commit}`);
    expect(message).toContain('Dockrion-Version: 1.0.0');
  });

  it('accepts a commit prefix for --to, and explains unknown targets', async () => {
    const v1 = await deploy('1.0.0');
    await deploy('2.0.0');
    const out = await rollbackEnvironment(
      {
        target: { url: bare },
        environment: 'staging',
        agent: AGENT,
        to: (v1.commit ?? '').slice(0, 10),
        direct: true,
      },
      ctx,
    );
    expect(out.to.version).toBe('1.0.0');
    await expect(
      rollbackEnvironment(
        { target: { url: bare }, environment: 'staging', agent: AGENT, to: '7.7.7', direct: true },
        ctx,
      ),
    ).rejects.toThrow(/no deployment '7.7.7'.*/);
  });

  it('recognises plain git reverts and rollbacks in history', async () => {
    await deploy('1.0.0');
    const v2 = await deploy('2.0.0');
    const work = join(box.dir, 'ops');
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['revert', '--no-edit', v2.commit ?? '']);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    await deploy('3.0.0');
    ctx.tick(60);
    await rollbackEnvironment(
      { target: { url: bare }, environment: 'staging', agent: AGENT, to: '1.0.0', direct: true },
      ctx,
    );
    const history = await readHistory({ target: { url: bare }, environment: 'staging', agent: AGENT }, ctx);
    expect(history.map((h) => `${h.kind} ${h.version}`)).toEqual([
      'rollback 1.0.0',
      'deploy 3.0.0',
      'revert 1.0.0',
      'deploy 2.0.0',
      'deploy 1.0.0',
    ]);
    expect(history[2]?.undoes).toBe(v2.commit);
    expect(history[2]?.undoesDigest).toBe(recordFor(AGENT, 'staging', '2.0.0').digest);
  });

  it('needs --force to deploy a digest again after it was rolled back or reverted', async () => {
    await deploy('1.0.0');
    await deploy('2.0.0');
    ctx.tick(60);
    await rollbackEnvironment(
      { target: { url: bare }, environment: 'staging', agent: AGENT, to: '1.0.0', direct: true },
      ctx,
    );
    const blocked = deploy('2.0.0');
    await expect(blocked).rejects.toThrow(GitOpsError);
    await expect(blocked).rejects.toThrow(/was rolled back in staging .*refusing to deploy it again/);
    const forced = await deploy('2.0.0', { force: true });
    expect(forced.operation).toBe('direct');
    // Once deployed on purpose, the same digest is no longer blocked.
    await deploy('3.0.0');
    const work = join(box.dir, 'ops');
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['revert', '--no-edit', 'HEAD']);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    await expect(deploy('3.0.0')).rejects.toThrow(/refusing to deploy it again/);
  });

  it('rolls back through the PR branch unless --direct', async () => {
    await deploy('1.0.0');
    await deploy('2.0.0');
    const main = git(bare, ['rev-parse', 'main']);
    ctx.tick(60);
    const out = await rollbackEnvironment(
      { target: { url: bare }, environment: 'staging', agent: AGENT, to: '1.0.0' },
      ctx,
    );
    expect(out.operation).toBe('pushed');
    expect(out.branch).toBe(`dockrion/staging/${AGENT}`);
    expect(git(bare, ['rev-parse', 'main'])).toBe(main);
    expect(git(bare, ['rev-parse', `${out.branch}^`])).toBe(main);
  });

  it('still lists a PR that was squash-merged without the trailers', async () => {
    await deploy('1.0.0');
    ctx.tick(60);
    const record = recordFor(AGENT, 'staging', '1.1.0');
    await deployToEnvironments({ target: { url: bare }, record, files: manifestsFor(record) }, ctx);
    const work = join(box.dir, 'squash');
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['merge', '--quiet', '--squash', `origin/dockrion/staging/${AGENT}`]);
    git(work, ['commit', '--quiet', '-m', 'Deploy invoice-copilot 1.1.0 to staging (#12)']);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    const history = await readHistory({ target: { url: bare }, environment: 'staging', agent: AGENT }, ctx);
    expect(history.map((h) => `${h.kind} ${h.version} ${h.subject}`)).toEqual([
      'deploy 1.1.0 Deploy invoice-copilot 1.1.0 to staging (#12)',
      `deploy 1.0.0 deploy(${AGENT}): staging 1.0.0 @ ${recordFor(AGENT, 'staging', '1.0.0').digest.slice(7, 19)}`,
    ]);
  });
});
