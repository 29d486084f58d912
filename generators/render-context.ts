import type { ResolvedEnvironment } from './environment.ts';
import type { ImageRef } from './image-ref.ts';

/** What every target generator receives: the resolved environment plus the deploy's identity. */
export interface RenderContext {
  env: ResolvedEnvironment;
  image: ImageRef;
  version: string;
  /** Opaque hash of the remote secret versions (never values); rolls pods when it changes. */
  secretVersions: string | null;
  source: { repo: string; commit: string } | null;
}

/** One object (or document) before serialization, with the file it will be written to. */
export interface GeneratedDocument {
  path: string;
  document: Record<string, unknown>;
}

/**
 * How long the runtime gets to drain in-flight requests after SIGTERM, plus a margin for the
 * endpoint removal to reach the load balancer. CONTRACTS.md asks the runtime to finish within
 * RUNTIME_DRAIN_SECONDS; the orchestrator kills it after GRACE_PERIOD_SECONDS.
 */
export const RUNTIME_DRAIN_SECONDS = 30;
export const GRACE_PERIOD_SECONDS = RUNTIME_DRAIN_SECONDS + 5;

/** Budget for a slow agent (model download, graph compile) before liveness checks begin. */
export const STARTUP_BUDGET_SECONDS = 300;
