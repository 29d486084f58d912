import { SecretsError } from '../errors.ts';

/**
 * A GitHub Actions OIDC token fetcher for front doors without `@actions/core` (the CLI run inside
 * a workflow). It uses the documented runner endpoint; the variables only exist when the job has
 * `permissions: id-token: write`, so without them this returns undefined and Vault JWT auth says so.
 */
export function githubOidcTokenFetcher(
  env: Readonly<Record<string, string | undefined>>,
  fetchImpl: typeof fetch = fetch,
): ((audience: string | undefined) => Promise<string>) | undefined {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) return undefined;
  return async (audience) => {
    const url = new URL(requestUrl);
    if (audience) url.searchParams.set('audience', audience);
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new SecretsError('could not reach the GitHub OIDC token endpoint');
    }
    if (!response.ok) {
      throw new SecretsError(`the GitHub OIDC token endpoint answered ${response.status}`);
    }
    const body = (await response.json()) as { value?: unknown };
    if (typeof body.value !== 'string' || body.value === '') {
      throw new SecretsError('the GitHub OIDC token endpoint returned no token');
    }
    return body.value;
  };
}
