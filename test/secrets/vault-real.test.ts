/**
 * The vault provider against a real HashiCorp Vault dev server (built and started by
 * scripts/ci/vault.sh; .ci/run does both). Every test makes its own mounts, policies, roles and
 * tokens under unique names and removes them afterwards, so the shared server stays clean. TLS,
 * sealing and a stopped server use a second dev server the test owns. What a dev server cannot do
 * (Enterprise namespaces, a 500, a server that never answers) stays in vault.test.ts on the double.
 */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { SecretProfile } from '../../action/dockfile/types.ts';
import { checkSecrets, githubOidcTokenFetcher, resolveSecrets } from '../../action/secrets/index.ts';
import { SecretsError } from '../../shared/errors.ts';
import { captureCli } from '../support/cli.ts';
import { inEnvironment } from '../support/environment.ts';
import { hasVault, requireInfra, vaultDevServer } from '../support/infra.ts';
import { type OwnVault, startOwnVault, uniqueName, VaultAdmin, VaultScenario } from '../support/vault-dev.ts';
import { startVaultStandIn } from '../support/vault-server.ts';
import { capturingLogger, specWith } from './helpers.ts';

const { describe, it } = requireInfra('vault', hasVault());

const declared = {
  required: [{ name: 'OPENAI_API_KEY' }, { name: 'MY_AGENT_KEY' }],
  optional: [{ name: 'LANGFUSE_SECRET', default: 'lf-default' }],
};
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const AUDIENCE = 'https://vault.example.com';
const REPOSITORY = 'acme/invoice-copilot';

type VaultConfig = NonNullable<SecretProfile['vault']>;

function vaultSpec(vault: VaultConfig, map?: Record<string, string>) {
  return specWith(declared, {
    environments: {
      production: { secrets: { provider: 'vault', vault, ...(map ? { map } : {}) } },
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

function expectNoCredentials(e: SecretsError, ...credentials: string[]) {
  const text = `${e.message} ${e.hint ?? ''} ${e.cause === undefined ? '' : String(e.cause)}`;
  for (const credential of credentials) expect(text).not.toContain(credential);
}

/** A policy that may read one secret and nothing else (what a least-privilege CI token gets). */
const readPolicy = (mount: string, path: string, kvVersion: 1 | 2 = 2) =>
  `path "${kvVersion === 2 ? `${mount}/data/${path}` : `${mount}/${path}`}" { capabilities = ["read"] }`;

describe('vault provider against a real Vault dev server', () => {
  const server = vaultDevServer();
  let admin: VaultAdmin;
  let scenario: VaultScenario;

  beforeAll(() => {
    if (!server) throw new Error('no Vault dev server');
    admin = new VaultAdmin(server.address, server.rootToken);
  });
  afterEach(async () => {
    await scenario?.cleanup();
  });

  /** A fresh scenario per test, cleaned up in afterEach. */
  const begin = () => {
    scenario = new VaultScenario(admin);
    return scenario;
  };

  /** A KV mount with the app's secret written `versions` times (the last one wins). */
  async function kvWithSecret(
    s: VaultScenario,
    kvVersion: 1 | 2,
    versions: Array<Record<string, unknown>>,
    path = 'invoice-copilot/production',
  ) {
    const mount = await s.kvMount(kvVersion);
    for (const data of versions) await s.write(mount, kvVersion, path, data);
    return { mount, path };
  }

  describe('KV mounts and token auth', () => {
    it('KV v2: reads <mount>/data/<path> with map, reports the version, masks the token and values', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [
        { OPENAI_API_KEY: 'sk-v1', agent_api_key: 'agent-v1' },
        { OPENAI_API_KEY: 'sk-v2', agent_api_key: 'agent-v2' },
      ]);
      const token = await s.token([await s.policy(readPolicy(mount, path))]);
      const { logger, secrets } = capturingLogger();
      const set = await resolveSecrets({
        ...inEnvironment(
          vaultSpec({ address: admin.address, mount, path }, { MY_AGENT_KEY: 'agent_api_key' }),
          'production',
        ),
        env: { VAULT_TOKEN: token },
        logger,
      });
      expect(set.location).toBe(`vault ${admin.address} ${mount}/data/${path}`);
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
      expect(secrets).toEqual(expect.arrayContaining([token, 'sk-v2', 'agent-v2']));
    });

    it('KV v1: reads <mount>/<path> with the token from token_env; no version', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 1, [
        { OPENAI_API_KEY: 'kv1-sk', MY_AGENT_KEY: 'kv1-ag' },
      ]);
      const token = await s.token([await s.policy(readPolicy(mount, path, 1))]);
      const set = await resolveSecrets({
        ...inEnvironment(
          vaultSpec({
            address: admin.address,
            mount: `/${mount}/`,
            path: `/${path}/`,
            kv_version: 1,
            auth: { method: 'token', token_env: 'MY_VAULT_TOKEN' },
          }),
          'production',
        ),
        env: { MY_VAULT_TOKEN: token, VAULT_TOKEN: 'hvs.not-this-one' },
        logger: capturingLogger().logger,
      });
      expect(set.location).toBe(`vault ${admin.address} ${mount}/${path}`);
      expect(set.values.get('OPENAI_API_KEY')).toBe('kv1-sk');
      expect(set.values.get('MY_AGENT_KEY')).toBe('kv1-ag');
      expect(set.entries[0]?.remoteVersion).toBeUndefined();
    });

    it('non-string KV values reach the environment as JSON', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 8080, MY_AGENT_KEY: { a: [1] } }]);
      const set = await resolveSecrets({
        ...inEnvironment(vaultSpec({ address: admin.address, mount, path }), 'production'),
        env: { VAULT_TOKEN: await s.token([await s.policy(readPolicy(mount, path))]) },
        logger: capturingLogger().logger,
      });
      expect(set.values.get('OPENAI_API_KEY')).toBe('8080');
      expect(set.values.get('MY_AGENT_KEY')).toBe('{"a":[1]}');
    });

    it('regression: a least-privilege token without auth/token/lookup-self reads its secret', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'lp-sk', MY_AGENT_KEY: 'lp-ag' }]);
      const token = await s.token([await s.policy(readPolicy(mount, path))], { noDefaultPolicy: true });
      // The premise: without the default policy this token may not look itself up.
      expect((await admin.call('GET', 'auth/token/lookup-self', undefined, token)).status).toBe(403);
      const set = await resolveSecrets({
        ...inEnvironment(vaultSpec({ address: admin.address, mount, path }), 'production'),
        env: { VAULT_TOKEN: token },
        logger: capturingLogger().logger,
      });
      expect(set.values.get('OPENAI_API_KEY')).toBe('lp-sk');
      expect(set.entries[0]?.remoteVersion).toBe('1');
    });

    it('a wrong token is rejected as such, naming the variable and not the token', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }]);
      const wrong = `hvs.${randomBytes(12).toString('hex')}`;
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(vaultSpec({ address: admin.address, mount, path }), 'production'),
          env: { VAULT_TOKEN: wrong },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(
        `Vault at ${admin.address} rejected the token in VAULT_TOKEN (403 permission denied)`,
      );
      expect(e.hint).toMatch(/^the token is unknown, expired or revoked, or was issued in another namespace/);
      expectNoCredentials(e, wrong);
    });

    it('a revoked token is rejected the same way', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }]);
      const token = await s.token([await s.policy(readPolicy(mount, path))]);
      await admin.ok('POST', 'auth/token/revoke', { token });
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(vaultSpec({ address: admin.address, mount, path }), 'production'),
          env: { VAULT_TOKEN: token },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toContain('rejected the token in VAULT_TOKEN');
      expectNoCredentials(e, token);
    });

    it('a valid token without a policy for the path: 403 naming the path, and that the token is valid', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }]);
      const token = await s.token([await s.policy(readPolicy(mount, 'someone-else'))]);
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(vaultSpec({ address: admin.address, mount, path }), 'production'),
          env: { VAULT_TOKEN: token },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(`Vault denied reading ${mount}/data/${path} (403 permission denied)`);
      expect(e.hint).toBe(
        `the token in VAULT_TOKEN is valid, but it has no policy allowing read on ${mount}/data/${path}`,
      );
      expectNoCredentials(e, token);
    });

    it('a least-privilege token without a policy for the path: the hint names that cause too', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }]);
      const token = await s.token([await s.policy(readPolicy(mount, 'someone-else'))], {
        noDefaultPolicy: true,
      });
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(vaultSpec({ address: admin.address, mount, path }), 'production'),
          env: { VAULT_TOKEN: token },
          logger: capturingLogger().logger,
        }),
      );
      // Vault 1.15 answers "permission denied" to an unknown token and to this one alike, and this
      // token may not call lookup-self; so the message cannot tell, and the hint names both causes.
      expect(e.message).toBe(
        `Vault at ${admin.address} rejected the token in VAULT_TOKEN (403 permission denied)`,
      );
      expect(e.hint).toContain(`if it has no default policy`);
      expect(e.hint).toContain(`no policy allowing read on ${mount}/data/${path}`);
    });
  });

  describe('missing secrets', () => {
    it('a path with nothing in it: 404 naming the path, with the kv_version hint (KV v2 and v1)', async () => {
      const s = begin();
      const v2 = await s.kvMount(2);
      const v1 = await s.kvMount(1);
      for (const [mount, kv_version, readPath] of [
        [v2, 2, `${v2}/data/invoice-copilot/nope`],
        [v1, 1, `${v1}/invoice-copilot/nope`],
      ] as const) {
        const e = await rejection(
          resolveSecrets({
            ...inEnvironment(
              vaultSpec({ address: admin.address, mount, path: 'invoice-copilot/nope', kv_version }),
              'production',
            ),
            env: {
              VAULT_TOKEN: await s.token([await s.policy(`path "${mount}/*" { capabilities = ["read"] }`)]),
            },
            logger: capturingLogger().logger,
          }),
        );
        expect(e.message).toBe(`Vault found nothing when reading ${readPath} (404)`);
        expect(e.hint).toContain('vault.kv_version');
      }
    });

    it("a KV v2 mount read as KV v1: Vault's own explanation in the hint", async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }]);
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(vaultSpec({ address: admin.address, mount, path, kv_version: 1 }), 'production'),
          env: {
            VAULT_TOKEN: await s.token([await s.policy(`path "${mount}/*" { capabilities = ["read"] }`)]),
          },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(`Vault found nothing when reading ${mount}/${path} (404)`);
      expect(e.hint).toContain('Vault says: Invalid path for a versioned K/V secrets engine');
    });

    it('keys missing from the secret are listed all at once by check (KV v2 and v1)', async () => {
      const s = begin();
      for (const kvVersion of [2, 1] as const) {
        const { mount, path } = await kvWithSecret(s, kvVersion, [{ OPENAI_API_KEY: 'only-this' }]);
        const report = await checkSecrets({
          ...inEnvironment(
            vaultSpec({ address: admin.address, mount, path, kv_version: kvVersion }),
            'production',
          ),
          env: { VAULT_TOKEN: await s.token([await s.policy(readPolicy(mount, path, kvVersion))]) },
          logger: capturingLogger().logger,
        });
        const readPath = kvVersion === 2 ? `${mount}/data/${path}` : `${mount}/${path}`;
        expect(report.missingRequired).toEqual(['MY_AGENT_KEY']);
        expect(report.missingHint).toBe(
          `add the key MY_AGENT_KEY to ${readPath}, or point secrets.map at the keys that hold them`,
        );
      }
    });

    it('regression: a deleted latest KV v2 version (404 with metadata) is reported as deleted', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [
        { OPENAI_API_KEY: 'old', MY_AGENT_KEY: 'old' },
        { OPENAI_API_KEY: 'new', MY_AGENT_KEY: 'new' },
      ]);
      await admin.ok('DELETE', `${mount}/data/${path}`);
      // The premise, as Vault answers it: 404, `data: null` and the deletion time in the metadata.
      const raw = await admin.call('GET', `${mount}/data/${path}`);
      expect(raw.status).toBe(404);
      expect(raw.body?.data).toMatchObject({ data: null, metadata: { version: 2 } });
      expect(raw.body?.data).not.toMatchObject({ metadata: { deletion_time: '' } });
      const spec = vaultSpec({ address: admin.address, mount, path });
      const token = await s.token([await s.policy(readPolicy(mount, path))]);
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(spec, 'production'),
          env: { VAULT_TOKEN: token },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(`the latest version (2) of ${mount}/data/${path} is deleted in Vault`);
      expect(e.hint).toBe('undelete it (vault kv undelete) or write a new version');

      await admin.ok('PUT', `${mount}/destroy/${path}`, { versions: [2] });
      const destroyed = await rejection(
        resolveSecrets({
          ...inEnvironment(spec, 'production'),
          env: { VAULT_TOKEN: token },
          logger: capturingLogger().logger,
        }),
      );
      expect(destroyed.message).toBe(`the latest version (2) of ${mount}/data/${path} is destroyed in Vault`);

      await s.write(mount, 2, path, { OPENAI_API_KEY: 'v3', MY_AGENT_KEY: 'v3' });
      const set = await resolveSecrets({
        ...inEnvironment(spec, 'production'),
        env: { VAULT_TOKEN: token },
        logger: capturingLogger().logger,
      });
      expect(set.values.get('OPENAI_API_KEY')).toBe('v3');
      expect(set.entries[0]?.remoteVersion).toBe('3');
    });
  });

  describe('AppRole', () => {
    it('logs in with role_id + the secret id from secret_id_env, masks the secret id and the issued token', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'ar-sk', agent_api_key: 'ar-ag' }]);
      const role = await s.approle([await s.policy(readPolicy(mount, path))]);
      const { logger, secrets } = capturingLogger();
      const set = await resolveSecrets({
        ...inEnvironment(
          vaultSpec(
            {
              address: admin.address,
              mount,
              path,
              auth: {
                method: 'approle',
                mount: role.mount,
                role_id: role.roleId,
                secret_id_env: 'CI_SECRET_ID',
              },
            },
            { MY_AGENT_KEY: 'agent_api_key' },
          ),
          'production',
        ),
        env: { CI_SECRET_ID: role.secretId },
        logger,
      });
      expect(set.values.get('MY_AGENT_KEY')).toBe('ar-ag');
      expect(secrets).toContain(role.secretId);
      // The client token Vault issued at login: masked too (Vault's service tokens start hvs.).
      expect(secrets.some((secret) => secret.startsWith('hvs.'))).toBe(true);
    });

    it("a wrong secret id: Vault's refusal, without the secret id", async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }]);
      const role = await s.approle([await s.policy(readPolicy(mount, path))]);
      const wrong = randomBytes(16).toString('hex');
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(
            vaultSpec({
              address: admin.address,
              mount,
              path,
              auth: { method: 'approle', mount: role.mount, role_id: role.roleId },
            }),
            'production',
          ),
          env: { VAULT_SECRET_ID: wrong },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(
        `Vault refused the AppRole login (auth/${role.mount}/login) (400: invalid role or secret ID)`,
      );
      expectNoCredentials(e, wrong, role.secretId);
    });

    it('a role whose policy does not cover the path: 403 naming the path', async () => {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }]);
      const role = await s.approle([await s.policy(readPolicy(mount, 'other'))]);
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(
            vaultSpec({
              address: admin.address,
              mount,
              path,
              auth: { method: 'approle', mount: role.mount, role_id: role.roleId },
            }),
            'production',
          ),
          env: { VAULT_SECRET_ID: role.secretId },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(`Vault denied reading ${mount}/data/${path} (403 permission denied)`);
    });
  });

  describe('JWT (GitHub OIDC)', () => {
    const signingKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = signingKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const REQUEST_TOKEN = `runner-request-${randomBytes(8).toString('hex')}`;

    function signJwt(claims: Record<string, unknown>, key = signingKeys.privateKey): string {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'test' })).toString(
        'base64url',
      );
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const signer = createSign('RSA-SHA256');
      signer.update(`${header}.${payload}`);
      return `${header}.${payload}.${signer.sign(key).toString('base64url')}`;
    }

    /** The claims GitHub puts in an Actions OIDC token (the ones Vault roles bind to). */
    function githubClaims(audience: string, repository = REPOSITORY) {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: GITHUB_ISSUER,
        sub: `repo:${repository}:environment:production`,
        aud: audience,
        repository,
        ref: 'refs/heads/main',
        environment: 'production',
        iat: now,
        nbf: now - 5,
        exp: now + 300,
      };
    }

    /** A key Vault does not trust (made on first use: RSA key generation is slow). */
    let foreign: ReturnType<typeof generateKeyPairSync>['privateKey'] | undefined;
    const foreignKey = () => {
      foreign ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      return foreign;
    };

    /**
     * The runner's token endpoint as the Action's ACTIONS_ID_TOKEN_REQUEST_URL flow uses it:
     * GET <url>&audience=<aud> with `Authorization: Bearer <request token>` → `{count, value}`.
     */
    let endpoint: Server;
    let endpointUrl: string;
    let endpointMode: 'ok' | 'forbidden' | 'no-value' | 'foreign-key' = 'ok';
    const audiencesAsked: string[] = [];
    const issued: string[] = [];
    beforeAll(async () => {
      endpoint = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://runner');
        if (req.headers.authorization !== `Bearer ${REQUEST_TOKEN}` || endpointMode === 'forbidden') {
          res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"message":"forbidden"}');
          return;
        }
        const audience = url.searchParams.get('audience') ?? 'https://github.com/acme';
        audiencesAsked.push(audience);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        if (endpointMode === 'no-value') {
          res.end(JSON.stringify({ count: 0 }));
          return;
        }
        const jwt = signJwt(
          githubClaims(audience),
          endpointMode === 'foreign-key' ? foreignKey() : undefined,
        );
        issued.push(jwt);
        res.end(JSON.stringify({ count: 1, value: jwt }));
      });
      await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
      endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/_apis/distributedtask/oidc/token?api-version=2.0`;
    });
    afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));
    afterEach(() => {
      endpointMode = 'ok';
    });

    const runnerEnv = () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: endpointUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    });

    /** A jwt auth mount trusting the test's key, and a role bound to the GitHub repository. */
    async function jwtRole(s: VaultScenario, policies: string[]) {
      const mount = await s.authMount('jwt');
      await admin.ok('POST', `auth/${mount}/config`, {
        jwt_validation_pubkeys: [publicPem],
        bound_issuer: GITHUB_ISSUER,
      });
      const role = uniqueName('role');
      await admin.ok('POST', `auth/${mount}/role/${role}`, {
        role_type: 'jwt',
        user_claim: 'repository',
        bound_audiences: [AUDIENCE],
        bound_claims: { repository: REPOSITORY },
        token_policies: policies,
        token_ttl: '15m',
      });
      return { mount, role };
    }

    async function jwtSetup() {
      const s = begin();
      const { mount, path } = await kvWithSecret(s, 2, [
        { OPENAI_API_KEY: 'jwt-sk', agent_api_key: 'jwt-ag' },
      ]);
      const auth = await jwtRole(s, [await s.policy(readPolicy(mount, path))]);
      return { mount, path, auth };
    }

    it('dockrion secrets check logs in with the runner OIDC token for the audience (CLI, end to end)', async () => {
      const { mount, path, auth } = await jwtSetup();
      const dir = mkdtempSync(join(tmpdir(), 'dockrion-vault-jwt-'));
      try {
        writeFileSync(
          join(dir, 'Dockfile.yaml'),
          [
            'version: "1.0"',
            'agent:',
            '  name: invoice-copilot',
            '  entrypoint: app.graph:build_graph',
            '  framework: langgraph',
            'secrets:',
            '  required:',
            '    - name: OPENAI_API_KEY',
            '    - name: MY_AGENT_KEY',
            'deploy:',
            '  environments:',
            '    production:',
            '      secrets:',
            '        provider: vault',
            '        vault:',
            '          address: ${VAULT_ADDR}',
            `          mount: ${mount}`,
            `          path: ${path}`,
            '          auth:',
            '            method: jwt',
            `            mount: ${auth.mount}`,
            `            role: ${auth.role}`,
            `            audience: ${AUDIENCE}`,
            '        map:',
            '          MY_AGENT_KEY: agent_api_key',
            '',
          ].join('\n'),
        );
        const cli = captureCli({ cwd: dir, env: { VAULT_ADDR: admin.address, ...runnerEnv() } });
        const code = await cli.run(['secrets', 'check', '--env', 'production', '--format', 'json']);
        expect(cli.stderr()).toBe('');
        expect(code).toBe(0);
        const report = JSON.parse(cli.stdout());
        expect(report).toMatchObject({ provider: 'vault', ok: true, missing: [] });
        expect(report.secrets.map((e: { name: string; status: string }) => [e.name, e.status])).toEqual([
          ['OPENAI_API_KEY', 'present'],
          ['MY_AGENT_KEY', 'present'],
        ]);
        expect(audiencesAsked.at(-1)).toBe(AUDIENCE);
        expect(cli.stdout()).not.toContain('jwt-sk');
        expect(cli.stdout()).not.toContain(issued.at(-1));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('resolveSecrets with the same fetcher masks the OIDC token', async () => {
      const { mount, path, auth } = await jwtSetup();
      const { logger, secrets } = capturingLogger();
      const set = await resolveSecrets({
        ...inEnvironment(
          vaultSpec(
            {
              address: admin.address,
              mount,
              path,
              auth: { method: 'jwt', mount: auth.mount, role: auth.role, audience: AUDIENCE },
            },
            { MY_AGENT_KEY: 'agent_api_key' },
          ),
          'production',
        ),
        env: {},
        getIdToken: githubOidcTokenFetcher(runnerEnv()),
        logger,
      });
      expect(set.values.get('OPENAI_API_KEY')).toBe('jwt-sk');
      expect(set.values.get('MY_AGENT_KEY')).toBe('jwt-ag');
      expect(secrets).toContain(issued.at(-1));
    });

    it("a token for another audience, another repository or from another key: Vault's own refusal", async () => {
      const { mount, path, auth } = await jwtSetup();
      const attempt = (audience: string, getIdToken: (aud: string | undefined) => Promise<string>) =>
        rejection(
          resolveSecrets({
            ...inEnvironment(
              vaultSpec({
                address: admin.address,
                mount,
                path,
                auth: { method: 'jwt', mount: auth.mount, role: auth.role, audience },
              }),
              'production',
            ),
            env: {},
            getIdToken,
            logger: capturingLogger().logger,
          }),
        );
      const prefix = `Vault refused the JWT login (auth/${auth.mount}/login, role ${auth.role}) (400: `;
      const fetcher = githubOidcTokenFetcher(runnerEnv());
      if (!fetcher) throw new Error('no fetcher');

      const wrongAudience = await attempt('sigstore', fetcher);
      expect(wrongAudience.message).toMatch(new RegExp(`^${escapeRegExp(prefix)}.*aud`));

      const otherRepo = signJwt(githubClaims(AUDIENCE, 'mallory/fork'));
      const wrongRepo = await attempt(AUDIENCE, async () => otherRepo);
      expect(wrongRepo.message).toMatch(new RegExp(`^${escapeRegExp(prefix)}.*claim`));
      expectNoCredentials(wrongRepo, otherRepo);

      endpointMode = 'foreign-key';
      const forged = await attempt(AUDIENCE, fetcher);
      expect(forged.message).toMatch(new RegExp(`^${escapeRegExp(prefix)}.*(signature|verify)`));
      expectNoCredentials(forged, ...issued);
    });

    it('an unknown role is named in the refusal', async () => {
      const { mount, path, auth } = await jwtSetup();
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(
            vaultSpec({
              address: admin.address,
              mount,
              path,
              auth: { method: 'jwt', mount: auth.mount, role: 'no-such-role', audience: AUDIENCE },
            }),
            'production',
          ),
          env: {},
          getIdToken: githubOidcTokenFetcher(runnerEnv()),
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(
        `Vault refused the JWT login (auth/${auth.mount}/login, role no-such-role) (400: role "no-such-role" could not be found)`,
      );
    });

    it('regression: OIDC endpoint failures keep their reason (403, no value, unreachable)', async () => {
      const { mount, path, auth } = await jwtSetup();
      const attempt = (env: Record<string, string>) =>
        rejection(
          resolveSecrets({
            ...inEnvironment(
              vaultSpec({
                address: admin.address,
                mount,
                path,
                auth: { method: 'jwt', mount: auth.mount, role: auth.role, audience: AUDIENCE },
              }),
              'production',
            ),
            env: {},
            getIdToken: githubOidcTokenFetcher(env),
            logger: capturingLogger().logger,
          }),
        );
      endpointMode = 'forbidden';
      const refused = await attempt(runnerEnv());
      expect(refused.message).toBe(
        'could not get a GitHub OIDC token for Vault JWT auth: the GitHub OIDC token endpoint answered 403',
      );
      expect(refused.hint).toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
      expectNoCredentials(refused, REQUEST_TOKEN);

      endpointMode = 'no-value';
      const empty = await attempt(runnerEnv());
      expect(empty.message).toBe(
        'could not get a GitHub OIDC token for Vault JWT auth: the GitHub OIDC token endpoint returned no token (no `value` in its answer)',
      );

      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const unreachable = await attempt({
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${closedPort}/_apis/distributedtask/oidc/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
      });
      expect(unreachable.message).toBe(
        `could not get a GitHub OIDC token for Vault JWT auth: could not reach the GitHub OIDC token endpoint at 127.0.0.1:${closedPort} (ECONNREFUSED)`,
      );
    });
  });

  describe('the double (test/support/vault-server.ts) answers as this server does', () => {
    /** What a caller can observe of an answer: status, Vault's messages, the envelope's shape. */
    function observable(answer: { status: number; body: Record<string, unknown> | null }) {
      const body = answer.body ?? {};
      const data = body.data as Record<string, unknown> | null | undefined;
      const metadata = data?.metadata as Record<string, unknown> | undefined;
      return {
        status: answer.status,
        errors: body.errors ?? null,
        warnings: body.warnings ?? null,
        envelope: Object.keys(body).sort(),
        kvData: data && 'data' in data ? (data.data === null ? null : 'object') : undefined,
        metadata: metadata ? Object.keys(metadata).sort() : undefined,
      };
    }

    it('token lookup, KV v1/v2 reads, missing and deleted secrets, wrong tokens, AppRole and JWT refusals', async () => {
      const s = begin();
      const v2 = await s.kvMount(2);
      const v1 = await s.kvMount(1);
      await s.write(v2, 2, 'app', { K: 'one' });
      await s.write(v2, 2, 'gone', { K: 'old' });
      await s.write(v2, 2, 'gone', { K: 'new' });
      await admin.ok('DELETE', `${v2}/data/gone`);
      await s.write(v1, 1, 'app', { K: 'one' });
      const token = await s.token([
        await s.policy(
          `path "${v2}/*" { capabilities = ["read"] }\npath "${v1}/*" { capabilities = ["read"] }`,
        ),
      ]);
      const role = await s.approle([]);
      const jwtMount = await s.authMount('jwt');
      const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
      await admin.ok('POST', `auth/${jwtMount}/config`, { jwt_validation_pubkeys: [publicPem] });

      const double = await startVaultStandIn({
        tokens: { [token]: { allow: [`${v2}/*`, `${v1}/*`] } },
        kv: [
          { mount: v2, version: 2, secrets: { app: [{ K: 'one' }], gone: [{ K: 'old' }, null] } },
          { mount: v1, version: 1, secrets: { app: [{ K: 'one' }] } },
        ],
        approle: { mount: role.mount, roles: [{ roleId: role.roleId, secretId: role.secretId, allow: [] }] },
        jwt: { mount: jwtMount, validationPublicKeys: [publicPem], roles: {} },
      });
      try {
        const wrong = `hvs.${randomBytes(12).toString('hex')}`;
        const requests: Array<[string, string, unknown?, string?]> = [
          ['GET', 'auth/token/lookup-self'],
          ['GET', `${v2}/data/app`],
          ['GET', `${v2}/data/missing`],
          ['GET', `${v2}/data/gone`],
          ['GET', `${v2}/app`],
          ['GET', `${v1}/app`],
          ['GET', `${v1}/missing`],
          ['GET', `${v2}/data/app`, undefined, wrong],
          ['GET', 'auth/token/lookup-self', undefined, wrong],
          ['POST', `auth/${role.mount}/login`, { role_id: role.roleId, secret_id: 'wrong' }, ''],
          ['POST', `auth/${jwtMount}/login`, { role: 'nobody', jwt: 'x.y.z' }, ''],
        ];
        const doubleAdmin = new VaultAdmin(double.address, token);
        const real = new VaultAdmin(admin.address, token);
        for (const [method, path, body, as] of requests) {
          const fromReal = observable(await real.call(method, path, body, as ?? token));
          const fromDouble = observable(await doubleAdmin.call(method, path, body, as ?? token));
          expect({ request: `${method} ${path}`, ...fromDouble }).toEqual({
            request: `${method} ${path}`,
            ...fromReal,
          });
        }
      } finally {
        await double.close();
      }
    });
  });

  describe('TLS, sealed and stopped (a dev server this test owns)', () => {
    let own: OwnVault;
    const tlsSpec = (vault: Partial<VaultConfig> = {}) =>
      vaultSpec({ address: own.address, path: 'invoice-copilot/production', ...vault });

    beforeAll(async () => {
      if (!server) throw new Error('no Vault dev server');
      own = await startOwnVault(server.binary, { tls: true });
      // A dev server mounts KV v2 at secret/.
      await new VaultScenario(own.admin).write('secret', 2, 'invoice-copilot/production', {
        OPENAI_API_KEY: 'tls-sk',
        MY_AGENT_KEY: 'tls-ag',
      });
    });
    afterAll(async () => {
      await own?.close();
    });

    it('a certificate from an unknown CA is a TLS error with the ca_cert hint', async () => {
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(tlsSpec(), 'production'),
          env: { VAULT_TOKEN: own.rootToken },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toMatch(
        /^TLS error connecting to Vault at https:\/\/127\.0\.0\.1:\d+ \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\) during reading secret\/data\/invoice-copilot\/production$/,
      );
      expect(e.hint).toContain('vault.ca_cert');
    });

    it("vault.ca_cert as a file relative to the Dockfile, or inline PEM, trusts Vault's CA", async () => {
      const fromFile = await resolveSecrets({
        ...inEnvironment(tlsSpec({ ca_cert: 'vault-ca.pem' }), 'production'),
        env: { VAULT_TOKEN: own.rootToken },
        logger: capturingLogger().logger,
        baseDir: own.dir,
      });
      expect(fromFile.values.get('OPENAI_API_KEY')).toBe('tls-sk');
      const inline = await resolveSecrets({
        ...inEnvironment(tlsSpec({ ca_cert: own.caCert ?? '' }), 'production'),
        env: { VAULT_TOKEN: own.rootToken },
        logger: capturingLogger().logger,
      });
      expect(inline.values.get('MY_AGENT_KEY')).toBe('tls-ag');
    });

    it('VAULT_SKIP_VERIFY from the injected env skips verification, with a warning', async () => {
      const { logger, output } = capturingLogger();
      const set = await resolveSecrets({
        ...inEnvironment(tlsSpec(), 'production'),
        env: { VAULT_TOKEN: own.rootToken, VAULT_SKIP_VERIFY: 'true' },
        logger,
      });
      expect(set.values.get('OPENAI_API_KEY')).toBe('tls-sk');
      expect(output()).toBe(
        `warning: VAULT_SKIP_VERIFY is set: the TLS certificate of ${own.address} is not verified\n`,
      );
    });

    it('regression: http:// pointed at the TLS listener says to use https://', async () => {
      const plain = own.address.replace(/^https:/, 'http:');
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(tlsSpec({ address: plain }), 'production'),
          env: { VAULT_TOKEN: own.rootToken },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(
        `Vault at ${plain} expects TLS, but plain HTTP was sent (400 "Client sent an HTTP request to an HTTPS server") during reading secret/data/invoice-copilot/production`,
      );
      expect(e.hint).toBe(`use ${own.address} in vault.address`);
    });

    it('https:// pointed at a plain-HTTP listener says to use http://', async () => {
      const tlsToPlain = admin.address.replace(/^http:/, 'https:');
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(vaultSpec({ address: tlsToPlain, path: 'app' }), 'production'),
          env: { VAULT_TOKEN: 'hvs.unused' },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toMatch(
        /^Vault at https:\/\/127\.0\.0\.1:\d+ does not speak TLS \((EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)\)/,
      );
      expect(e.hint).toBe(`if it listens without TLS, use ${admin.address} in vault.address`);
    });

    it('a sealed Vault answers 503, reported as unavailable', async () => {
      await own.admin.ok('PUT', 'sys/seal');
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(tlsSpec({ ca_cert: own.caCert ?? '' }), 'production'),
          env: { VAULT_TOKEN: own.rootToken },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(
        `Vault at ${own.address} is unavailable (503: Vault is sealed) during reading secret/data/invoice-copilot/production`,
      );
      expect(e.hint).toContain('sealed');
    });

    it('a stopped Vault: cannot reach it, naming the address', async () => {
      await own.stop();
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(tlsSpec({ ca_cert: own.caCert ?? '' }), 'production'),
          env: { VAULT_TOKEN: own.rootToken },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(
        `cannot reach Vault at ${own.address} (ECONNREFUSED) during reading secret/data/invoice-copilot/production`,
      );
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
