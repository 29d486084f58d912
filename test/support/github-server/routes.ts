/** The stand-in's shared types and the helpers every route module answers with. */
export interface GitHubIdentity {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  /** Installation and workflow tokens get 403 from GET /user. */
  canReadUser: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  login: string | null;
}

export interface GitHubState {
  /** token → who it acts as. */
  tokens: Map<string, GitHubIdentity>;
  /** Every write answers 403 "Resource not accessible by integration" (a read-only token). */
  readOnly: boolean;
  requests: RecordedRequest[];
  /** Monotonic ids and timestamps, so responses are deterministic. */
  nextId(): number;
  now(): string;
  /** `owner/repo#number` → comments, oldest first. */
  issueComments: Map<string, IssueComment[]>;
  /** Other route files keep their data here, each under its own key. */
  extra: Record<string, unknown>;
}

export interface IssueComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: GitHubIdentity;
  createdAt: string;
  updatedAt: string;
}

/** A request that GitHub's API description rejects. */
export interface ApiViolation {
  method: string;
  /** As sent, with the query string. */
  url: string;
  /** The operation it matched (`POST /repos/{owner}/{repo}/pulls (pulls/create)`), or `POST /graphql`. */
  operation: string;
  rules: string[];
}

export interface GitHubRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** null for anonymous requests (handlers decide whether that is allowed). */
  identity: GitHubIdentity | null;
  /** Absolute base URL of this server, for `url`/`html_url` fields and Link headers. */
  baseUrl: string;
}

export interface GitHubResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (
  request: GitHubRequest,
  state: GitHubState,
) => GitHubResponse | Promise<GitHubResponse>;
export type RouteRegistration = (server: GitHubServer) => void;

export interface GitHubServer {
  url: string;
  state: GitHubState;
  route(method: string, pattern: string, handler: RouteHandler): void;
  /** Returns the violations not reported yet and forgets them (for tests that send bad requests on purpose). */
  takeViolations(): ApiViolation[];
  /** Stops the server; rejects if requests violated the API description and were not reported yet. */
  close(): Promise<void>;
}

const docs = 'https://docs.github.com/rest';

export function githubError(status: number, message: string): GitHubResponse {
  return { status, body: { message, documentation_url: docs, status: String(status) } };
}

export const notFound = (): GitHubResponse => githubError(404, 'Not Found');

/** The `user` object GitHub embeds in comments, PRs and so on. */
export function userJson(identity: GitHubIdentity, baseUrl: string): Record<string, unknown> {
  return {
    login: identity.login,
    id: identity.id,
    node_id: `U_${identity.id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${identity.id}?v=4`,
    url: `${baseUrl}/users/${encodeURIComponent(identity.login)}`,
    html_url: `https://github.com/${identity.login}`,
    type: identity.type,
    site_admin: false,
  };
}

/**
 * Slices `items` per `per_page`/`page` as GitHub does (default 30, max 100) and builds the
 * `Link` header with absolute URLs.
 */
export function paginate<T>(
  request: GitHubRequest,
  items: readonly T[],
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(request.query.per_page ?? 30) || 30));
  const page = Math.max(1, Number(request.query.page ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const query = new URLSearchParams({ ...request.query, per_page: String(perPage), page: String(p) });
    return `<${request.baseUrl}${request.path}?${query}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}
