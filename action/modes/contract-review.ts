import { httpStatus } from '../adapters/octokit.ts';
import type { DockSpec } from '../dockfile/types.ts';
import { codePoints, type TextBudget } from '../report/limits.ts';
import { syncLabels } from '../report/pr-labels.ts';
import { reviewPullRequestContract } from '../review/pull-request.ts';
import type { ModeContext } from './context.ts';

/**
 * The room the contract section may take in a comment (GitHub allows 65,536 characters): the
 * validation table keeps the rest, and a section of hundreds of changes says how many it left out.
 */
const SECTION_BUDGET: TextBudget = { max: 20_000, measure: codePoints };

/** What validate adds for one Dockfile of a pull request: the section, and what it decided. */
export interface ContractChanges {
  /** "Contract changes" Markdown for the job summary and the sticky comment. */
  markdown: string;
  /** True when the section has changes to show: worth a comment even on an otherwise clean PR. */
  worthAComment: boolean;
  /** Set with `breaking-changes: fail` when breaking changes are not acknowledged by the label. */
  failure: string | null;
}

/** Why labels could not be written; the contract changes are still in the summary (and comment). */
const readOnlyNotice =
  'the token cannot label this pull request (read-only, e.g. a fork); the contract changes are in the job summary';

/**
 * The head Dockfile's contract against the PR base: the section, the `dockrion:breaking` /
 * `dockrion:widening` labels brought up to date, and the `breaking-changes` policy. Null when the
 * run is not about a pull request.
 */
export async function contractChanges(
  ctx: ModeContext,
  dockfile: string,
  head: DockSpec | null,
  labels: 'sync' | LabelChange[] = 'sync',
): Promise<ContractChanges | null> {
  const pr = ctx.run.pullRequest;
  if (!pr) return null;
  const review = await reviewPullRequestContract({
    exec: ctx.exec,
    processEnv: ctx.env,
    workspace: ctx.run.workspace,
    dockfile,
    head,
    base: { sha: pr.baseSha, ref: pr.baseRef },
    budget: SECTION_BUDGET,
  });
  ctx.logger.info(`contract changes of ${dockfile}: ${review.summary}`);
  if (review.diff !== null) {
    if (labels === 'sync') await updateLabels(ctx, pr.number, review.labels);
    else labels.push(review.labels);
  }

  const breaking = review.diff?.breaking ?? [];
  const acknowledged = pr.labels.includes(ctx.inputs.breakingChangesAckLabel);
  let failure: string | null = null;
  if (breaking.length > 0 && ctx.inputs.breakingChanges === 'fail') {
    if (acknowledged) {
      ctx.logger.info(
        `${breaking.length} breaking contract change(s) acknowledged by the label ${ctx.inputs.breakingChangesAckLabel}`,
      );
    } else {
      const [first] = breaking;
      const more = breaking.length > 1 ? ` (+${breaking.length - 1} more in the job summary)` : '';
      failure =
        `${dockfile}: ${breaking.length} breaking contract change(s): ${first?.message ?? ''}${more}` +
        ` — fix: keep today's callers working, or add the label '${ctx.inputs.breakingChangesAckLabel}' to the pull request to acknowledge them`;
    }
  }
  const changed = review.diff !== null && Object.values(review.diff).some((list) => list.length > 0);
  return { markdown: review.markdown, worthAComment: changed, failure };
}

/** The labels one Dockfile's contract review calls for. */
export interface LabelChange {
  add: string[];
  remove: string[];
}

/**
 * Several Dockfiles in one pull request: the labels every reviewed agent calls for, written once.
 * A label any agent adds stays (one agent's breaking change must not be undone by another agent
 * without one); a label is removed only when no agent adds it.
 */
export async function syncCollectedLabels(
  ctx: ModeContext,
  collected: readonly LabelChange[],
): Promise<void> {
  const pr = ctx.run.pullRequest;
  if (!pr || collected.length === 0) return;
  const add = [...new Set(collected.flatMap((c) => c.add))].sort();
  const remove = [...new Set(collected.flatMap((c) => c.remove))].filter((l) => !add.includes(l)).sort();
  await updateLabels(ctx, pr.number, { add, remove });
}

async function updateLabels(
  ctx: ModeContext,
  issueNumber: number,
  labels: { add: string[]; remove: string[] },
): Promise<void> {
  const pr = ctx.run.pullRequest;
  if (pr?.isFork && ctx.run.eventName === 'pull_request') {
    if (labels.add.length > 0) ctx.logger.warn(`pull request from a fork: ${readOnlyNotice}`);
    return;
  }
  if (ctx.inputs.githubToken === '') {
    if (labels.add.length > 0) ctx.logger.warn(`no github-token: ${readOnlyNotice}`);
    return;
  }
  try {
    const { added, removed } = await syncLabels(
      ctx.github(),
      { owner: ctx.run.owner, repo: ctx.run.repo, issueNumber },
      labels,
    );
    if (added.length > 0) ctx.logger.info(`labelled the pull request: ${added.join(', ')}`);
    if (removed.length > 0) ctx.logger.info(`removed label(s) no longer called for: ${removed.join(', ')}`);
  } catch (e: unknown) {
    const status = httpStatus(e);
    if (status === 403 || status === 404) {
      ctx.logger.warn(readOnlyNotice);
      return;
    }
    ctx.logger.warn(
      `could not update the pull request's labels (${status ?? 'network error'}); the contract changes are in the job summary`,
    );
  }
}
