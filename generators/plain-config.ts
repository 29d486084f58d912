import { DRAIN_ENV_KEY } from './environment.ts';
import type { RenderContext } from './render-context.ts';

/**
 * The plain (non-secret) environment of the container, for Compose `environment` and the
 * Kubernetes ConfigMap alike: the Dockfile's `deploy.env` merged with the environment's `env`,
 * plus what dockrion sets itself. Keys sorted.
 */
export function plainConfig(ctx: RenderContext): Record<string, string> {
  const config: Record<string, string> = {
    ...ctx.env.env,
    DOCKRION_ENV: ctx.env.name,
    DOCKRION_VERSION: ctx.version,
    // Always written, so the drain the runtime uses is the one the grace period was sized for.
    [DRAIN_ENV_KEY]: String(ctx.env.drainSeconds),
  };
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
