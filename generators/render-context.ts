import type { ResolvedEnvironment } from './environment.ts';
import type { ImageRef } from './image-ref.ts';
import type { EncryptedSecretFile } from './kubernetes/secret.ts';

/** What every target generator receives: the resolved environment plus the deploy's identity. */
export interface RenderContext {
  env: ResolvedEnvironment;
  image: ImageRef;
  version: string;
  /** Opaque hash of the remote secret versions (never values); rolls pods when it changes. */
  secretVersions: string | null;
  source: { repo: string; commit: string } | null;
  /** The SOPS or Sealed Secrets file the secrets stage wrote for a github profile on Kubernetes. */
  encryptedSecret: EncryptedSecretFile | null;
}

/** One object (or document) before serialization, with the file it will be written to. */
export interface GeneratedDocument {
  path: string;
  document: Record<string, unknown>;
}

/**
 * How long the orchestrator waits between SIGTERM and SIGKILL: the runtime's drain budget
 * (DOCKRION_SHUTDOWN_GRACE_SECONDS, uvicorn's graceful-shutdown timeout) plus time for lifespan
 * shutdown and log flushing.
 */
export function gracePeriodSeconds(env: ResolvedEnvironment): number {
  return Math.ceil(env.drainSeconds) + 5;
}

/** Budget for a slow agent (model download, graph compile) before liveness checks begin. */
export const STARTUP_BUDGET_SECONDS = 300;
