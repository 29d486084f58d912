/**
 * A loopback HTTP proxy in front of moto that answers the first requests with AWS JSON-protocol
 * errors (the documented shape: HTTP 400, `x-amzn-ErrorType`, `{"__type", "message"}`) and then
 * forwards to moto — moto itself cannot throttle or deny.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsError {
  status?: number;
  type: string;
  message: string;
}

export interface AwsErrorProxy {
  endpoint: string;
  /** Requests seen (answered with an error or forwarded), by X-Amz-Target. */
  seen: string[];
  /** Queue errors for the next requests. */
  failNext(...errors: AwsError[]): void;
  close(): Promise<void>;
}

export async function startAwsErrorProxy(upstream: string): Promise<AwsErrorProxy> {
  const queue: AwsError[] = [];
  const seen: string[] = [];
  const target = new URL(upstream);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`));
    const error = queue.shift();
    if (error) {
      req.resume();
      const body = JSON.stringify({ __type: error.type, message: error.message });
      res.writeHead(error.status ?? 400, {
        'Content-Type': 'application/x-amz-json-1.1',
        'x-amzn-RequestId': '8a3e9c1e-0000-4000-8000-000000000000',
        'x-amzn-ErrorType': error.type,
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const forward = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    failNext: (...errors) => queue.push(...errors),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
