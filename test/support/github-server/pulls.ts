/**
 * Pull requests, labels, requested reviewers, the repository resource and the GraphQL
 * `enablePullRequestAutoMerge` mutation, in GitHub's documented shapes. Register with
 * `startGitHubServer({ routes: [pullRoutes] })`; read and steer state with `pullsState(server)`.
 */
import {
  type GitHubIdentity,
  type GitHubRequest,
  type GitHubServer,
  type GitHubState,
  githubError,
  notFound,
  paginate,
  userJson,
} from '../github-server.ts';
import { bodyTooLong } from './issue-comments.ts';

export interface PullRequestRecord {
  id: number;
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  draft: boolean;
  user: GitHubIdentity;
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  autoMerge: { mergeMethod: string; enabledAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface RepositorySettings {
  allowAutoMerge: boolean;
  defaultBranch: string;
  private: boolean;
}

export interface PullsState {
  pulls: PullRequestRecord[];
  /** `owner/repo` → settings; unknown repos get the defaults. */
  repositories: Map<string, RepositorySettings>;
  /** Logins that can be asked for a review (GitHub: collaborators). */
  collaborators: Set<string>;
  /** Issue numbers are shared by issues and PRs in a repository. */
  nextNumber: Map<string, number>;
}

const KEY = 'pulls';

export function pullsState(server: GitHubServer | GitHubState): PullsState {
  const state = 'state' in server ? server.state : server;
  let pulls = state.extra[KEY] as PullsState | undefined;
  if (!pulls) {
    pulls = { pulls: [], repositories: new Map(), collaborators: new Set(), nextNumber: new Map() };
    state.extra[KEY] = pulls;
  }
  return pulls;
}

function settings(pulls: PullsState, owner: string, repo: string): RepositorySettings {
  return (
    pulls.repositories.get(`${owner}/${repo}`) ?? {
      allowAutoMerge: true,
      defaultBranch: 'main',
      private: true,
    }
  );
}

function ownerJson(login: string, baseUrl: string): Record<string, unknown> {
  return userJson({ login, id: 9000 + login.length, type: 'User', canReadUser: true }, baseUrl);
}

function repoJson(
  owner: string,
  repo: string,
  s: RepositorySettings,
  baseUrl: string,
): Record<string, unknown> {
  return {
    id: 5000 + repo.length,
    node_id: `R_${owner}_${repo}`,
    name: repo,
    full_name: `${owner}/${repo}`,
    owner: ownerJson(owner, baseUrl),
    private: s.private,
    html_url: `https://github.com/${owner}/${repo}`,
    url: `${baseUrl}/repos/${owner}/${repo}`,
    default_branch: s.defaultBranch,
    allow_auto_merge: s.allowAutoMerge,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
  };
}

function labelJson(name: string, baseUrl: string, owner: string, repo: string): Record<string, unknown> {
  const id = [...name].reduce((acc, c) => acc * 31 + c.charCodeAt(0), 7) % 1_000_000;
  return {
    id,
    node_id: `LA_${id}`,
    url: `${baseUrl}/repos/${owner}/${repo}/labels/${encodeURIComponent(name)}`,
    name,
    color: 'ededed',
    default: false,
    description: null,
  };
}

function pullJson(pr: PullRequestRecord, baseUrl: string): Record<string, unknown> {
  const repository = repoJson(
    pr.owner,
    pr.repo,
    { allowAutoMerge: true, defaultBranch: pr.base, private: true },
    baseUrl,
  );
  const branch = (ref: string) => ({
    label: `${pr.owner}:${ref}`,
    ref,
    sha: '0'.repeat(40),
    user: ownerJson(pr.owner, baseUrl),
    repo: repository,
  });
  return {
    url: `${baseUrl}/repos/${pr.owner}/${pr.repo}/pulls/${pr.number}`,
    id: pr.id,
    node_id: `PR_${pr.id}`,
    html_url: `https://github.com/${pr.owner}/${pr.repo}/pull/${pr.number}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(pr.user, baseUrl),
    body: pr.body,
    labels: pr.labels.map((l) => labelJson(l, baseUrl, pr.owner, pr.repo)),
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: null,
    merged_at: null,
    requested_reviewers: pr.requestedReviewers.map((r) => ownerJson(r, baseUrl)),
    requested_teams: pr.requestedTeams.map((t) => ({ name: t, slug: t, id: t.length })),
    head: branch(pr.head),
    base: branch(pr.base),
    draft: pr.draft,
    auto_merge: pr.autoMerge
      ? { enabled_by: userJson(pr.user, baseUrl), merge_method: pr.autoMerge.mergeMethod.toLowerCase() }
      : null,
  };
}

function find(pulls: PullsState, request: GitHubRequest): PullRequestRecord | undefined {
  const { owner, repo, number } = request.params;
  return pulls.pulls.find((p) => p.owner === owner && p.repo === repo && p.number === Number(number));
}

function validationFailed(message: string, field?: string) {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', ...(field ? { field } : {}), message }],
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      status: '422',
    },
  };
}

/**
 * Test helper: a pull request opened by someone else (the user's PR that a validate run is about),
 * with the labels it carries; the number is taken from the repository's issue numbers.
 */
export function seedPullRequest(
  server: GitHubServer,
  where: { owner: string; repo: string; head: string; base: string; title?: string; labels?: string[] },
  user: GitHubIdentity = { login: 'octocat', id: 583231, type: 'User', canReadUser: true },
): PullRequestRecord {
  const pulls = pullsState(server);
  const key = `${where.owner}/${where.repo}`;
  const number = (pulls.nextNumber.get(key) ?? 0) + 1;
  pulls.nextNumber.set(key, number);
  const now = server.state.now();
  const pr: PullRequestRecord = {
    id: server.state.nextId(),
    number,
    owner: where.owner,
    repo: where.repo,
    title: where.title ?? 'Update agent',
    body: null,
    head: where.head,
    base: where.base,
    state: 'open',
    draft: false,
    user,
    labels: [...(where.labels ?? [])],
    requestedReviewers: [],
    requestedTeams: [],
    autoMerge: null,
    createdAt: now,
    updatedAt: now,
  };
  pulls.pulls.push(pr);
  return pr;
}

export function pullRoutes(server: GitHubServer): void {
  const requireAuth = (request: GitHubRequest) =>
    request.identity ? null : githubError(401, 'Requires authentication');

  server.route('GET', '/repos/:owner/:repo', (request, state) => {
    const { owner = '', repo = '' } = request.params;
    return {
      status: 200,
      body: repoJson(owner, repo, settings(pullsState(state), owner, repo), request.baseUrl),
    };
  });

  server.route('GET', '/repos/:owner/:repo/pulls', (request, state) => {
    const { owner, repo } = request.params;
    const wantedState = request.query.state ?? 'open';
    const head = request.query.head;
    const matches = pullsState(state).pulls.filter(
      (p) =>
        p.owner === owner &&
        p.repo === repo &&
        (wantedState === 'all' || p.state === wantedState) &&
        (!head || `${p.owner}:${p.head}` === head) &&
        (!request.query.base || p.base === request.query.base),
    );
    const { page, headers } = paginate(request, matches);
    return { status: 200, body: page.map((p) => pullJson(p, request.baseUrl)), headers };
  });

  server.route('POST', '/repos/:owner/:repo/pulls', (request, state) => {
    const denied = requireAuth(request);
    if (denied || !request.identity) return denied ?? notFound();
    const { owner = '', repo = '' } = request.params;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const head = String(body.head ?? '').replace(new RegExp(`^${owner}:`), '');
    const base = String(body.base ?? '');
    if (!head || !base || typeof body.title !== 'string')
      return validationFailed('head, base and title are required');
    const tooLong = typeof body.body === 'string' ? bodyTooLong(state, 'PullRequest', body.body) : null;
    if (tooLong) return tooLong;
    const pulls = pullsState(state);
    if (
      pulls.pulls.some(
        (p) =>
          p.owner === owner && p.repo === repo && p.head === head && p.base === base && p.state === 'open',
      )
    ) {
      return validationFailed(`A pull request already exists for ${owner}:${head}.`);
    }
    const key = `${owner}/${repo}`;
    const number = (pulls.nextNumber.get(key) ?? 0) + 1;
    pulls.nextNumber.set(key, number);
    const now = state.now();
    const pr: PullRequestRecord = {
      id: state.nextId(),
      number,
      owner,
      repo,
      title: body.title,
      body: typeof body.body === 'string' ? body.body : null,
      head,
      base,
      state: 'open',
      draft: body.draft === true,
      user: request.identity,
      labels: [],
      requestedReviewers: [],
      requestedTeams: [],
      autoMerge: null,
      createdAt: now,
      updatedAt: now,
    };
    pulls.pulls.push(pr);
    return { status: 201, body: pullJson(pr, request.baseUrl) };
  });

  server.route('PATCH', '/repos/:owner/:repo/pulls/:number', (request, state) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const pr = find(pullsState(state), request);
    if (!pr) return notFound();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const tooLong = typeof body.body === 'string' ? bodyTooLong(state, 'PullRequest', body.body) : null;
    if (tooLong) return tooLong;
    if (typeof body.title === 'string') pr.title = body.title;
    if (typeof body.body === 'string') pr.body = body.body;
    if (body.state === 'open' || body.state === 'closed') pr.state = body.state;
    pr.updatedAt = state.now();
    return { status: 200, body: pullJson(pr, request.baseUrl) };
  });

  server.route('POST', '/repos/:owner/:repo/pulls/:number/requested_reviewers', (request, state) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const pulls = pullsState(state);
    const pr = find(pulls, request);
    if (!pr) return notFound();
    const body = (request.body ?? {}) as { reviewers?: string[]; team_reviewers?: string[] };
    const reviewers = body.reviewers ?? [];
    const unknown = reviewers.filter((r) => !pulls.collaborators.has(r) || r === pr.user.login);
    if (unknown.length > 0) {
      return {
        status: 422,
        body: {
          message:
            'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.',
          documentation_url:
            'https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request',
          status: '422',
        },
      };
    }
    pr.requestedReviewers = [...new Set([...pr.requestedReviewers, ...reviewers])];
    pr.requestedTeams = [...new Set([...pr.requestedTeams, ...(body.team_reviewers ?? [])])];
    return { status: 201, body: pullJson(pr, request.baseUrl) };
  });

  // Labels live on the issue that every PR is; unknown labels are created, as on github.com.
  server.route('POST', '/repos/:owner/:repo/issues/:number/labels', (request, state) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const pr = find(pullsState(state), request);
    if (!pr) return notFound();
    const body = request.body as { labels?: string[] } | string[] | undefined;
    const labels = Array.isArray(body) ? body : (body?.labels ?? []);
    pr.labels = [...new Set([...pr.labels, ...labels])];
    return { status: 200, body: pr.labels.map((l) => labelJson(l, request.baseUrl, pr.owner, pr.repo)) };
  });

  server.route('GET', '/repos/:owner/:repo/issues/:number/labels', (request, state) => {
    const pr = find(pullsState(state), request);
    if (!pr) return notFound();
    const { page, headers } = paginate(
      request,
      pr.labels.map((l) => labelJson(l, request.baseUrl, pr.owner, pr.repo)),
    );
    return { status: 200, body: page, headers };
  });

  // GitHub answers with the labels left on the issue, and 404 when the label is not on it.
  server.route('DELETE', '/repos/:owner/:repo/issues/:number/labels/:name', (request, state) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const pr = find(pullsState(state), request);
    if (!pr) return notFound();
    const name = request.params.name ?? '';
    if (!pr.labels.includes(name)) return githubError(404, 'Label does not exist');
    pr.labels = pr.labels.filter((l) => l !== name);
    return { status: 200, body: pr.labels.map((l) => labelJson(l, request.baseUrl, pr.owner, pr.repo)) };
  });

  server.route('POST', '/graphql', (request, state) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const { query = '', variables = {} } = (request.body ?? {}) as {
      query?: string;
      variables?: Record<string, unknown>;
    };
    if (!/enablePullRequestAutoMerge/.test(query)) {
      return {
        status: 200,
        body: { errors: [{ message: 'this stand-in only implements enablePullRequestAutoMerge' }] },
      };
    }
    const pulls = pullsState(state);
    const pr = pulls.pulls.find((p) => `PR_${p.id}` === variables.id);
    if (!pr) {
      return {
        status: 200,
        body: {
          data: { enablePullRequestAutoMerge: null },
          errors: [
            {
              type: 'NOT_FOUND',
              path: ['enablePullRequestAutoMerge'],
              message: `Could not resolve to a node with the global id of '${String(variables.id)}'`,
            },
          ],
        },
      };
    }
    if (!settings(pulls, pr.owner, pr.repo).allowAutoMerge) {
      return {
        status: 200,
        body: {
          data: { enablePullRequestAutoMerge: null },
          errors: [
            {
              type: 'UNPROCESSABLE',
              path: ['enablePullRequestAutoMerge'],
              message: 'Pull request Auto merge is not allowed for this repository',
            },
          ],
        },
      };
    }
    const enabledAt = state.now();
    pr.autoMerge = { mergeMethod: String(variables.mergeMethod ?? 'MERGE'), enabledAt };
    return {
      status: 200,
      body: {
        data: {
          enablePullRequestAutoMerge: { pullRequest: { number: pr.number, autoMergeRequest: { enabledAt } } },
        },
      },
    };
  });
}
