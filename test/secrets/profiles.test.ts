import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import type { DockSpec } from '../../action/dockfile/types.ts';
import {
  encryptSecretsEnv,
  formatEnvFile,
  resolveSecrets,
  secretsDelivery,
} from '../../action/secrets/index.ts';
import { resolveEnvironment } from '../../generators/index.ts';
import { inEnvironment } from '../support/environment.ts';
import { hasAge, hasPython, requireInfra } from '../support/infra.ts';
import { type MotoServer, startMoto } from '../support/moto.ts';
import { startVaultStandIn, type VaultKvMountFixture, type VaultStandIn } from '../support/vault-server.ts';
import { capturingLogger } from './helpers.ts';

const { describe, it } = requireInfra('python (moto server) and age', hasPython() && hasAge());

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'Dockfile.yaml');
const APPROLE_SECRET_ID = 'ci-approle-secret-id';

describe('one Dockfile, three environments: staging ← github, production ← vault, sandbox ← aws', () => {
  let vault: VaultStandIn;
  let moto: MotoServer;
  let dir: string;
  let identityFile: string;
  let spec: DockSpec;
  let awsVersion: string;
  const productionKv: VaultKvMountFixture = {
    namespace: 'team-ai',
    mount: 'kv',
    version: 2,
    secrets: {
      'invoice-copilot/production': [
        { OPENAI_API_KEY: 'sk-prod-1', agent_api_key: 'agent-prod-1' },
        { OPENAI_API_KEY: 'sk-prod-2', agent_api_key: 'agent-prod-2', SENTRY_DSN: 'https://k@sentry/1' },
      ],
    },
  };
  const env = () => ({
    VAULT_APPROLE_SECRET_ID: APPROLE_SECRET_ID,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-profiles-'));
    identityFile = join(dir, 'host.key');
    execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
    vault = await startVaultStandIn({
      kv: [productionKv],
      approle: {
        namespace: 'team-ai',
        roles: [
          { roleId: 'invoice-copilot-ci', secretId: APPROLE_SECRET_ID, allow: ['kv/data/invoice-copilot/*'] },
        ],
      },
    });
    moto = await startMoto();
    const seed = new SecretsManagerClient({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const created = await seed.send(
      new CreateSecretCommand({
        Name: 'invoice-copilot/sandbox',
        SecretString: JSON.stringify({ openai: 'sk-sandbox', MY_AGENT_KEY: 'agent-sandbox' }),
      }),
    );
    awsVersion = String(created.VersionId);
    seed.destroy();

    const loaded = await loadDockfile(fixture, {
      processEnv: { VAULT_ADDR: vault.address, AGE_RECIPIENT: recipient },
      python: null,
    });
    expect(loaded.errors).toEqual([]);
    if (!loaded.spec) throw new Error('fixture Dockfile did not load');
    spec = loaded.spec;
  });

  afterAll(async () => {
    await vault?.close();
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('staging: GitHub Secrets (mapped name), delivered as secrets.env.age that age decrypts', async () => {
    const set = await resolveSecrets({
      ...inEnvironment(spec, 'staging'),
      env: env(),
      githubSecretsJson: JSON.stringify({
        OPENAI_API_KEY_STAGING: 'sk-staging',
        MY_AGENT_KEY: 'agent-staging',
      }),
      logger: capturingLogger().logger,
    });
    expect(set.provider).toBe('github');
    expect(set.entries.map((e) => `${e.name}:${e.status}`)).toEqual([
      'OPENAI_API_KEY:present',
      'MY_AGENT_KEY:present',
      'LANGFUSE_SECRET:defaulted',
      'SENTRY_DSN:missing',
    ]);
    const delivery = secretsDelivery(resolveEnvironment(spec, 'staging'));
    expect(delivery).toMatchObject({ externalSecret: false, ageFile: true });
    const file = join(dir, 'secrets.env.age');
    writeFileSync(file, await encryptSecretsEnv(set.values, delivery.recipients));
    const decrypted = spawnSync('age', ['-d', '-i', identityFile, file], { encoding: 'utf8' });
    expect(decrypted.status).toBe(0);
    expect(decrypted.stdout).toBe(
      'LANGFUSE_SECRET="lf-default"\nMY_AGENT_KEY="agent-staging"\nOPENAI_API_KEY="sk-staging"\n',
    );
    expect(decrypted.stdout).toBe(formatEnvFile(set.values));
  });

  it('production: Vault AppRole in namespace team-ai, KV v2 mount kv; ExternalSecret delivery', async () => {
    const set = await resolveSecrets({
      ...inEnvironment(spec, 'production'),
      env: env(),
      logger: capturingLogger().logger,
    });
    expect(set.provider).toBe('vault');
    expect(Object.fromEntries(set.values)).toEqual({
      OPENAI_API_KEY: 'sk-prod-2',
      MY_AGENT_KEY: 'agent-prod-2',
      LANGFUSE_SECRET: 'lf-default',
      SENTRY_DSN: 'https://k@sentry/1',
    });
    expect(set.entries.filter((e) => e.status === 'present').map((e) => e.remoteVersion)).toEqual([
      '2',
      '2',
      '2',
    ]);
    expect(secretsDelivery(resolveEnvironment(spec, 'production'))).toMatchObject({
      externalSecret: true,
      ageFile: false,
    });
  });

  it('sandbox: AWS Secrets Manager via AWS_ENDPOINT_URL_SECRETS_MANAGER; ExternalSecret delivery', async () => {
    const set = await resolveSecrets({
      ...inEnvironment(spec, 'sandbox'),
      env: env(),
      logger: capturingLogger().logger,
    });
    expect(set.provider).toBe('aws');
    expect(set.values.get('OPENAI_API_KEY')).toBe('sk-sandbox');
    expect(set.values.get('MY_AGENT_KEY')).toBe('agent-sandbox');
    expect(set.entries[0]?.remoteVersion).toBe(awsVersion);
    expect(secretsDelivery(resolveEnvironment(spec, 'sandbox'))).toMatchObject({
      externalSecret: true,
      ageFile: false,
    });
  });

  it('versionsHash follows remote versions, not values', async () => {
    const logger = capturingLogger().logger;
    const before = await resolveSecrets({ ...inEnvironment(spec, 'production'), env: env(), logger });
    const again = await resolveSecrets({ ...inEnvironment(spec, 'production'), env: env(), logger });
    expect(again.versionsHash).toBe(before.versionsHash);
    // A rotation writes version 3 with the same values: the hash must move so pods roll.
    const versions = productionKv.secrets['invoice-copilot/production'];
    versions?.push({ ...(versions.at(-1) ?? {}) });
    const rotated = await resolveSecrets({ ...inEnvironment(spec, 'production'), env: env(), logger });
    expect(rotated.values).toEqual(before.values);
    expect(rotated.versionsHash).not.toBe(before.versionsHash);
    // GitHub values have no versions: different values, same hash (the hash never encodes a value).
    const a = await resolveSecrets({
      ...inEnvironment(spec, 'staging'),
      env: {},
      githubSecretsJson: '{"OPENAI_API_KEY_STAGING": "one", "MY_AGENT_KEY": "two"}',
      logger,
    });
    const b = await resolveSecrets({
      ...inEnvironment(spec, 'staging'),
      env: {},
      githubSecretsJson: '{"OPENAI_API_KEY_STAGING": "three", "MY_AGENT_KEY": "four"}',
      logger,
    });
    expect(a.versionsHash).toBe(b.versionsHash);
  });
});
