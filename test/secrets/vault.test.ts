/**
 * The vault provider against the loopback Vault double (test/support/vault-server.ts), only for
 * what a real Vault dev server cannot show: Enterprise namespaces (X-Vault-Namespace; the open
 * source server has none), a 500 from the server, a server that accepts and never answers, and
 * Vault >= 1.17's "invalid token" marker (the dev server here is 1.15). The tests that need no
 * server at all (no token, no OIDC source, a missing ca_cert file) are here too.
 * Everything else runs against a real Vault in vault-real.test.ts, which also checks that this
 * double answers the requests it imitates the way the real server does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretProfile } from '../../action/dockfile/types.ts';
import { resolveSecrets } from '../../action/secrets/index.ts';
import { SecretsError } from '../../shared/errors.ts';
import { inEnvironment } from '../support/environment.ts';
import { startVaultStandIn, type VaultStandIn } from '../support/vault-server.ts';
import { capturingLogger, specWith } from './helpers.ts';

const ROOT_TOKEN = 'hvs.root-token-for-tests';
const NS_TOKEN = 'hvs.namespaced-token';

const declared = {
  required: [{ name: 'OPENAI_API_KEY' }, { name: 'MY_AGENT_KEY' }],
  optional: [{ name: 'LANGFUSE_SECRET', default: 'lf-default' }],
};

let vault: VaultStandIn;
const requestsBefore = () => vault.requests.length;

beforeAll(async () => {
  vault = await startVaultStandIn({
    tokens: {
      [ROOT_TOKEN]: { allow: ['*'] },
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
        },
      },
      {
        namespace: 'team-ai',
        mount: 'kv',
        version: 2,
        secrets: { 'invoice-copilot/production': [{ OPENAI_API_KEY: 'ns-sk', MY_AGENT_KEY: 'ns-ag' }] },
      },
    ],
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

describe('vault provider (node-vault against the Vault stand-in)', () => {
  it('Enterprise namespace: sends X-Vault-Namespace and reads that namespace', async () => {
    const set = await resolveSecrets({
      ...inEnvironment(vaultProfile({ mount: 'kv', namespace: 'team-ai' }), 'production'),
      env: { VAULT_TOKEN: NS_TOKEN },
      logger: capturingLogger().logger,
    });
    expect(set.values.get('OPENAI_API_KEY')).toBe('ns-sk');
    expect(set.location).toContain('namespace team-ai');
    const read = vault.requests.filter((r) => r.path === 'kv/data/invoice-copilot/production');
    expect(read.at(-1)?.namespace).toBe('team-ai');
  });

  it('Vault >= 1.17 marks an unknown token "invalid token": rejected without a lookup-self', async () => {
    const newer = await startVaultStandIn({
      tokens: { [ROOT_TOKEN]: { allow: ['*'] } },
      kv: [{ mount: 'secret', version: 2, secrets: { app: [{ OPENAI_API_KEY: 'x', MY_AGENT_KEY: 'y' }] } }],
      unknownTokenErrors: '1.17',
    });
    try {
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(
            specWith(declared, {
              environments: {
                production: {
                  secrets: { provider: 'vault', vault: { address: newer.address, path: 'app' } },
                },
              },
            }),
            'production',
          ),
          env: { VAULT_TOKEN: 'hvs.unknown-to-this-vault' },
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(
        `Vault at ${newer.address} rejected the token in VAULT_TOKEN (403 permission denied)`,
      );
      expect(e.hint).toBe('the token is unknown, expired or revoked, or was issued in another namespace');
      expect(newer.requests.map((r) => r.path)).toEqual(['secret/data/app']);
    } finally {
      await newer.close();
    }
  });

  it("the process's own VAULT_NAMESPACE and VAULT_PREFIX are ignored: only the profile and the injected env count", async () => {
    const saved = { namespace: process.env.VAULT_NAMESPACE, prefix: process.env.VAULT_PREFIX };
    process.env.VAULT_NAMESPACE = 'team-ai';
    process.env.VAULT_PREFIX = '/elsewhere';
    try {
      const set = await resolveSecrets({
        ...inEnvironment(vaultProfile({}, { MY_AGENT_KEY: 'agent_api_key' }), 'production'),
        env: { VAULT_TOKEN: ROOT_TOKEN },
        logger: capturingLogger().logger,
      });
      expect(set.values.get('OPENAI_API_KEY')).toBe('sk-v2');
      expect(vault.requests.at(-1)).toMatchObject({
        path: 'secret/data/invoice-copilot/production',
        namespace: undefined,
      });
    } finally {
      for (const [name, value] of [
        ['VAULT_NAMESPACE', saved.namespace],
        ['VAULT_PREFIX', saved.prefix],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('no token at all says which variable to set', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(vaultProfile({}), 'production'),
        env: {},
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe('no Vault token: VAULT_TOKEN is not set');
  });

  it('JWT without an OIDC token source says the job needs id-token: write', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(vaultProfile({ auth: { method: 'jwt', role: 'invoice-copilot' } }), 'production'),
        env: {},
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe('Vault JWT auth needs a GitHub OIDC token, and none is available here');
    expect(e.hint).toContain('id-token: write');
    const failing = await rejection(
      resolveSecrets({
        ...inEnvironment(vaultProfile({ auth: { method: 'jwt', role: 'invoice-copilot' } }), 'production'),
        env: {},
        getIdToken: async () => {
          throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        },
        logger: capturingLogger().logger,
      }),
    );
    expect(failing.hint).toBe('the job needs `permissions: id-token: write`');
  });

  it('a 500 is reported as a server error naming the path', async () => {
    const standIn = await startVaultStandIn({ tokens: { [ROOT_TOKEN]: { allow: ['*'] } } });
    try {
      standIn.failPath('secret/', 500);
      const broken = await rejection(
        resolveSecrets({
          ...inEnvironment(
            specWith(declared, {
              environments: {
                production: {
                  secrets: { provider: 'vault', vault: { address: standIn.address, path: 'app' } },
                },
              },
            }),
            'production',
          ),
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
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(
            specWith(declared, {
              environments: {
                production: {
                  secrets: { provider: 'vault', vault: { address: standIn.address, path: 'app' } },
                },
              },
            }),
            'production',
          ),
          env: { VAULT_TOKEN: ROOT_TOKEN },
          logger: capturingLogger().logger,
          providers: { vault: { timeoutMs: 300 } },
        }),
      );
      expect(e.message).toBe(
        `timed out waiting for Vault at ${standIn.address} during reading secret/data/app`,
      );
    } finally {
      await standIn.close();
    }
  });

  it('a ca_cert file that does not exist is named before Vault is contacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockrion-vault-ca-'));
    try {
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(vaultProfile({ ca_cert: 'missing-ca.pem' }), 'production'),
          env: { VAULT_TOKEN: ROOT_TOKEN },
          logger: capturingLogger().logger,
          baseDir: dir,
        }),
      );
      expect(e.message).toBe(`cannot read vault.ca_cert '${join(dir, 'missing-ca.pem')}' (ENOENT)`);
      expect(vault.requests.length).toBe(requestsBefore());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
