import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from './logger.ts';

const DockrionOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof DockrionOctokit>;

export interface OctokitOptions {
  token: string;
  /** GitHub Enterprise or a loopback stand-in in tests. */
  baseUrl?: string;
  /** Retries on secondary rate limits; tests set 0 to keep failures fast. */
  retries?: number;
  /**
   * Where Octokit's own request log goes: every level to `debug`. A failed request is also
   * thrown to the caller, which handles it or explains it; Octokit's own line (on stderr by
   * default, even for a handled 403 from GET /user) would only repeat it. Without a logger it is
   * dropped.
   */
  logger?: Pick<Logger, 'debug'>;
}

function octokitLog(logger: Pick<Logger, 'debug'> | undefined) {
  const debug = (message: string) => logger?.debug(message);
  return { debug, info: debug, warn: debug, error: debug };
}

/** The one place an Octokit is made: retry and throttling are always on, its log goes to debug. */
export function createOctokit(options: OctokitOptions): GitHubClient {
  const retries = options.retries ?? 2;
  return new DockrionOctokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: 'dockrion-deploy',
    log: octokitLog(options.logger),
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
