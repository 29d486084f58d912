import { execFileSync } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretProfile } from '../../action/dockfile/types.ts';
import { SecretsError } from '../../action/errors.ts';
import { checkSecrets, resolveSecrets } from '../../action/secrets/index.ts';
import { startVaultStandIn, type VaultStandIn } from '../support/vault-server.ts';
import { capturingLogger, specWith } from './helpers.ts';

const ROOT_TOKEN = 'hvs.root-token-for-tests';
const NARROW_TOKEN = 'hvs.narrow-token';
const NS_TOKEN = 'hvs.namespaced-token';
const APPROLE_SECRET_ID = 'approle-secret-id-7f3a';

const declared = {
  required: [{ name: 'OPENAI_API_KEY' }, { name: 'MY_AGENT_KEY' }],
  optional: [{ name: 'LANGFUSE_SECRET', default: 'lf-default' }],
};

const jwtKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = jwtKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function signJwt(claims: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(jwtKeys.privateKey).toString('base64url')}`;
}

function githubOidcToken(audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:acme/invoice-copilot:environment:production',
    aud: audience,
    repository: 'acme/invoice-copilot',
    iat: now,
    exp: now + 300,
  });
}

let vault: VaultStandIn;

beforeAll(async () => {
  vault = await startVaultStandIn({
    tokens: {
      [ROOT_TOKEN]: { allow: ['*'] },
      [NARROW_TOKEN]: { allow: ['secret/data/other/*'] },
      [NS_TOKEN]: { allow: ['*'], namespace: 'team-ai' },
    },
    kv: [
      {
        mount: 'secret',
        version: 2,
        secrets: {
          'invoice-copilot/production': [
            { OPENAI_API_KEY: 'sk-v1', agent_api_key: 'agent-v1' },
            { OPENAI_API_KEY: 'sk-v2', agent_api_key: 'agent-v2', PORT_LIKE: 8080 },
          ],
          'invoice-copilot/deleted': [{ OPENAI_API_KEY: 'old' }, null],
          'invoice-copilot/partial': [{ OPENAI_API_KEY: 'only-this' }],
        },
      },
      {
        mount: 'kv1',
        version: 1,
        secrets: { 'invoice-copilot': [{ OPENAI_API_KEY: 'kv1-sk', MY_AGENT_KEY: 'kv1-ag' }] },
      },
      {
        namespace: 'team-ai',
        mount: 'kv',
        version: 2,
        secrets: { 'invoice-copilot/production': [{ OPENAI_API_KEY: 'ns-sk', MY_AGENT_KEY: 'ns-ag' }] },
      },
    ],
    approle: {
      roles: [
        {
          roleId: 'invoice-copilot-ci',
          secretId: APPROLE_SECRET_ID,
          allow: ['secret/data/invoice-copilot/*'],
        },
      ],
    },
    jwt: {
      validationPublicKeys: [publicPem],
      roles: {
        'invoice-copilot': {
          boundAudiences: ['https://vault.example.com'],
          boundClaims: { repository: 'acme/invoice-copilot' },
          allow: ['secret/data/invoice-copilot/*'],
        },
      },
    },
  });
});

afterAll(async () => {
  await vault.close();
});

function vaultProfile(
  vaultConfig: Partial<NonNullable<SecretProfile['vault']>>,
  map?: Record<string, string>,
) {
  return specWith(declared, {
    environments: {
      production: {
        secrets: {
          provider: 'vault',
          vault: { address: vault.address, path: 'invoice-copilot/production', ...vaultConfig },
          ...(map ? { map } : {}),
        },
      },
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<SecretsError> {
  const e: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SecretsError);
  return e as SecretsError;
}

function assertNoCredentials(e: SecretsError, ...credentials: string[]) {
  const text = `${e.message} ${e.hint ?? ''} ${e.cause === undefined ? '' : String(e.cause)}`;
  for (const credential of credentials) expect(text).not.toContain(credential);
}

describe('vault provider (node-vault against the Vault stand-in)', () => {
  it('the stand-in answers node-vault the way Vault does (envelope, lookup-self, KV v2 metadata)', async () => {
    const client = nodeVault({ endpoint: vault.address, token: ROOT_TOKEN });
    const self = await client.tokenLookupSelf();
    expect(Object.keys(self).sort()).toEqual(
      [
        'auth',
        'data',
        'lease_duration',
        'lease_id',
        'renewable',
        'request_id',
        'warnings',
        'wrap_info',
      ].sort(),
    );
    expect(self.data.id).toBe(ROOT_TOKEN);
    const secret = await client.read('secret/data/invoice-copilot/production');
    expect(secret.data.metadata.version).toBe(2);
    expect(secret.data.data.OPENAI_API_KEY).toBe('sk-v2');
    const bad = nodeVault({ endpoint: vault.address, token: 'hvs.wrong' });
    await expect(bad.tokenLookupSelf()).rejects.toMatchObject({
      message: 'permission denied',
      response: { statusCode: 403, body: { errors: ['permission denied'] } },
    });
  });

  it('token auth, KV v2: reads mount/data/path without the user writing data/, with map and version', async () => {
    const { logger, secrets } = capturingLogger();
    const set = await resolveSecrets({
      spec: vaultProfile({}, { MY_AGENT_KEY: 'agent_api_key' }),
      environment: 'production',
      env: { VAULT_TOKEN: ROOT_TOKEN },
      logger,
    });
    expect(set.provider).toBe('vault');
    expect(set.location).toBe(`vault ${vault.address} secret/data/invoice-copilot/production`);
    expect(Object.fromEntries(set.values)).toEqual({
      OPENAI_API_KEY: 'sk-v2',
      MY_AGENT_KEY: 'agent-v2',
      LANGFUSE_SECRET: 'lf-default',
    });
    expect(set.entries.map((e) => [e.name, e.status, e.remoteVersion])).toEqual([
      ['OPENAI_API_KEY', 'present', '2'],
      ['MY_AGENT_KEY', 'present', '2'],
      ['LANGFUSE_SECRET', 'defaulted', undefined],
    ]);
    expect(secrets).toContain(ROOT_TOKEN);
    expect(secrets).toContain('sk-v2');
    const paths = vault.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('GET auth/token/lookup-self');
    expect(paths).toContain('GET secret/data/invoice-copilot/production');
  });

  it('token from token_env, KV v1 mount', async () => {
    const set = await resolveSecrets({
      spec: vaultProfile({
        mount: 'kv1',
        path: '/invoice-copilot/',
        kv_version: 1,
        auth: { method: 'token', token_env: 'MY_VAULT_TOKEN' },
      }),
      environment: 'production',
      env: { MY_VAULT_TOKEN: ROOT_TOKEN, VAULT_TOKEN: 'hvs.not-this-one' },
      logger: capturingLogger().logger,
    });
    expect(set.values.get('OPENAI_API_KEY')).toBe('kv1-sk');
    expect(set.values.get('MY_AGENT_KEY')).toBe('kv1-ag');
    expect(set.entries[0]?.remoteVersion).toBeUndefined();
  });

  it('Enterprise namespace: sends X-Vault-Namespace and reads that namespace', async () => {
    const set = await resolveSecrets({
      spec: vaultProfile({ mount: 'kv', namespace: 'team-ai' }),
      environment: 'production',
      env: { VAULT_TOKEN: NS_TOKEN },
      logger: capturingLogger().logger,
    });
    expect(set.values.get('OPENAI_API_KEY')).toBe('ns-sk');
    expect(set.location).toContain('namespace team-ai');
    const read = vault.requests.filter((r) => r.path === 'kv/data/invoice-copilot/production');
    expect(read.at(-1)?.namespace).toBe('team-ai');
  });

  it('a wrong token is rejected at lookup-self with 403, naming the variable and not the token', async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({}),
        environment: 'production',
        env: { VAULT_TOKEN: 'hvs.wrong-token-value' },
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe(
      `Vault at ${vault.address} rejected the token in VAULT_TOKEN (403 permission denied)`,
    );
    assertNoCredentials(e, 'hvs.wrong-token-value');
  });

  it('no token at all says which variable to set', async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({}),
        environment: 'production',
        env: {},
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe('no Vault token: VAULT_TOKEN is not set');
  });

  it('a token without a policy for the path: 403 naming the path', async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({}),
        environment: 'production',
        env: { VAULT_TOKEN: NARROW_TOKEN },
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe(
      'Vault denied reading secret/data/invoice-copilot/production (403 permission denied)',
    );
    assertNoCredentials(e, NARROW_TOKEN);
  });

  it('a path with nothing in it: 404 naming the path, with the kv_version hint', async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({ path: 'invoice-copilot/nope' }),
        environment: 'production',
        env: { VAULT_TOKEN: ROOT_TOKEN },
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe('Vault found nothing when reading secret/data/invoice-copilot/nope (404)');
    expect(e.hint).toContain('kv_version');
  });

  it("a KV v2 mount read as KV v1 gets Vault's 404 and the same clear message", async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({ kv_version: 1 }),
        environment: 'production',
        env: { VAULT_TOKEN: ROOT_TOKEN },
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe('Vault found nothing when reading secret/invoice-copilot/production (404)');
    expect(e.hint).toContain('Vault says: Invalid path for a versioned K/V secrets engine');
    expect(e.hint).toContain('vault.kv_version');
  });

  it('the latest version deleted is reported as such', async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({ path: 'invoice-copilot/deleted' }),
        environment: 'production',
        env: { VAULT_TOKEN: ROOT_TOKEN },
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe(
      'the latest version (2) of secret/data/invoice-copilot/deleted is deleted or destroyed in Vault',
    );
  });

  it('keys missing from the secret are listed all at once (check does not throw)', async () => {
    const report = await checkSecrets({
      spec: vaultProfile({ path: 'invoice-copilot/partial' }),
      environment: 'production',
      env: { VAULT_TOKEN: ROOT_TOKEN },
      logger: capturingLogger().logger,
    });
    expect(report.missingRequired).toEqual(['MY_AGENT_KEY']);
    expect(report.missingHint).toBe(
      'add the key MY_AGENT_KEY to secret/data/invoice-copilot/partial, or point secrets.map at the keys that hold them',
    );
  });

  it('AppRole: logs in with role_id + secret id from secret_id_env, masks the secret id and the issued token', async () => {
    const { logger, secrets } = capturingLogger();
    const set = await resolveSecrets({
      spec: vaultProfile(
        { auth: { method: 'approle', role_id: 'invoice-copilot-ci', secret_id_env: 'CI_SECRET_ID' } },
        { MY_AGENT_KEY: 'agent_api_key' },
      ),
      environment: 'production',
      env: { CI_SECRET_ID: APPROLE_SECRET_ID },
      logger,
    });
    expect(set.values.get('MY_AGENT_KEY')).toBe('agent-v2');
    expect(secrets).toContain(APPROLE_SECRET_ID);
    const issued = vault.issuedTokens().at(-1);
    expect(issued).toBeDefined();
    expect(secrets).toContain(issued);
  });

  it('AppRole with a wrong secret id: Vault\'s 400 "invalid role or secret ID", without the secret id', async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({ auth: { method: 'approle', role_id: 'invoice-copilot-ci' } }),
        environment: 'production',
        env: { VAULT_SECRET_ID: 'wrong-secret-id-value' },
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe(
      'Vault refused the AppRole login (auth/approle/login) (400: invalid role or secret ID)',
    );
    assertNoCredentials(e, 'wrong-secret-id-value');
  });

  it('JWT: logs in with the GitHub OIDC token for the configured audience', async () => {
    const audiences: Array<string | undefined> = [];
    const { logger, secrets } = capturingLogger();
    let jwt = '';
    const set = await resolveSecrets({
      spec: vaultProfile(
        { auth: { method: 'jwt', role: 'invoice-copilot', audience: 'https://vault.example.com' } },
        { MY_AGENT_KEY: 'agent_api_key' },
      ),
      environment: 'production',
      env: {},
      getIdToken: async (audience) => {
        audiences.push(audience);
        jwt = githubOidcToken(audience ?? '');
        return jwt;
      },
      logger,
    });
    expect(audiences).toEqual(['https://vault.example.com']);
    expect(set.values.get('OPENAI_API_KEY')).toBe('sk-v2');
    expect(secrets).toContain(jwt);
  });

  it("JWT with a token for the wrong audience is refused with Vault's message", async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({ auth: { method: 'jwt', role: 'invoice-copilot', audience: 'sigstore' } }),
        environment: 'production',
        env: {},
        getIdToken: async (audience) => githubOidcToken(audience ?? ''),
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toContain(
      'Vault refused the JWT login (auth/jwt/login, role invoice-copilot) (400: error validating token: invalid audience',
    );
  });

  it('JWT with an unknown role, or a token signed by someone else, is refused as Vault refuses it', async () => {
    const unknownRole = await rejection(
      resolveSecrets({
        spec: vaultProfile({
          auth: { method: 'jwt', role: 'someone-else', audience: 'https://vault.example.com' },
        }),
        environment: 'production',
        env: {},
        getIdToken: async (audience) => githubOidcToken(audience ?? ''),
        logger: capturingLogger().logger,
      }),
    );
    expect(unknownRole.message).toBe(
      'Vault refused the JWT login (auth/jwt/login, role someone-else) (400: role "someone-else" could not be found)',
    );
    const forgedKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = (() => {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(
        JSON.stringify({ aud: 'https://vault.example.com', repository: 'acme/invoice-copilot' }),
      ).toString('base64url');
      const signer = createSign('RSA-SHA256');
      signer.update(`${header}.${payload}`);
      return `${header}.${payload}.${signer.sign(forgedKeys.privateKey).toString('base64url')}`;
    })();
    const badSignature = await rejection(
      resolveSecrets({
        spec: vaultProfile({
          auth: { method: 'jwt', role: 'invoice-copilot', audience: 'https://vault.example.com' },
        }),
        environment: 'production',
        env: {},
        getIdToken: async () => forged,
        logger: capturingLogger().logger,
      }),
    );
    expect(badSignature.message).toBe(
      'Vault refused the JWT login (auth/jwt/login, role invoice-copilot) (400: error validating token: failed to verify id token signature)',
    );
    assertNoCredentials(badSignature, forged);
  });

  it('JWT without an OIDC token source says the job needs id-token: write', async () => {
    const e = await rejection(
      resolveSecrets({
        spec: vaultProfile({ auth: { method: 'jwt', role: 'invoice-copilot' } }),
        environment: 'production',
        env: {},
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe('Vault JWT auth needs a GitHub OIDC token, and none is available here');
    expect(e.hint).toContain('id-token: write');
    const failing = await rejection(
      resolveSecrets({
        spec: vaultProfile({ auth: { method: 'jwt', role: 'invoice-copilot' } }),
        environment: 'production',
        env: {},
        getIdToken: async () => {
          throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        },
        logger: capturingLogger().logger,
      }),
    );
    expect(failing.hint).toBe('the job needs `permissions: id-token: write`');
  });

  it('503 (sealed) and 500 are reported as server-side problems naming the path', async () => {
    const standIn = await startVaultStandIn({ tokens: { [ROOT_TOKEN]: { allow: ['*'] } } });
    try {
      const spec = specWith(declared, {
        environments: {
          production: {
            secrets: { provider: 'vault', vault: { address: standIn.address, path: 'app' } },
          },
        },
      });
      standIn.failPath('secret/', 503);
      const sealed = await rejection(
        resolveSecrets({
          spec,
          environment: 'production',
          env: { VAULT_TOKEN: ROOT_TOKEN },
          logger: capturingLogger().logger,
        }),
      );
      expect(sealed.message).toBe(
        `Vault at ${standIn.address} is unavailable (503: Vault is sealed) during reading secret/data/app`,
      );
      expect(sealed.hint).toContain('sealed');
      standIn.failPath('secret/', 500);
      const broken = await rejection(
        resolveSecrets({
          spec,
          environment: 'production',
          env: { VAULT_TOKEN: ROOT_TOKEN },
          logger: capturingLogger().logger,
        }),
      );
      expect(broken.message).toBe('Vault server error 500: internal error during reading secret/data/app');
    } finally {
      await standIn.close();
    }
  });

  it('a Vault that never answers times out with a clear message', async () => {
    const standIn = await startVaultStandIn({ tokens: { [ROOT_TOKEN]: { allow: ['*'] } } });
    try {
      standIn.hangPath('secret/');
      const started = Date.now();
      const e = await rejection(
        resolveSecrets({
          spec: specWith(declared, {
            environments: {
              production: {
                secrets: { provider: 'vault', vault: { address: standIn.address, path: 'app' } },
              },
            },
          }),
          environment: 'production',
          env: { VAULT_TOKEN: ROOT_TOKEN },
          logger: capturingLogger().logger,
          providers: { vault: { timeoutMs: 300 } },
        }),
      );
      expect(e.message).toBe(
        `timed out waiting for Vault at ${standIn.address} during reading secret/data/app`,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await standIn.close();
    }
  });

  it('an unreachable Vault names the address', async () => {
    const closed = await startVaultStandIn();
    const address = closed.address;
    await closed.close();
    const e = await rejection(
      resolveSecrets({
        spec: specWith(declared, {
          environments: { production: { secrets: { provider: 'vault', vault: { address, path: 'app' } } } },
        }),
        environment: 'production',
        env: { VAULT_TOKEN: ROOT_TOKEN },
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe(
      `cannot reach Vault at ${address} (ECONNREFUSED) during the token lookup (auth/token/lookup-self)`,
    );
  });

  describe('TLS', () => {
    let dir: string;
    let tlsVault: VaultStandIn;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'dockrion-vault-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=dockrion test CA',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'ca.pem'),
        ],
        { stdio: 'ignore' },
      );
      tlsVault = await startVaultStandIn({
        tokens: { [ROOT_TOKEN]: { allow: ['*'] } },
        kv: [
          {
            mount: 'secret',
            version: 2,
            secrets: { app: [{ OPENAI_API_KEY: 'tls-sk', MY_AGENT_KEY: 'tls-ag' }] },
          },
        ],
        tls: {
          cert: readFileSync(join(dir, 'ca.pem'), 'utf8'),
          key: readFileSync(join(dir, 'key.pem'), 'utf8'),
        },
      });
    });
    afterAll(async () => {
      await tlsVault.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const tlsSpec = (caCert?: string) =>
      specWith(declared, {
        environments: {
          production: {
            secrets: {
              provider: 'vault',
              vault: { address: tlsVault.address, path: 'app', ...(caCert ? { ca_cert: caCert } : {}) },
            },
          },
        },
      });

    it('a certificate from an unknown CA is reported as a TLS error with the ca_cert hint', async () => {
      const e = await rejection(
        resolveSecrets({
          spec: tlsSpec(),
          environment: 'production',
          env: { VAULT_TOKEN: ROOT_TOKEN },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toMatch(
        /^TLS error connecting to Vault at https:\/\/127\.0\.0\.1:\d+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      );
      expect(e.hint).toContain('vault.ca_cert');
    });

    it('vault.ca_cert as a file relative to the Dockfile, or inline PEM, is trusted', async () => {
      writeFileSync(join(dir, 'relative-ca.pem'), readFileSync(join(dir, 'ca.pem')));
      const fromFile = await resolveSecrets({
        spec: tlsSpec('relative-ca.pem'),
        environment: 'production',
        env: { VAULT_TOKEN: ROOT_TOKEN },
        logger: capturingLogger().logger,
        baseDir: dir,
      });
      expect(fromFile.values.get('OPENAI_API_KEY')).toBe('tls-sk');
      const inline = await resolveSecrets({
        spec: tlsSpec(readFileSync(join(dir, 'ca.pem'), 'utf8')),
        environment: 'production',
        env: { VAULT_TOKEN: ROOT_TOKEN },
        logger: capturingLogger().logger,
      });
      expect(inline.values.get('MY_AGENT_KEY')).toBe('tls-ag');
    });

    it('VAULT_SKIP_VERIFY from the injected env skips verification, with a warning', async () => {
      const { logger, output } = capturingLogger();
      const set = await resolveSecrets({
        spec: tlsSpec(),
        environment: 'production',
        env: { VAULT_TOKEN: ROOT_TOKEN, VAULT_SKIP_VERIFY: 'true' },
        logger,
      });
      expect(set.values.get('OPENAI_API_KEY')).toBe('tls-sk');
      expect(output()).toBe(
        `warning: VAULT_SKIP_VERIFY is set: the TLS certificate of ${tlsVault.address} is not verified\n`,
      );
      const e = await rejection(
        resolveSecrets({
          spec: tlsSpec(),
          environment: 'production',
          env: { VAULT_TOKEN: ROOT_TOKEN, VAULT_SKIP_VERIFY: 'false' },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toMatch(/^TLS error/);
    });

    it('a ca_cert file that does not exist is named', async () => {
      const e = await rejection(
        resolveSecrets({
          spec: tlsSpec('missing-ca.pem'),
          environment: 'production',
          env: { VAULT_TOKEN: ROOT_TOKEN },
          logger: capturingLogger().logger,
          baseDir: dir,
        }),
      );
      expect(e.message).toBe(`cannot read vault.ca_cert '${join(dir, 'missing-ca.pem')}' (ENOENT)`);
    });
  });
});
