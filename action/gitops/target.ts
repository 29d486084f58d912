import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import type { Logger } from '../adapters/logger.ts';
import { createOctokit } from '../adapters/octokit.ts';
import type { EnvironmentsTarget } from './operations.ts';
import { githubRepoFromUrl } from './pull-request.ts';

export interface TargetInput {
  /** `--environments-repo`: a local path, a git URL, or `owner/name` on GitHub. */
  repo: string;
  token?: string | null;
  base?: string | null;
  /** `owner/name` where PRs go, when the URL does not say (GitHub Enterprise, mirrors). */
  githubRepo?: string | null;
  /** REST base URL (GitHub Enterprise, or a loopback stand-in). */
  apiUrl?: string | null;
  /** Web host of the GitHub the URL points at (default github.com). */
  serverUrl?: string | null;
  cwd: string;
  /** Where the GitHub client's request log goes (debug). */
  logger?: Pick<Logger, 'debug'>;
}

const OWNER_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Turns the user's `--environments-repo` and friends into where to fetch, push and open PRs. */
export function resolveTarget(input: TargetInput): EnvironmentsTarget {
  const serverUrl = (input.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  let url: string;
  const local = isAbsolute(input.repo) ? input.repo : resolve(input.cwd, input.repo);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.repo) || /^[^/]+@[^/]+:/.test(input.repo)) url = input.repo;
  else if (existsSync(local)) url = local;
  else if (OWNER_NAME.test(input.repo)) url = `${serverUrl}/${input.repo}.git`;
  else {
    throw new UsageError(
      `environments repo '${input.repo}' is not a URL, an existing path, or owner/name`,
      'e.g. --environments-repo acme/environments or --environments-repo ./environments.git',
    );
  }
  let owner: { owner: string; repo: string } | null = null;
  if (input.githubRepo) {
    if (!OWNER_NAME.test(input.githubRepo)) throw new UsageError(`--github-repo must be owner/name`);
    const [o = '', r = ''] = input.githubRepo.split('/');
    owner = { owner: o, repo: r };
  } else {
    owner = githubRepoFromUrl(url, new URL(serverUrl).host);
  }
  const github =
    owner && input.token
      ? {
          ...owner,
          client: createOctokit({
            token: input.token,
            baseUrl: input.apiUrl ?? 'https://api.github.com',
            ...(input.logger ? { logger: input.logger } : {}),
          }),
        }
      : null;
  return { url, token: input.token ?? null, base: input.base ?? 'main', github, serverUrl };
}
