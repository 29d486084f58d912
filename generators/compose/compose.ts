import { COMPOSE_LABEL_PREFIX, composeProjectName, objectNames, RUNTIME_UID } from '../names.ts';
import { plainConfig } from '../plain-config.ts';
import {
  type GeneratedDocument,
  gracePeriodSeconds,
  type RenderContext,
  STARTUP_BUDGET_SECONDS,
} from '../render-context.ts';
import { composeCpus, composeMemory } from './units.ts';

export const COMPOSE_FILE = 'compose.yaml';
/** Written beside compose.yaml by `dockrion apply` after decrypting `secrets.env.age`. */
export const SECRETS_ENV_FILE = 'secrets.env';

const HEALTH_INTERVAL_SECONDS = 30;
const HEALTH_START_INTERVAL_SECONDS = 2;

/**
 * `compose.yaml` for one agent in one environment.
 *
 * Port publishing: `<port>:<port>` on all host interfaces, except when `auth.mode` is `none`:
 * an agent that accepts anyone is published on 127.0.0.1 only, for a reverse proxy in front.
 */
export function composeDocuments(ctx: RenderContext): GeneratedDocument[] {
  const { env } = ctx;
  const service = objectNames(env.agent).workload;
  const port: Record<string, unknown> = {
    target: env.port,
    published: String(env.port),
    protocol: 'tcp',
    mode: 'host',
  };
  if (env.authMode === 'none') port.host_ip = '127.0.0.1';

  const declaresSecrets = env.secrets.required.length + env.secrets.optional.length > 0;
  const resources = {
    limits: {
      cpus: composeCpus(env.resources.limits.cpu),
      memory: composeMemory(env.resources.limits.memory),
    },
    reservations: { memory: composeMemory(env.resources.requests.memory) },
  };

  const definition: Record<string, unknown> = {
    image: ctx.image.reference,
    user: `${RUNTIME_UID}:${RUNTIME_UID}`,
    read_only: true,
    tmpfs: ['/tmp:size=256m,mode=1777'],
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    ports: [port],
    environment: plainConfig(ctx),
    healthcheck: {
      // Readiness, not liveness: `/ready` answers 503 until the agent has loaded, so
      // `compose up --wait` (and `dockrion apply`, and its health rollback) waits for a service
      // that can answer /invoke, not for a process that merely listens.
      test: ['CMD', 'python3', '-c', readinessProbeScript(env.port)],
      interval: `${HEALTH_INTERVAL_SECONDS}s`,
      timeout: '5s',
      retries: 3,
      start_period: `${STARTUP_BUDGET_SECONDS}s`,
      // Probe every few seconds while starting, so `compose up --wait` (and `dockrion apply`)
      // returns as soon as the agent is ready instead of after a whole interval (Engine ≥ 25).
      start_interval: `${HEALTH_START_INTERVAL_SECONDS}s`,
    },
    restart: 'unless-stopped',
    stop_signal: 'SIGTERM',
    stop_grace_period: `${gracePeriodSeconds(env)}s`,
    deploy: { resources },
    labels: composeLabels(ctx),
  };
  if (declaresSecrets) {
    // Only names reach this file; values arrive in secrets.env on the host. A missing file is an
    // error only when the agent cannot start without it.
    definition.env_file = [{ path: SECRETS_ENV_FILE, required: env.secrets.required.length > 0 }];
  }

  const document = {
    // `dockrion apply` passes the same name with --project-name, so an operator's
    // `docker compose ps/up/down` in this folder acts on the project apply manages.
    name: composeProjectName(env.agent, env.name),
    services: { [service]: definition },
  };
  return [{ path: COMPOSE_FILE, document: escapeInterpolation(document) as Record<string, unknown> }];
}

/** The image has python3 but no curl; urlopen raises on any non-2xx answer, failing the check. */
function readinessProbeScript(port: number): string {
  return `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}/ready', timeout=4)`;
}

function composeLabels(ctx: RenderContext): Record<string, string> {
  const labels: Record<string, string> = {
    [`${COMPOSE_LABEL_PREFIX}.agent`]: ctx.env.agent,
    [`${COMPOSE_LABEL_PREFIX}.environment`]: ctx.env.name,
    [`${COMPOSE_LABEL_PREFIX}.version`]: ctx.version,
    [`${COMPOSE_LABEL_PREFIX}.image-digest`]: ctx.image.digest,
    [`${COMPOSE_LABEL_PREFIX}.managed-by`]: 'dockrion',
  };
  // Labels are part of Compose's config hash, so a new secret version recreates the container.
  if (ctx.secretVersions !== null) labels[`${COMPOSE_LABEL_PREFIX}.secret-versions`] = ctx.secretVersions;
  if (ctx.source !== null)
    labels[`${COMPOSE_LABEL_PREFIX}.source`] = `${ctx.source.repo}@${ctx.source.commit}`;
  return labels;
}

/**
 * Compose interpolates `$VAR` in every string of the file. Values here are literal (a
 * `${SECRET}` reference is substituted by the runtime, not by Compose), so `$` becomes `$$`.
 */
function escapeInterpolation(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(escapeInterpolation);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)]));
  }
  return value;
}
