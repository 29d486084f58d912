import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MirrorCache } from '../../action/gitops/cache.ts';
import {
  deployToEnvironments,
  type GitOpsContext,
  readHistory,
  rollbackEnvironment,
} from '../../action/gitops/index.ts';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context } from './support.ts';

const TOKEN = 'ghs_partialCloneTokenNeverInConfig0042';

/**
 * The blob-less partial clone and the reusable mirror, against the real server side: git
 * http-backend with `uploadpack.allowFilter`, as GitHub serves `--filter=blob:none`.
 */
describe('partial clone and mirror cache (git http-backend, uploadpack.allowFilter)', () => {
  let box: Sandbox;
  let server: GitHttpServer;
  let bare: string;
  let cacheDir: string;
  let target: { url: string; token: string };
  beforeEach(async () => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    git(bare, ['config', 'uploadpack.allowFilter', 'true']);
    server = await startGitHttpServer({ root: box.dir, token: TOKEN });
    cacheDir = join(box.dir, 'cache');
    target = { url: server.url('environments.git'), token: TOKEN };
  });
  afterEach(async () => {
    await server.close();
    box.cleanup();
  });

  const ctx = (): GitOpsContext => ({ ...context(), cacheDir });
  const mirror = () => new MirrorCache(cacheDir, target.url).dir;
  const deploy = (agent: string, version: string, c: GitOpsContext = ctx(), extra: object = {}) => {
    const record = recordFor(agent, 'staging', version);
    return deployToEnvironments({ target, record, files: manifestsFor(record), direct: true, ...extra }, c);
  };
  /** Object ids the mirror holds locally (no lazy fetch: only what is in its packs). */
  const mirrorObjects = () =>
    new Set(git(mirror(), ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']).split('\n'));

  it('fetches history and trees without other folders’ blobs; reads one folder’s blobs on demand', async () => {
    for (const agent of ['alpha', 'bravo', 'charlie']) await deploy(agent, '1.0.0');
    await deploy('alpha', '1.1.0');
    const history = await readHistory({ target, environment: 'staging', agent: 'alpha' }, ctx());
    expect(history.map((h) => h.version)).toEqual(['1.1.0', '1.0.0']);
    expect(history[0]?.digest).toBe(recordFor('alpha', 'staging', '1.1.0').digest);

    // The mirror is a promisor (blob-less) clone: bravo's files never came down to it.
    const objects = mirrorObjects();
    const bravoBlob = git(bare, ['rev-parse', 'main:staging/bravo/compose.yaml']);
    expect(objects.has(bravoBlob)).toBe(false);
    expect(objects.has(git(bare, ['rev-parse', 'main:staging/bravo']))).toBe(true);
    expect(readdirSync(join(mirror(), 'objects', 'pack')).some((f) => f.endsWith('.promisor'))).toBe(true);
    // A commit-graph with changed-path filters serves the path-limited walks.
    expect(existsSync(join(mirror(), 'objects', 'info', 'commit-graphs', 'commit-graph-chain'))).toBe(true);

    // The token stays a header: the mirror's config names the URL only.
    const config = readFileSync(join(mirror(), 'config'), 'utf8');
    expect(config).toContain(`url = ${target.url}`);
    expect(config).not.toContain(TOKEN);
    expect(server.seenUrls.join('\n')).not.toContain(TOKEN);

    // Rolling back reads an old folder's blobs on demand; the restored folder is byte for byte.
    const back = await rollbackEnvironment(
      { target, environment: 'staging', agent: 'alpha', to: '1.0.0', direct: true },
      ctx(),
    );
    expect(git(bare, ['rev-parse', 'main:staging/alpha'])).toBe(
      git(bare, ['rev-parse', `${back.to.commit}:staging/alpha`]),
    );
  });

  it('a warm mirror makes the next run download only what is new', async () => {
    for (let i = 0; i < 20; i++) await deploy(`agent-${i % 5}`, `1.0.${i}`, ctx());
    const noCache = { ...context(), cacheDir: null };
    let before = server.bytesSent();
    await deploy('alpha', '1.0.0', noCache);
    const cold = server.bytesSent() - before;
    await deploy('bravo', '1.0.0', ctx());
    before = server.bytesSent();
    await deploy('charlie', '1.0.0', ctx());
    const warm = server.bytesSent() - before;
    expect(warm).toBeLessThan(cold);
  });

  it('a stale mirror is only a head start: the run still sees what landed since', async () => {
    await deploy('alpha', '1.0.0');
    const staleTip = git(mirror(), ['rev-parse', 'refs/remotes/origin/main']);
    // Others deploy without the cache, so the mirror falls behind.
    for (const agent of ['bravo', 'charlie']) await deploy(agent, '1.0.0', { ...context(), cacheDir: null });
    await deploy('alpha', '2.0.0', { ...context(), cacheDir: null });
    expect(git(mirror(), ['rev-parse', 'refs/remotes/origin/main'])).toBe(staleTip);

    const out = await deploy('alpha', '3.0.0');
    expect(out.previous?.version).toBe('2.0.0');
    expect(git(bare, ['rev-parse', 'main'])).toBe(out.commit);
    expect(git(bare, ['show', 'main:staging/charlie/dockrion.json'])).toContain('"agent": "charlie"');
    // The mirror now holds what this run fetched (the tip it built on).
    expect(git(mirror(), ['rev-parse', 'refs/remotes/origin/main'])).toBe(out.baseCommit);
  });

  it('a corrupted mirror is dropped and rebuilt; the deploy does not notice', async () => {
    await deploy('alpha', '1.0.0');
    const packDir = join(mirror(), 'objects', 'pack');
    for (const name of readdirSync(packDir).filter((n) => n.endsWith('.pack') || n.endsWith('.idx'))) {
      writeFileSync(join(packDir, name), 'not a pack at all\n');
    }
    const c = ctx();
    const out = await deploy('alpha', '2.0.0', c);
    expect(out.operation).toBe('direct');
    expect(out.previous?.version).toBe('1.0.0');
    expect(git(bare, ['rev-parse', 'main'])).toBe(out.commit);
    // The broken mirror was dropped; the next run builds a sound one.
    expect(existsSync(mirror())).toBe(false);
    const next = await deploy('alpha', '3.0.0', ctx());
    expect(next.previous?.version).toBe('2.0.0');
    expect(git(mirror(), ['rev-parse', 'refs/remotes/origin/main'])).toBe(out.commit);
    git(mirror(), ['rev-list', '--objects', '--missing=allow-promisor', 'refs/remotes/origin/main']);
  });

  it('a mirror deleted mid-run does not fail the run, and is rebuilt by the next', async () => {
    await deploy('alpha', '1.0.0');
    let rendered = 0;
    const record = recordFor('alpha', 'staging', '2.0.0');
    const out = await deployToEnvironments(
      {
        target,
        record,
        files: [],
        direct: true,
        renderFiles: async (committed) => {
          rendered++;
          rmSync(cacheDir, { recursive: true, force: true });
          // Reading the folder as committed still works: the run's packs are its own hard links.
          expect(await committed('dockrion.json')).toContain('"version": "1.0.0"');
          return manifestsFor(record);
        },
      },
      ctx(),
    );
    expect(rendered).toBe(1);
    expect(out.operation).toBe('direct');
    expect(existsSync(mirror())).toBe(false);
    const history = await readHistory({ target, environment: 'staging', agent: 'alpha' }, ctx());
    expect(history.map((h) => h.version)).toEqual(['2.0.0', '1.0.0']);
    expect(git(mirror(), ['rev-parse', 'refs/remotes/origin/main'])).toBe(out.commit);
  });
});
