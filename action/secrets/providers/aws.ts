import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { SecretsError } from '../../../shared/errors.ts';
import type { Logger } from '../../adapters/logger.ts';
import { maskSecretValue } from '../mask.ts';
import type { EnvironmentSecretProfile } from '../profile.ts';
import type { FetchedSecrets, SecretSource } from './source.ts';

export type AwsClientFactory = (config: SecretsManagerClientConfig) => SecretsManagerClient;

type AwsProfile = NonNullable<EnvironmentSecretProfile['aws']>;

export interface AwsSourceOptions {
  config: AwsProfile;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  createClient?: AwsClientFactory;
  maxAttempts?: number;
}

/**
 * Client settings from the profile and the injected environment. The SDK reads
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL` and static keys itself, but only from
 * `process.env`; resolving them here keeps the injected `env` authoritative (and testable).
 * Without static keys the SDK's default chain (web identity from configure-aws-credentials,
 * profiles, IMDS) applies.
 */
export function awsClientConfig(
  config: AwsProfile,
  env: Readonly<Record<string, string | undefined>>,
  maxAttempts?: number,
): SecretsManagerClientConfig {
  const region = config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new SecretsError(
      `no AWS region for secret '${config.secret_id}'`,
      'set aws.region in the profile, or AWS_REGION (aws-actions/configure-aws-credentials sets it)',
    );
  }
  const clientConfig: SecretsManagerClientConfig = { region };
  const endpoint = config.endpoint ?? env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL;
  if (endpoint) clientConfig.endpoint = endpoint;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    clientConfig.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  if (maxAttempts !== undefined) clientConfig.maxAttempts = maxAttempts;
  return clientConfig;
}

const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT']);

function awsFailure(
  e: unknown,
  secretId: string,
  region: string,
  stage: string | undefined,
  endpoint: string | undefined,
): SecretsError {
  const name = (e as { name?: unknown }).name;
  const code = (e as { code?: unknown }).code;
  const what = `secret '${secretId}'${stage ? ` (stage ${stage})` : ''} in ${region}`;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) {
    return new SecretsError(
      `cannot reach AWS Secrets Manager${endpoint ? ` at ${endpoint}` : ''} to read ${what} (${code})`,
      endpoint ? 'check aws.endpoint / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL' : null,
    );
  }
  switch (name) {
    case 'ResourceNotFoundException':
      return new SecretsError(
        `AWS Secrets Manager has no ${what}`,
        'check aws.secret_id and aws.region (a secret exists in one region only, unless replicated)',
      );
    case 'AccessDeniedException':
      return new SecretsError(
        `AWS denied secretsmanager:GetSecretValue on ${what}`,
        "the role's policy must allow secretsmanager:GetSecretValue (and kms:Decrypt for a customer-managed key)",
      );
    case 'DecryptionFailure':
      return new SecretsError(
        `AWS could not decrypt ${what} with its KMS key`,
        'the role needs kms:Decrypt on the KMS key that encrypts the secret',
      );
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return new SecretsError(
        `AWS throttled the reads of ${what}, and retries did not get through`,
        'retry the job later, or raise the request quota',
      );
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new SecretsError(
        `AWS rejected the credentials used to read ${what} (${name})`,
        'run aws-actions/configure-aws-credentials before this step',
      );
    case 'CredentialsProviderError':
      return new SecretsError(
        `no AWS credentials to read ${what}`,
        'run aws-actions/configure-aws-credentials (OIDC) before this step, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      );
    case 'InvalidRequestException':
      return new SecretsError(
        `AWS refused to read ${what}: it may be scheduled for deletion (InvalidRequestException)`,
      );
    case 'InvalidParameterException':
      return new SecretsError(`AWS rejected the request for ${what} (InvalidParameterException)`);
    default: {
      const label = typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown error';
      return new SecretsError(`could not read ${what} from AWS Secrets Manager (${label})`);
    }
  }
}

function parseJsonObject(secretString: string, secretId: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SecretsError(
      `AWS secret '${secretId}' is not a JSON object of keys to values`,
      'store the values as key/value pairs (the console\'s "Key/value" tab), one key per declared secret',
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * The SDK's "future versions will require node >=22" notice is for whoever pins the SDK, not for a
 * user running `dockrion secrets check` on an older Node the CLI still supports (22): it would
 * print a 9-line process warning in the middle of every AWS-provider run. An explicit setting wins.
 */
function silenceSdkNodeVersionNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export function awsSource(options: AwsSourceOptions): SecretSource {
  silenceSdkNodeVersionNotice();
  const { config, env, logger } = options;
  const clientConfig = awsClientConfig(config, env, options.maxAttempts);
  const region = String(clientConfig.region);
  const stage = config.version_stage;
  const location = `aws secretsmanager ${region} ${config.secret_id}${stage ? ` (${stage})` : ''}`;
  return {
    provider: 'aws',
    location,
    async fetch(remoteKeys): Promise<FetchedSecrets> {
      const client = (options.createClient ?? ((c) => new SecretsManagerClient(c)))(clientConfig);
      let output: GetSecretValueCommandOutput;
      try {
        output = await client.send(
          new GetSecretValueCommand({
            SecretId: config.secret_id,
            ...(stage ? { VersionStage: stage } : {}),
          }),
        );
      } catch (e: unknown) {
        throw awsFailure(e, config.secret_id, region, stage, clientConfig.endpoint as string | undefined);
      } finally {
        client.destroy();
      }
      if (output.SecretString === undefined) {
        throw new SecretsError(
          `AWS secret '${config.secret_id}' holds binary data (SecretBinary)`,
          'store a JSON object in SecretString',
        );
      }
      // The whole document is a secret too, and so is every value inside it.
      maskSecretValue(logger, output.SecretString);
      const document = parseJsonObject(output.SecretString, config.secret_id);
      for (const value of Object.values(document)) {
        if (typeof value === 'string') maskSecretValue(logger, value);
      }
      const values = new Map<string, string>();
      for (const key of remoteKeys) {
        const value = document[key];
        if (value === undefined || value === null) continue;
        values.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      return output.VersionId === undefined ? { values } : { values, version: output.VersionId };
    },
    missingHint(missing) {
      return `add the key${missing.length === 1 ? '' : 's'} ${missing.join(', ')} to the JSON of ${config.secret_id}, or point secrets.map at the keys that hold them`;
    },
  };
}
