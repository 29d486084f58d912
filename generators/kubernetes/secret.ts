import type { DockSpec } from '../../schemas/dock-spec.ts';
import { environmentOf, type ResolvedEnvironment } from '../environment.ts';
import { ANNOTATION_PREFIX, MANAGED_BY, objectNames, selectorLabels, toLabelValue } from '../names.ts';

/**
 * The Secret a github-provider environment on Kubernetes delivers, as the secrets stage encrypts
 * it (SOPS) or seals it (Sealed Secrets). The generators only shape it; values and ciphertext
 * come from the secrets stage, which owns the randomness.
 */

/** Which encrypted Secret manifest the folder holds, and the annotation that rolls the pods. */
export interface EncryptedSecretFile {
  delivery: 'sops' | 'sealed-secrets';
  /** File name in `<env>/<agent>/`, listed in kustomization.yaml. */
  path: string;
  /** sha256 hex of the committed encrypted file: changes with the ciphertext, never with a plaintext hash. */
  revision: string;
}

/** The pod-template annotation carrying `EncryptedSecretFile.revision`. */
export const ENCRYPTED_SECRET_ANNOTATION = `${ANNOTATION_PREFIX}/encrypted-secret`;

/** The SealedSecret annotation naming the controller key it was sealed for (sha256 of the public key). */
export const SEALING_KEY_ANNOTATION = `${ANNOTATION_PREFIX}/sealing-key-sha256`;

export interface SecretShell {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'Opaque';
}

/**
 * Name, namespace and labels of `<agent>-secrets`. No version label: the encrypted file must stay
 * byte-identical across deploys whose values did not change, so nothing per-deploy goes in here.
 * The namespace is written (kustomize would set the same) because Sealed Secrets binds each value
 * to `<namespace>/<name>`.
 */
export function secretShell(spec: DockSpec, environment: string | ResolvedEnvironment): SecretShell {
  const env = environmentOf(spec, environment);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: objectNames(env.agent).secret,
      namespace: env.namespace,
      labels: {
        ...selectorLabels(env.agent, env.name),
        'app.kubernetes.io/managed-by': MANAGED_BY,
        [`${ANNOTATION_PREFIX}/environment`]: toLabelValue(env.name),
      },
    },
    type: 'Opaque',
  };
}

/** The plaintext Secret SOPS encrypts: the shell plus `stringData` (sorted by the serializer). */
export function plaintextSecret(
  shell: SecretShell,
  values: ReadonlyMap<string, string>,
): SecretShell & { stringData: Record<string, string> } {
  return { ...shell, stringData: Object.fromEntries(values) };
}

/**
 * A `bitnami.com/v1alpha1` SealedSecret for the shell, strict scope (no scope annotation), with
 * the values already sealed by the secrets stage. The controller creates the Secret from
 * `spec.template` and owns it.
 */
export function sealedSecret(
  shell: SecretShell,
  encryptedData: Readonly<Record<string, string>>,
  sealingKeyFingerprint: string,
): Record<string, unknown> {
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: {
      ...shell.metadata,
      annotations: { [SEALING_KEY_ANNOTATION]: sealingKeyFingerprint },
    },
    spec: {
      encryptedData: { ...encryptedData },
      template: {
        metadata: { ...shell.metadata },
        type: shell.type,
      },
    },
  };
}
