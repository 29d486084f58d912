import { createHash } from 'node:crypto';
import type { SecretEntry, SecretsProviderName } from './types.ts';

/**
 * Changes when a secret is rotated in the store (new remote version), moved, added or removed,
 * so the generators can roll the pods — without ever hashing a value, which would let anyone
 * holding the manifests test guesses against it.
 */
export function versionsHash(
  provider: SecretsProviderName,
  location: string,
  entries: readonly SecretEntry[],
): string {
  const canonical = JSON.stringify({
    provider,
    location,
    entries: [...entries]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((e) => [e.name, e.remoteKey, e.status, e.remoteVersion ?? null]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
