import { GitOpsError } from '../errors.ts';
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
  const log = await repo.git.text(['log', '--format=%H%x00%cI%x00%B%x1e', tip, '--', `${dir}/`]);
  const commits = log
    .split(RECORD)
    .map((chunk) => chunk.replace(/^\n/, ''))
    .filter((chunk) => chunk.length > 0)
    .map((chunk) => {
      const [commit = '', date = '', message = ''] = chunk.split(FIELD);
      return { commit, date, message };
    });
  const texts = await readBlobs(
    repo,
    commits.map((c) => `${c.commit}:${dir}/${RECORD_FILE}`),
  );
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
