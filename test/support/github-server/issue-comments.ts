import {
  type GitHubRequest,
  type GitHubState,
  githubError,
  type IssueComment,
  notFound,
  paginate,
  type RouteRegistration,
  userJson,
} from '../github-server.ts';

const key = (owner: string, repo: string, issueNumber: number) => `${owner}/${repo}#${issueNumber}`;

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
    comment.body = text;
    comment.updatedAt = state.now();
    return { status: 200, body: issueCommentJson(comment, request.baseUrl) };
  });
};
