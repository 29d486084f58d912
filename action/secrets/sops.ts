import { createCipheriv, createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import { armor, Encrypter } from 'age-encryption';
import { Scalar, stringify } from 'yaml';
import { SecretsError } from '../../shared/errors.ts';
import { checkAgeRecipient } from './age.ts';

/** The SOPS-encrypted Secret manifest the gitops stage commits in `<env>/<agent>/`. */
export const SOPS_SECRET_FILE = 'secret.sops.yaml';

/** Only the Secret's payload is encrypted; its name, namespace and labels stay readable for GitOps tools. */
export const SOPS_ENCRYPTED_REGEX = '^(data|stringData)$';

/** The SOPS release whose file format this writer follows (written to `sops.version`). */
export const SOPS_FORMAT_VERSION = '3.11.0';

/** SOPS uses 32-byte GCM nonces (aes/cipher.go), not the usual 12. */
const SOPS_NONCE_BYTES = 32;
const GCM_TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;

export type RandomBytes = (length: number) => Uint8Array;

export interface SopsEncryptOptions {
  /** age X25519 recipients (`age1…`); each gets its own copy of the data key. */
  recipients: readonly string[];
  /** `sops.lastmodified`, also the additional data of the encrypted MAC. Seconds precision. */
  lastModified: Date;
  /** Injected for tests; node's CSPRNG otherwise. (age draws its own randomness.) */
  randomBytes?: RandomBytes;
}

type Tree = string | Tree[] | { [key: string]: Tree };

/** The key order the YAML writer uses (`sortMapEntries: true`), so the MAC walks values in file order. */
function sortedKeys(map: Record<string, unknown>): string[] {
  return Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function encryptValue(
  value: string,
  dataKey: Uint8Array,
  additionalData: string,
  random: RandomBytes,
): string {
  // sops leaves empty values as they are (aes.Cipher.Encrypt), and so must we for the MAC to agree.
  if (value === '') return '';
  const iv = random(SOPS_NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(tag)},type:str]`;
}

/**
 * Walks the tree the way sops does (tree.Encrypt): leaves in file order, every leaf fed to the
 * SHA-512 MAC in plaintext, and a leaf encrypted when any key on its path matches the regex, with
 * `key:key:…:` as the additional data. List items keep their parent's path, as in sops.
 */
function encryptTree(
  node: Tree,
  path: readonly string[],
  encrypt: (value: string, path: readonly string[]) => string,
  mac: ReturnType<typeof createHash>,
): Tree {
  if (typeof node === 'string') {
    mac.update(Buffer.from(node, 'utf8'));
    return encrypt(node, path);
  }
  if (Array.isArray(node)) return node.map((item) => encryptTree(item, path, encrypt, mac));
  if (node === null || typeof node !== 'object') {
    // Numbers and booleans have sops-specific byte forms (True/False, Go float formatting); the
    // manifests here hold strings only, so anything else is a programming error, not user input.
    throw new SecretsError(`SOPS writer: unsupported value of type ${typeof node} at ${path.join('.')}`);
  }
  const out: Record<string, Tree> = {};
  for (const key of sortedKeys(node)) {
    if (key === 'sops')
      throw new SecretsError("SOPS writer: the document may not have a top-level 'sops' key");
    out[key] = encryptTree(node[key] as Tree, [...path, key], encrypt, mac);
  }
  return out;
}

/** RFC 3339 in UTC with seconds, the form Go's time.RFC3339 prints (sops re-formats it to check the MAC). */
function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * A Kubernetes manifest encrypted in the SOPS YAML format, decryptable by `sops -d` and Flux's
 * kustomize-controller with any of the recipients' age identities:
 * - a random 256-bit data key, age-encrypted (ASCII armour) to each recipient (`sops.age[]`);
 * - every string under a key matching `^(data|stringData)$` replaced by
 *   `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]` (AES-256-GCM, 32-byte IV, the key path as
 *   additional data);
 * - `sops.mac`: the upper-case hex SHA-512 over all values in file order, itself encrypted with the
 *   data key and `lastmodified` as additional data.
 * Every scalar is written double-quoted so no YAML reader can take a value for a number or a
 * boolean, which would change its bytes in the MAC.
 */
export async function encryptSopsManifest(
  document: Record<string, unknown>,
  options: SopsEncryptOptions,
): Promise<string> {
  if (options.recipients.length === 0) {
    throw new SecretsError(
      'no age recipients to encrypt the SOPS Secret to',
      'list the cluster’s age public keys (age1…) in deploy.environments.<env>.secrets.age_recipients',
    );
  }
  const random = options.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
  const dataKey = random(DATA_KEY_BYTES);
  const regex = new RegExp(SOPS_ENCRYPTED_REGEX);
  const mac = createHash('sha512');
  const encrypted = encryptTree(
    document as Tree,
    [],
    (value, path) =>
      path.some((key) => regex.test(key))
        ? encryptValue(value, dataKey, `${path.join(':')}:`, random)
        : value,
    mac,
  ) as Record<string, Tree>;
  const lastModified = rfc3339(options.lastModified);
  const macHex = mac.digest('hex').toUpperCase();

  const age: Array<{ recipient: string; enc: Scalar }> = [];
  for (const recipient of options.recipients) {
    checkAgeRecipient(recipient);
    const encrypter = new Encrypter();
    try {
      encrypter.addRecipient(recipient);
    } catch (e: unknown) {
      throw new SecretsError(`age rejected the recipient '${recipient}'`, null, e);
    }
    // A literal block, as sops writes it: the armour's lines stay lines.
    const enc = new Scalar(armor.encode(await encrypter.encrypt(dataKey)));
    enc.type = 'BLOCK_LITERAL';
    age.push({ recipient, enc });
  }
  const metadata = {
    age,
    encrypted_regex: SOPS_ENCRYPTED_REGEX,
    lastmodified: lastModified,
    mac: encryptValue(macHex, dataKey, lastModified, random),
    version: SOPS_FORMAT_VERSION,
  };
  dataKey.fill(0);
  return stringify(
    { ...encrypted, sops: metadata },
    {
      sortMapEntries: true,
      defaultStringType: 'QUOTE_DOUBLE',
      defaultKeyType: 'PLAIN',
      aliasDuplicateObjects: false,
      lineWidth: 0,
      indentSeq: true,
    },
  );
}
