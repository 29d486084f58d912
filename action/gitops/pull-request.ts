import { GitOpsError } from '../../shared/errors.ts';
import type { Logger } from '../adapters/logger.ts';
import { type GitHubClient, httpStatus } from '../adapters/octokit.ts';
import { labelNames, syncLabels } from '../report/pr-labels.ts';
import { TOKEN_HINT } from './remote-errors.ts';

export interface GitHubRepo {
  client: GitHubClient;
  owner: string;
  repo: string;
}

export interface PullRequestOptions {
  draft?: boolean;
  /** Users, or `org/team` for team reviewers. */
  reviewers?: readonly string[];
  /** Enable GitHub auto-merge (degrades to a warning when the repo does not allow it). */
  autoMerge?: boolean;
  mergeMethod?: 'MERGE' | 'SQUASH' | 'REBASE';
}

export interface PullRequestRef {
  number: number;
  url: string;
  created: boolean;
  autoMerge: 'enabled' | 'unavailable' | 'off';
}

export interface EnsurePullRequestInput extends PullRequestOptions {
  head: string;
  base: string;
  title: string;
  body: string;
  labels: readonly string[];
  /** Labels this tool put on the PR earlier that no longer apply (e.g. `dockrion:breaking`). */
  removeLabels?: readonly string[];
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function apiError(action: string, e: unknown): GitOpsError {
  const status = httpStatus(e);
  const hint = status === 401 || status === 403 || status === 404 ? TOKEN_HINT : null;
  return new GitOpsError(
    `GitHub API: ${action} failed${status ? ` (HTTP ${status})` : ''}: ${messageOf(e)}`,
    hint,
    e,
  );
}

async function findOpen(gh: GitHubRepo, head: string, base: string) {
  const { data } = await gh.client.rest.pulls.list({
    owner: gh.owner,
    repo: gh.repo,
    state: 'open',
    head: `${gh.owner}:${head}`,
    base,
    per_page: 10,
  });
  return data.find((p) => p.head.ref === head) ?? null;
}

/** Closes the open PR for `head`, if any; failures are warnings (the branch is already gone). */
export async function closePullRequest(
  gh: GitHubRepo,
  head: string,
  base: string,
  logger: Logger,
): Promise<{ number: number; url: string } | null> {
  try {
    const pr = await findOpen(gh, head, base);
    if (!pr) return null;
    await gh.client.rest.pulls.update({
      owner: gh.owner,
      repo: gh.repo,
      pull_number: pr.number,
      state: 'closed',
    });
    return { number: pr.number, url: pr.html_url };
  } catch (e: unknown) {
    logger.warn(`could not close the stale PR for ${head}: ${messageOf(e)}`);
    return null;
  }
}

/**
 * Adopts the open PR for `head` (updating title and body) or opens one; then labels, reviewers
 * and auto-merge. A PR created by a concurrent run in between is adopted, never duplicated.
 */
export async function ensurePullRequest(
  gh: GitHubRepo,
  input: EnsurePullRequestInput,
  logger: Logger,
): Promise<PullRequestRef> {
  const { owner, repo, client } = gh;
  let pr: { number: number; html_url: string; node_id: string; draft?: boolean } | null;
  let created = false;
  // An open PR (ours, or one a concurrent run opened) gets this run's title and body.
  const describe = (number: number) =>
    client.rest.pulls.update({ owner, repo, pull_number: number, title: input.title, body: input.body });
  try {
    pr = await findOpen(gh, input.head, input.base);
    if (pr) {
      await describe(pr.number);
    } else {
      try {
        const { data } = await client.rest.pulls.create({
          owner,
          repo,
          head: input.head,
          base: input.base,
          title: input.title,
          body: input.body,
          draft: input.draft ?? false,
        });
        pr = data;
        created = true;
      } catch (e: unknown) {
        // 422 "A pull request already exists": a concurrent run won the race; adopt its PR.
        if (httpStatus(e) !== 422) throw e;
        pr = await findOpen(gh, input.head, input.base);
        if (!pr) throw e;
        await describe(pr.number);
      }
    }
  } catch (e: unknown) {
    if (e instanceof GitOpsError) throw e;
    throw apiError(`opening the deployment PR for ${input.head}`, e);
  }

  try {
    // addLabels answers with every label the PR now carries: what to take off is known without a read.
    const current =
      input.labels.length > 0
        ? labelNames(
            (
              await client.rest.issues.addLabels({
                owner,
                repo,
                issue_number: pr.number,
                labels: [...input.labels],
              })
            ).data,
          )
        : undefined;
    if ((input.removeLabels ?? []).length > 0) {
      await syncLabels(
        client,
        { owner, repo, issueNumber: pr.number },
        { add: [], remove: input.removeLabels ?? [] },
        current,
      );
    }
  } catch (e: unknown) {
    logger.warn(`could not label PR #${pr.number}: ${messageOf(e)}`);
  }

  const reviewers = (input.reviewers ?? []).filter((r) => r.trim().length > 0);
  if (reviewers.length > 0) {
    const teams = reviewers.filter((r) => r.includes('/')).map((r) => r.split('/').pop() as string);
    const users = reviewers.filter((r) => !r.includes('/'));
    try {
      await client.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: pr.number,
        reviewers: users,
        team_reviewers: teams,
      });
    } catch (e: unknown) {
      logger.warn(`could not request reviewers ${reviewers.join(', ')} on PR #${pr.number}: ${messageOf(e)}`);
    }
  }

  let autoMerge: PullRequestRef['autoMerge'] = 'off';
  if (input.autoMerge) autoMerge = await enableAutoMerge(gh, pr, input, logger);
  return { number: pr.number, url: pr.html_url, created, autoMerge };
}

async function enableAutoMerge(
  gh: GitHubRepo,
  pr: { number: number; node_id: string; draft?: boolean },
  input: EnsurePullRequestInput,
  logger: Logger,
): Promise<PullRequestRef['autoMerge']> {
  if (input.draft || pr.draft) {
    logger.warn(`auto-merge is not enabled on PR #${pr.number}: GitHub does not auto-merge draft PRs`);
    return 'unavailable';
  }
  try {
    const { data: repository } = await gh.client.rest.repos.get({ owner: gh.owner, repo: gh.repo });
    if (repository.allow_auto_merge === false) {
      logger.warn(
        `auto-merge is not allowed in ${gh.owner}/${gh.repo}; PR #${pr.number} needs a manual merge ` +
          '(enable "Allow auto-merge" in the repository settings)',
      );
      return 'unavailable';
    }
    await gh.client.graphql(
      `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod) {
        enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $mergeMethod}) {
          pullRequest { number autoMergeRequest { enabledAt } }
        }
      }`,
      { id: pr.node_id, mergeMethod: input.mergeMethod ?? 'SQUASH' },
    );
    return 'enabled';
  } catch (e: unknown) {
    logger.warn(`could not enable auto-merge on PR #${pr.number}: ${messageOf(e)}`);
    return 'unavailable';
  }
}

/** `owner/name` from a GitHub URL (https or ssh), or null for anything else. */
export function githubRepoFromUrl(url: string, host = 'github.com'): { owner: string; repo: string } | null {
  const escaped = host.replace(/\./g, '\\.');
  const m =
    new RegExp(`^https?://(?:[^@/]+@)?${escaped}/([^/]+)/([^/]+?)(?:\\.git)?/?$`, 'i').exec(url) ??
    new RegExp(`^(?:ssh://)?git@${escaped}[:/]([^/]+)/([^/]+?)(?:\\.git)?/?$`, 'i').exec(url);
  return m?.[1] && m[2] ? { owner: m[1], repo: m[2] } : null;
}
