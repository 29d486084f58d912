import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubOidcTokenFetcher } from '../../action/secrets/index.ts';

/** The runner's OIDC endpoint as GitHub documents it: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=… */
describe('githubOidcTokenFetcher', () => {
  const requests: Array<{ url: string; authorization: string | undefined }> = [];
  let server: ReturnType<typeof createServer>;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (req.headers.authorization !== 'Bearer runner-request-token') {
        res.writeHead(401).end();
        return;
      }
      const audience = new URL(req.url ?? '/', 'http://x').searchParams.get('audience');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ count: 1, value: `jwt-for-${audience ?? 'default'}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_apis/distributedtask/oidc/token?api-version=2.0`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is unavailable without the runner variables (no id-token: write)', () => {
    expect(githubOidcTokenFetcher({})).toBeUndefined();
  });

  it('requests a token for the audience with the runner bearer token', async () => {
    const fetchToken = githubOidcTokenFetcher({
      ACTIONS_ID_TOKEN_REQUEST_URL: base,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token',
    });
    expect(await fetchToken?.('https://vault.example.com')).toBe('jwt-for-https://vault.example.com');
    expect(await fetchToken?.(undefined)).toBe('jwt-for-default');
    expect(requests[0]?.url).toBe(
      '/_apis/distributedtask/oidc/token?api-version=2.0&audience=https%3A%2F%2Fvault.example.com',
    );
  });

  it('reports a refused request by status', async () => {
    const fetchToken = githubOidcTokenFetcher({
      ACTIONS_ID_TOKEN_REQUEST_URL: base,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong',
    });
    await expect(fetchToken?.('aud')).rejects.toThrow('the GitHub OIDC token endpoint answered 401');
  });
});
