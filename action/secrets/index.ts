export { formatEnvFile } from '../../generators/env-file.ts';
export { encryptSecretsEnv, SECRETS_ENV_AGE_FILE } from './age.ts';
export { maskedForms, maskSecretValue } from './mask.ts';
export { githubOidcTokenFetcher } from './oidc.ts';
export {
  assertDeliverable,
  type DeclaredSecret,
  declaredSecrets,
  type EnvironmentSecretProfile,
  type SecretsDelivery,
  secretsDelivery,
} from './profile.ts';
export { checkSecrets, resolveSecrets } from './resolve.ts';
export {
  parseSealingCertificate,
  SEALED_SECRET_FILE,
  sealValue,
  strictScopeLabel,
} from './sealed-secrets.ts';
export {
  buildSecretManifest,
  SECRET_MANIFEST_FILES,
  type SealingCertificateInput,
  type SecretManifest,
  type SecretManifestOptions,
} from './secret-manifest.ts';
export { encryptSopsManifest, SOPS_ENCRYPTED_REGEX, SOPS_SECRET_FILE } from './sops.ts';
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
