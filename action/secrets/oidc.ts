import { SecretsError } from '../../shared/errors.ts';

const OIDC_TIMEOUT_MS = 10_000;

/** `fetch` failures carry the socket error code on `cause` (undici); a timeout is a TimeoutError. */
function unreachableReason(e: unknown): string {
  if ((e as { name?: unknown }).name === 'TimeoutError')
    return `no answer within ${OIDC_TIMEOUT_MS / 1000} s`;
  const code = (e as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : 'connection failed';
}

/**
 * A GitHub Actions OIDC token fetcher for front doors without `@actions/core` (the CLI run inside
 * a workflow). It uses the documented runner endpoint; the variables only exist when the job has
 * `permissions: id-token: write`, so without them this returns undefined and Vault JWT auth says so.
 * Each failure says what went wrong (unreachable, refused, no token); none quotes the request
 * token or the endpoint's answer.
 */
export function githubOidcTokenFetcher(
  env: Readonly<Record<string, string | undefined>>,
  fetchImpl: typeof fetch = fetch,
): ((audience: string | undefined) => Promise<string>) | undefined {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) return undefined;
  return async (audience) => {
    let url: URL;
    try {
      url = new URL(requestUrl);
    } catch {
      throw new SecretsError('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
    }
    if (audience) url.searchParams.set('audience', audience);
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(OIDC_TIMEOUT_MS),
      });
    } catch (e: unknown) {
      throw new SecretsError(
        `could not reach the GitHub OIDC token endpoint at ${url.host} (${unreachableReason(e)})`,
      );
    }
    if (!response.ok) {
      throw new SecretsError(
        `the GitHub OIDC token endpoint answered ${response.status}`,
        response.status === 401 || response.status === 403
          ? 'the runner refused ACTIONS_ID_TOKEN_REQUEST_TOKEN; it is valid only in the job it was issued to, and only with `permissions: id-token: write`'
          : null,
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new SecretsError('the GitHub OIDC token endpoint answered with something other than JSON');
    }
    const value = (body as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' || value === '') {
      throw new SecretsError('the GitHub OIDC token endpoint returned no token (no `value` in its answer)');
    }
    return value;
  };
}
