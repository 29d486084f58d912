/** Where an environment's secret values live. */
export type SecretsProviderName = 'github' | 'vault' | 'aws';

/** What a provider found for the remote keys asked for. Keys it did not find are absent. */
export interface FetchedSecrets {
  values: Map<string, string>;
  /** The store's version of what was read (KV v2 `metadata.version`, AWS `VersionId`). */
  version?: string;
}

/** One place values live for an environment: a Vault path, an AWS secret, or GitHub Secrets. */
export interface SecretSource {
  provider: SecretsProviderName;
  /** Printable description of where values are read from; never contains a value or token. */
  location: string;
  fetch(remoteKeys: readonly string[]): Promise<FetchedSecrets>;
  /** How to supply names that were not found; shown once with the list of missing names. */
  missingHint(missing: readonly string[]): string;
}
