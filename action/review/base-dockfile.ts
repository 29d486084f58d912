import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Exec } from '../adapters/exec.ts';
import { Git } from '../gitops/git.ts';

/**
 * Where a Dockfile is in the base commit of a pull request, in the checkout itself (no second
 * checkout; action/contract `loadDockfileAtRevision` reads it and its includes from there):
 * - `found`: the base has the file; `git` is the checkout's repository, `path` top-level relative
 * - `absent`: the base commit is there but has no such file (a new agent)
 * - `unavailable`: the base commit cannot be read; `why` says so in one line (our Markdown),
 *   `detail` carries git's message (text to escape)
 */
export type BaseDockfile =
  | { kind: 'found'; git: Git; commit: string; path: string }
  | { kind: 'absent'; commit: string; path: string }
  | { kind: 'unavailable'; why: string; detail?: string };

export interface BaseDockfileRequest {
  exec: Exec;
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** The Dockfile, absolute or relative to the workspace. */
  dockfile: string;
  /** The base commit (a pull request's `pull_request.base.sha`); null when the event has none. */
  base: string | null;
  env?: NodeJS.ProcessEnv;
}

/** Whether `base` has the Dockfile, fetching that one commit from `origin` when the clone lacks it. */
export async function readDockfileAtBase(request: BaseDockfileRequest): Promise<BaseDockfile> {
  if (request.base === null || !/^[0-9a-f]{40,64}$/.test(request.base)) {
    return { kind: 'unavailable', why: 'the event names no base commit to compare with' };
  }
  const found = await Git.forCheckout(request.exec, request.workspace, request.env);
  if (!found) return { kind: 'unavailable', why: 'the workspace is not a git checkout' };
  const { git, topLevel } = found;
  const path = relative(topLevel, resolve(request.workspace, request.dockfile));
  if (path.startsWith('..') || isAbsolute(path)) {
    return { kind: 'unavailable', why: 'the Dockfile is outside the checkout', detail: request.dockfile };
  }
  const repoPath = path.split(sep).join('/');
  const missing = await git.ensureCommit(request.base);
  if (missing !== null) {
    return {
      kind: 'unavailable',
      why: 'the base commit could not be read (check out with `fetch-depth: 2` so it is present)',
      detail: missing,
    };
  }
  return (await git.resolve(`${request.base}:${repoPath}`)) === null
    ? { kind: 'absent', commit: request.base, path: repoPath }
    : { kind: 'found', git, commit: request.base, path: repoPath };
}
