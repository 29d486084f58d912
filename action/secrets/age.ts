import { Encrypter } from 'age-encryption';
import { formatEnvFile } from '../../generators/env-file.ts';
import { SecretsError } from '../../shared/errors.ts';

/** The file the gitops stage commits next to the manifests (`<env>/<agent>/secrets.env.age`). */
export const SECRETS_ENV_AGE_FILE = 'secrets.env.age';

const X25519_RECIPIENT = /^age1[0-9a-z]{58}$/;

/** Throws a SecretsError naming the recipient when it is not an age X25519 public key. */
export function checkAgeRecipient(recipient: string): void {
  if (!X25519_RECIPIENT.test(recipient)) {
    throw new SecretsError(
      `'${recipient}' is not an age X25519 recipient`,
      'age recipients are public keys starting with age1 (age-keygen -y key.txt prints one)',
    );
  }
}

/**
 * `formatEnvFile(values)` encrypted to every recipient, in age's binary format (`age -d -i key`
 * reads it as is). Each call uses a fresh file key, so the bytes differ between runs even for
 * the same values.
 */
export async function encryptSecretsEnv(
  values: ReadonlyMap<string, string>,
  recipients: readonly string[],
): Promise<Uint8Array> {
  if (recipients.length === 0) {
    throw new SecretsError(
      'no age recipients to encrypt secrets.env.age to',
      'list the public keys (age1…) in deploy.environments.<env>.secrets.age_recipients',
    );
  }
  const encrypter = new Encrypter();
  for (const recipient of recipients) {
    checkAgeRecipient(recipient);
    try {
      encrypter.addRecipient(recipient);
    } catch (e: unknown) {
      throw new SecretsError(`age rejected the recipient '${recipient}'`, null, e);
    }
  }
  return encrypter.encrypt(formatEnvFile(values));
}
