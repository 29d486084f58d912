import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';
import type { Logger } from '../adapters/logger.ts';
import { readDockfileFootprint } from '../dockfile/footprint.ts';
import { Git } from '../gitops/git.ts';

/** One matched Dockfile and the repository paths whose change touches its agent. */
export interface AgentEntry {
  /** Workspace-relative, `/`-separated. */
  dockfile: string;
  /** The agent directory (the Dockfile's), workspace-relative; `''` for the repository root. */
  dir: string;
  /** `agent.name` when written literally (see DockfileFootprint), else null. */
  name: string | null;
  /** Workspace-relative files outside `dir` that the agent reads: `!include`d YAML, `build.include` entries. */
  files: string[];
  /**
   * Workspace-relative directories outside `dir` named by `build.include.directories`.
   * `build.include.patterns` need no entry: they are matched relative to the agent directory
   * (`..` cannot climb out, as in .dockerignore), so every path they can match is inside `dir`.
   */
  directories: string[];
}

/** What to compare the checkout with, read from the event that started the run. */
export type ChangeBase = { kind: 'commit'; sha: string; what: string } | { kind: 'everything'; why: string };

const ZERO_SHA = /^0+$/;

function get(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The commit whose tree the checkout is compared with:
 * - pull_request(_target): the PR's base (`pull_request.base.sha`); the checkout is the merge commit
 * - merge_group: the queue's base (`merge_group.base_sha`)
 * - push: the branch's previous tip (`before`); a new branch (all-zero `before`) or a force push
 *   (`forced`) has no meaningful previous tip, so every agent counts as changed
 * - anything else (workflow_dispatch, schedule): no base, every agent
 */
export function changeBaseOf(eventName: string, payload: Record<string, unknown>): ChangeBase {
  const sha = (value: unknown) =>
    typeof value === 'string' && /^[0-9a-f]{40,64}$/.test(value) ? value : null;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const base = sha(get(payload, 'pull_request', 'base', 'sha'));
    return base
      ? { kind: 'commit', sha: base, what: 'the pull request base' }
      : { kind: 'everything', why: 'the event payload has no pull_request.base.sha' };
  }
  if (eventName === 'merge_group') {
    const base = sha(get(payload, 'merge_group', 'base_sha'));
    return base
      ? { kind: 'commit', sha: base, what: 'the merge queue base' }
      : { kind: 'everything', why: 'the event payload has no merge_group.base_sha' };
  }
  if (eventName === 'push') {
    const before = get(payload, 'before');
    if (typeof before === 'string' && ZERO_SHA.test(before))
      return { kind: 'everything', why: 'the push created the branch (no previous commit)' };
    if (get(payload, 'forced') === true)
      return { kind: 'everything', why: 'a force push (the previous tip is not an ancestor)' };
    const base = sha(before);
    return base
      ? { kind: 'commit', sha: base, what: 'the previous tip of the branch' }
      : { kind: 'everything', why: 'the event payload has no `before` commit' };
  }
  return { kind: 'everything', why: `a ${eventName || 'manual'} run has no base commit to compare with` };
}

/** Workspace-relative, `/`-separated; null when `path` lies outside the workspace. */
function workspacePath(workspace: string, path: string): string | null {
  const rel = relative(workspace, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

const cleanRelative = (path: string) => path.replace(/^\.\//, '').replace(/\/+$/, '');

/** Reads each Dockfile's footprint; two Dockfiles naming the same agent are an error. */
export function describeAgents(workspace: string, dockfiles: readonly string[]): AgentEntry[] {
  const root = resolve(workspace);
  const entries = dockfiles.map((dockfile): AgentEntry => {
    const absolute = resolve(root, dockfile);
    const footprint = readDockfileFootprint(absolute, { root });
    const dir = workspacePath(root, dirname(absolute)) ?? '';
    // Paths inside the agent directory already count through it; only the ones outside are kept.
    const outsideAgentDir = (path: string | null): path is string =>
      path !== null && path !== dockfile && !(dir === '' || path.startsWith(`${dir}/`));
    const agentRelative = (p: string) => workspacePath(root, resolve(dirname(absolute), cleanRelative(p)));
    return {
      dockfile,
      dir,
      name: footprint.name,
      files: [
        ...footprint.files.map((file) => workspacePath(root, file)),
        ...footprint.buildInclude.files.map(agentRelative),
      ].filter(outsideAgentDir),
      directories: footprint.buildInclude.directories.map(agentRelative).filter(outsideAgentDir),
    };
  });
  const byName = new Map<string, string>();
  for (const entry of entries) {
    if (entry.name === null) continue;
    const other = byName.get(entry.name);
    if (other !== undefined) {
      throw new UsageError(
        `two Dockfiles name the same agent '${entry.name}': ${other} and ${entry.dockfile}`,
        'agent.name decides the image and the environments-repo folder; give each agent its own name',
      );
    }
    byName.set(entry.name, entry.dockfile);
  }
  return entries;
}

/** True when a change to the workspace-relative `path` can change what the agent validates or builds. */
export function touchesAgent(agent: AgentEntry, path: string): boolean {
  if (path === agent.dockfile || agent.dir === '' || path.startsWith(`${agent.dir}/`)) return true;
  if (agent.files.includes(path)) return true;
  return agent.directories.some((d) => d === '' || path === d || path.startsWith(`${d}/`));
}

export interface ChangedPathsOptions {
  workspace: string;
  base: string;
  exec: Exec;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
}

/**
 * Paths that differ between `base` and the checkout's HEAD, or null (with the reason) when they
 * cannot be known. actions/checkout fetches one commit by default, so the base is usually absent:
 * it is fetched from `origin` (the credentials checkout persisted), one commit deep when the
 * clone is shallow (a full fetch there would download the whole history).
 */
export async function changedPaths(
  options: ChangedPathsOptions,
): Promise<{ paths: string[] } | { paths: null; why: string }> {
  const found = await Git.forCheckout(options.exec, options.workspace, options.env);
  if (!found) return { paths: null, why: 'the workspace is not a git checkout' };
  const { git, topLevel } = found;
  const commit = `${options.base}^{commit}`;
  if ((await git.resolve(commit)) === null) {
    const shallow = (await git.text(['rev-parse', '--is-shallow-repository'])) === 'true';
    const fetched = await git.run(
      [
        'fetch',
        '--no-tags',
        '--no-recurse-submodules',
        '--quiet',
        ...(shallow ? ['--depth=1'] : []),
        'origin',
        options.base,
      ],
      { allowFailure: true },
    );
    if (fetched.code !== 0 || (await git.resolve(commit)) === null) {
      const reason = fetched.stderr.trim().split('\n').pop()?.slice(0, 200) ?? '';
      return {
        paths: null,
        why: `the base commit ${options.base.slice(0, 12)} is not in the checkout and could not be fetched from origin${reason ? ` (${reason})` : ''}`,
      };
    }
  }
  // --no-renames: a moved file counts at both its old and its new path.
  const out = await git.text(['diff', '--name-only', '-z', '--no-renames', options.base, 'HEAD']);
  const prefix = workspacePath(topLevel, resolve(options.workspace)) ?? '';
  const paths = out
    .split('\0')
    .filter(Boolean)
    .map((path) =>
      prefix === '' ? path : path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : null,
    )
    .filter((path): path is string => path !== null);
  return { paths };
}

export interface AgentSelection {
  /** Every matched Dockfile, sorted by path. */
  all: AgentEntry[];
  /** The agents to handle: touched by the change, or all of them when the change is unknown. */
  changed: AgentEntry[];
  /** Why every agent was taken (no base, or the base could not be read); null when detection ran. */
  everythingBecause: string | null;
}

/** The matched agents and which of them the event's change touches. */
export async function selectChangedAgents(options: {
  workspace: string;
  dockfiles: readonly string[];
  base: ChangeBase;
  exec: Exec;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
}): Promise<AgentSelection> {
  const all = describeAgents(options.workspace, options.dockfiles);
  if (options.base.kind === 'everything') return { all, changed: all, everythingBecause: options.base.why };
  const diff = await changedPaths({ ...options, base: options.base.sha });
  if (diff.paths === null) return { all, changed: all, everythingBecause: diff.why };
  const paths = diff.paths;
  const changed = all.filter((agent) => paths.some((path) => touchesAgent(agent, path)));
  return { all, changed, everythingBecause: null };
}
