/**
 * A loopback stand-in for the GitHub REST API: node:http, in-memory state, GitHub's documented
 * JSON shapes, `Authorization: token|Bearer` auth and `Link` pagination. Real Octokit talks to it
 * through `createOctokit({ baseUrl: server.url })`.
 *
 * Routes live in `test/support/github-server/*.ts`; each exports a function that registers its
 * routes on a server (`server.route(method, '/repos/:owner/:repo/…', handler)`) and keeps its data
 * in `server.state` (add a field to `GitHubState.extra` under your own key). `startGitHubServer()`
 * installs the core routes (users, issue comments); pass more with `routes`.
 *
 * Every request is first checked against GitHub's published API description (REST:
 * `@octokit/openapi`'s api.github.com.json, see `github-server/openapi.ts`; GraphQL:
 * `@octokit/graphql-schema`, see `github-server/graphql.ts`). A request the description rejects is
 * answered as GitHub would (404 for an unknown path or method, 422 naming the broken rule, GraphQL
 * `errors`) without reaching a route, and recorded as a violation. Recorded violations fail the
 * test that made them: an `afterEach` registered by this module throws them, and `close()` rejects
 * with any not reported yet. A test that sends bad requests on purpose takes them with
 * `takeViolations()`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { checkGraphqlRequest } from './github-server/graphql.ts';
import { issueCommentRoutes } from './github-server/issue-comments.ts';
import { checkRestRequest, describedOperation } from './github-server/openapi.ts';
import {
  type ApiViolation,
  type GitHubResponse,
  type GitHubServer,
  type GitHubState,
  githubError,
  notFound,
  type RouteHandler,
  type RouteRegistration,
} from './github-server/routes.ts';
import { userRoutes } from './github-server/users.ts';

export * from './github-server/routes.ts';

function createState(): GitHubState {
  let id = 1000;
  let clock = Date.UTC(2026, 0, 1);
  return {
    tokens: new Map([
      // The workflow's GITHUB_TOKEN: an installation token acting as github-actions[bot].
      ['ghs_workflow_token', { login: 'github-actions[bot]', id: 41898282, type: 'Bot', canReadUser: false }],
    ]),
    readOnly: false,
    requests: [],
    nextId: () => ++id,
    now: () => {
      clock += 1000;
      return new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
    },
    issueComments: new Map(),
    extra: {},
  };
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

function compile(pattern: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), names };
}

async function readBodyText(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Servers whose violations have not all been reported; checked after every test. */
const unreported = new Set<{ pending(): ApiViolation[] }>();

export function formatViolations(violations: readonly ApiViolation[]): string {
  const lines = violations.flatMap((v) => [
    `${v.method} ${v.url}  →  ${v.operation}`,
    ...v.rules.map((r) => `    ${r}`),
  ]);
  return `the loopback GitHub received ${violations.length} request(s) that GitHub's API description rejects:\n  ${lines.join('\n  ')}`;
}

function throwUnreportedViolations(): void {
  const violations = [...unreported].flatMap((server) => server.pending());
  if (violations.length > 0) throw new Error(formatViolations(violations));
}

// Registered on the root suite of every test file that imports this module (vitest evaluates it
// afresh per file), so no test can forget it. Violations from a beforeAll surface after the first
// test, or from close() in afterAll.
try {
  afterEach(throwUnreportedViolations);
} catch {
  // Not inside a test file (a benchmark run with tsx, a globalSetup): no test to fail there, and
  // close() rejecting is the check.
}

/** Checks a request against GitHub's API description; null when it is allowed. */
function checkRequest(
  method: string,
  url: URL,
  contentType: string | undefined,
  bodyText: string | undefined,
): { operation: string; rules: string[]; response: GitHubResponse } | null {
  if (url.pathname === '/graphql' && method === 'POST') {
    const rules = checkGraphqlRequest(parseBody(bodyText));
    if (rules.length === 0) return null;
    // GitHub answers an invalid document with 200 and `errors`, never reaching a resolver.
    return {
      operation: 'POST /graphql',
      rules,
      response: { status: 200, body: { errors: rules.map((message) => ({ message })) } },
    };
  }
  const finding = checkRestRequest({
    method,
    path: url.pathname,
    searchParams: url.searchParams,
    contentType,
    bodyText,
  });
  if (!finding) return null;
  const message = finding.status === 404 ? 'Not Found' : `Invalid request.\n\n${finding.rules.join('\n')}`;
  return {
    operation: finding.operation,
    rules: finding.rules,
    response: {
      status: finding.status,
      body: { message, documentation_url: finding.documentationUrl, status: String(finding.status) },
    },
  };
}

export async function startGitHubServer(
  options: { routes?: RouteRegistration[] } = {},
): Promise<GitHubServer> {
  const state = createState();
  const routes: Route[] = [];
  /** Recorded and not yet reported (by the afterEach check, close() or takeViolations()). */
  const violations: ApiViolation[] = [];
  const tracker = { pending: () => violations.splice(0) };
  unreported.add(tracker);
  let baseUrl = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', baseUrl);
    const method = (request.method ?? 'GET').toUpperCase();
    const bodyText = await readBodyText(request);
    const body = parseBody(bodyText);
    const query = Object.fromEntries(url.searchParams);
    const authorization = request.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(authorization)?.[1]?.trim();
    const identity = token ? (state.tokens.get(token) ?? null) : null;
    state.requests.push({ method, path: url.pathname, query, body, login: identity?.login ?? null });

    let violation: ReturnType<typeof checkRequest>;
    try {
      violation = checkRequest(method, url, request.headers['content-type'], bodyText);
    } catch (e: unknown) {
      // A request the checker cannot judge must not pass unnoticed: it fails the test too.
      const message = `the API description check itself failed: ${e instanceof Error ? e.message : String(e)}`;
      violation = {
        operation: `${method} ${url.pathname}`,
        rules: [message],
        response: githubError(500, message),
      };
    }
    if (violation) {
      violations.push({
        method,
        url: `${url.pathname}${url.search}`,
        operation: violation.operation,
        rules: violation.rules,
      });
    }
    let result: GitHubResponse;
    if (violation) {
      result = violation.response;
    } else if (token && !identity) {
      result = githubError(401, 'Bad credentials');
    } else if (state.readOnly && method !== 'GET' && method !== 'HEAD') {
      result = githubError(403, 'Resource not accessible by integration');
    } else {
      const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
      if (!route) {
        result = notFound();
      } else {
        const match = route.pattern.exec(url.pathname) ?? [];
        const params = Object.fromEntries(
          route.names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')]),
        );
        try {
          result = await route.handler(
            { method, path: url.pathname, params, query, body, identity, baseUrl },
            state,
          );
        } catch (e: unknown) {
          result = githubError(500, e instanceof Error ? e.message : String(e));
        }
      }
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': '4102444800',
      ...result.headers,
    };
    response.writeHead(result.status, headers);
    response.end(result.body === undefined ? '' : JSON.stringify(result.body));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const github: GitHubServer = {
    url: baseUrl,
    state,
    route(method, pattern, handler) {
      if (!describedOperation(method, pattern))
        throw new Error(`${method} ${pattern} is not an operation of GitHub's API description`);
      routes.push({ method: method.toUpperCase(), ...compile(pattern), handler });
    },
    takeViolations: () => violations.splice(0),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      });
      const fresh = tracker.pending();
      unreported.delete(tracker);
      if (fresh.length > 0) throw new Error(formatViolations(fresh));
    },
  };
  try {
    for (const register of [userRoutes, issueCommentRoutes, ...(options.routes ?? [])]) register(github);
  } catch (e: unknown) {
    await github.close();
    throw e;
  }
  return github;
}
