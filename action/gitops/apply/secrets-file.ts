import { readFile } from 'node:fs/promises';
import { Decrypter } from 'age-encryption';
import { GitOpsError } from '../../../shared/errors.ts';

/** The `AGE-SECRET-KEY-1…` lines of an age identity file (comments and blanks skipped). */
export async function readIdentities(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    throw new GitOpsError(`cannot read the age identity ${file}`, 'create one with age-keygen -o FILE', e);
  }
  const keys = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('AGE-SECRET-KEY-1'));
  if (keys.length === 0) throw new GitOpsError(`${file} holds no AGE-SECRET-KEY-1… identity`);
  return keys;
}

/** Decrypts `secrets.env.age` with the host's identities. */
export async function decryptSecretsEnv(
  ciphertext: Uint8Array,
  identities: readonly string[],
  where: string,
): Promise<string> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(ciphertext, 'text');
  } catch (e: unknown) {
    throw new GitOpsError(
      `cannot decrypt ${where} with this host's identity`,
      "add the host's public key (age-keygen -y KEYFILE) to deploy.environments.<env>.secrets.age_recipients and deploy again",
      e,
    );
  }
}
