/**
 * Set-up helpers for tests against a real Vault dev server (`scripts/ci/vault.sh`, found through
 * `vaultDevServer()` in infra.ts): an admin client speaking Vault's HTTP API with the root token,
 * a per-test `VaultScenario` whose mounts, policies, auth methods and tokens all have unique names
 * and are removed by `cleanup()`, and `startOwnVault` for a dev server a test owns (TLS, sealing,
 * stopping), which the shared server must never be put through.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VaultAnswer {
  status: number;
  body: Record<string, unknown> | null;
}

export class VaultAdmin {
  constructor(
    readonly address: string,
    private readonly token: string,
    /** PEM CA certificate for an https:// address. */
    private readonly ca?: string,
  ) {}

  /** One API call; resolves with any status (the caller decides what is an error). */
  call(method: string, path: string, body?: unknown, token = this.token): Promise<VaultAnswer> {
    const url = new URL(`${this.address}/v1/${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          headers: {
            'X-Vault-Token': token,
            ...(payload === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
          },
          timeout: 30_000,
          ...(this.ca ? { ca: this.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown> | null = null;
            if (text !== '') {
              try {
                parsed = JSON.parse(text) as Record<string, unknown>;
              } catch {
                parsed = { text };
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `call`, but anything other than 2xx throws with Vault's errors. */
  async ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const answer = await this.call(method, path, body);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body ?? {};
  }
}

/** `dockrion-<what>-<random>`: unique per call, so parallel runs never share state. */
export function uniqueName(what: string): string {
  return `dockrion-${what}-${randomBytes(4).toString('hex')}`;
}

export class VaultScenario {
  private readonly cleanups: Array<() => Promise<unknown>> = [];

  constructor(readonly admin: VaultAdmin) {}

  /** Enables a KV mount (v1 or v2) under a unique path; returns the path. */
  async kvMount(version: 1 | 2): Promise<string> {
    const mount = uniqueName(`kv${version}`);
    await this.admin.ok('POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: String(version) } });
    this.cleanups.push(() => this.admin.call('DELETE', `sys/mounts/${mount}`));
    return mount;
  }

  /**
   * Writes a secret (a new version on KV v2). A fresh KV v2 mount answers 400 "Upgrading from
   * non-versioned to versioned data" until its set-up finishes, so the write is retried while it says so.
   */
  async write(mount: string, version: 1 | 2, path: string, data: Record<string, unknown>): Promise<void> {
    const target = version === 2 ? `${mount}/data/${path}` : `${mount}/${path}`;
    const body = version === 2 ? { data } : data;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await this.admin.call('POST', target, body);
      if (answer.status >= 200 && answer.status <= 299) return;
      const upgrading = JSON.stringify(answer.body).includes('pgrading');
      if (!upgrading || Date.now() > deadline) {
        throw new Error(`POST ${target}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** An ACL policy with these HCL rules, under a unique name. */
  async policy(rules: string): Promise<string> {
    const name = uniqueName('policy');
    await this.admin.ok('PUT', `sys/policies/acl/${name}`, { policy: rules });
    this.cleanups.push(() => this.admin.call('DELETE', `sys/policies/acl/${name}`));
    return name;
  }

  /** A token with these policies (and `default` unless `noDefaultPolicy`), revoked at clean-up. */
  async token(policies: string[], options: { noDefaultPolicy?: boolean } = {}): Promise<string> {
    const body = await this.admin.ok('POST', 'auth/token/create', {
      policies,
      no_default_policy: options.noDefaultPolicy ?? false,
      ttl: '15m',
    });
    const token = (body.auth as { client_token: string }).client_token;
    this.cleanups.push(() => this.admin.call('POST', 'auth/token/revoke', { token }));
    return token;
  }

  /** Enables an auth method under a unique path; disabling it at clean-up revokes its tokens. */
  async authMount(type: 'approle' | 'jwt'): Promise<string> {
    const mount = uniqueName(type);
    await this.admin.ok('POST', `sys/auth/${mount}`, { type });
    this.cleanups.push(() => this.admin.call('DELETE', `sys/auth/${mount}`));
    return mount;
  }

  /** An AppRole role with these policies: its role id and a fresh secret id. */
  async approle(policies: string[]): Promise<{ mount: string; roleId: string; secretId: string }> {
    const mount = await this.authMount('approle');
    const role = uniqueName('role');
    await this.admin.ok('POST', `auth/${mount}/role/${role}`, { token_policies: policies, token_ttl: '15m' });
    const roleIdAnswer = await this.admin.ok('GET', `auth/${mount}/role/${role}/role-id`);
    const roleId = (roleIdAnswer.data as { role_id: string }).role_id;
    const secretIdAnswer = await this.admin.ok('POST', `auth/${mount}/role/${role}/secret-id`);
    const secretId = (secretIdAnswer.data as { secret_id: string }).secret_id;
    return { mount, roleId, secretId };
  }

  /** Removes everything this scenario created, newest first; failures do not stop the rest. */
  async cleanup(): Promise<void> {
    for (const undo of this.cleanups.reverse()) await undo().catch(() => undefined);
    this.cleanups.length = 0;
  }
}

async function canListen(port: number): Promise<ReturnType<typeof createServer> | null> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A free loopback port whose successor is free too: a dev server's cluster listener takes port + 1. */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await canListen(0);
    if (!first) continue;
    const port = (first.address() as { port: number }).port;
    const second = port < 65535 ? await canListen(port + 1) : null;
    await new Promise<void>((resolve) => first.close(() => resolve()));
    if (second) {
      await new Promise<void>((resolve) => second.close(() => resolve()));
      return port;
    }
  }
  throw new Error('no two consecutive free loopback ports');
}

export interface OwnVault {
  address: string;
  rootToken: string;
  admin: VaultAdmin;
  /** With `tls`: the PEM of the CA that signed the listener's certificate. */
  caCert: string | null;
  /** The directory holding the CA certificate file (`vault-ca.pem`) and the server log. */
  dir: string;
  /** Stops the server (SIGTERM, then SIGKILL); the address then refuses connections. */
  stop(): Promise<void>;
  /** Stops it if running and removes its directory. */
  close(): Promise<void>;
}

/**
 * Starts a `vault server -dev` that the calling test owns, on a free loopback port: with `tls`,
 * `-dev-tls` (Vault makes a CA and a certificate for 127.0.0.1 into the directory). Waits up to
 * `readyMs` for it to be unsealed and active.
 */
export async function startOwnVault(
  binary: string,
  options: { tls?: boolean; readyMs?: number } = {},
): Promise<OwnVault> {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-vault-own-'));
  const port = await freePortPair();
  const rootToken = `own-${randomBytes(12).toString('hex')}`;
  const args = ['server', '-dev', `-dev-listen-address=127.0.0.1:${port}`, '-dev-no-store-token'];
  if (options.tls) args.push('-dev-tls', `-dev-tls-cert-dir=${dir}`);
  const log = openSync(join(dir, 'vault.log'), 'a');
  const child: ChildProcess = spawn(binary, args, {
    env: { PATH: process.env.PATH, HOME: dir, VAULT_DEV_ROOT_TOKEN_ID: rootToken },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exit;
    clearTimeout(killer);
  };
  const scheme = options.tls ? 'https' : 'http';
  const address = `${scheme}://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + (options.readyMs ?? 90_000);
    let caCert: string | null = null;
    let admin: VaultAdmin | undefined;
    for (;;) {
      if (exited) throw new Error('exited during start-up');
      if (options.tls && caCert === null) {
        try {
          caCert = readFileSync(join(dir, 'vault-ca.pem'), 'utf8');
        } catch {
          // Not written yet.
        }
      }
      if (!options.tls || caCert !== null) {
        admin ??= new VaultAdmin(address, rootToken, caCert ?? undefined);
        const health = await admin.call('GET', 'sys/health').catch(() => null);
        if (health?.status === 200) {
          const own = admin;
          return {
            address,
            rootToken,
            admin: own,
            caCert,
            dir,
            stop,
            close: async () => {
              await stop();
              rmSync(dir, { recursive: true, force: true });
            },
          };
        }
      }
      if (Date.now() > deadline) throw new Error(`not ready within ${options.readyMs ?? 90_000} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (e: unknown) {
    await stop();
    let logText = '';
    try {
      logText = readFileSync(join(dir, 'vault.log'), 'utf8').slice(-3000);
    } catch {
      // No log.
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`vault server -dev ${args.slice(2).join(' ')}: ${(e as Error).message}\n${logText}`);
  }
}
