import type { DockSpec } from '../schemas/dock-spec.ts';
import { RenderError } from '../shared/errors.ts';
import { composeDocuments } from './compose/compose.ts';
import { environmentOf, type ResolvedEnvironment } from './environment.ts';
import { parseImageRef } from './image-ref.ts';
import { kubernetesDocuments } from './kubernetes/manifests.ts';
import type { EncryptedSecretFile } from './kubernetes/secret.ts';
import { assertLintClean } from './lint.ts';
import type { RenderContext } from './render-context.ts';
import { toYaml } from './serialize.ts';

export { DeployConfigError } from '../shared/errors.ts';
export type { ResolvedEnvironment } from './environment.ts';
export { DEFAULTS, RESERVED_ENV_KEYS, resolveEnvironment } from './environment.ts';
export type { ImageRef } from './image-ref.ts';
export { parseImageRef } from './image-ref.ts';
export type { EncryptedSecretFile, SecretShell } from './kubernetes/secret.ts';
export {
  ENCRYPTED_SECRET_ANNOTATION,
  plaintextSecret,
  SEALING_KEY_ANNOTATION,
  sealedSecret,
  secretShell,
} from './kubernetes/secret.ts';
export type { LintFinding } from './lint.ts';
export { lintDocuments } from './lint.ts';
export { commonLabels, composeProjectName, objectNames, selectorLabels } from './names.ts';
export { toYaml } from './serialize.ts';

export type RenderTarget = 'compose' | 'kubernetes';

export interface RenderInput {
  spec: DockSpec;
  /** The environment's name, or the environment the caller already resolved from `spec`. */
  environment: string | ResolvedEnvironment;
  /** `repo:tag@sha256:…`; a reference without a digest is refused. */
  image: string;
  version: string;
  /** Overrides the target resolved from the Dockfile (`deploy.target`, environment `target`). */
  target?: RenderTarget;
  /** Opaque hash of the remote secret versions, from the secrets stage; never values. */
  secretVersions?: string;
  source?: { repo: string; commit: string };
  /**
   * The encrypted Secret manifest (SOPS or SealedSecret) the secrets stage wrote beside the
   * manifests: listed in kustomization.yaml, its revision annotates the pod template.
   */
  encryptedSecret?: EncryptedSecretFile;
}

/** A file of an agent's folder; generators write text, the gitops stage also carries bytes (age ciphertext). */
export interface RenderedFile<Content extends string | Uint8Array = string> {
  /** Relative to `<env>/<agent>/`, e.g. `deployment.yaml`. */
  path: string;
  content: Content;
}

export interface RenderResult {
  target: RenderTarget;
  /** Sorted by path. */
  files: RenderedFile[];
}

/**
 * The manifests for one agent in one environment. Pure: the same input gives the same bytes,
 * whatever order the Dockfile's maps were written in.
 */
export function renderManifests(input: RenderInput): RenderResult {
  const env = environmentOf(input.spec, input.environment);
  if (input.version.trim() === '') throw new RenderError('version is empty');
  const ctx: RenderContext = {
    env,
    image: parseImageRef(input.image),
    version: input.version,
    secretVersions: input.secretVersions ?? null,
    source: input.source ?? null,
    encryptedSecret: input.encryptedSecret ?? null,
  };
  const target = input.target ?? env.target;
  const documents = target === 'compose' ? composeDocuments(ctx) : kubernetesDocuments(ctx);
  assertLintClean(documents);
  const files = documents
    .map(({ path, document }) => ({ path, content: toYaml(document) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { target, files };
}
