import {
  type GitHubRequest,
  type GitHubResponse,
  type GitHubState,
  githubError,
  type IssueComment,
  notFound,
  paginate,
  type RouteRegistration,
  userJson,
} from './routes.ts';

const key = (owner: string, repo: string, issueNumber: number) => `${owner}/${repo}#${issueNumber}`;

/** GitHub's limit for comment and PR bodies, in characters (Unicode code points). */
export const GITHUB_BODY_MAX = 65_536;
const LIMIT_KEY = 'issueComments.bodyLimit';

/**
 * Lowers the body limit of this server, so a test can have GitHub refuse one body (422) and accept
 * a shorter one, as it does past 65,536 characters, without building megabytes of text.
 */
export function setCommentBodyLimit(state: GitHubState, limit: number): void {
  state.extra[LIMIT_KEY] = limit;
}

/** The 422 GitHub answers for a body over its limit, or null when the body fits. */
export function bodyTooLong(
  state: GitHubState,
  resource: 'IssueComment' | 'PullRequest',
  body: string,
): GitHubResponse | null {
  const limit = (state.extra[LIMIT_KEY] as number | undefined) ?? GITHUB_BODY_MAX;
  if ([...body].length <= limit) return null;
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [
        {
          resource,
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${limit} characters)`,
        },
      ],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422',
    },
  };
}

/** An issue comment in the shape of GitHub's "Get an issue comment" response. */
export function issueCommentJson(comment: IssueComment, baseUrl: string): Record<string, unknown> {
  const repoApi = `${baseUrl}/repos/${comment.owner}/${comment.repo}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${repoApi}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${comment.owner}/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoApi}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(comment.user, baseUrl),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
    reactions: { total_count: 0 },
  };
}

/** Test helper: put a comment on an issue directly (e.g. someone else's, or 100+ of them). */
export function seedIssueComment(
  state: GitHubState,
  where: { owner: string; repo: string; issueNumber: number },
  body: string,
  user: IssueComment['user'],
): IssueComment {
  const now = state.now();
  const comment: IssueComment = { id: state.nextId(), ...where, body, user, createdAt: now, updatedAt: now };
  const list = state.issueComments.get(key(where.owner, where.repo, where.issueNumber)) ?? [];
  list.push(comment);
  state.issueComments.set(key(where.owner, where.repo, where.issueNumber), list);
  return comment;
}

function findComment(state: GitHubState, owner: string, repo: string, id: number): IssueComment | undefined {
  for (const list of state.issueComments.values()) {
    const found = list.find((c) => c.id === id && c.owner === owner && c.repo === repo);
    if (found) return found;
  }
  return undefined;
}

function bodyText(request: GitHubRequest): string | undefined {
  const body = (request.body as { body?: unknown } | undefined)?.body;
  return typeof body === 'string' ? body : undefined;
}

export const issueCommentRoutes: RouteRegistration = (server) => {
  server.route('GET', '/repos/:owner/:repo/issues/:number/comments', (request, state) => {
    const { owner = '', repo = '', number = '' } = request.params;
    const list = state.issueComments.get(key(owner, repo, Number(number))) ?? [];
    const { page, headers } = paginate(request, list);
    return { status: 200, body: page.map((c) => issueCommentJson(c, request.baseUrl)), headers };
  });

  server.route('POST', '/repos/:owner/:repo/issues/:number/comments', (request, state) => {
    if (!request.identity) return githubError(401, 'Requires authentication');
    const text = bodyText(request);
    if (text === undefined) return githubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    const tooLong = bodyTooLong(state, 'IssueComment', text);
    if (tooLong) return tooLong;
    const { owner = '', repo = '', number = '' } = request.params;
    const comment = seedIssueComment(
      state,
      { owner, repo, issueNumber: Number(number) },
      text,
      request.identity,
    );
    return {
      status: 201,
      body: issueCommentJson(comment, request.baseUrl),
      headers: { location: `${request.baseUrl}/repos/${owner}/${repo}/issues/comments/${comment.id}` },
    };
  });

  server.route('PATCH', '/repos/:owner/:repo/issues/comments/:id', (request, state) => {
    if (!request.identity) return githubError(401, 'Requires authentication');
    const comment = findComment(
      state,
      request.params.owner ?? '',
      request.params.repo ?? '',
      Number(request.params.id),
    );
    if (!comment) return notFound();
    // Only the author (or a maintainer, not modelled) may edit a comment.
    if (comment.user.login !== request.identity.login)
      return githubError(403, 'Resource not accessible by integration');
    const text = bodyText(request);
    if (text === undefined) return githubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    const tooLong = bodyTooLong(state, 'IssueComment', text);
    if (tooLong) return tooLong;
    comment.body = text;
    comment.updatedAt = state.now();
    return { status: 200, body: issueCommentJson(comment, request.baseUrl) };
  });
};
