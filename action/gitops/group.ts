import { GitOpsError } from '../../shared/errors.ts';
import { unionOfLabelChanges } from '../report/pr-labels.ts';
import type { ContractReview } from '../review/contract-section.ts';
import { deployedContractReview } from './contract-review.ts';
import type { GitIdentity } from './git.ts';
import { renderGroupPullRequestBody } from './group-pr-body.ts';
import { type Deployment, listDeployments, rolledBackFrom } from './history.ts';
import {
  agentDir,
  CONTRACT_FILE,
  checkSegment,
  groupBranch,
  groupPushedRecordRef,
  RECORD_FILE,
} from './layout.ts';
import { deployMessage, parseTrailers, TRAILER, trailer } from './messages.ts';
import {
  type CommittedFile,
  changedFiles,
  checkNotReserved,
  type EnvironmentsTarget,
  type GitOpsContext,
  keepVolatile,
  rollbackCommand,
  sourceUrl,
  withRepo,
} from './operations.ts';
import { type ChangedFile, contractSectionBudget } from './pr-body.ts';
import { DEFAULT_RETRY_BUDGET_MS, retryPause } from './publish.ts';
import { closePullRequest, ensurePullRequest, type PullRequestOptions } from './pull-request.ts';
import { type DeployRecord, parseRecord, serializeRecord } from './record.ts';
import type { EnvironmentsRepo, FolderContent, RenderedFile } from './repo.ts';

/** One agent of a grouped deploy: what `deployToEnvironments` would write for it alone. */
export interface GroupMember {
  record: DeployRecord;
  /** The agent's contract.json (as for a single deploy); null writes none. */
  contract?: string | null;
  files: readonly RenderedFile[];
  renderFiles?: (committed: CommittedFile) => Promise<readonly RenderedFile[]>;
  volatileFiles?: readonly string[];
}

export interface GroupDeployRequest {
  target: EnvironmentsTarget;
  environment: string;
  members: readonly GroupMember[];
  force?: boolean;
  pullRequest?: PullRequestOptions;
  retryBudgetMs?: number;
}

/** What the group branch holds for one agent after the push. */
export interface GroupAgentOutcome {
  agent: string;
  /** `changed`: its folder differs from the base in the PR; `unchanged`: the base already has it. */
  state: 'changed' | 'unchanged';
  /** Its deploy commit on the group branch (null when unchanged). */
  commit: string | null;
  changedFiles: ChangedFile[];
  previous: Deployment | null;
  /**
   * Its contract.json on the branch against the one on the base (what is deployed now), as the
   * per-agent PR reviews it; null when unchanged (nothing to merge).
   */
  contractChanges: ContractReview | null;
}

export interface GroupDeployOutcome {
  /**
   * `created` / `updated`: the PR was opened / adopted; `pushed`: no GitHub API, branch only;
   * `unchanged`: the branch (or the base) already held all of it.
   */
  operation: 'created' | 'updated' | 'pushed' | 'unchanged';
  branch: string;
  /** The group branch's tip (null when nothing is pending). */
  commit: string | null;
  baseCommit: string | null;
  pullRequest: { number: number; url: string; autoMerge: string } | null;
  /** This run's agents. */
  agents: GroupAgentOutcome[];
  /** Agents of earlier runs still pending on the branch, kept in the PR. */
  carried: string[];
}

interface Pending {
  /** Agent → its folder tree at the branch tip, and the message of its deploy commit. */
  folders: Map<string, { tree: string | null; message: string }>;
}

/**
 * The commits on the group branch beyond the base, when dockrion pushed them: each must be one
 * agent's deploy commit touching only that agent's folder, as this function writes them.
 */
async function readPending(
  repo: EnvironmentsRepo,
  environment: string,
  branch: string,
  baseTip: string,
  branchTip: string | null,
  pushedTip: string | null,
): Promise<{ tip: string | null; pending: Pending }> {
  const pending: Pending = { folders: new Map() };
  if (!branchTip) return { tip: null, pending };
  const commits = await repo.commitsBetween(baseTip, branchTip);
  if (commits.length === 0) return { tip: null, pending };
  if (branchTip !== pushedTip) {
    throw new GitOpsError(
      `branch ${branch} has commit ${branchTip.slice(0, 12)} that dockrion did not push; refusing to overwrite it`,
      `merge or close the deployment PR, or delete the branch ${branch}, then deploy again`,
    );
  }
  for (const commit of commits) {
    const message = await repo.message(commit);
    const trailers = parseTrailers(message);
    const agent = trailer(trailers, TRAILER.agent);
    const touched = (
      await repo.git.text(['diff-tree', '--no-commit-id', '--name-only', '-r', `${commit}^`, commit])
    )
      .split('\n')
      .filter(Boolean);
    const dir = agent ? agentDir(environment, agent) : null;
    if (
      !dir ||
      trailer(trailers, TRAILER.environment) !== environment ||
      touched.some((p) => !p.startsWith(`${dir}/`))
    ) {
      throw new GitOpsError(
        `branch ${branch} has commit ${commit.slice(0, 12)} that is not one agent's deploy to ${environment}; refusing to overwrite it`,
        `merge or close the deployment PR, or delete the branch ${branch}, then deploy again`,
      );
    }
    pending.folders.set(agent as string, { tree: await repo.subtree(branchTip, dir), message });
  }
  return { tip: branchTip, pending };
}

/**
 * Deploys several agents of one environment through one PR: the branch `dockrion/<env>/_all`
 * holds one deploy commit per agent on top of the base, each exactly the commit a single deploy
 * would make (its folder only, the usual message and trailers), so history and rollback read them
 * like any other. Agents an earlier run left pending on the branch stay in the PR (re-applied on
 * the newest base) unless this run deploys them again.
 *
 * The same safety rules as the per-agent branch: the branch is replaced only while its tip is the
 * commit dockrion last pushed there (`refs/dockrion/pushed/<env>/_all`, moved atomically with
 * it), and every commit on it must touch only its own agent's folder. A rejected push (another run
 * of the environment pushed first) is retried on fresh state until `retryBudgetMs` has passed.
 */
export async function deployEnvironmentGroup(
  req: GroupDeployRequest,
  ctx: GitOpsContext & { identity?: GitIdentity },
): Promise<GroupDeployOutcome> {
  const environment = checkSegment('environment', req.environment);
  const agents = req.members.map((m) => checkSegment('agent', m.record.agent));
  if (new Set(agents).size !== agents.length) {
    throw new GitOpsError(`a grouped deploy names an agent twice: ${agents.join(', ')}`);
  }
  if (req.members.some((m) => m.record.environment !== environment)) {
    throw new GitOpsError(`every agent of a grouped deploy must target ${environment}`);
  }
  const branch = groupBranch(environment);
  const recordRef = groupPushedRecordRef(environment);
  const time = Math.floor(ctx.now() / 1000);
  const budgetMs = req.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const started = Date.now();
  return withRepo(req.target, ctx, async (repo) => {
    for (let attempt = 1; ; attempt++) {
      const baseTip = await repo.fetch();
      if (!baseTip) {
        throw new GitOpsError(
          `the environments repo has no branch '${repo.source.base}' to open a PR against`,
          'create it with an initial commit, or pass the right base branch (environments-base)',
        );
      }
      const branchTip = await repo.branchTip(branch);
      const pushedTip = await repo.recorded(recordRef);
      const { tip: pendingTip, pending } = await readPending(
        repo,
        environment,
        branch,
        baseTip,
        branchTip,
        pushedTip,
      );
      const reference = pendingTip ?? baseTip;
      const mine = new Map(req.members.map((m) => [m.record.agent, m]));
      const carried = [...pending.folders.keys()].filter((a) => !mine.has(a));
      const order = [...new Set([...mine.keys(), ...carried])].sort();

      let parent = baseTip;
      const outcomes = new Map<string, GroupAgentOutcome>();
      for (const agent of order) {
        const dir = agentDir(environment, agent);
        const member = mine.get(agent);
        let content: FolderContent;
        let message: string;
        let previous: Deployment | null = null;
        if (member) {
          const history = await listDeployments(repo, baseTip, environment, agent);
          previous = history[0] ?? null;
          const blocker = rolledBackFrom(history, member.record.digest);
          if (blocker && !req.force) {
            throw new GitOpsError(
              `${member.record.digest} was rolled back in ${environment} by ${blocker.commit.slice(0, 12)} ` +
                `(${blocker.subject}); refusing to deploy ${agent} again`,
              'pass --force (Action input `force: true`) if this build really should go back out',
            );
          }
          const rendered = member.renderFiles
            ? await member.renderFiles((path) => repo.readFile(reference, `${dir}/${path}`))
            : member.files;
          checkNotReserved(rendered);
          const files = [
            ...rendered,
            { path: RECORD_FILE, content: serializeRecord(member.record) },
            ...(member.contract ? [{ path: CONTRACT_FILE, content: member.contract }] : []),
          ];
          const volatile = member.volatileFiles ?? [];
          const kept =
            volatile.length > 0 && !req.force
              ? await keepVolatile(repo, reference, dir, files, volatile)
              : null;
          content = { files: kept ?? files };
          message = deployMessage(member.record);
        } else {
          const folder = pending.folders.get(agent);
          content = folder?.tree ? { tree: folder.tree } : { remove: true };
          message = folder?.message ?? '';
        }
        const tree = await repo.buildTree(parent, dir, content);
        if (tree === (await repo.treeOf(parent))) {
          if (member) {
            outcomes.set(agent, {
              agent,
              state: 'unchanged',
              commit: null,
              changedFiles: [],
              previous,
              contractChanges: null,
            });
          }
          continue;
        }
        parent = await repo.commit({ tree, parent, message, identity: ctx.identity, time });
        if (member) {
          outcomes.set(agent, {
            agent,
            state: 'changed',
            commit: parent,
            changedFiles: await changedFiles(repo, baseTip, parent, dir),
            previous,
            contractChanges: await reviewAgainstBase(repo, parent, baseTip, dir),
          });
        }
      }
      const finalTip = parent;
      const agentOutcomes = agents.map((a) => outcomes.get(a) as GroupAgentOutcome);
      const result = (operation: GroupDeployOutcome['operation'], commit: string | null) => ({
        operation,
        branch,
        commit,
        baseCommit: baseTip,
        pullRequest: null,
        agents: agentOutcomes,
        carried: carried.filter((a) => pending.folders.has(a)),
      });

      if (finalTip === baseTip) {
        if (!pendingTip) return result('unchanged', null);
        // The base already runs everything the branch would deploy: a stale PR must not stay open.
        const removed = await repo.deleteBranch(branch, pendingTip);
        if (removed.ok) {
          ctx.logger.warn(
            `${environment} on ${repo.source.base} already matches; deleted the stale ${branch}`,
          );
          if (req.target.github)
            await closePullRequest(req.target.github, branch, repo.source.base, ctx.logger);
          return result('unchanged', null);
        }
        await retryPause(
          { attempt, started, budgetMs, branch, detail: removed.detail },
          ctx.logger,
          groupBranchKeptMoving(branch, attempt, removed.detail),
        );
      } else if (pendingTip && (await repo.treeOf(finalTip)) === (await repo.treeOf(pendingTip))) {
        return result('unchanged', pendingTip);
      } else {
        const pushed = await repo.push(finalTip, branch, branchTip, true, {
          ref: recordRef,
          expected: pushedTip,
        });
        if (pushed.ok) return finishGroup(repo, req, result('pushed', finalTip), ctx);
        await retryPause(
          { attempt, started, budgetMs, branch, detail: pushed.detail },
          ctx.logger,
          groupBranchKeptMoving(branch, attempt, pushed.detail),
        );
      }
    }
  });
}

/** The agent's contract.json in `commit` against the one the base runs (`deployedContractReview`). */
function reviewAgainstBase(
  repo: EnvironmentsRepo,
  commit: string,
  base: string | null,
  dir: string,
): Promise<ContractReview> {
  return deployedContractReview(repo, { commit, parent: base, dir, budget: contractSectionBudget });
}

/** Gives up on a group branch that kept moving under the retry loop. */
function groupBranchKeptMoving(branch: string, attempt: number, detail: string): () => GitOpsError {
  return () =>
    new GitOpsError(
      `could not push to ${branch} after ${attempt} attempts: the branch kept moving (${detail})`,
      'another deploy to the same environment is writing that branch; serialize them with a workflow `concurrency:` group',
    );
}

/**
 * Opens or adopts the environment's PR and describes every agent on the branch, each with its
 * contract changes; the PR carries every contract label some agent calls for, and loses one no
 * agent calls for any more.
 */
async function finishGroup(
  repo: EnvironmentsRepo,
  req: GroupDeployRequest,
  outcome: GroupDeployOutcome,
  ctx: GitOpsContext,
): Promise<GroupDeployOutcome> {
  const github = req.target.github;
  if (!github || !outcome.commit) {
    ctx.logger.warn(`pushed ${outcome.branch}; no GitHub repository configured, so no PR was opened`);
    return outcome;
  }
  const base = outcome.baseCommit;
  // Every deploy commit on the branch, this run's and carried ones alike, read back from git.
  const commits = await repo.commitsBetween(base, outcome.commit);
  const sections = [];
  for (const commit of commits) {
    const message = await repo.message(commit);
    const agent = trailer(parseTrailers(message), TRAILER.agent) ?? '';
    const dir = agentDir(req.environment, agent);
    const text = await repo.readFile(commit, `${dir}/${RECORD_FILE}`);
    const record = text ? parseRecord(text, `${dir}/${RECORD_FILE}`) : null;
    const previous = (await listDeployments(repo, base, req.environment, agent))[0] ?? null;
    const reviewed = outcome.agents.find((a) => a.commit === commit)?.contractChanges;
    sections.push({
      agent,
      version: record?.version ?? null,
      previousVersion: previous?.version ?? null,
      image: record?.image ?? null,
      digest: record?.digest ?? null,
      sourceRepository: record?.source.repository ?? null,
      sourceUrl: sourceUrl(req.target, record?.source.repository ?? null),
      sourceCommit: record?.source.commit ?? null,
      changedFiles: await changedFiles(repo, base, outcome.commit, dir),
      rollbackCommand: rollbackCommand(req.target, req.environment, agent, previous, false),
      carried: outcome.carried.includes(agent),
      contract: reviewed ?? (await reviewAgainstBase(repo, commit, base, dir)),
    });
  }
  const labels = unionOfLabelChanges(sections.map((s) => s.contract.labels));
  const title = `deploy: ${req.environment} (${sections.map((s) => `${s.agent} ${s.version ?? '?'}`).join(', ')})`;
  const ref = await ensurePullRequest(
    github,
    {
      ...req.pullRequest,
      head: outcome.branch,
      base: repo.source.base,
      title: title.length > 250 ? `deploy: ${req.environment} (${sections.length} agents)` : title,
      body: renderGroupPullRequestBody(req.environment, sections),
      labels: ['dockrion', `env:${req.environment}`, ...labels.add],
      removeLabels: labels.remove,
    },
    ctx.logger,
  );
  return {
    ...outcome,
    operation: ref.created ? 'created' : 'updated',
    pullRequest: { number: ref.number, url: ref.url, autoMerge: ref.autoMerge },
  };
}
