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

describe('githubOidcTokenFetcher failures name their reason', () => {
  let server: ReturnType<typeof createServer>;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (url.pathname === '/not-json') res.end('<html>maintenance</html>');
      else res.end(JSON.stringify({ count: 0 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetcherFor = (url: string) =>
    githubOidcTokenFetcher({
      ACTIONS_ID_TOKEN_REQUEST_URL: url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-token',
    });

  it('an answer without `value`', async () => {
    await expect(fetcherFor(`${base}/token`)?.('aud')).rejects.toThrow(
      'the GitHub OIDC token endpoint returned no token (no `value` in its answer)',
    );
  });

  it('an answer that is not JSON', async () => {
    await expect(fetcherFor(`${base}/not-json`)?.('aud')).rejects.toThrow(
      'the GitHub OIDC token endpoint answered with something other than JSON',
    );
  });

  it('an endpoint that refuses connections, by host and code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(fetcherFor(`http://127.0.0.1:${port}/token`)?.('aud')).rejects.toThrow(
      `could not reach the GitHub OIDC token endpoint at 127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });

  it('a request URL that is not a URL', async () => {
    await expect(fetcherFor('not a url')?.('aud')).rejects.toThrow(
      'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL',
    );
  });
});
