import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback front for the real test registry that demands auth the way GHCR does
 * (distribution token spec): `401` + `WWW-Authenticate: Bearer realm,service,scope`, a token
 * endpoint taking Basic credentials, then `Authorization: Bearer`. `mode: 'basic'` demands
 * Basic auth on /v2/ directly instead. Authorised requests (pulls and pushes) are forwarded to
 * the registry.
 */
export interface TokenRegistry {
  host: string;
  /** Requests seen, as `METHOD path auth-scheme`. */
  log: string[];
  close(): Promise<void>;
}

export async function startTokenRegistry(options: {
  upstream: string;
  username: string;
  password: string;
  mode: 'bearer' | 'basic';
}): Promise<TokenRegistry> {
  const token = randomBytes(16).toString('hex');
  const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const log: string[] = [];
  let host = '';

  // Streams the request through unchanged but for credentials; the Host header is kept, so the
  // registry writes upload Locations that point back at this front.
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const [upstreamHost, upstreamPort] = options.upstream.split(':');
    const headers = { ...req.headers };
    delete headers.authorization;
    const upstream = request(
      { host: upstreamHost, port: Number(upstreamPort), method: req.method, path: req.url, headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const auth = req.headers.authorization ?? '';
    log.push(`${req.method} ${url.pathname} ${auth.split(' ')[0] || '-'}`);
    if (url.pathname === '/token') {
      if (auth !== basic) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          token,
          scope: url.searchParams.get('scope'),
          service: url.searchParams.get('service'),
        }),
      );
      return;
    }
    const authorised = options.mode === 'bearer' ? auth === `Bearer ${token}` : auth === basic;
    if (!authorised) {
      const repository = /^\/v2\/(.+)\/manifests\//.exec(url.pathname)?.[1] ?? '';
      res.writeHead(401, {
        'www-authenticate':
          options.mode === 'bearer'
            ? `Bearer realm="http://${host}/token",service="stand-in",scope="repository:${repository}:pull"`
            : 'Basic realm="stand-in"',
      });
      res.end();
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    log,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
