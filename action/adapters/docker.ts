import { ImageError } from '../../shared/errors.ts';
import { type Exec, ExecError, type ExecOptions, type ExecResult } from './exec.ts';

/** buildx `--provenance`: an attestation mode, or off. */
export type ProvenanceMode = 'min' | 'max' | false;

export interface BuildxInvocation {
  contextDir: string;
  /** Full references, e.g. `ghcr.io/acme/triage:1.4.0`. */
  tags: readonly string[];
  platforms: readonly string[];
  push: boolean;
  metadataFile: string;
  baseImage?: string;
  provenance: ProvenanceMode;
  sbom: boolean;
  noCache?: boolean;
  builder?: string;
  /** `--cache-from` / `--cache-to` values in buildx syntax (see action/image/cache.ts). */
  cacheFrom?: readonly string[];
  cacheTo?: readonly string[];
}

/** The `docker buildx build` arguments for one build: a pure function of its input. */
export function buildxArgs(invocation: BuildxInvocation): string[] {
  const args = ['buildx', 'build'];
  if (invocation.builder) args.push('--builder', invocation.builder);
  args.push('--progress', 'plain', '--file', `${invocation.contextDir}/Dockerfile`);
  args.push('--platform', invocation.platforms.join(','));
  for (const tag of invocation.tags) args.push('--tag', tag);
  if (invocation.baseImage) args.push('--build-arg', `BASE_IMAGE=${invocation.baseImage}`);
  // Explicit both ways: buildx's default differs between versions and drivers.
  args.push(`--provenance=${invocation.provenance === false ? 'false' : `mode=${invocation.provenance}`}`);
  args.push(`--sbom=${invocation.sbom ? 'true' : 'false'}`);
  if (invocation.noCache) args.push('--no-cache');
  for (const spec of invocation.cacheFrom ?? []) args.push('--cache-from', spec);
  for (const spec of invocation.cacheTo ?? []) args.push('--cache-to', spec);
  args.push('--metadata-file', invocation.metadataFile);
  // --push / --load, plus rewrite-timestamp: every file BuildKit writes into a layer gets
  // SOURCE_DATE_EPOCH (the commit time) as its mtime, so two builds of one commit give one digest.
  args.push('--output', `type=${invocation.push ? 'registry' : 'docker'},rewrite-timestamp=true`);
  args.push(invocation.contextDir);
  return args;
}

/** How one build runs besides its arguments. */
export interface BuildxRun {
  /** The commit time: BuildKit stamps it on every file it writes (`rewrite-timestamp`). */
  sourceDateEpoch: number;
  /** A Docker config dir holding this build's registry login (`DOCKER_CONFIG`); default the user's. */
  configDir?: string;
  /** Each chunk of the build log as it arrives. */
  stream: (chunk: string) => void;
}

export interface RegistryLogin {
  /** `ghcr.io`, `127.0.0.1:5000`. */
  host: string;
  username: string;
  /** Written to `docker login --password-stdin`; never an argument, never in an error. */
  password: string;
  /** The Docker config dir the login is stored in (`--config`). */
  configDir: string;
}

export interface ComposeProject {
  /** `composeProjectName(agent, env)`: the `name:` compose.yaml declares. */
  name: string;
  /** The materialized folder: compose.yaml plus the decrypted secrets.env. */
  dir: string;
}

/** A Compose command whose outcome the caller judges (apply rolls back, reports, retries). */
export interface ComposeRun {
  ok: boolean;
  /** stdout, then stderr. */
  output: string;
}

export interface ContainerState {
  /** Without the leading `/` docker inspect prints. */
  name: string;
  /** `running`, `exited`, `restarting` … */
  status: string;
  /** `healthy`, `starting`, `unhealthy`, or `none` when the image defines no health check. */
  health: string;
}

/** BuildKit's default SBOM generator, pulled by the builder when `--sbom=true`. */
export const SBOM_SCANNER_IMAGE = 'docker/buildkit-syft-scanner';

/**
 * The SBOM scanner image could not be resolved: the build log names the image on the failing line
 * (`failed to resolve source metadata for docker.io/docker/buildkit-syft-scanner:stable-1: …`).
 */
export function sbomScannerFailure(stderr: string): { image: string; line: string } | undefined {
  const line = stderr
    .split('\n')
    .reverse()
    .find((l) => l.includes(SBOM_SCANNER_IMAGE) && /error|failed|not found|denied|refused|timeout/i.test(l));
  if (!line) return undefined;
  const image =
    new RegExp(`(?:[\\w.:-]+/)?${SBOM_SCANNER_IMAGE}(?::[\\w.-]+)?`).exec(line)?.[0] ?? SBOM_SCANNER_IMAGE;
  return {
    image,
    line: line
      .replace(/^#\d+\s+/, '')
      .trim()
      .slice(0, 400),
  };
}

/** The last `count` lines of `text`, leading and trailing blank space dropped first. */
export function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

const ENGINE_DOWN = /Cannot connect to the Docker daemon|docker daemon is not running/i;
/** Version probes must not hang an apply pass on a wedged engine. */
const PROBE_TIMEOUT_MS = 30_000;

export interface DockerOptions {
  exec: Exec;
  /** The environment docker runs in (DOCKER_HOST, DOCKER_CONFIG, PATH …); default the process's. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Every `docker` the tool runs goes through `Docker`, as every `git` goes through `Git`: the
 * argument vectors are built here, a failure becomes a typed error here (with the ExecError as
 * its `cause`), and a registry password only ever reaches docker on stdin. Front doors build one
 * (with the environment the command runs in) and pass it down.
 */
export class Docker {
  private readonly exec: Exec;
  private readonly env: NodeJS.ProcessEnv | undefined;

  constructor(options: DockerOptions) {
    this.exec = options.exec;
    this.env = options.env;
  }

  /** The one call to the exec seam: a non-zero exit comes back as a result, never as a throw. */
  private run(
    args: readonly string[],
    options: Pick<ExecOptions, 'input' | 'stream' | 'timeoutMs'> & { env?: NodeJS.ProcessEnv } = {},
  ): Promise<ExecResult> {
    const env = options.env ? { ...(this.env ?? process.env), ...options.env } : this.env;
    return this.exec
      .run('docker', args, {
        allowFailure: true,
        ...(env ? { env } : {}),
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.stream ? { stream: options.stream } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      })
      .catch((e: unknown) => {
        // No `docker` on PATH: say so, instead of Node's bare `spawn docker ENOENT`.
        if ((e as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
          throw new ImageError(
            `docker is not installed or not on PATH (needed for docker ${args[0] ?? ''})`,
            'install the Docker CLI with the buildx and compose plugins, or add it to PATH',
            e,
          );
        }
        throw e;
      });
  }

  /**
   * The one place a failed docker call becomes a typed error. The ExecError is kept as `cause`,
   * with every secret of the call blanked out of its output; an engine that does not answer gets
   * the same hint whatever the command was.
   */
  private failure(
    args: readonly string[],
    result: ExecResult,
    message: string,
    hint: string | null,
    secrets: readonly string[] = [],
  ): ImageError {
    const scrub = (text: string) => secrets.reduce((t, s) => (s ? t.split(s).join('***') : t), text);
    const cause = new ExecError('docker', args, {
      code: result.code,
      stdout: scrub(result.stdout),
      stderr: scrub(result.stderr),
    });
    const engineDown = ENGINE_DOWN.test(result.stderr);
    return new ImageError(
      scrub(message),
      engineDown ? 'start the Docker engine, or point DOCKER_HOST at a running one' : hint,
      cause,
    );
  }

  // -- the engine ---------------------------------------------------------------------------

  /** The engine's version (`docker version`), or null with what docker said when it does not answer. */
  async engineVersion(): Promise<{ version: string } | { version: null; detail: string }> {
    const result = await this.run(['version', '--format', '{{.Server.Version}}'], {
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    const version = result.stdout.trim();
    if (result.code === 0 && version !== '') return { version };
    return {
      version: null,
      detail: lastLines(`${result.stdout}\n${result.stderr}`, 2) || `docker exited ${result.code}`,
    };
  }

  /** The Compose plugin's version (`docker compose version --short`), or null without the plugin. */
  async composeVersion(): Promise<string | null> {
    const result = await this.run(['compose', 'version', '--short'], { timeoutMs: PROBE_TIMEOUT_MS });
    const version = result.stdout.trim();
    return result.code === 0 && version !== '' ? version : null;
  }

  /** Whether the engine keeps images in containerd (its `docker` builder can then attach attestations). */
  async containerdImageStore(): Promise<boolean> {
    const result = await this.run(['info', '--format', '{{json .DriverStatus}}']);
    return result.stdout.includes('io.containerd.snapshotter');
  }

  // -- buildx and the registry --------------------------------------------------------------

  /** The driver of a buildx builder (default: the current one): `docker`, `docker-container`, `remote` … */
  async builderDriver(builder?: string): Promise<string> {
    const args = ['buildx', 'inspect', ...(builder ? [builder] : [])];
    const result = await this.run(args);
    if (result.code !== 0) {
      throw this.failure(
        args,
        result,
        `docker buildx is not usable: ${result.stderr.trim().split('\n').pop() ?? ''}`,
        'install the buildx plugin (docker-buildx) and start the Docker engine',
      );
    }
    // `[ \t]*`, not `\s*`: an engine that does not answer leaves the field empty.
    return /^Driver:[ \t]*(\S+)/m.exec(result.stdout)?.[1] ?? 'unknown';
  }

  /** `docker login` into `login.configDir`, the password on stdin. */
  async login(login: RegistryLogin): Promise<void> {
    const args = ['--config', login.configDir, 'login', login.host, '--username', login.username];
    args.push('--password-stdin');
    const result = await this.run(args, { input: login.password });
    if (result.code !== 0) {
      throw this.failure(
        args,
        result,
        `docker login ${login.host} failed: ${result.stderr.trim().split('\n').pop() ?? ''}`,
        login.host === 'ghcr.io' ? 'the workflow needs `permissions: packages: write`' : null,
        [login.password],
      );
    }
  }

  /** `docker buildx build`; its log streams to `run.stream`, and a failure names the failing line. */
  async buildxBuild(invocation: BuildxInvocation, run: BuildxRun): Promise<void> {
    const args = buildxArgs(invocation);
    const env: NodeJS.ProcessEnv = { SOURCE_DATE_EPOCH: String(run.sourceDateEpoch) };
    if (run.configDir) env.DOCKER_CONFIG = run.configDir;
    const result = await this.run(args, { env, stream: run.stream });
    if (result.code === 0) return;
    const scanner = invocation.sbom ? sbomScannerFailure(result.stderr) : undefined;
    if (scanner) {
      throw this.failure(
        args,
        result,
        `the builder cannot fetch the SBOM scanner image ${scanner.image}: ${scanner.line}`,
        `let the builder pull ${scanner.image} (or a mirror of it), or build with sbom: false`,
      );
    }
    const lastError = result.stderr
      .trim()
      .split('\n')
      .reverse()
      .find((line) => /error/i.test(line));
    throw this.failure(
      args,
      result,
      `docker buildx build failed (exit ${result.code})${lastError ? `: ${lastError.trim()}` : ''}`,
      'the build log above shows the step that failed',
    );
  }

  // -- Compose and containers ----------------------------------------------------------------

  /** `docker compose up --detach --wait`: returns when every service is healthy, or at the timeout. */
  async composeUp(project: ComposeProject, waitTimeoutSeconds: number): Promise<ComposeRun> {
    const result = await this.run(
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
      // Past the wait, pulls may still be running: Compose gets five more minutes before it is killed.
      { timeoutMs: (waitTimeoutSeconds + 300) * 1000 },
    );
    return { ok: result.code === 0, output: `${result.stdout}\n${result.stderr}` };
  }

  /** `docker compose down` of a project, its volumes and orphans included. */
  async composeDown(projectName: string): Promise<ComposeRun> {
    const result = await this.run([
      'compose',
      '--project-name',
      projectName,
      'down',
      '--volumes',
      '--remove-orphans',
    ]);
    return { ok: result.code === 0, output: `${result.stdout}\n${result.stderr}` };
  }

  /** The ids of a Compose project's containers, stopped ones included; `error` when docker failed. */
  async projectContainerIds(projectName: string): Promise<{ ids: string[]; error: string | null }> {
    const result = await this.run(['ps', '--all', '--quiet', '--filter', projectLabel(projectName)]);
    if (result.code !== 0) return { ids: [], error: result.stderr.trim() };
    return { ids: result.stdout.split('\n').filter(Boolean), error: null };
  }

  /** Each container's state and health (`docker inspect`), or what docker said when it failed. */
  async containerStates(
    ids: readonly string[],
  ): Promise<{ states: ContainerState[]; error: null } | { states: null; error: string }> {
    const result = await this.run([
      'inspect',
      '--format',
      '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}',
      ...ids,
    ]);
    if (result.code !== 0) return { states: null, error: result.stderr.trim() };
    const states = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', status = '', health = ''] = line.trim().split(' ');
        return { name: name.replace(/^\//, ''), status, health };
      });
    return { states, error: null };
  }

  /** `name: status` of each container of a Compose project, one a line (for a failure report). */
  async projectStatus(projectName: string): Promise<string> {
    const result = await this.run([
      'ps',
      '--all',
      '--filter',
      projectLabel(projectName),
      '--format',
      '{{.Names}}: {{.Status}}',
    ]);
    return result.stdout.trim();
  }
}

function projectLabel(projectName: string): string {
  return `label=com.docker.compose.project=${projectName}`;
}
