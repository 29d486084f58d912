import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const BACKEND = '/usr/lib/git-core/git-http-backend';

export interface GitHttpServerOptions {
  /** Directory holding bare repositories, served as `/<name>.git`. */
  root: string;
  /** Token allowed to read and push (sent as Basic `x-access-token:<token>`, as GitHub expects). */
  token: string;
  /** Token that may read but gets 403 on push (a workflow token against another repo). */
  readOnlyToken?: string;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>/<name>` */
  url(name: string): string;
  /** Authorization headers seen, to prove the token travelled as a header. */
  readonly seenAuthorization: string[];
  /** Request URLs seen (paths and queries). */
  readonly seenUrls: string[];
  /** Response body bytes sent so far (what clients downloaded: packs, ref advertisements). */
  bytesSent(): number;
  close(): Promise<void>;
}

function tokenOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return null;
  const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return user === 'x-access-token' && password ? password : null;
}

function isPush(url: URL): boolean {
  return url.pathname.endsWith('/git-receive-pack') || url.searchParams.get('service') === 'git-receive-pack';
}

/** Runs git-http-backend as a CGI program, the way a web server would. */
function serveCgi(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  count: (n: number) => void,
): void {
  const child = spawn(BACKEND, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      count(chunk.length);
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    headersSent = true;
    count(head.length - end - 4);
    res.write(head.subarray(end + 4));
  });
  child.stderr.resume();
  child.on('close', () => res.end());
  child.on('error', () => {
    res.statusCode = 500;
    res.end();
  });
}

/**
 * Smart-HTTP git server over `git http-backend`, requiring a token the way github.com does: no or
 * wrong credentials get 401, a token without write access gets 403 on push.
 */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const seenAuthorization: string[] = [];
  const seenUrls: string[] = [];
  let sent = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seenUrls.push(req.url ?? '');
    if (req.headers.authorization) seenAuthorization.push(req.headers.authorization);
    const token = tokenOf(req);
    const canRead = token !== null && (token === options.token || token === options.readOnlyToken);
    if (!canRead) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="GitHub"', 'Content-Type': 'text/plain' });
      res.end('Invalid username or token.\n');
      req.resume();
      return;
    }
    if (isPush(url) && token !== options.token) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end('Permission to the repository denied.\n');
      req.resume();
      return;
    }
    serveCgi(options.root, req, res, url, (n) => {
      sent += n;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    seenAuthorization,
    seenUrls,
    bytesSent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
