import { SecretsError } from '../../shared/errors.ts';
import { maskSecretValue } from './mask.ts';
import { declaredSecrets, type EnvironmentSecretProfile } from './profile.ts';
import { awsSource } from './providers/aws.ts';
import { githubSource } from './providers/github.ts';
import type { SecretSource } from './providers/source.ts';
import { vaultSource } from './providers/vault.ts';
import type { ResolveSecretsOptions, SecretEntry, SecretReport, SecretSet } from './types.ts';
import { versionsHash } from './versions-hash.ts';

/** The profile's block for its provider (`vault:`, `aws:`); a profile without it is a SecretsError. */
function providerBlock<T>(
  block: T | undefined,
  environment: string,
  provider: 'vault' | 'aws',
  hint: string,
): T {
  if (!block) {
    const article = provider === 'aws' ? 'an' : 'a';
    throw new SecretsError(
      `deploy.environments.${environment}.secrets uses provider ${provider} without ${article} ${provider}: block`,
      hint,
    );
  }
  return block;
}

function sourceFor(profile: EnvironmentSecretProfile, options: ResolveSecretsOptions): SecretSource {
  const { env, logger } = options;
  const environment = options.environment.name;
  switch (profile.provider) {
    case 'github':
      return githubSource({
        env,
        environment,
        secretsJson: options.githubSecretsJson,
        secrets: options.githubSecrets,
        secretsJsonLabel: options.githubSecretsJsonLabel,
      });
    case 'vault':
      return vaultSource({
        config: providerBlock(profile.vault, environment, 'vault', 'add vault.address and vault.path'),
        env,
        logger,
        getIdToken: options.getIdToken,
        createClient: options.providers?.vault?.createClient,
        timeoutMs: options.providers?.vault?.timeoutMs,
        baseDir: options.baseDir,
      });
    case 'aws':
      return awsSource({
        config: providerBlock(profile.aws, environment, 'aws', 'add aws.secret_id (and aws.region)'),
        env,
        logger,
        createClient: options.providers?.aws?.createClient,
        maxAttempts: options.providers?.aws?.maxAttempts,
      });
  }
}

/**
 * Resolves every declared secret for one environment and reports which are missing, without
 * throwing for them (`dockrion secrets check`). Provider failures (auth, network, 403/404) throw.
 * Every value is masked through `options.logger` before this returns.
 */
export async function checkSecrets(options: ResolveSecretsOptions): Promise<SecretReport> {
  const profile = options.environment.secrets.profile;
  const declared = declaredSecrets(options.spec);
  const remoteKeyOf = (name: string) => profile.map?.[name] ?? name;
  const source = sourceFor(profile, options);

  const remoteKeys = [...new Set(declared.map((d) => remoteKeyOf(d.name)))];
  const fetched =
    remoteKeys.length === 0 ? { values: new Map<string, string>() } : await source.fetch(remoteKeys);
  for (const [key, value] of fetched.values) maskSecretValue(options.logger, value, `secret ${key}`);

  const values = new Map<string, string>();
  const entries: SecretEntry[] = declared.map((secret) => {
    const remoteKey = remoteKeyOf(secret.name);
    const value = fetched.values.get(remoteKey);
    const entry: SecretEntry = { name: secret.name, status: 'missing', required: secret.required, remoteKey };
    if (value !== undefined) {
      values.set(secret.name, value);
      entry.status = 'present';
      if (fetched.version !== undefined) entry.remoteVersion = fetched.version;
    } else if (!secret.required && secret.default !== undefined) {
      maskSecretValue(options.logger, secret.default, `the default of secret ${secret.name}`);
      values.set(secret.name, secret.default);
      entry.status = 'defaulted';
    }
    return entry;
  });

  const missing = entries.filter((e) => e.required && e.status === 'missing');
  return {
    provider: source.provider,
    location: source.location,
    entries,
    values,
    versionsHash: versionsHash(source.provider, source.location, entries),
    missingRequired: missing.map((e) => e.name),
    missingHint: missing.length > 0 ? source.missingHint(missing.map((e) => e.remoteKey)) : null,
  };
}

/** As `checkSecrets`, but a missing required secret throws one SecretsError naming all of them. */
export async function resolveSecrets(options: ResolveSecretsOptions): Promise<SecretSet> {
  const report = await checkSecrets(options);
  if (report.missingRequired.length > 0) {
    const names = report.missingRequired;
    throw new SecretsError(
      `missing required secret${names.length === 1 ? '' : 's'} for environment '${options.environment.name}' from ${report.location}: ${names.join(', ')}`,
      report.missingHint,
    );
  }
  const { missingRequired: _missing, missingHint: _hint, ...set } = report;
  return set;
}
