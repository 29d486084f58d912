import { GitOpsError } from '../../shared/errors.ts';
import { agentDir, RECORD_FILE } from './layout.ts';
import { parseTrailers, revertedCommit, TRAILER, trailer } from './messages.ts';
import { type DeployRecord, parseRecord } from './record.ts';
import type { EnvironmentsRepo } from './repo.ts';

export type DeploymentKind = 'deploy' | 'rollback' | 'revert';

/** One change of `<env>/<agent>/` on the base branch, as `history` prints it. */
export interface Deployment {
  commit: string;
  /** Committer date, ISO 8601. */
  date: string;
  kind: DeploymentKind;
  subject: string;
  /** What the folder holds after this commit (null when the commit emptied it). */
  version: string | null;
  digest: string | null;
  image: string | null;
  source: { repository: string | null; commit: string | null } | null;
  /** For rollbacks and reverts: the commit whose deploy was undone. */
  undoes: string | null;
  /** The digest that commit had deployed (what a rollback moved away from). */
  undoesDigest: string | null;
  /**
   * The folder's dockrion.json at this commit is there but does not parse (edited by hand, a bad
   * merge): listed so the change is visible, with version, digest and image unknown.
   */
  unreadable: boolean;
}

const FIELD = '\x00';
const RECORD = '\x1e';

/** Reads many blobs in one `git cat-file --batch`; a missing object gives null. */
async function readBlobs(repo: EnvironmentsRepo, specs: string[]): Promise<Array<string | null>> {
  if (specs.length === 0) return [];
  const { stdout } = await repo.git.run(['cat-file', '--batch'], { input: `${specs.join('\n')}\n` });
  const out = Buffer.from(stdout, 'utf8');
  const blobs: Array<string | null> = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      blobs.push(null);
      continue;
    }
    const size = Number(m[2]);
    blobs.push(m[1] === 'blob' ? out.subarray(at, at + size).toString('utf8') : null);
    at += size + 1;
  }
  return blobs;
}

function recordOrNull(text: string | null, where: string): DeployRecord | null {
  if (text === null) return null;
  try {
    return parseRecord(text, where);
  } catch {
    return null;
  }
}

interface LoggedCommit {
  commit: string;
  date: string;
  message: string;
}

/**
 * Deployments of one agent in one environment, newest first, from the git log of `tip`. A commit
 * counts when it carries the tool's trailers, is a `git revert` of such a commit, or changes the
 * folder's `dockrion.json` (so squash-merged PRs that lost their trailers still show up).
 */
export async function listDeployments(
  repo: EnvironmentsRepo,
  tip: string | null,
  environment: string,
  agent: string,
): Promise<Deployment[]> {
  if (!tip) return [];
  const dir = agentDir(environment, agent);
  const { commits, recordBlobs } = await folderLog(repo, tip, dir);
  await repo.prefetchBlobs(recordBlobs);
  const texts = await readBlobs(
    repo,
    commits.map((c) => `${c.commit}:${dir}/${RECORD_FILE}`),
  );
  return classify(repo, commits, texts, environment, agent);
}

interface FolderLog {
  /** Every commit on `tip` that changed the folder, newest first. */
  commits: LoggedCommit[];
  /** The id of every version of the folder's record those commits wrote. */
  recordBlobs: string[];
}

/**
 * Folder logs already walked, per repository and `tip\0dir`. A commit id fixes its history, so an
 * entry never goes stale; it saves the second walk of the same history within one operation (the
 * deploy's rollback guard, then the superseded check on the same base tip).
 */
const walked = new WeakMap<EnvironmentsRepo, Map<string, Promise<FolderLog>>>();

function folderLog(repo: EnvironmentsRepo, tip: string, dir: string): Promise<FolderLog> {
  let logs = walked.get(repo);
  if (!logs) {
    logs = new Map();
    walked.set(repo, logs);
  }
  const key = `${tip}\0${dir}`;
  let log = logs.get(key);
  if (!log) {
    log = walkFolder(repo, tip, dir);
    // A failed walk is not remembered: the next caller gets the error afresh.
    log.catch(() => logs.delete(key));
    logs.set(key, log);
  }
  return log;
}

/**
 * The newest commit on `tip` that changed `dir`: from a walk this operation already made, else
 * from a walk that stops at the first match.
 */
export async function lastFolderChange(
  repo: EnvironmentsRepo,
  tip: string,
  dir: string,
): Promise<string | null> {
  const known = walked.get(repo)?.get(`${tip}\0${dir}`);
  if (known) return (await known).commits[0]?.commit ?? null;
  const out = await repo.git.text(['log', '-1', '--format=%H', tip, '--', `${dir}/`]);
  return out || null;
}

/** A commit of a path-limited `git log --raw` and the blob id each changed file got (all zeros: removed). */
interface RawLogEntry {
  commit: LoggedCommit;
  changes: Array<{ path: string; blob: string }>;
}

/**
 * One `git log --raw` walk of `path` from `tip`, newest first. The raw part gives the id of every
 * version of each file, so a partial clone can fetch them in one request rather than one lazy
 * fetch per commit.
 */
async function rawLog(repo: EnvironmentsRepo, tip: string, path: string): Promise<RawLogEntry[]> {
  const log = await repo.git.text([
    'log',
    '--format=%x1e%H%x00%cI%x00%B%x00',
    '--raw',
    '--no-abbrev',
    '--no-renames',
    tip,
    '--',
    path,
  ]);
  const entries: RawLogEntry[] = [];
  for (const chunk of log.split(RECORD)) {
    if (!chunk.trim()) continue;
    const [commit = '', date = '', message = '', raw = ''] = chunk.split(FIELD);
    const changes: RawLogEntry['changes'] = [];
    for (const line of raw.split('\n')) {
      if (!line.startsWith(':')) continue;
      const [meta = '', changed = ''] = line.split('\t');
      changes.push({ path: changed, blob: meta.split(' ')[3] ?? '' });
    }
    entries.push({ commit: { commit: commit.trim(), date, message }, changes });
  }
  return entries;
}

const isRemoval = (blob: string) => /^0+$/.test(blob);

async function walkFolder(repo: EnvironmentsRepo, tip: string, dir: string): Promise<FolderLog> {
  const entries = await rawLog(repo, tip, `${dir}/`);
  const recordBlobs = entries.flatMap((e) =>
    e.changes
      .filter((c) => c.path === `${dir}/${RECORD_FILE}` && c.blob !== '' && !isRemoval(c.blob))
      .map((c) => c.blob),
  );
  return { commits: entries.map((e) => e.commit), recordBlobs };
}

/** Turns one folder's log (newest first) and its record text at each commit into deployments. */
async function classify(
  repo: EnvironmentsRepo,
  commits: readonly LoggedCommit[],
  texts: ReadonlyArray<string | null>,
  environment: string,
  agent: string,
): Promise<Deployment[]> {
  const dir = agentDir(environment, agent);
  const records = texts.map((t, i) => recordOrNull(t, `${dir}/${RECORD_FILE} at ${commits[i]?.commit}`));
  const unreadable = texts.map((t, i) => t !== null && records[i] === null);

  const entries: Deployment[] = [];
  commits.forEach((c, i) => {
    const trailers = parseTrailers(c.message);
    const record = records[i] ?? null;
    const older = records[i + 1] ?? null;
    const reverted = revertedCommit(c.message);
    const rollbackOf = trailer(trailers, TRAILER.rollbackOf);
    const restores = trailer(trailers, TRAILER.restores);
    const tagged =
      trailer(trailers, TRAILER.agent) === agent && trailer(trailers, TRAILER.environment) === environment;
    let kind: DeploymentKind;
    if (tagged && (rollbackOf || restores)) kind = 'rollback';
    else if (reverted) kind = 'revert';
    else if (tagged || (record && JSON.stringify(record) !== JSON.stringify(older))) kind = 'deploy';
    // A record that stopped parsing here is a change to what is deployed, even if nobody can say what.
    else if (unreadable[i] && texts[i] !== texts[i + 1]) kind = 'deploy';
    else return;
    entries.push({
      commit: c.commit,
      date: new Date(c.date).toISOString().replace('.000Z', 'Z'),
      kind,
      subject: c.message.split('\n')[0] ?? '',
      version: record?.version ?? null,
      digest: record?.digest ?? null,
      image: record?.image ?? null,
      source: record ? record.source : null,
      undoes: kind === 'revert' ? reverted : kind === 'rollback' ? rollbackOf : null,
      undoesDigest: null,
      unreadable: unreadable[i] ?? false,
    });
  });
  // What an undo moved away from is whatever that commit had deployed.
  for (const entry of entries) {
    if (!entry.undoes) continue;
    const undone = entries.find((e) => e.commit.startsWith(entry.undoes ?? '-'));
    if (undone) {
      entry.undoesDigest = undone.digest;
      entry.undoes = undone.commit;
    } else {
      const [text] = await readBlobs(repo, [`${entry.undoes}:${dir}/${RECORD_FILE}`]);
      entry.undoesDigest = recordOrNull(text ?? null, 'undone record')?.digest ?? null;
    }
  }
  return entries;
}

/** One agent's deployment in a whole-environment listing. */
export type AgentDeployment = Deployment & { agent: string };

/**
 * Deployments of every agent in `environment`, from one pass over the log of `<env>/` (not one
 * walk per agent): with `all`, every deployment, newest first; otherwise the latest deployment of
 * each agent whose folder exists at `tip`, by agent name. Each folder's entries are exactly what
 * `listDeployments` gives for it on a linear history (merge commits are read through their
 * first-parent changes, as squash and rebase merges leave them).
 */
export async function listEnvironmentDeployments(
  repo: EnvironmentsRepo,
  tip: string | null,
  environment: string,
  all: boolean,
): Promise<AgentDeployment[]> {
  if (!tip) return [];
  const entries = await rawLog(repo, tip, `${environment}/`);
  // Per agent: its folder's commits (newest first) and the record blob each one left (undefined
  // when that commit did not touch dockrion.json; null when it removed it).
  const perAgent = new Map<string, Array<{ commit: LoggedCommit; blob: string | null | undefined }>>();
  const logOrder = new Map<string, number>();
  for (const { commit: logged, changes } of entries) {
    logOrder.set(logged.commit, logOrder.size);
    const touched = new Map<string, string | null | undefined>();
    for (const change of changes) {
      const parts = change.path.split('/');
      if (parts.length < 3 || parts[0] !== environment) continue;
      const agent = parts[1] ?? '';
      if (!touched.has(agent)) touched.set(agent, undefined);
      if (parts.length === 3 && parts[2] === RECORD_FILE)
        touched.set(agent, isRemoval(change.blob) ? null : change.blob);
    }
    for (const [agent, blob] of touched) {
      const list = perAgent.get(agent) ?? [];
      list.push({ commit: logged, blob });
      perAgent.set(agent, list);
    }
  }
  const present = new Set(
    (await repo.git.text(['ls-tree', '--name-only', tip, '--', `${environment}/`]))
      .split('\n')
      .filter(Boolean)
      .map((p) => p.split('/')[1] ?? ''),
  );
  // The record at each commit is the blob of the newest change to dockrion.json at or before it.
  const plans = [...perAgent]
    .filter(([agent]) => all || present.has(agent))
    .map(([agent, list]) => {
      const blobs: Array<string | null> = new Array(list.length).fill(null);
      let carried: string | null = null;
      for (let i = list.length - 1; i >= 0; i--) {
        const blob = list[i]?.blob;
        if (blob !== undefined) carried = blob;
        blobs[i] = carried;
      }
      return { agent, commits: list.map((l) => l.commit), blobs };
    });
  const ids = [...new Set(plans.flatMap((p) => p.blobs).filter((b): b is string => b !== null))];
  await repo.prefetchBlobs(ids);
  const texts = new Map<string, string | null>();
  (await readBlobs(repo, ids)).forEach((text, i) => {
    texts.set(ids[i] ?? '', text);
  });
  const out: AgentDeployment[] = [];
  for (const plan of plans) {
    let entries: Deployment[];
    try {
      entries = await classify(
        repo,
        plan.commits,
        plan.blobs.map((b) => (b ? (texts.get(b) ?? null) : null)),
        environment,
        plan.agent,
      );
    } catch {
      // A folder whose name is not an agent name (checkSegment) is not the tool's.
      continue;
    }
    const chosen = all ? entries : entries.slice(0, 1);
    for (const e of chosen) out.push({ agent: plan.agent, ...e });
  }
  if (all) {
    const rank = (c: string) => logOrder.get(c) ?? 0;
    // Newest first, as the log gave them; one commit that touched several agents by agent name.
    out.sort((a, b) => rank(a.commit) - rank(b.commit) || a.agent.localeCompare(b.agent));
  } else {
    out.sort((a, b) => a.agent.localeCompare(b.agent));
  }
  return out;
}

/**
 * The rollback that moved this environment away from `digest`, unless a later deploy or rollback
 * put it back on purpose. Re-deploying such a digest needs `force`, so automation does not
 * re-promote a build someone rolled back.
 */
export function rolledBackFrom(history: readonly Deployment[], digest: string): Deployment | null {
  for (const entry of history) {
    if (entry.digest === digest) return null;
    if (entry.kind !== 'deploy' && entry.undoesDigest === digest) return entry;
  }
  return null;
}

/** The deploy that `--to VERSION|COMMIT` names: a commit prefix first, then the newest version match. */
export function findTarget(history: readonly Deployment[], to: string): Deployment {
  const wanted = to.trim();
  if (/^[0-9a-f]{7,64}$/.test(wanted)) {
    const byCommit = history.filter((e) => e.commit.startsWith(wanted));
    if (byCommit.length > 1) throw new GitOpsError(`commit prefix '${wanted}' is ambiguous in this history`);
    if (byCommit[0]) return byCommit[0];
  }
  const byVersion =
    history.find((e) => e.version === wanted && e.kind === 'deploy') ??
    history.find((e) => e.version === wanted);
  if (byVersion) return byVersion;
  const known = [...new Set(history.map((e) => e.version).filter(Boolean))].slice(0, 10).join(', ');
  throw new GitOpsError(
    `no deployment '${wanted}' in this environment's history`,
    known ? `known versions (newest first): ${known}` : 'this agent has no deployments here yet',
  );
}
