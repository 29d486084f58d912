import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { parse } from 'yaml';
import {
  type EncryptedSecretFile,
  plaintextSecret,
  type ResolvedEnvironment,
  type SecretShell,
  sealedSecret,
  secretShell,
  toYaml,
} from '../../generators/index.ts';
import { SecretsError } from '../../shared/errors.ts';
import type { ClusterDelivery } from '../dockfile/delivery.ts';
import type { DockSpec } from '../dockfile/types.ts';
import {
  parseSealingCertificate,
  SEALED_SECRET_FILE,
  type SealingKey,
  sealValue,
  strictScopeLabel,
} from './sealed-secrets.ts';
import { encryptSopsManifest, type RandomBytes, SOPS_ENCRYPTED_REGEX, SOPS_SECRET_FILE } from './sops.ts';

/** The file name each cluster-side delivery writes in `<env>/<agent>/`. */
export const SECRET_MANIFEST_FILES: Readonly<Record<ClusterDelivery, string>> = {
  sops: SOPS_SECRET_FILE,
  'sealed-secrets': SEALED_SECRET_FILE,
};

/** Where the controller's certificate comes from when the Dockfile does not name it. */
export interface SealingCertificateInput {
  /** PEM text. */
  pem: string;
  /** Printable origin for errors, e.g. `--sealed-secrets-cert certs/cluster.pem`. */
  source: string;
}

export interface SecretManifestOptions {
  spec: DockSpec;
  /** The environment as resolved once, up front (`resolveEnvironment`). */
  environment: ResolvedEnvironment;
  delivery: ClusterDelivery;
  /** Present and defaulted values (`SecretSet.values`). */
  values: ReadonlyMap<string, string>;
  /** The environment's age recipients (sops). */
  recipients: readonly string[];
  /** Action input / CLI flag; wins over `secrets.sealed_secrets.certificate`. */
  sealingCertificate?: SealingCertificateInput | null;
  /** Directory a relative `sealed_secrets.certificate` is read from (the Dockfile's). */
  baseDir: string;
  /** `sops.lastmodified`. */
  now: Date;
  /**
   * The file as the environments repo has it now (null: none). Kept byte for byte when its
   * plaintext-free shape — names, keys, empty/non-empty, recipients or sealing key — matches,
   * unless `force`; values cannot be compared without the cluster's key.
   */
  committed?: string | null;
  force?: boolean;
  randomBytes?: RandomBytes;
}

export interface SecretManifest {
  file: EncryptedSecretFile;
  content: string;
  /** True when `committed` was kept. */
  reused: boolean;
}

const HIDDEN = '<encrypted>';

/** Every non-empty value replaced by a marker: what a file shows without its key. */
function hideValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === '' ? '' : HIDDEN]));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

const SOPS_VALUE = /^ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:str\]$/;

/** The shape of a committed SOPS Secret, or null when it is not one this writer could have made. */
function committedSopsShape(text: string): string | null {
  const doc = parseYaml(text);
  if (doc === null) return null;
  const { sops, ...secret } = doc;
  const metadata = sops as Record<string, unknown> | undefined;
  const stringData = secret.stringData as Record<string, unknown> | undefined;
  if (!metadata || typeof stringData !== 'object' || stringData === null) return null;
  // A non-empty value that is not ciphertext would be plaintext in git: never keep that.
  if (Object.values(stringData).some((v) => typeof v !== 'string' || (v !== '' && !SOPS_VALUE.test(v))))
    return null;
  const age = Array.isArray(metadata.age) ? metadata.age : [];
  const recipients = age.map((a) => (a as { recipient?: unknown }).recipient).sort();
  return canonical({
    secret: { ...secret, stringData: hideValues(stringData) },
    recipients,
    regex: metadata.encrypted_regex,
  });
}

function sopsShape(
  shell: SecretShell,
  values: ReadonlyMap<string, string>,
  recipients: readonly string[],
): string {
  const secret = plaintextSecret(shell, values);
  return canonical({
    secret: { ...secret, stringData: hideValues(secret.stringData) },
    recipients: [...recipients].sort(),
    regex: SOPS_ENCRYPTED_REGEX,
  });
}

function committedSealedShape(text: string): string | null {
  const doc = parseYaml(text);
  const spec = doc?.spec as { encryptedData?: unknown } | undefined;
  if (!doc || !spec || typeof spec.encryptedData !== 'object' || spec.encryptedData === null) return null;
  const encryptedData = Object.fromEntries(Object.keys(spec.encryptedData).map((k) => [k, HIDDEN]));
  return canonical({ ...doc, spec: { ...spec, encryptedData } });
}

function sealedShape(shell: SecretShell, names: readonly string[], key: SealingKey): string {
  const hidden = Object.fromEntries(names.map((n) => [n, HIDDEN]));
  return canonical(sealedSecret(shell, hidden, key.fingerprint));
}

function parseYaml(text: string): Record<string, unknown> | null {
  try {
    const doc: unknown = parse(text);
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc)
      ? (doc as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function sealingKeyFor(options: SecretManifestOptions): SealingKey {
  if (options.sealingCertificate) {
    return parseSealingCertificate(options.sealingCertificate.pem, options.sealingCertificate.source);
  }
  const configured = options.environment.secrets.profile.sealed_secrets?.certificate;
  if (!configured) {
    throw new SecretsError(
      `environment ${options.environment.name}: delivery sealed-secrets needs the controller's certificate`,
      'set deploy.environments.<env>.secrets.sealed_secrets.certificate to the PEM (or a file beside the Dockfile), or pass --sealed-secrets-cert FILE (Action input sealed-secrets-cert); `kubeseal --fetch-cert` prints it',
    );
  }
  if (configured.includes('-----BEGIN')) {
    return parseSealingCertificate(configured, 'secrets.sealed_secrets.certificate');
  }
  const file = isAbsolute(configured) ? configured : resolvePath(options.baseDir, configured);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e: unknown) {
    const code = (e as { code?: string }).code ?? 'unreadable';
    throw new SecretsError(
      `cannot read secrets.sealed_secrets.certificate '${file}' (${code})`,
      'the path is relative to the Dockfile; `kubeseal --fetch-cert > FILE` writes the certificate',
    );
  }
  return parseSealingCertificate(pem, `secrets.sealed_secrets.certificate '${configured}'`);
}

function revisionOf(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The encrypted Secret manifest for a github-provider environment on Kubernetes: SOPS-encrypted
 * to the environment's age recipients, or sealed for the controller's certificate. The committed
 * file is kept when nothing a reader can see without the key changed, so a repeated deploy does
 * not produce new ciphertext (and a new PR) every time; a value rotated in GitHub therefore needs
 * `force` (docs/secrets.md, "Rotation").
 */
export async function buildSecretManifest(options: SecretManifestOptions): Promise<SecretManifest> {
  const shell = secretShell(options.spec, options.environment);
  const path = SECRET_MANIFEST_FILES[options.delivery];
  const committed = options.force ? null : (options.committed ?? null);
  const keep = (content: string): SecretManifest => ({
    file: { delivery: options.delivery, path, revision: revisionOf(content) },
    content,
    reused: true,
  });
  if (options.delivery === 'sops') {
    if (
      committed !== null &&
      committedSopsShape(committed) === sopsShape(shell, options.values, options.recipients)
    )
      return keep(committed);
    const secret: Record<string, unknown> = { ...plaintextSecret(shell, options.values) };
    const content = await encryptSopsManifest(secret, {
      recipients: options.recipients,
      lastModified: options.now,
      randomBytes: options.randomBytes,
    });
    return { file: { delivery: 'sops', path, revision: revisionOf(content) }, content, reused: false };
  }
  const key = sealingKeyFor(options);
  const names = [...options.values.keys()].sort();
  if (committed !== null && committedSealedShape(committed) === sealedShape(shell, names, key))
    return keep(committed);
  const label = strictScopeLabel(shell.metadata.namespace, shell.metadata.name);
  const encryptedData = Object.fromEntries(
    names.map((name) => [name, sealValue(key, label, options.values.get(name) ?? '', options.randomBytes)]),
  );
  const content = toYaml(sealedSecret(shell, encryptedData, key.fingerprint));
  return {
    file: { delivery: 'sealed-secrets', path, revision: revisionOf(content) },
    content,
    reused: false,
  };
}
