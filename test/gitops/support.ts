import { nodeExec } from '../../action/adapters/exec.ts';
import { type Logger, silentLogger } from '../../action/adapters/logger.ts';
import { createOctokit } from '../../action/adapters/octokit.ts';
import type { EnvironmentsTarget, GitOpsContext } from '../../action/gitops/index.ts';
import { GitOpsError } from '../../shared/errors.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { environmentsRepo, type Sandbox, sandbox } from './fixtures.ts';

/** A context with a controllable clock and a logger that keeps what it was told. */
export function context(
  startSeconds = 1_800_000_000,
): GitOpsContext & { lines: string[]; tick(s: number): void } {
  let now = startSeconds * 1000;
  const lines: string[] = [];
  const base = silentLogger();
  const logger: Logger = {
    ...base,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  return {
    exec: nodeExec(),
    logger,
    now: () => now,
    lines,
    tick(s: number) {
      now += s * 1000;
    },
  };
}

/** The GitOpsError a promise rejects with; anything else (or success) fails the test. */
export async function gitOpsFailure(promise: Promise<unknown>): Promise<GitOpsError> {
  try {
    await promise;
  } catch (e: unknown) {
    if (e instanceof GitOpsError) return e;
    throw e;
  }
  throw new Error('expected a GitOpsError, but the operation succeeded');
}

/** A loopback GitHub with the pulls routes where `token` is the environments token (`deploy-bot`). */
export async function startPullsGitHub(token: string): Promise<GitHubServer> {
  const github = await startGitHubServer({ routes: [pullRoutes] });
  github.state.tokens.set(token, { login: 'deploy-bot', id: 77, type: 'User', canReadUser: true });
  return github;
}

/**
 * A fresh sandbox with a bare `environments` repo and the target that deploys to it through
 * `github`, whose pull requests, repositories and request log start empty (each test its own).
 */
export function freshEnvironments(
  github: GitHubServer,
  token: string,
): { box: Sandbox; bare: string; target: EnvironmentsTarget } {
  const box = sandbox();
  const bare = environmentsRepo(box.dir);
  const pulls = pullsState(github);
  pulls.pulls.length = 0;
  pulls.repositories.clear();
  pulls.nextNumber.clear();
  github.state.requests.length = 0;
  const target = {
    url: bare,
    github: {
      client: createOctokit({ token, baseUrl: github.url, retries: 0 }),
      owner: 'acme',
      repo: 'environments',
    },
  };
  return { box, bare, target };
}

/** An agent's Dockfile that deploys with compose to staging (the CLI tests' smallest agent). */
export function composeDockfile(name: string, authMode = 'none'): string {
  return `version: "1.0"
agent:
  name: ${name}
  handler: app.handler:handle
auth:
  mode: ${authMode}
expose:
  rest: true
  port: 8080
metadata:
  version: 1.0.0
deploy:
  target: compose
  environments:
    staging:
      target: compose
`;
}
