import type { GitHubClient } from '../adapters/octokit.ts';

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden HTML comment that identifies our comment among all others. */
  marker: string;
}

export type StickyCommentResult =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  | { action: 'skipped'; id: null; url: null };

/** `<!-- dockrion:validate:<path> -->`; `--` cannot appear inside an HTML comment. */
export function validationMarker(dockfilePath: string): string {
  return `<!-- dockrion:validate:${dockfilePath.replace(/--/g, '-\u2010')} -->`;
}

/** The HTTP status of an Octokit RequestError, or undefined for other failures. */
export function httpStatus(e: unknown): number | undefined {
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
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
  options: { createIfMissing: boolean },
): Promise<StickyCommentResult> {
  const identity = await tokenIdentity(client);
  const fullBody = `${target.marker}\n${body}`;
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
    const { data } = await client.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: ours.id,
      body: fullBody,
    });
    return { action: 'updated', id: data.id, url: data.html_url };
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
