import { GitOpsError } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';
import type { Logger } from '../adapters/logger.ts';
import type { ContractReview } from '../review/contract-section.ts';
import { defaultCacheDir } from './cache.ts';
import { deployedContractReview } from './contract-review.ts';
import type { GitIdentity } from './git.ts';
import { redactUrl } from './git.ts';
import {
  type AgentDeployment,
  type Deployment,
  listDeployments,
  listEnvironmentDeployments,
  rolledBackFrom,
} from './history.ts';
import { agentDir, CONTRACT_FILE, checkSegment, RECORD_FILE } from './layout.ts';
import { deployMessage, parseTrailers, TRAILER, trailer } from './messages.ts';
import { type ChangedFile, contractSectionBudget, renderPullRequestBody, summarizeDiff } from './pr-body.ts';
import { type Operation, type PublishResult, publish } from './publish.ts';
import {
  closePullRequest,
  ensurePullRequest,
  type GitHubRepo,
  type PullRequestOptions,
} from './pull-request.ts';
import { type DeployRecord, parseRecord, serializeRecord } from './record.ts';
import { EnvironmentsRepo, type KeptFile, type RenderedFile } from './repo.ts';
import { planRollback, type RollbackPlan } from './rollback.ts';

/** The side doors every gitops operation goes through. */
export interface GitOpsContext {
  exec: Exec;
  logger: Logger;
  /** Epoch milliseconds; the commit date of what this run writes. */
  now: () => number;
  identity?: GitIdentity;
  /** Environment for git (defaults to the process environment). */
  baseEnv?: NodeJS.ProcessEnv;
  /**
   * Root of the reusable environments-repo mirrors; null: no cache. Default: `defaultCacheDir` of
   * `baseEnv` ($DOCKRION_CACHE_DIR, the runner's tool cache on Actions, $XDG_CACHE_HOME/dockrion).
   */
  cacheDir?: string | null;
}

export interface EnvironmentsTarget {
  /** Any git URL, or a local path. */
  url: string;
  /** environments-token: sent as an HTTP header, never stored. */
  token?: string | null;
  /** Base branch (default `main`). */
  base?: string;
  /** Where deployment PRs are opened; without it PR mode pushes the branch only. */
  github?: GitHubRepo | null;
  /** Web URL prefix for source links in PR bodies (default https://github.com). */
  serverUrl?: string;
}

export interface PublishOptions {
  /** Commit straight to the base branch (environments that need no review). */
  direct?: boolean;
  pullRequest?: PullRequestOptions;
  /** How long rejected pushes are retried (ms; default five minutes). */
  retryBudgetMs?: number;
}

export interface GitOpsOutcome {
  operation: Operation;
  commit: string | null;
  branch: string;
  baseCommit: string | null;
  pullRequest: { number: number; url: string; autoMerge: string } | null;
  changedFiles: ChangedFile[];
  attempts: number;
  /**
   * The folder's contract.json against the one on the base branch (what is deployed now); null
   * when nothing was committed.
   */
  contractChanges: ContractReview | null;
}

export interface DeployOutcome extends GitOpsOutcome {
  record: DeployRecord;
  /** What the folder held before (null for a first deploy). */
  previous: Deployment | null;
}

export interface RollbackOutcome extends GitOpsOutcome {
  from: Deployment | null;
  to: Deployment;
}

export async function withRepo<T>(
  target: EnvironmentsTarget,
  ctx: GitOpsContext,
  fn: (repo: EnvironmentsRepo) => Promise<T>,
): Promise<T> {
  const repo = await EnvironmentsRepo.open({
    url: target.url,
    token: target.token ?? null,
    base: target.base ?? 'main',
    exec: ctx.exec,
    baseEnv: ctx.baseEnv,
    cacheDir: ctx.cacheDir === undefined ? defaultCacheDir(ctx.baseEnv ?? process.env) : ctx.cacheDir,
  });
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

/**
 * Checks that the environments repo is reachable with the token before a deploy spends minutes
 * building an image it could not record.
 */
export async function checkEnvironmentsRepo(target: EnvironmentsTarget, ctx: GitOpsContext): Promise<void> {
  await withRepo(target, ctx, (repo) => repo.probe());
}

export async function changedFiles(
  repo: EnvironmentsRepo,
  from: string | null,
  to: string,
  dir: string,
): Promise<ChangedFile[]> {
  if (to === from) return [];
  const out = await repo.diff(from, to, dir, true);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [status = '', path = ''] = line.split('\t');
      return { status, path };
    });
}

export function sourceUrl(target: EnvironmentsTarget, repository: string | null): string | null {
  if (!repository) return null;
  if (/^https?:\/\//.test(repository)) return redactUrl(repository).replace(/\.git$/, '');
  if (/^[\w.-]+\/[\w.-]+$/.test(repository))
    return `${target.serverUrl ?? 'https://github.com'}/${repository}`;
  return null;
}

/** One shell word: as it is when it holds only characters no shell treats specially, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

export function rollbackCommand(
  target: EnvironmentsTarget,
  environment: string,
  agent: string,
  previous: Deployment | null,
  direct: boolean,
): string | null {
  if (!previous?.version) return null;
  // Every argument is quoted: a version read back from the environments repo is whatever was
  // committed there (`7.0.0 && curl … | sh #` must stay one argument, not become a command).
  return [
    'dockrion rollback',
    `--environments-repo ${shellWord(redactUrl(target.url))}`,
    `--env ${shellWord(environment)}`,
    `--agent ${shellWord(agent)}`,
    `--to ${shellWord(previous.version)}`,
    ...(direct ? ['--direct'] : []),
  ].join(' ');
}

interface PullRequestText {
  title: string;
  body: string;
  files: ChangedFile[];
  environment: string;
  contractChanges: ContractReview;
}

/**
 * Title and body for the PR that carries `commit` (built on `parent`), read back from the commit
 * itself: its `dockrion.json`, its trailers, and the history before it.
 */
async function describeCommit(
  repo: EnvironmentsRepo,
  target: EnvironmentsTarget,
  commit: string,
  parent: string | null,
  dir: string,
): Promise<PullRequestText> {
  const text = await repo.readFile(commit, `${dir}/${RECORD_FILE}`);
  if (text === null) throw new GitOpsError(`${dir}/${RECORD_FILE} is missing at ${commit.slice(0, 12)}`);
  const record = parseRecord(text, `${dir}/${RECORD_FILE}`);
  const message = await repo.message(commit);
  const restored = trailer(parseTrailers(message), TRAILER.restores);
  const previous = (await listDeployments(repo, parent, record.environment, record.agent))[0] ?? null;
  const files = await changedFiles(repo, parent, commit, dir);
  const diff = summarizeDiff(await repo.diff(parent, commit, dir, false));
  const contractChanges = await deployedContractReview(repo, {
    commit,
    parent,
    dir,
    budget: contractSectionBudget,
  });
  const body = renderPullRequestBody({
    kind: restored ? 'rollback' : 'deploy',
    agent: record.agent,
    environment: record.environment,
    version: record.version,
    image: record.image,
    digest: record.digest,
    sourceUrl: sourceUrl(target, record.source.repository),
    sourceRepository: record.source.repository,
    sourceCommit: record.source.commit,
    changedFiles: files,
    diff: diff.diff,
    diffTruncated: diff.truncated,
    rollbackCommand: rollbackCommand(target, record.environment, record.agent, previous, false),
    previousVersion: previous?.version ?? null,
    restoredCommit: restored,
    contractSection: contractChanges.markdown,
  });
  return {
    title: message.split('\n')[0] ?? '',
    body,
    files,
    environment: record.environment,
    contractChanges,
  };
}

/** After the branch holds the change: adopt or open its PR, and describe the change. */
async function finish(
  repo: EnvironmentsRepo,
  target: EnvironmentsTarget,
  options: PublishOptions,
  result: PublishResult,
  dir: string,
  ctx: GitOpsContext,
): Promise<GitOpsOutcome> {
  const changed = result.commit ? await changedFiles(repo, result.baseCommit, result.commit, dir) : [];
  const outcome: GitOpsOutcome = {
    ...result,
    pullRequest: null,
    changedFiles: changed,
    contractChanges: null,
  };
  if (result.removedPending && target.github) {
    // GitHub closes a PR whose head branch is deleted; closing it explicitly also covers mirrors.
    const closed = await closePullRequest(target.github, result.branch, repo.source.base, ctx.logger);
    if (closed) ctx.logger.warn(`closed the stale deployment PR #${closed.number} (${closed.url})`);
  }
  const needsPr =
    !options.direct &&
    result.commit !== null &&
    result.commit !== result.baseCommit &&
    result.operation !== 'superseded';
  const committed = result.commit !== null && result.commit !== result.baseCommit;
  if (committed && result.commit && (options.direct || !target.github)) {
    // No PR to carry the section: the caller still shows it (CLI output, job summary).
    outcome.contractChanges = await deployedContractReview(repo, {
      commit: result.commit,
      parent: result.baseCommit,
      dir,
      budget: contractSectionBudget,
    });
  }
  if (!needsPr || !result.commit) return outcome;
  if (!target.github) {
    if (result.operation === 'pushed') {
      ctx.logger.warn(`pushed ${result.branch}; no GitHub repository configured, so no PR was opened`);
    }
    return outcome;
  }
  const text = await describeCommit(repo, target, result.commit, result.baseCommit, dir);
  const pullRequest = (described: PullRequestText) =>
    ensurePullRequest(
      target.github as NonNullable<EnvironmentsTarget['github']>,
      {
        ...options.pullRequest,
        head: result.branch,
        base: repo.source.base,
        title: described.title,
        body: described.body,
        labels: ['dockrion', `env:${described.environment}`, ...described.contractChanges.labels.add],
        removeLabels: described.contractChanges.labels.remove,
      },
      ctx.logger,
    );
  const ref = await pullRequest(text);
  let contractChanges = text.contractChanges;
  let operation: Operation = result.operation;
  if (ref.created) operation = 'created';
  else if (operation === 'pushed') operation = 'updated';

  // A newer run may have pushed the branch while this one wrote the PR, and the two PR updates can
  // land in either order: describe whatever the branch holds now, so the PR never shows stale text.
  await repo.fetch();
  const latest = await repo.branchTip(result.branch);
  if (latest && latest !== result.commit) {
    const parent = await repo.git.resolve(`${latest}^`);
    const newer = await describeCommit(repo, target, latest, parent, dir);
    await pullRequest(newer);
    contractChanges = newer.contractChanges;
    ctx.logger.info(
      `${result.branch} moved on to ${latest.slice(0, 12)} meanwhile; the PR describes that commit`,
    );
    operation = 'superseded';
  }
  return {
    ...outcome,
    operation,
    pullRequest: { number: ref.number, url: ref.url, autoMerge: ref.autoMerge },
    contractChanges,
  };
}

export interface DeployRequest extends PublishOptions {
  target: EnvironmentsTarget;
  record: DeployRecord;
  /** The agent's contract.json (action/contract `serializeContract`); null writes none. */
  contract?: string | null;
  /** Rendered manifests, relative to `<env>/<agent>/`. */
  files: readonly RenderedFile[];
  /**
   * Deploy a digest even though a rollback moved away from it; also rewrites `volatileFiles`
   * (e.g. to ship rotated secrets when nothing else changed).
   */
  force?: boolean;
  /**
   * Files whose bytes change on every render without a change in meaning (age ciphertext uses a
   * fresh key each time). When everything else in the folder is unchanged, the committed bytes are
   * kept, so a repeated deploy is a no-op.
   */
  volatileFiles?: readonly string[];
  /**
   * Renders the folder's files against what the reference commit (the open PR's tip, else the
   * base tip) holds, instead of `files`: the pipeline keeps committed ciphertext whose meaning
   * did not change, and annotates the pod template with it. Called once per publish attempt.
   */
  renderFiles?: (committed: CommittedFile) => Promise<readonly RenderedFile[]>;
}

/** Reads a file of the agent's folder at the reference commit; null when absent. */
export type CommittedFile = (path: string) => Promise<string | null>;

/**
 * `files` with each volatile file swapped for the blob `reference` already has, when that leaves the
 * folder exactly as `reference` has it; null when something else differs.
 */
export async function keepVolatile(
  repo: EnvironmentsRepo,
  reference: string,
  dir: string,
  files: readonly RenderedFile[],
  volatile: readonly string[],
): Promise<Array<RenderedFile | KeptFile> | null> {
  const kept: Array<RenderedFile | KeptFile> = [];
  for (const file of files) {
    const blob = volatile.includes(file.path) ? await repo.subtree(reference, `${dir}/${file.path}`) : null;
    kept.push(blob ? { path: file.path, blob } : file);
  }
  // The folder's tree depends only on its own files: built alone, without reading the whole
  // environment's tree (hundreds of agents) into an index.
  const tree = await repo.buildTree(null, dir, { files: kept });
  return (await repo.subtree(tree, dir)) === (await repo.subtree(reference, dir)) ? kept : null;
}

/** The record and the contract are written by the deploy itself, never by a renderer. */
export function checkNotReserved(files: readonly RenderedFile[]): void {
  for (const reserved of [RECORD_FILE, CONTRACT_FILE]) {
    if (files.some((f) => f.path === reserved)) {
      throw new GitOpsError(
        `the rendered manifests may not contain ${reserved}; the deploy writes it there itself`,
      );
    }
  }
}

/**
 * One deploy: `<env>/<agent>/` becomes exactly `files` plus `dockrion.json` (and `contract.json`), in one commit on the
 * PR branch (or the base branch with `direct`), then the PR is adopted or opened.
 */
export async function deployToEnvironments(req: DeployRequest, ctx: GitOpsContext): Promise<DeployOutcome> {
  const { record } = req;
  checkSegment('environment', record.environment);
  checkSegment('agent', record.agent);
  checkNotReserved(req.files);
  const recordFiles = [
    { path: RECORD_FILE, content: serializeRecord(record) },
    ...(req.contract ? [{ path: CONTRACT_FILE, content: req.contract }] : []),
  ];
  const time = Math.floor(ctx.now() / 1000);
  return withRepo(req.target, ctx, async (repo) => {
    let previous: Deployment | null = null;
    const result = await publish(
      repo,
      {
        environment: record.environment,
        agent: record.agent,
        direct: req.direct ?? false,
        retryBudgetMs: req.retryBudgetMs,
        time,
        identity: ctx.identity,
        prepare: async ({ baseTip, pendingTip }) => {
          const history = await listDeployments(repo, baseTip, record.environment, record.agent);
          previous = history[0] ?? null;
          const blocker = rolledBackFrom(history, record.digest);
          if (blocker && !req.force) {
            throw new GitOpsError(
              `${record.digest} was rolled back in ${record.environment} by ${blocker.commit.slice(0, 12)} ` +
                `(${blocker.subject}); refusing to deploy it again`,
              'pass --force (Action input `force: true`) if this build really should go back out',
            );
          }
          const message = deployMessage(record);
          const volatile = req.volatileFiles ?? [];
          const reference = pendingTip ?? baseTip;
          const dir = agentDir(record.environment, record.agent);
          const rendered = req.renderFiles
            ? await req.renderFiles((path) =>
                reference ? repo.readFile(reference, `${dir}/${path}`) : Promise.resolve(null),
              )
            : req.files;
          checkNotReserved(rendered);
          const files = [...rendered, ...recordFiles];
          if (reference && volatile.length > 0 && !req.force) {
            const kept = await keepVolatile(
              repo,
              reference,
              agentDir(record.environment, record.agent),
              files,
              volatile,
            );
            if (kept) return { content: { files: kept }, message };
          }
          return { content: { files }, message };
        },
      },
      ctx.logger,
    );
    const dir = agentDir(record.environment, record.agent);
    const outcome = await finish(repo, req.target, req, result, dir, ctx);
    return { ...outcome, record, previous };
  });
}

export interface RollbackRequest extends PublishOptions {
  target: EnvironmentsTarget;
  environment: string;
  agent: string;
  /** A version or a commit (prefix) from `history`. */
  to: string;
}

/** Restores an earlier deploy's folder in a new commit, through the same PR path as a deploy. */
export async function rollbackEnvironment(
  req: RollbackRequest,
  ctx: GitOpsContext,
): Promise<RollbackOutcome> {
  const time = Math.floor(ctx.now() / 1000);
  return withRepo(req.target, ctx, async (repo) => {
    let plan: RollbackPlan | null = null;
    const result = await publish(
      repo,
      {
        environment: req.environment,
        agent: req.agent,
        direct: req.direct ?? false,
        retryBudgetMs: req.retryBudgetMs,
        time,
        identity: ctx.identity,
        prepare: async ({ baseTip }) => {
          plan = await planRollback(repo, baseTip, req.environment, req.agent, req.to);
          return { content: { tree: plan.tree }, message: plan.message };
        },
      },
      ctx.logger,
    );
    const done = plan as RollbackPlan | null;
    if (!done) throw new GitOpsError('rollback was not planned');
    const outcome = await finish(repo, req.target, req, result, agentDir(req.environment, req.agent), ctx);
    return { ...outcome, from: done.current, to: done.target };
  });
}

/** What `dockrion rollback --format json` prints and the Action's rollback mode reports. */
export interface RollbackReport {
  operation: Operation;
  commit: string | null;
  branch: string;
  from: { commit: string; version: string | null; digest: string | null } | null;
  to: { commit: string; version: string | null; digest: string | null };
  pr_url: string | null;
  pr_number: number | null;
}

export function rollbackReport(out: RollbackOutcome): RollbackReport {
  return {
    operation: out.operation,
    commit: out.commit,
    branch: out.branch,
    from: out.from ? { commit: out.from.commit, version: out.from.version, digest: out.from.digest } : null,
    to: { commit: out.to.commit, version: out.to.version, digest: out.to.digest },
    pr_url: out.pullRequest?.url ?? null,
    pr_number: out.pullRequest?.number ?? null,
  };
}

/** What `dockrion history --format json` prints and the Action's `history-json` output holds. */
export interface HistoryReport {
  environment: string;
  agent: string;
  deployments: Deployment[];
}

export interface HistoryRequest {
  target: EnvironmentsTarget;
  environment: string;
  agent: string;
}

/** What `dockrion history --env E [--all] --format json` prints (no `--agent`). */
export interface EnvironmentHistoryReport {
  environment: string;
  /** `latest`: the newest deployment of each agent there now; `all`: every deployment. */
  scope: 'latest' | 'all';
  deployments: AgentDeployment[];
}

export interface EnvironmentHistoryRequest {
  target: EnvironmentsTarget;
  environment: string;
  all: boolean;
}

/** Deployments of every agent in one environment, from one fetch and one pass over the log. */
export async function readEnvironmentHistory(
  req: EnvironmentHistoryRequest,
  ctx: GitOpsContext,
): Promise<EnvironmentHistoryReport> {
  checkSegment('environment', req.environment);
  return withRepo(req.target, ctx, async (repo) => {
    const tip = await repo.fetch();
    return {
      environment: req.environment,
      scope: req.all ? 'all' : 'latest',
      deployments: await listEnvironmentDeployments(repo, tip, req.environment, req.all),
    };
  });
}

/** Deployments of one agent in one environment on the base branch, newest first. */
export async function readHistory(req: HistoryRequest, ctx: GitOpsContext): Promise<Deployment[]> {
  checkSegment('environment', req.environment);
  checkSegment('agent', req.agent);
  return withRepo(req.target, ctx, async (repo) => {
    const tip = await repo.fetch();
    return listDeployments(repo, tip, req.environment, req.agent);
  });
}
