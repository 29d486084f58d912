import { GitOpsError } from '../../shared/errors.ts';
import type { Logger } from '../adapters/logger.ts';
import type { GitIdentity } from './git.ts';
import { lastFolderChange } from './history.ts';
import { agentDir, deployBranch, pushedRecordRef } from './layout.ts';
import { parseTrailers, TRAILER, trailer } from './messages.ts';
import type { EnvironmentsRepo, FolderContent } from './repo.ts';

/**
 * - `created` / `updated`: a deployment PR was opened / the open one was updated
 * - `pushed`: the PR branch was pushed but no GitHub API is configured to open a PR
 * - `direct`: committed straight to the base branch
 * - `unchanged`: the folder already has this content; nothing was committed
 * - `superseded`: a newer deploy of the same agent landed meanwhile; this one stepped aside
 */
export type Operation = 'created' | 'updated' | 'pushed' | 'direct' | 'unchanged' | 'superseded';

export interface PublishRequest {
  environment: string;
  agent: string;
  /**
   * Works out the folder content and commit message from a freshly fetched base tip; runs again on
   * every retry, so policy checks and "from" versions always see the newest state.
   */
  prepare: (state: RemoteState) => Promise<{ content: FolderContent; message: string }>;
  direct: boolean;
  /** When this deploy started (epoch seconds): its commit date, and what decides "newer". */
  time: number;
  identity?: GitIdentity;
  /**
   * How long (ms) rejected pushes are retried before giving up on a moving branch (default
   * {@link DEFAULT_RETRY_BUDGET_MS}). Time rather than a count: many concurrent deploys need more
   * attempts, not more patience per attempt.
   */
  retryBudgetMs?: number;
}

/** What the remote holds when an attempt starts. */
export interface RemoteState {
  baseTip: string | null;
  /** The PR branch tip when it is the commit this tool last pushed there, unmerged (PR mode only). */
  pendingTip: string | null;
}

export interface PublishResult {
  operation: Operation;
  /** The commit that carries the requested content (new, or the existing one when unchanged). */
  commit: string | null;
  /** The base-branch commit the change was built on. */
  baseCommit: string | null;
  /** Where the commit went: the PR branch or the base branch. */
  branch: string;
  attempts: number;
  /**
   * The tool's pending PR-branch commit that was deleted because the base branch already holds
   * the requested content (merging that PR would have deployed something nobody asked for).
   */
  removedPending?: string;
}

/**
 * How much later another run's commit may be dated and still count as a concurrent, newer deploy.
 * Anything further ahead is clock skew (or a hand-set date), and a real newer deploy then wins by
 * simply running last.
 */
const RACE_WINDOW_SECONDS = 15 * 60;

function isNewerRun(tip: Tip, time: number): boolean {
  return tip.ours && tip.time > time && tip.time - time <= RACE_WINDOW_SECONDS;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tip {
  commit: string;
  time: number;
  ours: boolean;
}

async function describeTip(repo: EnvironmentsRepo, commit: string, req: PublishRequest): Promise<Tip> {
  // One process for both: this runs for every pending commit on every attempt.
  const [time = '0', message = ''] = (
    await repo.git.text(['show', '-s', '--format=%ct%x00%B', commit])
  ).split('\0');
  const trailers = parseTrailers(message);
  return {
    commit,
    time: Number(time),
    ours:
      trailer(trailers, TRAILER.agent) === req.agent &&
      trailer(trailers, TRAILER.environment) === req.environment,
  };
}

/** Default time a deploy keeps retrying rejected pushes before it gives up. */
export const DEFAULT_RETRY_BUDGET_MS = 5 * 60 * 1000;

/**
 * Exponential backoff with full jitter (a random wait between 0 and the exponential step, capped),
 * so runs that were rejected together spread out instead of colliding again in lockstep.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(3000, 100 * 2 ** Math.min(attempt - 1, 10));
  return Math.floor(random() * step);
}

/** What one full attempt built, kept so a rejected push can be re-applied onto a newer base. */
interface Prepared {
  /** The agent folder's tree on that base before this deploy (null: absent). */
  folderBefore: string | null;
  /** The agent folder's tree this deploy writes (null: the folder is removed). */
  folderAfter: string | null;
  message: string;
}

/**
 * Writes `content` to `<env>/<agent>/` on top of the newest base branch and pushes it, either to
 * the base branch (`direct`) or to `dockrion/<env>/<agent>` (replacing only the tool's own earlier
 * commit there).
 *
 * A rejected push is retried with jittered backoff until `retryBudgetMs` has passed. A deploy
 * writes only its own folder, so when the base moved but nobody touched that folder (another
 * agent landed first) the folder is re-applied onto the new tip as it is: only the base branch is
 * fetched again and nothing is re-rendered. When the folder itself changed (another deploy of the
 * same agent), the whole attempt runs again on fresh state, with every policy check.
 */
export async function publish(
  repo: EnvironmentsRepo,
  req: PublishRequest,
  logger: Logger,
): Promise<PublishResult> {
  const dir = agentDir(req.environment, req.agent);
  const branch = req.direct ? repo.source.base : deployBranch(req.environment, req.agent);
  const budgetMs = req.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const started = Date.now();
  const recordRef = pushedRecordRef(req.environment, req.agent);
  let prepared: Prepared | null = null;
  let sameFolderRaces = 0;
  for (let attempt = 1; ; attempt++) {
    if (prepared && req.direct) {
      // Fast path: another deploy moved the base. Re-apply this folder onto the new tip if that
      // deploy left it alone; only the base branch is fetched.
      const tip = await repo.fetchBase();
      if (tip && (await repo.subtree(tip, dir)) === prepared.folderBefore) {
        const content: FolderContent = prepared.folderAfter
          ? { tree: prepared.folderAfter }
          : { remove: true };
        const tree = await repo.buildTree(tip, dir, content);
        const result = resultOf(tip, branch, attempt);
        if (tree === (await repo.treeOf(tip))) return result('unchanged', tip);
        const commit = await repo.commit({
          tree,
          parent: tip,
          message: prepared.message,
          identity: req.identity,
          time: req.time,
        });
        const pushed = await repo.push(commit, branch, tip, false);
        if (pushed.ok) return result('direct', commit);
        await retryPause(
          { attempt, started, budgetMs, branch, detail: pushed.detail },
          logger,
          branchKeptMoving(branch, attempt, dir, sameFolderRaces),
        );
        continue;
      }
      sameFolderRaces++;
      logger.info(`${dir} changed on ${branch} meanwhile; preparing this deploy again on the new state`);
      prepared = null;
    }
    const baseTip = await repo.fetch();
    if (!baseTip && !req.direct) {
      throw new GitOpsError(
        `the environments repo has no branch '${repo.source.base}' to open a PR against`,
        'create it with an initial commit, or pass the right base branch (environments-base)',
      );
    }
    let branchTip: string | null = null;
    let pending: string[] = [];
    let pushedTip: string | null = null;
    if (!req.direct) {
      branchTip = await repo.branchTip(branch);
      pushedTip = await repo.recorded(recordRef);
      pending = branchTip ? await repo.commitsBetween(baseTip, branchTip) : [];
      if (branchTip && pending.length > 0 && branchTip !== pushedTip) {
        throw await foreignBranchError(repo, branch, branchTip, pushedTip, req);
      }
    }
    const pendingTip = pending.length ? branchTip : null;
    if (repo.partial) await repo.prefetchBlobs(await repo.folderBlobs([baseTip, pendingTip], dir));
    const { content, message } = await req.prepare({ baseTip, pendingTip });
    const tree = await repo.buildTree(baseTip, dir, content);
    const baseTree = baseTip ? await repo.treeOf(baseTip) : null;
    const result = resultOf(baseTip, branch, attempt);

    /**
     * One commit of `tree` on the base, pushed over `expectedTip`; null when the push is rejected.
     * On the PR branch the record of what dockrion pushed moves with it.
     */
    const commitAndPush = async (
      expectedTip: string | null,
      force: boolean,
    ): Promise<{ commit: string } | { detail: string }> => {
      const commit = await repo.commit({
        tree,
        parent: baseTip,
        message,
        identity: req.identity,
        time: req.time,
      });
      const record = req.direct ? undefined : { ref: recordRef, expected: pushedTip };
      const pushed = await repo.push(commit, branch, expectedTip, force, record);
      return pushed.ok ? { commit } : { detail: pushed.detail };
    };

    let rejection: string;
    if (req.direct) {
      if (tree === baseTree) return result('unchanged', baseTip);
      const last = baseTip ? await lastFolderChange(repo, baseTip, dir) : null;
      if (last) {
        const tip = await describeTip(repo, last, req);
        if (isNewerRun(tip, req.time)) {
          logger.warn(
            `${dir} was deployed by a newer run (${last.slice(0, 12)}) meanwhile; not overwriting it`,
          );
          return result('superseded', last);
        }
      }
      const pushed = await commitAndPush(baseTip, false);
      if ('commit' in pushed) return result('direct', pushed.commit);
      rejection = pushed.detail;
      prepared = {
        folderBefore: await repo.subtree(baseTip, dir),
        folderAfter: await repo.subtree(tree, dir),
        message,
      };
    } else {
      if (pendingTip) {
        const newest = await describeTip(repo, pendingTip, req);
        if (isNewerRun(newest, req.time)) {
          logger.warn(`${branch} holds a newer deploy (${pendingTip.slice(0, 12)}); not overwriting it`);
          return result('superseded', pendingTip);
        }
        if ((await repo.subtree(pendingTip, dir)) === (await repo.subtree(tree, dir))) {
          return result('unchanged', pendingTip);
        }
      }
      if (tree === baseTree) {
        if (!pendingTip) return result('unchanged', baseTip);
        // The base already runs what was asked for; a pending PR would deploy something else if merged.
        const removed = await repo.deleteBranch(branch, pendingTip);
        if (removed.ok) {
          logger.warn(
            `${dir} on ${repo.source.base} already matches this deploy; deleted the stale deployment branch ${branch}`,
          );
          return { ...result('unchanged', baseTip), removedPending: pendingTip };
        }
        rejection = removed.detail;
      } else {
        const pushed = await commitAndPush(branchTip, true);
        if ('commit' in pushed) return result('pushed', pushed.commit);
        rejection = pushed.detail;
      }
      // The PR branch is this agent's alone: a rejection there is always the same folder.
      sameFolderRaces++;
    }
    await retryPause(
      { attempt, started, budgetMs, branch, detail: rejection },
      logger,
      branchKeptMoving(branch, attempt, dir, sameFolderRaces),
    );
  }
}

function resultOf(baseTip: string | null, branch: string, attempts: number) {
  return (operation: Operation, commit: string | null): PublishResult => ({
    operation,
    commit,
    baseCommit: baseTip,
    branch,
    attempts,
  });
}

/** What a retry loop knows when its push was rejected. */
export interface RejectedPush {
  attempt: number;
  /** `Date.now()` when the loop began. */
  started: number;
  budgetMs: number;
  branch: string;
  /** The remote's reason for the rejection, for the log. */
  detail: string;
}

/**
 * Logs the rejection and waits before the next attempt, or throws `giveUp(elapsedMs)` once the
 * budget is spent (each caller explains the race in its own words).
 */
export async function retryPause(
  { attempt, started, budgetMs, branch, detail }: RejectedPush,
  logger: Logger,
  giveUp: (elapsedMs: number) => GitOpsError,
): Promise<void> {
  const wait = backoffMs(attempt);
  const elapsed = Date.now() - started;
  if (elapsed + wait >= budgetMs) throw giveUp(elapsed);
  logger.info(`push to ${branch} was rejected (${detail}); retrying in ${wait} ms (attempt ${attempt})`);
  await sleep(wait);
}

/** Gives up on a branch that kept moving, naming the agent folder when it was the one racing. */
function branchKeptMoving(
  branch: string,
  attempt: number,
  dir: string,
  sameFolderRaces: number,
): (elapsedMs: number) => GitOpsError {
  return (elapsedMs) =>
    new GitOpsError(
      `could not push to ${branch} after ${attempt} attempts in ${Math.round(elapsedMs / 1000)} s: the branch kept moving` +
        (sameFolderRaces > 0 ? ` (${dir} itself changed ${sameFolderRaces} time(s) meanwhile)` : ''),
      sameFolderRaces > 0
        ? `another deploy is writing to ${dir} at the same time; let it finish, then run again`
        : 'another deploy is writing to the same branch; run again',
    );
}

/**
 * The PR branch holds something dockrion did not push: a commit of someone else's, or its own
 * deploy commit amended or rebased (same trailers, another id). Either way it is a human's edit.
 */
async function foreignBranchError(
  repo: EnvironmentsRepo,
  branch: string,
  tip: string,
  pushed: string | null,
  req: PublishRequest,
): Promise<GitOpsError> {
  const looksOurs = (await describeTip(repo, tip, req)).ours;
  const why = !looksOurs
    ? ''
    : pushed
      ? ` (it carries dockrion's trailers, but dockrion last pushed ${pushed.slice(0, 12)} there: an amended or rebased deploy commit is a human edit)`
      : ` (it carries dockrion's trailers, but there is no record that dockrion pushed it: ${pushedRecordRef(req.environment, req.agent)} is missing)`;
  return new GitOpsError(
    `branch ${branch} has commit ${tip.slice(0, 12)} that dockrion did not make${why}; refusing to overwrite it`,
    `merge or close the deployment PR, or delete the branch ${branch}, then deploy again`,
  );
}
