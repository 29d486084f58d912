import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Git } from './git.ts';
import { redactUrl } from './git.ts';

/**
 * Where reusable mirrors of environments repos live: `$DOCKRION_CACHE_DIR` (empty or `off`
 * disables the cache), else the runner's tool cache on GitHub Actions, else
 * `$XDG_CACHE_HOME/dockrion` (default `~/.cache/dockrion`).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string | null {
  const explicit = env.DOCKRION_CACHE_DIR;
  if (explicit !== undefined) return explicit === '' || explicit === 'off' ? null : explicit;
  if (env.GITHUB_ACTIONS === 'true' && env.RUNNER_TOOL_CACHE) return join(env.RUNNER_TOOL_CACHE, 'dockrion');
  const xdg = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(xdg, 'dockrion');
}

/** Pack files that belong together; `.idx` last, because git ignores a pack until its index exists. */
const PACK_PARTS = ['.pack', '.rev', '.promisor', '.idx'] as const;

const STALE_LOCK_MS = 10 * 60 * 1000;

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    // Another filesystem (EXDEV) or no hard links: a copy costs disk, not network.
    if (code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP') await copyFile(from, to);
    else throw e;
  }
}

/** Names (without extension) of the complete packs in a pack directory. */
async function completePacks(packDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(packDir);
  } catch {
    return [];
  }
  const set = new Set(names);
  return names
    .filter((n) => n.endsWith('.idx'))
    .map((n) => n.slice(0, -4))
    .filter((base) => set.has(`${base}.pack`));
}

/**
 * Hard-links every complete pack of `fromPackDir` missing in `toPackDir`. Hard links keep the
 * data alive for this run even when the cache is deleted meanwhile. A pack that disappears while
 * linking (a concurrent repack) is skipped: the fetch then brings what it held.
 */
async function linkPacks(fromPackDir: string, toPackDir: string): Promise<number> {
  await mkdir(toPackDir, { recursive: true });
  const have = new Set(await completePacks(toPackDir));
  let linked = 0;
  for (const base of await completePacks(fromPackDir)) {
    if (have.has(base)) continue;
    try {
      for (const ext of PACK_PARTS) {
        const from = join(fromPackDir, `${base}${ext}`);
        if (ext !== '.pack' && ext !== '.idx' && !(await exists(from))) continue;
        await linkOrCopy(from, join(toPackDir, `${base}${ext}`));
      }
      linked++;
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await Promise.all(PACK_PARTS.map((ext) => rm(join(toPackDir, `${base}${ext}`), { force: true })));
    }
  }
  return linked;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Config a repository needs to be a blob-less partial clone of `url` (which carries no secret). */
export function partialCloneConfig(url: string): Array<[string, string]> {
  return [
    ['core.repositoryformatversion', '1'],
    ['extensions.partialClone', 'origin'],
    ['remote.origin.url', url],
    ['remote.origin.promisor', 'true'],
    ['remote.origin.partialclonefilter', 'blob:none'],
  ];
}

/**
 * A bare mirror of one environments repo, reused across runs on one machine. Runs never work in
 * it: each run's own repository is seeded from it (hard-linked packs and the refs as hints), then
 * fetches from the remote as usual, so the mirror only saves bytes and is never trusted for what
 * the remote holds. After the fetch, the run hands its new packs back and refreshes the
 * commit-graph (changed-path Bloom filters speed up the path-limited walks of history).
 */
export class MirrorCache {
  readonly dir: string;
  private readonly lockDir: string;

  constructor(
    root: string,
    readonly url: string,
  ) {
    const key = createHash('sha256').update(redactUrl(url)).digest('hex').slice(0, 24);
    this.dir = join(root, 'environments', `${key}.git`);
    this.lockDir = `${this.dir}.lock`;
  }

  private get packDir(): string {
    return join(this.dir, 'objects', 'pack');
  }

  /**
   * Copies the mirror's packs, refs and commit-graph into the run's repository. Returns false when
   * there is no usable mirror (absent, or not a repository).
   */
  async seed(git: Git): Promise<boolean> {
    if (!(await exists(join(this.dir, 'HEAD')))) return false;
    const linked = await linkPacks(this.packDir, join(git.gitDir, 'objects', 'pack'));
    if (linked === 0) return false;
    const mirror = git.at(this.dir);
    const refs = await mirror.run(['for-each-ref', '--format=%(objectname) %(refname)'], {
      allowFailure: true,
    });
    if (refs.code !== 0) throw new Error(`the cached mirror is unreadable: ${refs.stderr.trim()}`);
    const updates = refs.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [id, ref] = line.split(' ');
        return `update ${ref} ${id}\n`;
      })
      .join('');
    if (updates) await git.run(['update-ref', '--stdin'], { input: updates });
    await this.linkCommitGraph(git.gitDir);
    return true;
  }

  private async linkCommitGraph(gitDir: string): Promise<void> {
    const from = join(this.dir, 'objects', 'info', 'commit-graphs');
    const to = join(gitDir, 'objects', 'info', 'commit-graphs');
    let names: string[];
    try {
      names = await readdir(from);
    } catch {
      return;
    }
    if (!names.includes('commit-graph-chain')) return;
    await mkdir(to, { recursive: true });
    try {
      // The chain file names the graph files, so it goes last.
      for (const name of names.filter((n) => n.endsWith('.graph')))
        await linkOrCopy(join(from, name), join(to, name));
      await copyFile(join(from, 'commit-graph-chain'), join(to, 'commit-graph-chain'));
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await rm(to, { recursive: true, force: true });
    }
  }

  /**
   * Hands the run's packs and refs to the mirror and refreshes its commit-graph (unless `graph`
   * is false), then links that graph into the run's repository. Skipped (false) while another run holds the mirror's lock:
   * nobody waits for a cache.
   */
  async update(
    git: Git,
    refs: readonly string[],
    options: { graph: boolean; create: boolean } = { graph: true, create: true },
  ): Promise<boolean> {
    // A mirror dropped or deleted during this run is rebuilt by a full fetch, not from leftovers.
    if (!options.create && !(await exists(join(this.dir, 'HEAD')))) return false;
    if (!(await this.lock())) return false;
    try {
      const mirror = git.at(this.dir);
      if (!(await exists(join(this.dir, 'HEAD')))) {
        await mkdir(this.dir, { recursive: true });
        await mirror.run(['init', '--bare', '--quiet', this.dir]);
        for (const [key, value] of partialCloneConfig(redactUrl(this.url)))
          await mirror.run(['config', key, value]);
      }
      await linkPacks(join(git.gitDir, 'objects', 'pack'), this.packDir);
      if (refs.length > 0) await this.syncRefs(git, mirror, refs);
      if ((await completePacks(this.packDir)).length > 32) {
        // Many small packs slow every lookup; one pack again (promisor objects stay marked).
        await mirror.run(['repack', '-a', '-d', '-q']);
      }
      await mirror.run([
        'commit-graph',
        'write',
        '--reachable',
        '--changed-paths',
        '--split',
        '--no-progress',
      ]);
    } finally {
      await rm(this.lockDir, { recursive: true, force: true });
    }
    await this.linkCommitGraph(git.gitDir);
    return true;
  }

  /** The mirror's refs under `refs` become exactly the run's (they are hints, never trusted). */
  private async syncRefs(git: Git, mirror: Git, refs: readonly string[]): Promise<void> {
    const listed = await git.run(['for-each-ref', '--format=%(objectname) %(refname)', ...refs]);
    const wanted = new Map(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ') as [string, string])
        .map(([id, ref]) => [ref, id] as const),
    );
    const current = await mirror.run(['for-each-ref', '--format=%(refname)', ...refs]);
    const commands = [
      ...current.stdout
        .split('\n')
        .filter((ref) => ref && !wanted.has(ref))
        .map((ref) => `delete ${ref}\n`),
      ...[...wanted].map(([ref, id]) => `update ${ref} ${id}\n`),
    ];
    if (commands.length) await mirror.run(['update-ref', '--stdin'], { input: commands.join('') });
  }

  /** Moves an unusable mirror out of the way (the next run builds a new one). */
  async discard(): Promise<void> {
    const aside = `${this.dir}.broken-${process.pid}-${Date.now()}`;
    try {
      await rename(this.dir, aside);
    } catch {
      return;
    }
    await rm(aside, { recursive: true, force: true });
  }

  private async lock(): Promise<boolean> {
    await mkdir(join(this.dir, '..'), { recursive: true });
    try {
      await mkdir(this.lockDir);
      return true;
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // A lock left by a run that died long ago.
    try {
      const { mtimeMs } = await stat(this.lockDir);
      if (Date.now() - mtimeMs < STALE_LOCK_MS) return false;
      await rm(this.lockDir, { recursive: true, force: true });
      await mkdir(this.lockDir);
      return true;
    } catch {
      return false;
    }
  }
}
