import {
  constants,
  createCipheriv,
  createHash,
  createPublicKey,
  type KeyObject,
  randomBytes as nodeRandomBytes,
  publicEncrypt,
  X509Certificate,
} from 'node:crypto';
import { SecretsError } from '../../shared/errors.ts';
import type { RandomBytes } from './sops.ts';

/** The SealedSecret manifest the gitops stage commits in `<env>/<agent>/`. */
export const SEALED_SECRET_FILE = 'sealedsecret.yaml';

const SESSION_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;

/** The controller's public key, from its certificate (`kubeseal --fetch-cert`). */
export interface SealingKey {
  publicKey: KeyObject;
  /** sha256 of the DER public key, hex: names the key in an annotation so a new controller key re-seals. */
  fingerprint: string;
}

/**
 * Reads the controller's certificate (PEM). A bare `PUBLIC KEY` PEM is accepted too. `source`
 * names where it came from in errors (a file, an Action input); the PEM itself is public.
 */
export function parseSealingCertificate(pem: string, source: string): SealingKey {
  let publicKey: KeyObject;
  try {
    publicKey = pem.includes('BEGIN CERTIFICATE')
      ? new X509Certificate(pem).publicKey
      : createPublicKey({ key: pem, format: 'pem' });
  } catch (e: unknown) {
    throw new SecretsError(
      `${source} is not a PEM certificate`,
      'fetch the controller’s certificate with `kubeseal --fetch-cert > sealed-secrets.pem`',
      e,
    );
  }
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new SecretsError(
      `${source} holds a ${publicKey.asymmetricKeyType ?? 'non-RSA'} key; the Sealed Secrets controller seals with RSA`,
      'use the certificate of the sealed-secrets controller (`kubeseal --fetch-cert`)',
    );
  }
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { publicKey, fingerprint: createHash('sha256').update(der).digest('hex') };
}

/** The label that binds a value to one Secret (strict scope): `<namespace>/<name>`. */
export function strictScopeLabel(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * The controller's hybrid scheme (pkg/crypto HybridEncrypt): a fresh 32-byte session key,
 * RSA-OAEP(SHA-256, label) of it, then the value sealed with AES-256-GCM under that key and an
 * all-zero nonce (safe: each session key seals one value). Layout: uint16 big-endian length of
 * the RSA block ‖ RSA block ‖ AES-GCM ciphertext ‖ tag. Returned as base64, as `encryptedData` holds it.
 */
export function sealValue(
  key: SealingKey,
  label: string,
  value: string,
  randomBytes: RandomBytes = (n) => new Uint8Array(nodeRandomBytes(n)),
): string {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const rsaBlock = publicEncrypt(
    {
      key: key.publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: Buffer.from(label, 'utf8'),
    },
    sessionKey,
  );
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsaBlock.length);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(GCM_NONCE_BYTES));
  const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  sessionKey.fill(0);
  return Buffer.concat([length, rsaBlock, sealed]).toString('base64');
}
