import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect } from 'vitest';
import { checkSecrets, resolveSecrets } from '../../action/secrets/index.ts';
import { SecretsError } from '../../shared/errors.ts';
import { inEnvironment } from '../support/environment.ts';
import { hasPython, requireInfra } from '../support/infra.ts';
import { type MotoServer, startMoto } from '../support/moto.ts';
import { type AwsErrorProxy, startAwsErrorProxy } from './aws-error-proxy.ts';
import { capturingLogger, specWith } from './helpers.ts';

const { describe, it } = requireInfra('python (moto server)', hasPython());

const credentials = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
const declared = {
  required: [{ name: 'OPENAI_API_KEY' }, { name: 'MY_AGENT_KEY' }],
  optional: [{ name: 'LANGFUSE_SECRET', default: 'lf-default' }],
};

let moto: MotoServer;
let proxy: AwsErrorProxy;
let currentVersion: string;
let previousVersion: string;

function awsSpec(aws: Record<string, string>, map: Record<string, string> = { OPENAI_API_KEY: 'openai' }) {
  return specWith(declared, {
    environments: {
      sandbox: { secrets: { provider: 'aws', aws: { secret_id: 'invoice-copilot/sandbox', ...aws }, map } },
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

describe('aws provider (real SDK client against moto_server)', () => {
  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startAwsErrorProxy(moto.endpoint);
    const seed = new SecretsManagerClient({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const created = await seed.send(
      new CreateSecretCommand({
        Name: 'invoice-copilot/sandbox',
        SecretString: JSON.stringify({ openai: 'sk-old', MY_AGENT_KEY: 'agent-old' }),
      }),
    );
    previousVersion = String(created.VersionId);
    const put = await seed.send(
      new PutSecretValueCommand({
        SecretId: 'invoice-copilot/sandbox',
        SecretString: JSON.stringify({ openai: 'sk-sandbox', MY_AGENT_KEY: 'agent-sandbox', port: 8080 }),
      }),
    );
    currentVersion = String(put.VersionId);
    await seed.send(
      new CreateSecretCommand({ Name: 'invoice-copilot/partial', SecretString: '{"openai": "x"}' }),
    );
    await seed.send(
      new CreateSecretCommand({ Name: 'invoice-copilot/plain', SecretString: 'not-json-plain-value' }),
    );
    seed.destroy();
  });

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('reads the JSON keys via map and by NAME, with the VersionId as remote version', async () => {
    const { logger, secrets } = capturingLogger();
    const set = await resolveSecrets({
      ...inEnvironment(awsSpec({ region: 'eu-west-1', endpoint: moto.endpoint }), 'sandbox'),
      env: credentials,
      logger,
    });
    expect(set.provider).toBe('aws');
    expect(set.location).toBe('aws secretsmanager eu-west-1 invoice-copilot/sandbox');
    expect(Object.fromEntries(set.values)).toEqual({
      OPENAI_API_KEY: 'sk-sandbox',
      MY_AGENT_KEY: 'agent-sandbox',
      LANGFUSE_SECRET: 'lf-default',
    });
    expect(set.entries.map((e) => [e.name, e.status, e.remoteKey, e.remoteVersion])).toEqual([
      ['OPENAI_API_KEY', 'present', 'openai', currentVersion],
      ['MY_AGENT_KEY', 'present', 'MY_AGENT_KEY', currentVersion],
      ['LANGFUSE_SECRET', 'defaulted', 'LANGFUSE_SECRET', undefined],
    ]);
    // The whole SecretString is masked too, not only the picked keys.
    expect(secrets.some((s) => s.includes('"openai":"sk-sandbox"'))).toBe(true);
  });

  it('version_stage AWSPREVIOUS reads the previous version, and the versions hash differs', async () => {
    const logger = capturingLogger().logger;
    const previous = await resolveSecrets({
      ...inEnvironment(
        awsSpec({ region: 'eu-west-1', endpoint: moto.endpoint, version_stage: 'AWSPREVIOUS' }),
        'sandbox',
      ),
      env: credentials,
      logger,
    });
    const current = await resolveSecrets({
      ...inEnvironment(awsSpec({ region: 'eu-west-1', endpoint: moto.endpoint }), 'sandbox'),
      env: credentials,
      logger,
    });
    expect(previous.values.get('OPENAI_API_KEY')).toBe('sk-old');
    expect(previous.entries[0]?.remoteVersion).toBe(previousVersion);
    expect(previous.versionsHash).not.toBe(current.versionsHash);
  });

  it('takes region, endpoint and credentials from the injected environment (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL)', async () => {
    for (const variable of ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL']) {
      const set = await resolveSecrets({
        ...inEnvironment(awsSpec({}), 'sandbox'),
        env: { ...credentials, AWS_REGION: 'eu-west-1', [variable]: moto.endpoint },
        logger: capturingLogger().logger,
      });
      expect(set.values.get('MY_AGENT_KEY')).toBe('agent-sandbox');
    }
  });

  it('a secret that does not exist: ResourceNotFoundException naming secret and region', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(
          awsSpec({ region: 'eu-west-1', endpoint: moto.endpoint, secret_id: 'invoice-copilot/nope' }),
          'sandbox',
        ),
        env: credentials,
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe("AWS Secrets Manager has no secret 'invoice-copilot/nope' in eu-west-1");
    expect(e.hint).toContain('aws.region');
  });

  it('the wrong region does not find the secret, and says which region was asked', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(awsSpec({ region: 'us-east-2', endpoint: moto.endpoint }), 'sandbox'),
        env: credentials,
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe("AWS Secrets Manager has no secret 'invoice-copilot/sandbox' in us-east-2");
  });

  it('keys absent from the JSON are missing, all listed; check reports without throwing', async () => {
    const report = await checkSecrets({
      ...inEnvironment(
        awsSpec({ region: 'eu-west-1', endpoint: moto.endpoint, secret_id: 'invoice-copilot/partial' }),
        'sandbox',
      ),
      env: credentials,
      logger: capturingLogger().logger,
    });
    expect(report.missingRequired).toEqual(['MY_AGENT_KEY']);
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(
          awsSpec(
            { region: 'eu-west-1', endpoint: moto.endpoint, secret_id: 'invoice-copilot/partial' },
            { OPENAI_API_KEY: 'absent' },
          ),
          'sandbox',
        ),
        env: credentials,
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe(
      "missing required secrets for environment 'sandbox' from aws secretsmanager eu-west-1 invoice-copilot/partial: OPENAI_API_KEY, MY_AGENT_KEY",
    );
    expect(e.hint).toBe(
      'add the keys absent, MY_AGENT_KEY to the JSON of invoice-copilot/partial, or point secrets.map at the keys that hold them',
    );
  });

  it('a secret that is not a JSON object is refused without echoing it', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(
          awsSpec({ region: 'eu-west-1', endpoint: moto.endpoint, secret_id: 'invoice-copilot/plain' }),
          'sandbox',
        ),
        env: credentials,
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe("AWS secret 'invoice-copilot/plain' is not a JSON object of keys to values");
    expect(`${e.message} ${e.hint}`).not.toContain('not-json-plain-value');
  });

  it('a ThrottlingException is retried by the SDK and the read succeeds', async () => {
    const before = proxy.seen.length;
    proxy.failNext({ type: 'ThrottlingException', message: 'Rate exceeded' });
    const set = await resolveSecrets({
      ...inEnvironment(awsSpec({ region: 'eu-west-1', endpoint: proxy.endpoint }), 'sandbox'),
      env: credentials,
      logger: capturingLogger().logger,
    });
    expect(set.values.get('OPENAI_API_KEY')).toBe('sk-sandbox');
    expect(proxy.seen.slice(before)).toEqual([
      'secretsmanager.GetSecretValue',
      'secretsmanager.GetSecretValue',
    ]);
  });

  it('throttling that outlasts the retries is reported as throttling', async () => {
    proxy.failNext(
      { type: 'ThrottlingException', message: 'Rate exceeded' },
      { type: 'ThrottlingException', message: 'Rate exceeded' },
    );
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(awsSpec({ region: 'eu-west-1', endpoint: proxy.endpoint }), 'sandbox'),
        env: credentials,
        logger: capturingLogger().logger,
        providers: { aws: { maxAttempts: 2 } },
      }),
    );
    expect(e.message).toBe(
      "AWS throttled the reads of secret 'invoice-copilot/sandbox' in eu-west-1, and retries did not get through",
    );
  });

  it('AccessDenied and DecryptionFailure are each reported with what permission is missing', async () => {
    const cases = [
      [
        'AccessDeniedException',
        "AWS denied secretsmanager:GetSecretValue on secret 'invoice-copilot/sandbox' in eu-west-1",
        'secretsmanager:GetSecretValue',
      ],
      [
        'DecryptionFailure',
        "AWS could not decrypt secret 'invoice-copilot/sandbox' in eu-west-1 with its KMS key",
        'kms:Decrypt',
      ],
      [
        'UnrecognizedClientException',
        "AWS rejected the credentials used to read secret 'invoice-copilot/sandbox' in eu-west-1 (UnrecognizedClientException)",
        'configure-aws-credentials',
      ],
    ] as const;
    for (const [type, message, hint] of cases) {
      proxy.failNext({ type, message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized' });
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(awsSpec({ region: 'eu-west-1', endpoint: proxy.endpoint }), 'sandbox'),
          env: credentials,
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(message);
      expect(e.hint).toContain(hint);
    }
  });

  it('an endpoint that does not answer is named', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(awsSpec({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' }), 'sandbox'),
        env: credentials,
        logger: capturingLogger().logger,
        providers: { aws: { maxAttempts: 1 } },
      }),
    );
    expect(e.message).toBe(
      "cannot reach AWS Secrets Manager at http://127.0.0.1:9 to read secret 'invoice-copilot/sandbox' in eu-west-1 (ECONNREFUSED)",
    );
  });

  it('no region anywhere is a clear error before any request', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(awsSpec({}), 'sandbox'),
        env: credentials,
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe("no AWS region for secret 'invoice-copilot/sandbox'");
  });
});
