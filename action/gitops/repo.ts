import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RenderedFile as GeneratedFile } from '../../generators/index.ts';
import { GitOpsError } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';
import { MirrorCache, partialCloneConfig } from './cache.ts';
import { DEFAULT_IDENTITY, Git, type GitIdentity } from './git.ts';
import { checkRelativePath } from './layout.ts';
import { remoteError } from './remote-errors.ts';

export interface RepoSource {
  /** Any git URL, or a local path (tests, Compose hosts with a mirror). */
  url: string;
  /** HTTPS token (environments-token). */
  token?: string | null;
  /** The base branch deploys land on (default `main`). */
  base: string;
}

export interface OpenRepoOptions extends RepoSource {
  exec: Exec;
  /** Where the local bare copy lives; a temp dir (removed by `close()`) when omitted. */
  dir?: string;
  baseEnv?: NodeJS.ProcessEnv;
  /**
   * Root of the reusable mirror cache (see `defaultCacheDir`); null or absent: no cache. Used for
   * remote URLs only (a local path has no network to save).
   */
  cacheDir?: string | null;
}

/** A URL git fetches over a network (not a local path), and one that holds no credentials. */
function isRemoteUrl(url: string): boolean {
  return /^(https?|ssh|git):\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url);
}

function hasUserinfo(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(url);
}

/** What the environments repo receives: generated text or bytes. */
export type RenderedFile = GeneratedFile<string | Buffer>;

/** A file kept byte for byte from an existing blob (ciphertext that must not churn). */
export interface KeptFile {
  path: string;
  blob: string;
}

/** What a tree build puts in the agent folder: files, an existing tree, or nothing (delete). */
export type FolderContent =
  | { files: ReadonlyArray<RenderedFile | KeptFile> }
  | { tree: string }
  | { remove: true };

export interface CommitInput {
  tree: string;
  parent: string | null;
  message: string;
  identity?: GitIdentity;
  /** Seconds since the epoch; author and committer date. */
  time: number;
}

export type PushOutcome = { ok: true } | { ok: false; rejected: true; detail: string };

const ZERO = '0000000000000000000000000000000000000000';

/** Tracking ref for a remote branch in the local bare copy. */
export function trackingRef(branch: string): string {
  return `refs/remotes/origin/${branch}`;
}

/**
 * A local bare copy of the environments repo. Everything is built with plumbing on a private
 * index, so no checkout is needed and the tree depends only on the inputs.
 */
export class EnvironmentsRepo {
  readonly git: Git;
  readonly source: RepoSource;
  private readonly ownsDir: boolean;
  private readonly dir: string;
  private scratchCounter = 0;
  /**
   * A blob-less partial clone (`--filter=blob:none`): history and trees come at once, the few
   * blobs an operation reads (one agent folder) on demand.
   */
  readonly partial: boolean;
  private readonly cache: MirrorCache | null;
  private fetched = false;

  private constructor(
    git: Git,
    source: RepoSource,
    dir: string,
    ownsDir: boolean,
    partial: boolean,
    cache: MirrorCache | null,
  ) {
    this.git = git;
    this.source = source;
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.partial = partial;
    this.cache = cache;
  }

  static async open(options: OpenRepoOptions): Promise<EnvironmentsRepo> {
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'dockrion-envrepo-')));
    const gitDir = join(dir, 'repo.git');
    await mkdir(gitDir, { recursive: true });
    const git = new Git({ exec: options.exec, gitDir, token: options.token, baseEnv: options.baseEnv });
    // Only for a URL without credentials in it: a partial clone keeps its URL in the config.
    const partial = ownsDir && isRemoteUrl(options.url) && !hasUserinfo(options.url);
    const cache = partial && options.cacheDir ? new MirrorCache(options.cacheDir, options.url) : null;
    await EnvironmentsRepo.init(git, partial ? options.url : null);
    return new EnvironmentsRepo(
      git,
      { url: options.url, token: options.token ?? null, base: options.base },
      dir,
      ownsDir,
      partial,
      cache,
    );
  }

  private static async init(git: Git, partialUrl: string | null): Promise<void> {
    await git.run(['init', '--bare', '--quiet', git.gitDir]);
    if (partialUrl)
      for (const [key, value] of partialCloneConfig(partialUrl)) await git.run(['config', key, value]);
  }

  async close(): Promise<void> {
    if (this.cache && this.fetched) {
      // The blobs fetched on demand (the folder, its record versions) go to the mirror too, so the
      // next run of this agent finds them. A failure here only means a miss next time.
      await this.cache.update(this.git, [], { graph: false, create: false }).catch(() => false);
    }
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Fetches the base branch, the tool's branches (`dockrion/*`) and its records of what it pushed
   * there (`refs/dockrion/*`, mirrored as they are). Returns the base tip, or null for an empty
   * repository.
   */
  async fetch(): Promise<string | null> {
    if (this.fetched || !this.cache) return this.fetchRefs();
    this.fetched = true;
    const cache = this.cache;
    try {
      await cache.seed(this.git);
      const tip = await this.fetchRefs();
      await cache.update(this.git, ['refs/remotes/', 'refs/dockrion/']);
      return tip;
    } catch (first: unknown) {
      // Start over from the remote alone. If that works, the cache was the problem (corrupt, or
      // swapped out mid-run): drop it so the next run builds a sound one. If not, the remote is
      // (a wrong token, say), and the cache stays.
      await rm(this.git.gitDir, { recursive: true, force: true });
      await mkdir(this.git.gitDir, { recursive: true });
      await EnvironmentsRepo.init(this.git, this.source.url);
      const tip = await this.fetchRefs().catch((second: unknown) => {
        throw first instanceof GitOpsError ? first : second;
      });
      await cache.discard();
      return tip;
    }
  }

  /** What to name the remote in a fetch: the configured promisor remote of a partial clone. */
  private get remote(): string {
    return this.partial ? 'origin' : this.source.url;
  }

  private async fetchRefs(): Promise<string | null> {
    const { base, url } = this.source;
    const branches = `+refs/heads/dockrion/*:${trackingRef('dockrion/*')}`;
    const records = '+refs/dockrion/*:refs/dockrion/*';
    const filter = this.partial ? ['--filter=blob:none'] : [];
    const args = ['fetch', '--quiet', '--prune', '--no-tags', ...filter, '--', this.remote];
    const result = await this.git.run(
      [...args, `+refs/heads/${base}:${trackingRef(base)}`, branches, records],
      { allowFailure: true },
    );
    if (result.code !== 0) {
      if (!/couldn't find remote ref/i.test(result.stderr)) throw remoteError('fetch', url, result.stderr);
      // An empty environments repo has no base branch yet; only the direct path can start it.
      const retry = await this.git.run([...args, branches, records], { allowFailure: true });
      if (retry.code !== 0) throw remoteError('fetch', url, retry.stderr);
      await this.git.run(['update-ref', '-d', trackingRef(base)], { allowFailure: true });
    }
    return this.git.resolve(trackingRef(base));
  }

  /**
   * Fetches only the base branch (after a rejected push: the objects of the few commits that
   * landed meanwhile). Returns its tip, or null when the remote has no such branch.
   */
  async fetchBase(): Promise<string | null> {
    const { base, url } = this.source;
    const result = await this.git.run(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        ...(this.partial ? ['--filter=blob:none'] : []),
        '--',
        this.remote,
        `+refs/heads/${base}:${trackingRef(base)}`,
      ],
      { allowFailure: true },
    );
    if (result.code !== 0) {
      if (/couldn't find remote ref/i.test(result.stderr)) return null;
      throw remoteError('fetch', url, result.stderr);
    }
    return this.baseTip();
  }

  /**
   * Fetches the blobs an operation is about to read, in one request instead of one lazy fetch per
   * object. Nothing to do in a full clone; no request when all of them are here already (git
   * checks that before it connects).
   */
  async prefetchBlobs(ids: Iterable<string>): Promise<void> {
    if (!this.partial) return;
    const wanted = [...new Set(ids)].filter((id) => /^[0-9a-f]{40,64}$/.test(id));
    if (wanted.length === 0) return;
    const result = await this.git.run(
      [
        '-c',
        'fetch.negotiationAlgorithm=noop',
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--filter=blob:none',
        '--stdin',
        'origin',
      ],
      { input: `${wanted.join('\n')}\n`, allowFailure: true },
    );
    if (result.code !== 0) throw remoteError('fetch', this.source.url, result.stderr);
  }

  /** Blob ids of every file in `dir` at each of `commits` (to prefetch them together). */
  async folderBlobs(commits: ReadonlyArray<string | null>, dir: string): Promise<string[]> {
    const ids: string[] = [];
    for (const commit of commits) {
      if (!commit) continue;
      const out = await this.git.run(['ls-tree', '-r', '-z', commit, '--', `${dir}/`], {
        allowFailure: true,
      });
      for (const entry of out.stdout.split('\0')) {
        const [meta = ''] = entry.split('\t');
        const [, type, id] = meta.split(' ');
        if (type === 'blob' && id) ids.push(id);
      }
    }
    return ids;
  }

  /** Asks the remote for its branches: proves it answers and accepts the token, without fetching objects. */
  async probe(): Promise<void> {
    const { url } = this.source;
    const result = await this.git.run(['ls-remote', '--heads', '--', url], { allowFailure: true });
    if (result.code !== 0) throw remoteError('fetch', url, result.stderr);
  }

  baseTip(): Promise<string | null> {
    return this.git.resolve(trackingRef(this.source.base));
  }

  branchTip(branch: string): Promise<string | null> {
    return this.git.resolve(trackingRef(branch));
  }

  /** What a `refs/dockrion/…` record held at the last fetch (or push), or null when there is none. */
  recorded(ref: string): Promise<string | null> {
    return this.git.resolve(ref);
  }

  /** The tree id of `path` at `commit`, or null when it does not exist there. */
  async subtree(commit: string | null, path: string): Promise<string | null> {
    if (!commit) return null;
    return this.git.resolve(`${commit}:${path}`);
  }

  async readFile(commit: string, path: string): Promise<string | null> {
    const result = await this.git.run(['cat-file', 'blob', `${commit}:${path}`], { allowFailure: true });
    return result.code === 0 ? result.stdout : null;
  }

  /** The root tree of `parent` with exactly `dir` replaced by `content`; nothing else changes. */
  async buildTree(parent: string | null, dir: string, content: FolderContent): Promise<string> {
    if (parent) {
      const spliced = await this.spliceFolder(parent, dir, content);
      if (spliced) return spliced;
    }
    return this.buildTreeInIndex(parent, dir, content);
  }

  /**
   * `buildTree` on a parent without reading the parent's whole tree into an index (hundreds of
   * agent folders): the folder's tree is built alone, then each tree on the path from it to the
   * root is rewritten with `mktree`, so the cost does not grow with the number of folders. Null when
   * a folder above `dir` is missing or not a folder at `parent` (the index handles those cases).
   */
  private async spliceFolder(parent: string, dir: string, content: FolderContent): Promise<string | null> {
    let child: string | null;
    if ('remove' in content) child = null;
    else if ('tree' in content) {
      const listed = await this.git.text(['ls-tree', '-z', content.tree]);
      child = listed ? content.tree : null;
    } else child = await this.subtree(await this.buildTreeInIndex(null, dir, content), dir);
    const segments = dir.split('/');
    for (let depth = segments.length - 1; depth >= 0; depth--) {
      const name = segments[depth] ?? '';
      const above = segments.slice(0, depth).join('/');
      // One process per level: `ls-tree` reads `<parent>:<path>` itself. It fails when that is
      // missing (a new environment) or not a tree; the index handles both.
      const listed = await this.git.run(['ls-tree', '-z', above ? `${parent}:${above}` : parent], {
        allowFailure: true,
      });
      if (listed.code !== 0) return null;
      const entries = listed.stdout.split('\0').filter(Boolean);
      const kept: string[] = [];
      for (const entry of entries) {
        const tab = entry.indexOf('\t');
        if (entry.slice(tab + 1) !== name) {
          kept.push(entry);
          continue;
        }
        if (entry.split(' ')[1] !== 'tree') return null;
      }
      if (child) kept.push(`040000 tree ${child}\t${name}`);
      if (kept.length === 0 && depth > 0) {
        child = null;
        continue;
      }
      // `--missing`: in a partial clone the blobs beside the folder are not here, and need not be.
      child = await this.git.text(['mktree', '-z', '--missing'], {
        input: kept.map((e) => `${e}\0`).join(''),
      });
    }
    return child;
  }

  private async buildTreeInIndex(
    parent: string | null,
    dir: string,
    content: FolderContent,
  ): Promise<string> {
    const scratch = join(this.dir, `scratch-${process.pid}-${++this.scratchCounter}`);
    await mkdir(scratch, { recursive: true });
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    try {
      await this.git.run(parent ? ['read-tree', parent] : ['read-tree', '--empty'], { env });
      const old = parent
        ? (await this.git.run(['ls-tree', '-r', '-z', '--name-only', parent, '--', `${dir}/`])).stdout
            .split('\0')
            .filter(Boolean)
        : [];
      const lines = old.map((p) => `0 ${ZERO}\t${p}`);
      if ('files' in content) {
        const seen = new Set<string>();
        const staged: Array<{ rel: string; onDisk: string }> = [];
        for (const file of content.files) {
          const rel = checkRelativePath(file.path);
          if (seen.has(rel)) throw new GitOpsError(`rendered file '${rel}' appears twice`);
          seen.add(rel);
          if ('blob' in file) {
            lines.push(`100644 ${file.blob}\t${dir}/${rel}`);
            continue;
          }
          const onDisk = join(scratch, 'files', rel);
          await mkdir(dirname(onDisk), { recursive: true });
          await writeFile(onDisk, file.content);
          staged.push({ rel, onDisk });
        }
        const ids = staged.length
          ? (
              await this.git.run(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
                input: `${staged.map((f) => f.onDisk).join('\n')}\n`,
              })
            ).stdout
              .trim()
              .split('\n')
          : [];
        staged.forEach((f, i) => {
          lines.push(`100644 ${ids[i]}\t${dir}/${f.rel}`);
        });
      }
      if ('tree' in content) {
        // `read-tree --prefix` wants a work tree; listing the tree keeps this bare-repo friendly.
        const entries = (await this.git.run(['ls-tree', '-r', '-z', content.tree])).stdout
          .split('\0')
          .filter(Boolean);
        for (const entry of entries) {
          const [meta = '', path = ''] = entry.split('\t');
          const [mode, , id] = meta.split(' ');
          lines.push(`${mode} ${id}\t${dir}/${path}`);
        }
      }
      if (lines.length)
        await this.git.run(['update-index', '--index-info'], { env, input: `${lines.join('\n')}\n` });
      // `--missing-ok`: in a partial clone the other folders' blobs are not here, and need not be.
      return await this.git.text(['write-tree', '--missing-ok'], { env });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  async treeOf(commit: string): Promise<string> {
    return this.git.text(['rev-parse', `${commit}^{tree}`]);
  }

  async commit(input: CommitInput): Promise<string> {
    const who = input.identity ?? DEFAULT_IDENTITY;
    const date = `${input.time} +0000`;
    const args = ['commit-tree', input.tree, ...(input.parent ? ['-p', input.parent] : []), '-F', '-'];
    return this.git.text(args, {
      input: input.message,
      env: {
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date,
      },
    });
  }

  /**
   * Pushes `commit` to `branch`. `expected` is the remote tip this was built on (null: the branch
   * must not exist); `force` replaces the tool's own earlier commit, guarded by that lease, so a
   * commit someone else pushed meanwhile is never overwritten.
   */
  async push(
    commit: string,
    branch: string,
    expected: string | null,
    force: boolean,
    record?: { ref: string; expected: string | null },
  ): Promise<PushOutcome> {
    const { url } = this.source;
    const ref = `refs/heads/${branch}`;
    const args = ['push', '--porcelain', '--no-verify'];
    if (force) args.push(`--force-with-lease=${ref}:${expected ?? ''}`);
    // The record moves with the branch or not at all, each guarded by its own lease.
    if (record) args.push('--atomic', `--force-with-lease=${record.ref}:${record.expected ?? ''}`);
    args.push('--', url, `${commit}:${ref}`);
    if (record) args.push(`${commit}:${record.ref}`);
    const result = await this.git.run(args, { allowFailure: true });
    if (result.code === 0) {
      await this.git.run(['update-ref', trackingRef(branch), commit]);
      if (record) await this.git.run(['update-ref', record.ref, commit]);
      return { ok: true };
    }
    const statuses = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.split('\t').pop() ?? l);
    // A ref lock lost to a concurrent push reports as "remote rejected"; it is a race, not a policy.
    const raced =
      /\[rejected\]|stale info|fetch first|non-fast-forward|failed to update ref|cannot lock ref|incorrect old value|failed to lock/;
    // In an atomic push every other ref reports only that the transaction failed: not a reason.
    const collateral = /atomic (transaction|push) failed/;
    const reasons = statuses.filter((st) => !collateral.test(st));
    const racedStatus = reasons.find((st) => raced.test(st));
    if (racedStatus || (statuses.length > 0 && reasons.length === 0)) {
      return { ok: false, rejected: true, detail: racedStatus ?? statuses[0] ?? 'rejected' };
    }
    const status = reasons[0];
    if (status && /\[remote rejected\]/.test(status)) {
      throw new GitOpsError(
        `push to ${branch} was rejected by the remote: ${status}`,
        'a protected branch needs `direct: false` (deployment PRs) or a token allowed to bypass the protection',
      );
    }
    throw remoteError('push', url, `${result.stderr}\n${result.stdout}`);
  }

  /** Deletes `branch` on the remote if it still points at `expected`. */
  async deleteBranch(branch: string, expected: string): Promise<PushOutcome> {
    const { url } = this.source;
    const ref = `refs/heads/${branch}`;
    const result = await this.git.run(
      ['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:${expected}`, '--', url, `:${ref}`],
      { allowFailure: true },
    );
    if (result.code === 0) {
      await this.git.run(['update-ref', '-d', trackingRef(branch)], { allowFailure: true });
      return { ok: true };
    }
    const status = result.stdout.split('\n').find((l) => l.startsWith('!'));
    if (status) return { ok: false, rejected: true, detail: status.split('\t').pop() ?? status };
    throw remoteError('push', url, `${result.stderr}\n${result.stdout}`);
  }

  /** Commits reachable from `tip` and not from `base` (oldest first). */
  async commitsBetween(base: string | null, tip: string): Promise<string[]> {
    const range = base ? [`${base}..${tip}`] : [tip];
    const out = await this.git.text(['rev-list', '--reverse', ...range]);
    return out ? out.split('\n') : [];
  }

  async message(commit: string): Promise<string> {
    return this.git.text(['show', '-s', '--format=%B', commit]);
  }

  /** Author/committer epoch seconds of a commit. */
  async commitTime(commit: string): Promise<number> {
    return Number(await this.git.text(['show', '-s', '--format=%ct', commit]));
  }

  /** `git diff` of one folder between two trees/commits (for the PR body). */
  async diff(from: string | null, to: string, dir: string, stat: boolean): Promise<string> {
    const empty = await this.git.text(['hash-object', '-t', 'tree', '--stdin'], { input: '' });
    const args = ['diff', '--no-color', '--no-ext-diff', stat ? '--name-status' : '--unified=2'];
    return (await this.git.run([...args, from ?? empty, to, '--', `${dir}/`])).stdout;
  }
}
