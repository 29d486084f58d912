import type { Exec } from '../../adapters/exec.ts';

export interface ComposeProject {
  /** `<env>-<agent>` */
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
  return { ok: result.code === 0, detail: tail(`${result.stdout}\n${result.stderr}`) };
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
