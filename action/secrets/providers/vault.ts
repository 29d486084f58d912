import { readFileSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import nodeVault from 'node-vault';
import { SecretsError } from '../../../shared/errors.ts';
import type { Logger } from '../../adapters/logger.ts';
import { maskSecretValue } from '../mask.ts';
import type { EnvironmentSecretProfile } from '../profile.ts';
import type { FetchedSecrets, SecretSource } from './source.ts';

export type VaultClientFactory = (options: nodeVault.VaultOptions) => nodeVault.client;

type VaultProfile = NonNullable<EnvironmentSecretProfile['vault']>;

export interface VaultSourceOptions {
  config: VaultProfile;
  env: Readonly<Record<string, string | undefined>>;
  getIdToken?: (audience: string | undefined) => Promise<string>;
  logger: Logger;
  createClient?: VaultClientFactory;
  timeoutMs?: number;
  baseDir?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Node's TLS verification failures, as axios reports them in `code`. */
const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

function readCaCert(caCert: string, baseDir: string | undefined): string {
  if (caCert.includes('-----BEGIN')) return caCert;
  const file = isAbsolute(caCert) ? caCert : resolvePath(baseDir ?? process.cwd(), caCert);
  try {
    return readFileSync(file, 'utf8');
  } catch (e: unknown) {
    const code = (e as { code?: string }).code ?? 'unreadable';
    throw new SecretsError(`cannot read vault.ca_cert '${file}' (${code})`);
  }
}

interface VaultHttpFailure {
  status: number;
  vaultErrors: string[];
  /** Vault explains some 404s only here (e.g. a KV v2 mount read with a v1 path). */
  vaultWarnings: string[];
  /** The envelope's `data` (a KV v2 404 for a deleted version still carries its metadata). */
  data: unknown;
  /** The body when it is not JSON, e.g. Go's answer to plain HTTP on a TLS port. */
  text: string | null;
}

function httpFailure(e: unknown): VaultHttpFailure | null {
  const response = (e as { response?: { statusCode?: unknown; body?: unknown } }).response;
  if (!response || typeof response.statusCode !== 'number') return null;
  const text = typeof response.body === 'string' ? response.body : null;
  const body =
    response.body && typeof response.body === 'object'
      ? (response.body as { errors?: unknown; warnings?: unknown; data?: unknown })
      : undefined;
  const strings = (list: unknown) =>
    Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  return {
    status: response.statusCode,
    vaultErrors: strings(body?.errors),
    vaultWarnings: strings(body?.warnings),
    data: body?.data,
    text,
  };
}

/**
 * Vault marks a request with an unknown, expired or revoked token with "invalid token" next to
 * "permission denied" (one multi-error string); a valid token without a policy gets only the latter.
 */
function isInvalidTokenFailure(http: VaultHttpFailure): boolean {
  return http.vaultErrors.some((message) => /\binvalid token\b/.test(message));
}

/** What Go's HTTP server answers (400) when plain HTTP arrives on a TLS listener. */
function isPlainHttpToTlsListener(http: VaultHttpFailure, address: string): boolean {
  return (
    http.status === 400 &&
    address.startsWith('http:') &&
    http.text !== null &&
    /HTTP request to an HTTPS server/i.test(http.text)
  );
}

/**
 * Turns a node-vault/axios failure into one line naming what was attempted and where. The raw
 * error is deliberately not attached as `cause`: axios errors carry the request headers and body
 * (the token, the secret id, the JWT).
 */
function vaultFailure(e: unknown, what: string, address: string): SecretsError {
  const http = httpFailure(e);
  if (http) {
    const detail = http.vaultErrors.length > 0 ? `: ${http.vaultErrors.join('; ')}` : '';
    if (isPlainHttpToTlsListener(http, address)) {
      return new SecretsError(
        `Vault at ${address} expects TLS, but plain HTTP was sent (400 "Client sent an HTTP request to an HTTPS server") during ${what}`,
        `use ${address.replace(/^http:/, 'https:')} in vault.address`,
      );
    }
    if (http.status === 403) {
      return new SecretsError(
        `Vault denied ${what} (403 permission denied)`,
        'the token or role lacks a policy allowing this path, or belongs to another namespace',
      );
    }
    if (http.status === 404) {
      return new SecretsError(
        `Vault found nothing when ${what} (404)`,
        [
          ...http.vaultWarnings.map((w) => `Vault says: ${w}`),
          'check vault.mount, vault.path and vault.kv_version (KV v2 paths are read under <mount>/data/)',
        ].join('; '),
      );
    }
    if (http.status === 400) return new SecretsError(`Vault refused ${what} (400${detail})`);
    if (http.status === 429) return new SecretsError(`Vault rate-limited ${what} (429)`);
    if (http.status === 503) {
      return new SecretsError(
        `Vault at ${address} is unavailable (503${detail}) during ${what}`,
        'Vault may be sealed, in standby without a reachable active node, or under maintenance',
      );
    }
    if (http.status >= 500)
      return new SecretsError(`Vault server error ${http.status}${detail} during ${what}`);
    return new SecretsError(`Vault answered ${http.status}${detail} to ${what}`);
  }
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') {
      return new SecretsError(`timed out waiting for Vault at ${address} during ${what}`);
    }
    const message = (e as { message?: unknown }).message;
    if (
      address.startsWith('https:') &&
      (code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
        (code === 'EPROTO' && typeof message === 'string' && /wrong version number/i.test(message)))
    ) {
      return new SecretsError(
        `Vault at ${address} does not speak TLS (${code}) during ${what}`,
        `if it listens without TLS, use ${address.replace(/^https:/, 'http:')} in vault.address`,
      );
    }
    if (TLS_ERROR_CODES.has(code)) {
      return new SecretsError(
        `TLS error connecting to Vault at ${address} (${code}) during ${what}`,
        'if Vault uses a private CA, set vault.ca_cert to its PEM certificate (or a file holding it)',
      );
    }
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNRESET') {
      return new SecretsError(`cannot reach Vault at ${address} (${code}) during ${what}`);
    }
    return new SecretsError(`Vault request failed (${code}) during ${what}`);
  }
  return new SecretsError(`Vault request failed during ${what}`);
}

function isTruthy(flag: string | undefined): boolean {
  return flag !== undefined && flag !== '' && !['0', 'false', 'no'].includes(flag.toLowerCase());
}

/** A KV value as an environment variable holds it. */
function asEnvValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function vaultSource(options: VaultSourceOptions): SecretSource {
  const { config, env, logger } = options;
  const address = config.address.replace(/\/+$/, '');
  const mount = trimSlashes(config.mount ?? 'secret');
  const path = trimSlashes(config.path);
  const kvVersion = config.kv_version ?? 2;
  const namespace = config.namespace ?? env.VAULT_NAMESPACE;
  const readPath = kvVersion === 2 ? `${mount}/data/${path}` : `${mount}/${path}`;
  const method = config.auth?.method ?? 'token';
  const location = `vault ${address} ${namespace ? `namespace ${namespace} ` : ''}${readPath}`;
  const inNamespace = namespace ? ` in namespace ${namespace}` : '';

  async function authenticate(client: nodeVault.client): Promise<void> {
    const auth = config.auth;
    if (method === 'token') {
      const tokenVar = auth?.token_env ?? 'VAULT_TOKEN';
      const token = env[tokenVar];
      if (!token) {
        throw new SecretsError(
          `no Vault token: ${tokenVar} is not set`,
          `export ${tokenVar}, or use vault.auth.method approle or jwt`,
        );
      }
      maskSecretValue(logger, token);
      // No lookup-self first: a least-privilege token may read the secret without being allowed
      // auth/token/lookup-self (e.g. created with -no-default-policy). A failed read is explained
      // afterwards (explainTokenDenial).
      client.token = token;
      return;
    }
    if (method === 'approle') {
      const authMount = trimSlashes(auth?.mount ?? 'approle');
      const roleId = auth?.role_id ?? env.VAULT_ROLE_ID;
      const secretIdVar = auth?.secret_id_env ?? 'VAULT_SECRET_ID';
      const secretId = env[secretIdVar];
      if (!roleId) throw new SecretsError('Vault AppRole auth needs vault.auth.role_id (or VAULT_ROLE_ID)');
      if (!secretId) {
        throw new SecretsError(
          `no AppRole secret id: ${secretIdVar} is not set`,
          'pass it from a GitHub secret in the step env',
        );
      }
      maskSecretValue(logger, secretId);
      try {
        const response = await client.approleLogin({
          mount_point: authMount,
          role_id: roleId,
          secret_id: secretId,
        });
        maskLoginToken(response);
      } catch (e: unknown) {
        throw vaultFailure(e, `the AppRole login (auth/${authMount}/login)`, address);
      }
      return;
    }
    const authMount = trimSlashes(auth?.mount ?? 'jwt');
    if (!options.getIdToken) {
      throw new SecretsError(
        'Vault JWT auth needs a GitHub OIDC token, and none is available here',
        'run in GitHub Actions with `permissions: id-token: write` on the job, or use token/approle auth',
      );
    }
    let jwt: string;
    try {
      jwt = await options.getIdToken(auth?.audience);
    } catch (e: unknown) {
      // Our own fetcher (oidc.ts) says what went wrong (refused, no token, unreachable); other
      // fetchers' messages are not shown, as they may quote the runner's answer.
      if (e instanceof SecretsError) {
        throw new SecretsError(`could not get a GitHub OIDC token for Vault JWT auth: ${e.message}`, e.hint);
      }
      throw new SecretsError(
        'could not get a GitHub OIDC token for Vault JWT auth',
        'the job needs `permissions: id-token: write`',
      );
    }
    maskSecretValue(logger, jwt);
    try {
      const response = await client.jwtLogin({ mount_point: authMount, role: auth?.role, jwt });
      maskLoginToken(response);
    } catch (e: unknown) {
      throw vaultFailure(
        e,
        `the JWT login (auth/${authMount}/login, role ${auth?.role ?? '(default)'})`,
        address,
      );
    }
  }

  /**
   * Why a token-auth read got 403: a token Vault does not know, or a valid token without a policy
   * for the path. Vault >= 1.17 says "invalid token" for the former; older servers say only
   * "permission denied" for both, and then lookup-self (allowed by the default policy) tells them
   * apart. A token without the default policy cannot look itself up, so the hint names both causes.
   */
  async function explainTokenDenial(client: nodeVault.client, http: VaultHttpFailure): Promise<SecretsError> {
    const tokenVar = config.auth?.token_env ?? 'VAULT_TOKEN';
    const rejected = (hint: string) =>
      new SecretsError(`Vault at ${address} rejected the token in ${tokenVar} (403 permission denied)`, hint);
    const unknownToken = 'the token is unknown, expired or revoked, or was issued in another namespace';
    if (isInvalidTokenFailure(http)) return rejected(unknownToken);
    const denied = (hint: string) =>
      new SecretsError(`Vault denied reading ${readPath}${inNamespace} (403 permission denied)`, hint);
    const noPolicy = `it has no policy allowing read on ${readPath}`;
    let lookup: VaultHttpFailure | 'unanswered' | null = null;
    try {
      await client.tokenLookupSelf();
    } catch (e: unknown) {
      lookup = httpFailure(e) ?? 'unanswered';
    }
    if (lookup === null) return denied(`the token in ${tokenVar} is valid, but ${noPolicy}`);
    if (lookup !== 'unanswered' && lookup.status === 403) {
      if (isInvalidTokenFailure(lookup)) return rejected(unknownToken);
      return rejected(
        `${unknownToken}; or, if it has no default policy (so it may not look itself up), ${noPolicy}`,
      );
    }
    return denied(`${unknownToken}; or ${noPolicy}`);
  }

  /** A KV v2 read of a deleted or destroyed latest version: Vault answers 404 with its metadata. */
  function deletedVersion(metadata: unknown): SecretsError | null {
    const m = metadata as { version?: unknown; deletion_time?: unknown; destroyed?: unknown } | undefined;
    if (!m || typeof m !== 'object') return null;
    const deleted = typeof m.deletion_time === 'string' && m.deletion_time !== '';
    if (!deleted && m.destroyed !== true) return null;
    const version = m.version === undefined ? '?' : String(m.version);
    return new SecretsError(
      `the latest version (${version}) of ${readPath} is ${m.destroyed === true ? 'destroyed' : 'deleted'} in Vault`,
      m.destroyed === true
        ? 'write a new version (a destroyed version cannot be recovered)'
        : 'undelete it (vault kv undelete) or write a new version',
    );
  }

  function maskLoginToken(response: unknown): void {
    const token = (response as { auth?: { client_token?: unknown } } | undefined)?.auth?.client_token;
    if (typeof token === 'string') maskSecretValue(logger, token);
  }

  return {
    provider: 'vault',
    location,
    async fetch(remoteKeys): Promise<FetchedSecrets> {
      const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const requestOptions: Record<string, unknown> = { timeout };
      if (config.ca_cert) requestOptions.ca = readCaCert(config.ca_cert, options.baseDir);
      const createClient = options.createClient ?? nodeVault;
      // Like the Vault CLI, but read from the injected env: node-vault would consult process.env.
      const skipVerify = isTruthy(env.VAULT_SKIP_VERIFY);
      if (skipVerify && address.startsWith('https:')) {
        logger.warn(`VAULT_SKIP_VERIFY is set: the TLS certificate of ${address} is not verified`);
      }
      requestOptions.strictSSL = !skipVerify;
      const client = createClient({
        endpoint: address,
        namespace,
        requestOptions,
        // node-vault's own debug output would print request bodies (secret ids, JWTs).
        debug: () => {},
      });
      // Only an explicit token is used: node-vault otherwise falls back to process.env.VAULT_TOKEN.
      client.token = '';
      // Likewise its namespace and path prefix fall back to process.env.VAULT_NAMESPACE and
      // VAULT_PREFIX when not given; the namespace comes from the profile or the injected env only.
      Object.assign(client, { namespace: namespace ?? '', pathPrefix: '' });
      await authenticate(client);

      let body: unknown;
      try {
        body = await client.read(readPath);
      } catch (e: unknown) {
        const http = httpFailure(e);
        if (http?.status === 403 && method === 'token') throw await explainTokenDenial(client, http);
        if (http?.status === 404 && kvVersion === 2) {
          const deleted = deletedVersion((http.data as { metadata?: unknown } | null | undefined)?.metadata);
          if (deleted) throw deleted;
        }
        throw vaultFailure(e, `reading ${readPath}${inNamespace}`, address);
      }
      const outer = (body as { data?: unknown } | undefined)?.data as
        | Record<string, unknown>
        | null
        | undefined;
      let data: Record<string, unknown> | null | undefined = outer;
      let version: string | undefined;
      if (kvVersion === 2) {
        data = outer?.data as Record<string, unknown> | null | undefined;
        const metadata = outer?.metadata as { version?: unknown } | undefined;
        if (metadata?.version !== undefined) version = String(metadata.version);
        if (data === null) {
          const deleted = deletedVersion(metadata);
          if (deleted) throw deleted;
        }
      }
      if (!data || typeof data !== 'object') {
        throw new SecretsError(
          `Vault returned no data for ${readPath}`,
          kvVersion === 2 ? 'is this a KV v1 mount? set vault.kv_version: 1' : null,
        );
      }
      const values = new Map<string, string>();
      for (const key of remoteKeys) {
        if (Object.hasOwn(data, key) && data[key] !== null && data[key] !== undefined) {
          values.set(key, asEnvValue(data[key]));
        }
      }
      return version === undefined ? { values } : { values, version };
    },
    missingHint(missing) {
      return `add the key${missing.length === 1 ? '' : 's'} ${missing.join(', ')} to ${readPath}, or point secrets.map at the keys that hold them`;
    },
  };
}
