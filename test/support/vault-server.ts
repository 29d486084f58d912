/**
 * A loopback stand-in for HashiCorp Vault that speaks the documented HTTP API for the calls the
 * secrets provider makes: token lookup-self, AppRole and JWT login, KV v1 and v2 reads, and
 * Enterprise namespaces (`X-Vault-Namespace`). Responses use Vault's envelope
 * `{request_id, lease_id, renewable, lease_duration, data, wrap_info, warnings, auth}` and its
 * error shape `{"errors": [...]}` with the same status codes Vault uses.
 */
import { createPublicKey, randomUUID, verify as verifySignature } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Paths a token may read: exact (`secret/data/app`) or prefix (`secret/data/app/*`). */
type Policy = readonly string[];

export interface VaultTokenFixture {
  /** Paths (without `/v1/`) this token may read. */
  allow: Policy;
  namespace?: string;
  policies?: string[];
}

export interface VaultKvMountFixture {
  namespace?: string;
  mount: string;
  version: 1 | 2;
  /** path → versions, oldest first (KV v1 keeps only the last). `null` is a deleted version (404). */
  secrets: Record<string, Array<Record<string, unknown> | null>>;
}

export interface VaultAppRoleFixture {
  roleId: string;
  secretId: string;
  allow: Policy;
  namespace?: string;
}

export interface VaultJwtRoleFixture {
  boundAudiences: string[];
  allow: Policy;
  /** Claims that must match, like Vault's `bound_claims`. */
  boundClaims?: Record<string, string>;
}

export interface VaultJwtFixture {
  mount?: string;
  /** PEM public keys, like `jwt_validation_pubkeys`; RS256 only. */
  validationPublicKeys: string[];
  roles: Record<string, VaultJwtRoleFixture>;
  namespace?: string;
}

export interface VaultStandInOptions {
  tokens?: Record<string, VaultTokenFixture>;
  kv?: VaultKvMountFixture[];
  approle?: { mount?: string; roles: VaultAppRoleFixture[]; namespace?: string };
  jwt?: VaultJwtFixture;
  /** Serve HTTPS with this certificate instead of HTTP. */
  tls?: { cert: string; key: string };
  /**
   * How an unknown token is refused. `'1.15'` (default, as the Vault 1.15 dev server answers):
   * `permission denied` only, as for a token without a policy. `'1.17'`: Vault >= 1.17 adds
   * `invalid token` (Vault's token documentation; no such server can be built here).
   */
  unknownTokenErrors?: '1.15' | '1.17';
}

export interface RecordedVaultRequest {
  method: string;
  path: string;
  namespace: string | undefined;
  hasToken: boolean;
}

export interface VaultStandIn {
  address: string;
  requests: RecordedVaultRequest[];
  /** Answer requests whose path starts with `pathPrefix` with this status (e.g. 500, 503). */
  failPath(pathPrefix: string, status: number): void;
  /** Never answer requests whose path starts with `pathPrefix` (for timeouts). */
  hangPath(pathPrefix: string): void;
  /** Tokens issued by logins so far. */
  issuedTokens(): string[];
  close(): Promise<void>;
}

interface Envelope {
  data?: unknown;
  auth?: unknown;
  warnings?: string[] | null;
  lease_duration?: number;
  renewable?: boolean;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function ok(res: ServerResponse, envelope: Envelope): void {
  send(res, 200, {
    request_id: randomUUID(),
    lease_id: '',
    renewable: envelope.renewable ?? false,
    lease_duration: envelope.lease_duration ?? 0,
    data: envelope.data ?? null,
    wrap_info: null,
    warnings: envelope.warnings ?? null,
    auth: envelope.auth ?? null,
  });
}

function fail(res: ServerResponse, status: number, errors: string[]): void {
  send(res, status, { errors });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function allows(policy: Policy, path: string): boolean {
  return policy.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : p === path));
}

function base64UrlJson(part: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** RS256 verification as Vault's jwt auth does with `jwt_validation_pubkeys`. */
function verifyJwt(jwt: string, publicKeys: string[]): Record<string, unknown> | string {
  const parts = jwt.split('.');
  if (parts.length !== 3) return 'error validating token: malformed token';
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = base64UrlJson(headerPart);
  const claims = base64UrlJson(payloadPart);
  if (!header || !claims) return 'error validating token: malformed token';
  if (header.alg !== 'RS256') return 'error validating token: unsupported signing algorithm';
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const valid = publicKeys.some((pem) => verifySignature('sha256', signed, createPublicKey(pem), signature));
  if (!valid) return 'error validating token: failed to verify id token signature';
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp === 'number' && claims.exp < now)
    return 'error validating token: token is expired (exp)';
  return claims;
}

export async function startVaultStandIn(options: VaultStandInOptions = {}): Promise<VaultStandIn> {
  const tokens = new Map<string, VaultTokenFixture & { createdAt: Date }>();
  for (const [token, fixture] of Object.entries(options.tokens ?? {})) {
    tokens.set(token, { ...fixture, createdAt: new Date() });
  }
  const issued: string[] = [];
  const requests: RecordedVaultRequest[] = [];
  const failures = new Map<string, number>();
  const hangs = new Set<string>();
  const approleMount = options.approle?.mount ?? 'approle';
  const jwtMount = options.jwt?.mount ?? 'jwt';

  const issueToken = (fixture: VaultTokenFixture, policies: string[], metadata: Record<string, string>) => {
    const token = `hvs.${randomUUID().replaceAll('-', '')}`;
    tokens.set(token, { ...fixture, policies, createdAt: new Date() });
    issued.push(token);
    return {
      client_token: token,
      accessor: randomUUID(),
      policies: ['default', ...policies],
      token_policies: ['default', ...policies],
      metadata,
      lease_duration: 3600,
      renewable: true,
      entity_id: randomUUID(),
      token_type: 'service',
      orphan: true,
      mfa_requirement: null,
      num_uses: 0,
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vault');
    const namespaceHeader = req.headers['x-vault-namespace'];
    const namespace =
      typeof namespaceHeader === 'string' && namespaceHeader !== '' ? namespaceHeader : undefined;
    const tokenHeader = req.headers['x-vault-token'];
    const token = typeof tokenHeader === 'string' && tokenHeader !== '' ? tokenHeader : undefined;
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/v1/')) return fail(res, 404, []);
    const path = url.pathname.slice('/v1/'.length).replace(/\/+$/, '');
    requests.push({ method, path, namespace, hasToken: token !== undefined });

    for (const prefix of hangs) if (path.startsWith(prefix)) return;
    for (const [prefix, status] of failures) {
      if (path.startsWith(prefix)) {
        return fail(res, status, status === 503 ? ['Vault is sealed'] : ['internal error']);
      }
    }

    if (method === 'POST' && path === `auth/${approleMount}/login`) {
      const body = await readJson(req);
      const role = options.approle?.roles.find(
        (r) =>
          r.roleId === body.role_id &&
          r.secretId === body.secret_id &&
          (r.namespace ?? options.approle?.namespace) === namespace,
      );
      if (!role) return fail(res, 400, ['invalid role or secret ID']);
      return ok(res, {
        auth: issueToken({ allow: role.allow, namespace }, ['approle-policy'], { role_name: role.roleId }),
      });
    }

    if (method === 'POST' && path === `auth/${jwtMount}/login` && options.jwt) {
      const body = await readJson(req);
      if (typeof body.jwt !== 'string' || body.jwt === '') return fail(res, 400, ['missing token']);
      const roleName = typeof body.role === 'string' ? body.role : '';
      const role = options.jwt.roles[roleName];
      if (!role) return fail(res, 400, [`role "${roleName}" could not be found`]);
      const claims = verifyJwt(body.jwt, options.jwt.validationPublicKeys);
      if (typeof claims === 'string') return fail(res, 400, [claims]);
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!audiences.some((a) => typeof a === 'string' && role.boundAudiences.includes(a))) {
        return fail(res, 400, [
          'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience',
        ]);
      }
      for (const [claim, expected] of Object.entries(role.boundClaims ?? {})) {
        if (claims[claim] !== expected)
          return fail(res, 400, [
            `error validating claims: claim "${claim}" does not match any associated bound claim values`,
          ]);
      }
      return ok(res, {
        auth: issueToken({ allow: role.allow, namespace }, [`jwt-${roleName}`], { role: roleName }),
      });
    }

    // Everything below needs a valid token, valid in the namespace it was issued in.
    const session = token === undefined ? undefined : tokens.get(token);
    if (!session || (session.namespace ?? undefined) !== namespace)
      return fail(
        res,
        403,
        session || options.unknownTokenErrors !== '1.17'
          ? ['permission denied']
          : ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'],
      );

    if (method === 'GET' && path === 'auth/token/lookup-self') {
      return ok(res, {
        data: {
          accessor: 'accessor',
          creation_time: Math.floor(session.createdAt.getTime() / 1000),
          creation_ttl: 3600,
          display_name: 'token',
          entity_id: '',
          expire_time: null,
          explicit_max_ttl: 0,
          id: token,
          issue_time: session.createdAt.toISOString(),
          meta: null,
          num_uses: 0,
          orphan: false,
          path: 'auth/token/create',
          policies: ['default', ...(session.policies ?? [])],
          renewable: false,
          ttl: 0,
          type: 'service',
        },
      });
    }

    if (method !== 'GET') return fail(res, 405, ['unsupported operation']);
    const mount = (options.kv ?? []).find(
      (m) => (m.namespace ?? undefined) === namespace && (path === m.mount || path.startsWith(`${m.mount}/`)),
    );
    if (!mount) return fail(res, 403, ['permission denied']);
    if (!allows(session.allow, path)) return fail(res, 403, ['permission denied']);
    const rest = path.slice(mount.mount.length + 1);

    if (mount.version === 1) {
      const versions = mount.secrets[rest];
      const latest = versions?.[versions.length - 1];
      if (!latest) return fail(res, 404, []);
      return ok(res, { data: latest, lease_duration: 2_764_800 });
    }

    if (!rest.startsWith('data/')) {
      // What Vault says when a KV v2 mount is read with a v1 path.
      return send(res, 404, {
        request_id: randomUUID(),
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: null,
        wrap_info: null,
        warnings: [
          "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.",
        ],
        auth: null,
      });
    }
    const secretPath = rest.slice('data/'.length);
    const versions = mount.secrets[secretPath];
    if (!versions || versions.length === 0) return fail(res, 404, []);
    const requested = url.searchParams.get('version');
    const index = requested ? Number(requested) - 1 : versions.length - 1;
    if (!(index in versions)) return fail(res, 404, []);
    const data = versions[index] ?? null;
    const envelope = {
      data: {
        data,
        metadata: {
          created_time: new Date(Date.UTC(2024, 0, 1 + index)).toISOString(),
          custom_metadata: null,
          deletion_time: data === null ? new Date(Date.UTC(2024, 6, 1)).toISOString() : '',
          destroyed: false,
          version: index + 1,
        },
      },
    };
    if (data !== null) return ok(res, envelope);
    // A deleted version: Vault answers 404 with the usual envelope, `data: null` and the metadata.
    return send(res, 404, {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      ...envelope,
      wrap_info: null,
      warnings: null,
      auth: null,
    });
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) fail(res, 500, ['internal error']);
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';

  return {
    address: `${scheme}://127.0.0.1:${port}`,
    requests,
    failPath: (prefix, status) => failures.set(prefix, status),
    hangPath: (prefix) => hangs.add(prefix),
    issuedTokens: () => [...issued],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
