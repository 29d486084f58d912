import { readFileSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import nodeVault from 'node-vault';
import type { Logger } from '../../adapters/logger.ts';
import { SecretsError } from '../../errors.ts';
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
}

function httpFailure(e: unknown): VaultHttpFailure | null {
  const response = (e as { response?: { statusCode?: unknown; body?: unknown } }).response;
  if (!response || typeof response.statusCode !== 'number') return null;
  const body = response.body as { errors?: unknown; warnings?: unknown } | undefined;
  const strings = (list: unknown) =>
    Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  return {
    status: response.statusCode,
    vaultErrors: strings(body?.errors),
    vaultWarnings: strings(body?.warnings),
  };
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
      client.token = token;
      try {
        await client.tokenLookupSelf();
      } catch (e: unknown) {
        if (httpFailure(e)?.status === 403) {
          throw new SecretsError(
            `Vault at ${address} rejected the token in ${tokenVar} (403 permission denied)`,
            'the token is unknown, expired or revoked, or was issued in another namespace',
          );
        }
        throw vaultFailure(e, `the token lookup (auth/token/lookup-self)`, address);
      }
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
    } catch {
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
      await authenticate(client);

      let body: unknown;
      try {
        body = await client.read(readPath);
      } catch (e: unknown) {
        throw vaultFailure(e, `reading ${readPath}${namespace ? ` in namespace ${namespace}` : ''}`, address);
      }
      const outer = (body as { data?: unknown } | undefined)?.data as
        | Record<string, unknown>
        | null
        | undefined;
      let data: Record<string, unknown> | null | undefined = outer;
      let version: string | undefined;
      if (kvVersion === 2) {
        data = outer?.data as Record<string, unknown> | null | undefined;
        const metadata = outer?.metadata as { version?: unknown; deletion_time?: unknown } | undefined;
        if (metadata?.version !== undefined) version = String(metadata.version);
        if (data === null && metadata) {
          throw new SecretsError(
            `the latest version (${version ?? '?'}) of ${readPath} is deleted or destroyed in Vault`,
            'undelete it or write a new version',
          );
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
