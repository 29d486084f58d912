import type { ResolvedEnvironment } from '../../generators/index.ts';
import type { Logger } from '../adapters/logger.ts';
import type { DockSpec } from '../dockfile/types.ts';
import type { AwsClientFactory } from './providers/aws.ts';
import type { SecretsProviderName } from './providers/source.ts';
import type { VaultClientFactory } from './providers/vault.ts';

export type { SecretsProviderName };

export type SecretStatus = 'present' | 'missing' | 'defaulted';

/** One declared secret as resolved for an environment. Never carries the value. */
export interface SecretEntry {
  name: string;
  status: SecretStatus;
  required: boolean;
  /** The key looked up in the store (`map` applied); equals `name` when unmapped. */
  remoteKey: string;
  /** KV v2 `metadata.version` or AWS `VersionId`; absent for `github`, KV v1 and defaults. */
  remoteVersion?: string;
}

export interface SecretSet {
  provider: SecretsProviderName;
  /** Where the values live (`vault https://vault:8200 secret/data/app`): safe to print. */
  location: string;
  entries: SecretEntry[];
  /** name → value, present and defaulted only. Every value is registered with `logger.setSecret`. */
  values: ReadonlyMap<string, string>;
  /** sha256 (hex) over provider, location, names, statuses and remote versions — never values. */
  versionsHash: string;
}

/** What `dockrion secrets check` prints: a SecretSet that may have missing required names. */
export interface SecretReport extends SecretSet {
  /** Required names that could not be resolved, in declaration order. */
  missingRequired: string[];
  /** How to fix the missing names for this provider; null when nothing is missing. */
  missingHint: string | null;
}

/** Hooks that let the front doors (and tests) choose clients; every field is optional. */
export interface SecretProviderOverrides {
  vault?: {
    createClient?: VaultClientFactory;
    /** Per-request timeout; default 10 s. */
    timeoutMs?: number;
  };
  aws?: {
    createClient?: AwsClientFactory;
    /** SDK attempts including the first; default 3 (the SDK's standard retry mode). */
    maxAttempts?: number;
  };
}

export interface ResolveSecretsOptions {
  spec: DockSpec;
  /** The environment as resolved once, up front (`resolveEnvironment`): its name and secret profile. */
  environment: ResolvedEnvironment;
  /** The process environment: GitHub-provider values, VAULT_TOKEN, AWS_*, secret-id variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** The action input `secrets` (`${{ toJSON(secrets) }}`), or `DOCKRION_SECRETS_JSON` / `--secrets-json`. */
  githubSecretsJson?: string;
  /** The same input already parsed into name → value (`ActionInputs.secrets`); wins over the JSON. */
  githubSecrets?: Readonly<Record<string, string>>;
  /** Names that input in messages; default `action input 'secrets'`. */
  githubSecretsJsonLabel?: string;
  /** GitHub OIDC token for Vault JWT auth; `undefined` audience means GitHub's default. */
  getIdToken?: (audience: string | undefined) => Promise<string>;
  logger: Logger;
  providers?: SecretProviderOverrides;
  /** Directory a relative `vault.ca_cert` path is read from (the Dockfile's directory). */
  baseDir?: string;
}
