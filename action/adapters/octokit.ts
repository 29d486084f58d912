import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

const DockrionOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof DockrionOctokit>;

export interface OctokitOptions {
  token: string;
  /** GitHub Enterprise or a loopback stand-in in tests. */
  baseUrl?: string;
  /** Retries on secondary rate limits; tests set 0 to keep failures fast. */
  retries?: number;
  /**
   * Where Octokit's own request log goes. By default failed requests are printed with
   * console.error, even the ones the caller handles (e.g. 403 from GET /user for app tokens).
   */
  log?: {
    debug: (m: string) => void;
    info: (m: string) => void;
    warn: (m: string) => void;
    error: (m: string) => void;
  };
}

/** The one place an Octokit is made: retry and throttling are always on. */
export function createOctokit(options: OctokitOptions): GitHubClient {
  const retries = options.retries ?? 2;
  return new DockrionOctokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: 'dockrion-deploy',
    ...(options.log ? { log: options.log } : {}),
    // Retries go in `retry`, not `request.retries`: plugin-retry's limiter retries any failed
    // request that carries `request.retries`, which would bypass `doNotRetry` (a 403 ran 3 times).
    retry: { retries, doNotRetry: [400, 401, 403, 404, 409, 422, 429] },
    throttle: {
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < retries,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < retries,
    },
  });
}

/** The HTTP status of an Octokit RequestError, or undefined for other failures. */
export function httpStatus(e: unknown): number | undefined {
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
