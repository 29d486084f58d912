import type { DockSpec } from '../action/dockfile/types.ts';
import { RenderError } from '../action/errors.ts';
import { composeDocuments } from './compose/compose.ts';
import { resolveEnvironment } from './environment.ts';
import { parseImageRef } from './image-ref.ts';
import { kubernetesDocuments } from './kubernetes/manifests.ts';
import type { EncryptedSecretFile } from './kubernetes/secret.ts';
import { assertLintClean } from './lint.ts';
import type { RenderContext } from './render-context.ts';
import { toYaml } from './serialize.ts';

export type { ResolvedEnvironment } from './environment.ts';
export { DEFAULTS, DeployConfigError, RESERVED_ENV_KEYS, resolveEnvironment } from './environment.ts';
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
  environment: string;
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

export interface RenderedFile {
  /** Relative to `<env>/<agent>/`, e.g. `deployment.yaml`. */
  path: string;
  content: string;
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
  const env = resolveEnvironment(input.spec, input.environment);
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
