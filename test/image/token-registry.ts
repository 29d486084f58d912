import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback front for the real test registry that demands auth the way GHCR does
 * (distribution token spec): `401` + `WWW-Authenticate: Bearer realm,service,scope`, a token
 * endpoint taking Basic credentials, then `Authorization: Bearer`. `mode: 'basic'` demands
 * Basic auth on /v2/ directly instead. Authorised requests are forwarded to the registry.
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

  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const upstream = await fetch(`http://${options.upstream}${req.url}`, {
      method: req.method,
      headers: { Accept: req.headers.accept ?? '*/*' },
    });
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'docker-content-digest', 'content-length']) {
      const value = upstream.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    res.writeHead(upstream.status, headers);
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(await upstream.arrayBuffer()));
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
    forward(req, res).catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    log,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
