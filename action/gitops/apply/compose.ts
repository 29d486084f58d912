import { GitOpsError } from '../../../shared/errors.ts';
import type { Exec } from '../../adapters/exec.ts';
import type { Logger } from '../../adapters/logger.ts';

export interface ComposeProject {
  /** `composeProjectName(agent, env)`: the `name:` compose.yaml declares. */
  name: string;
  /** The materialized folder: compose.yaml plus the decrypted secrets.env. */
  dir: string;
}

export interface ComposeOutcome {
  ok: boolean;
  /** The last lines Compose printed (container states; never env values). */
  detail: string;
}

function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** `docker compose up -d --wait`: returns when every service is healthy, or fails at the timeout. */
export async function composeUp(
  exec: Exec,
  project: ComposeProject,
  waitTimeoutSeconds: number,
  env: NodeJS.ProcessEnv,
): Promise<ComposeOutcome> {
  const result = await exec.run(
    'docker',
    [
      'compose',
      '--project-name',
      project.name,
      '--project-directory',
      project.dir,
      '--file',
      `${project.dir}/compose.yaml`,
      'up',
      '--detach',
      '--wait',
      '--wait-timeout',
      String(waitTimeoutSeconds),
      '--remove-orphans',
      '--quiet-pull',
    ],
    { allowFailure: true, env, timeoutMs: (waitTimeoutSeconds + 300) * 1000 },
  );
  const detail = tail(`${result.stdout}\n${result.stderr}`);
  if (result.code !== 0) return { ok: false, detail };
  // Compose 2.26 can exit 0 when --wait-timeout expires while a service is still `starting`
  // (seen here on a busy machine). Healthy means every container says so itself.
  const unready = await unhealthyContainers(exec, project.name, env);
  if (unready.length === 0) return { ok: true, detail };
  return {
    ok: false,
    detail: `docker compose up --wait returned, but not every service is healthy:\n${unready.join('\n')}`,
  };
}

/** `name: state (health)` of each container of the project that is not running and healthy. */
export async function unhealthyContainers(
  exec: Exec,
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const ids = await exec.run(
    'docker',
    ['ps', '--all', '--quiet', '--filter', `label=com.docker.compose.project=${name}`],
    { allowFailure: true, env },
  );
  const list = ids.stdout.split('\n').filter(Boolean);
  if (ids.code !== 0 || list.length === 0) return [`no containers of project ${name} (${ids.stderr.trim()})`];
  const states = await exec.run(
    'docker',
    [
      'inspect',
      '--format',
      '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}',
      ...list,
    ],
    { allowFailure: true, env },
  );
  if (states.code !== 0) return [`docker inspect failed: ${states.stderr.trim()}`];
  return (
    states.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.trim().split(' '))
      // As `--wait` means it: running, and healthy where a health check is defined.
      .filter(([, status, health]) => status !== 'running' || (health !== 'healthy' && health !== 'none'))
      .map(
        ([container = '', status, health]) =>
          `${container.replace(/^\//, '')}: ${status} (health: ${health})`,
      )
  );
}

/** Container states of a project, for the failure report. */
export async function composeStatus(exec: Exec, name: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await exec.run(
    'docker',
    [
      'ps',
      '--all',
      '--filter',
      `label=com.docker.compose.project=${name}`,
      '--format',
      '{{.Names}}: {{.Status}}',
    ],
    { allowFailure: true, env },
  );
  return result.stdout.trim();
}

export async function composeDown(exec: Exec, name: string, env: NodeJS.ProcessEnv): Promise<ComposeOutcome> {
  const result = await exec.run(
    'docker',
    ['compose', '--project-name', name, 'down', '--volumes', '--remove-orphans'],
    { allowFailure: true, env },
  );
  return { ok: result.code === 0, detail: tail(`${result.stdout}\n${result.stderr}`) };
}

/** Whether the Docker engine answers at all: a dead daemon is not an unhealthy service. */
export async function engineReachable(exec: Exec, env: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await exec.run('docker', ['version', '--format', '{{.Server.Version}}'], {
    allowFailure: true,
    env,
    timeoutMs: 30_000,
  });
  return result.code === 0 && result.stdout.trim() !== '';
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
export async function checkEngineVersions(
  exec: Exec,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<EngineVersions> {
  const engine = await exec.run('docker', ['version', '--format', '{{.Server.Version}}'], {
    allowFailure: true,
    env,
    timeoutMs: 30_000,
  });
  if (engine.code !== 0 || engine.stdout.trim() === '') {
    throw new GitOpsError(
      `cannot reach the Docker engine: ${tail(`${engine.stdout}\n${engine.stderr}`, 2) || `docker exited ${engine.code}`}`,
      'start dockerd (or set DOCKER_HOST) and run apply again',
    );
  }
  const compose = await exec.run('docker', ['compose', 'version', '--short'], {
    allowFailure: true,
    env,
    timeoutMs: 30_000,
  });
  if (compose.code !== 0 || compose.stdout.trim() === '') {
    throw new GitOpsError(
      'docker compose is not available on this host',
      `install the Compose plugin ${ENGINE_MINIMUMS.compose.version} or newer (apt-get install docker-compose-plugin)`,
    );
  }
  const found: EngineVersions = { engine: engine.stdout.trim(), compose: compose.stdout.trim() };
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
