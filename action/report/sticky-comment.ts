import { DockrionError } from '../../shared/errors.ts';
import { type GitHubClient, httpStatus } from '../adapters/octokit.ts';
import { bodyBudget, type TextBudget, truncateText } from './limits.ts';

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden HTML comment that identifies our comment among all others. */
  marker: string;
}

export type StickyCommentResult =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  /** The report was refused (`status`); the comment now says it is out of date. */
  | { action: 'marked-stale'; id: number; url: string; status: number | undefined }
  | { action: 'skipped'; id: null; url: null };

/**
 * Our comment exists but could be neither updated nor marked out of date: it still shows an
 * earlier report, so the step must fail rather than leave, say, an old ✅ standing.
 */
export class StaleCommentError extends DockrionError {
  readonly status: number | undefined;
  readonly url: string;
  constructor(url: string, status: number | undefined, cause: unknown) {
    super(
      `could not update the PR comment ${url} (${status ? `HTTP ${status}` : 'network error'}); it still shows an earlier report`,
      {
        code: 'github',
        hint: 'give the job `pull-requests: write` (the comment is edited with github-token), or delete that comment',
        cause,
      },
    );
    this.status = status;
    this.url = url;
  }
}

/** What the report part of a comment may take, after the marker line. */
export function commentBudget(marker: string): TextBudget {
  return { max: bodyBudget.max - bodyBudget.measure(`${marker}\n`), measure: bodyBudget.measure };
}

/** `<!-- dockrion:validate:<path> -->`; `--` cannot appear inside an HTML comment. */
export function validationMarker(dockfilePath: string): string {
  return `<!-- dockrion:validate:${dockfilePath.replace(/--/g, '-\u2010')} -->`;
}

/**
 * Who the token acts as. Workflow and installation tokens cannot call GET /user (403
 * "Resource not accessible by integration"): then the author is a bot, `null` here.
 */
export async function tokenIdentity(client: GitHubClient): Promise<string | null> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (e: unknown) {
    const status = httpStatus(e);
    if (status === 403 || status === 401 || status === 404) return null;
    throw e;
  }
}

/**
 * Creates or updates the one comment carrying `marker` that the token's identity wrote.
 * With `createIfMissing: false` nothing is posted when no such comment exists yet, so a clean PR
 * stays quiet while a fixed one gets its earlier report turned into a success message.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  target: StickyCommentTarget,
  body: string,
  options: {
    createIfMissing: boolean;
    /** Written instead when GitHub refuses `body` for an existing comment (e.g. 422, 403). */
    staleBody?: string;
  },
): Promise<StickyCommentResult> {
  const identity = await tokenIdentity(client);
  // Callers size the report (commentBudget); this only guards the limit if one did not.
  const fullBody = truncateText(
    `${target.marker}\n${body}`,
    bodyBudget,
    "\n\n_(cut to fit GitHub's comment size limit)_\n",
  );
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  const ours = comments.find((c) => {
    if (!c.body?.includes(target.marker)) return false;
    const login = c.user?.login;
    return identity !== null ? login === identity : login === 'github-actions[bot]' || c.user?.type === 'Bot';
  });
  if (ours) {
    if (ours.body === fullBody) return { action: 'unchanged', id: ours.id, url: ours.html_url };
    const update = (text: string) =>
      client.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: ours.id,
        body: text,
      });
    try {
      const { data } = await update(fullBody);
      return { action: 'updated', id: data.id, url: data.html_url };
    } catch (refused: unknown) {
      const status = httpStatus(refused);
      if (options.staleBody !== undefined) {
        try {
          const { data } = await update(`${target.marker}\n${options.staleBody}`);
          return { action: 'marked-stale', id: data.id, url: data.html_url, status };
        } catch {
          // Fall through: the comment keeps its earlier report.
        }
      }
      throw new StaleCommentError(ours.html_url, status, refused);
    }
  }
  if (!options.createIfMissing) return { action: 'skipped', id: null, url: null };
  const { data } = await client.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    body: fullBody,
  });
  return { action: 'created', id: data.id, url: data.html_url };
}
