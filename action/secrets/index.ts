export { encryptSecretsEnv, SECRETS_ENV_AGE_FILE } from './age.ts';
export { formatEnvFile } from './env-file.ts';
export { maskedForms, maskSecretValue } from './mask.ts';
export { githubOidcTokenFetcher } from './oidc.ts';
export {
  type DeclaredSecret,
  declaredSecrets,
  type EnvironmentSecretProfile,
  type SecretsDelivery,
  secretsDelivery,
} from './profile.ts';
export { checkSecrets, resolveSecrets } from './resolve.ts';
export type {
  ResolveSecretsOptions,
  SecretEntry,
  SecretProviderOverrides,
  SecretReport,
  SecretSet,
  SecretStatus,
  SecretsProviderName,
} from './types.ts';
export { versionsHash } from './versions-hash.ts';
