import { GitOpsError } from '../../../shared/errors.ts';
import { type ComposeProject, type Docker, lastLines } from '../../adapters/docker.ts';
import type { Logger } from '../../adapters/logger.ts';

export interface ComposeOutcome {
  ok: boolean;
  /** The last lines Compose printed (container states; never env values). */
  detail: string;
}

/** `docker compose up -d --wait`: returns when every service is healthy, or fails at the timeout. */
export async function composeUp(
  docker: Docker,
  project: ComposeProject,
  waitTimeoutSeconds: number,
): Promise<ComposeOutcome> {
  const result = await docker.composeUp(project, waitTimeoutSeconds);
  const detail = lastLines(result.output, 12);
  if (!result.ok) return { ok: false, detail };
  // Compose 2.26 can exit 0 when --wait-timeout expires while a service is still `starting`
  // (seen here on a busy machine). Healthy means every container says so itself.
  const unready = await unhealthyContainers(docker, project.name);
  if (unready.length === 0) return { ok: true, detail };
  return {
    ok: false,
    detail: `docker compose up --wait returned, but not every service is healthy:\n${unready.join('\n')}`,
  };
}

/** `name: state (health)` of each container of the project that is not running and healthy. */
export async function unhealthyContainers(docker: Docker, name: string): Promise<string[]> {
  const { ids, error } = await docker.projectContainerIds(name);
  if (error !== null || ids.length === 0) return [`no containers of project ${name} (${error ?? ''})`];
  const inspected = await docker.containerStates(ids);
  if (inspected.states === null) return [`docker inspect failed: ${inspected.error}`];
  return (
    inspected.states
      // As `--wait` means it: running, and healthy where a health check is defined.
      .filter(({ status, health }) => status !== 'running' || (health !== 'healthy' && health !== 'none'))
      .map(({ name: container, status, health }) => `${container}: ${status} (health: ${health})`)
  );
}

export async function composeDown(docker: Docker, name: string): Promise<ComposeOutcome> {
  const result = await docker.composeDown(name);
  return { ok: result.ok, detail: lastLines(result.output, 12) };
}

/** Whether the Docker engine answers at all: a dead daemon is not an unhealthy service. */
export async function engineReachable(docker: Docker): Promise<boolean> {
  return (await docker.engineVersion()).version !== null;
}

/** A dotted version as numbers: `v2.24.0-desktop.1` → [2, 24, 0]; null when it does not start with one. */
export function parseVersion(text: string): number[] | null {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(text);
  return m?.[1] ? m[1].split('.').map(Number) : null;
}

/** Whether `version` is at least `minimum`, compared part by part as numbers (2.3 < 2.24). */
export function atLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < Math.max(version.length, minimum.length); i++) {
    const have = version[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

/**
 * What the rendered compose.yaml needs from the host (README "Compose hosts"): the health check's
 * `start_interval` is Docker Engine 25's, and `env_file` entries with `path`/`required` are
 * Compose 2.24's. Older versions reject the file, so apply, and its rollback, would fail midway.
 */
export const ENGINE_MINIMUMS = {
  engine: { version: '25.0', needs: 'healthcheck.start_interval' },
  compose: { version: '2.24', needs: 'env_file with path/required' },
} as const;

export interface EngineVersions {
  engine: string;
  compose: string;
}

/**
 * Checks the Docker Engine and Compose versions against `ENGINE_MINIMUMS` before apply touches
 * anything; an old one is a GitOpsError naming both minimums. A version that does not parse
 * (a source build says `dev`) is a warning: the engine may well be new enough.
 */
export async function checkEngineVersions(docker: Docker, logger: Logger): Promise<EngineVersions> {
  const engine = await docker.engineVersion();
  if (engine.version === null) {
    throw new GitOpsError(
      `cannot reach the Docker engine: ${engine.detail}`,
      'start dockerd (or set DOCKER_HOST) and run apply again',
    );
  }
  const compose = await docker.composeVersion();
  if (compose === null) {
    throw new GitOpsError(
      'docker compose is not available on this host',
      `install the Compose plugin ${ENGINE_MINIMUMS.compose.version} or newer (apt-get install docker-compose-plugin)`,
    );
  }
  const found: EngineVersions = { engine: engine.version, compose };
  const old: string[] = [];
  for (const [kind, label] of [
    ['engine', 'Docker Engine'],
    ['compose', 'Docker Compose'],
  ] as const) {
    const { version: minimum, needs } = ENGINE_MINIMUMS[kind];
    const parsed = parseVersion(found[kind]);
    if (parsed === null) {
      logger.warn(`cannot read the ${label} version '${found[kind]}'; apply needs ${minimum} or newer`);
    } else if (!atLeast(parsed, parseVersion(minimum) ?? [])) {
      old.push(`${label} ${found[kind]} is older than ${minimum} (needed for ${needs})`);
    }
  }
  if (old.length > 0) {
    throw new GitOpsError(
      `this host cannot run the rendered compose.yaml: ${old.join('; ')}`,
      `dockrion apply needs Docker Engine ${ENGINE_MINIMUMS.engine.version} or newer and Docker Compose ${ENGINE_MINIMUMS.compose.version} or newer; upgrade them and run apply again`,
    );
  }
  return found;
}
