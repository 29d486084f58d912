/**
 * The Docker seam's argument vectors, stdin and error translation, exactly. The exec underneath
 * is a recording double: the Exec interface is our own code (nodeExec is exercised for real in
 * docker.integration.test.ts and every docker-backed test), and only a recording shows what was
 * put on the command line versus stdin, which a real docker cannot report back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BuildxInvocation, Docker } from '../../action/adapters/docker.ts';
import {
  type Exec,
  ExecError,
  type ExecOptions,
  type ExecResult,
  nodeExec,
} from '../../action/adapters/exec.ts';
import { ImageError } from '../../shared/errors.ts';

interface Call {
  command: string;
  args: readonly string[];
  options: ExecOptions;
}

/** Records every call and answers each from `answers` in turn (default: exit 0, no output). */
function recordingExec(...answers: Partial<ExecResult>[]): Exec & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async run(command, args, options = {}) {
      calls.push({ command, args: [...args], options });
      const answer = answers.shift() ?? {};
      const result = { code: 0, stdout: '', stderr: '', ...answer };
      options.stream?.(result.stdout + result.stderr);
      return result;
    },
  };
}

const baseEnv = { PATH: '/usr/bin', DOCKER_HOST: 'unix:///run/test.sock' };

const invocation: BuildxInvocation = {
  contextDir: '/tmp/ctx',
  tags: ['127.0.0.1:5000/acme/triage:1.0.0'],
  platforms: ['linux/amd64'],
  push: true,
  metadataFile: '/tmp/meta.json',
  provenance: false,
  sbom: false,
};

describe('Docker: what it runs', () => {
  it('runs every command as `docker`, never throwing on the exit code itself', async () => {
    const exec = recordingExec();
    const docker = new Docker({ exec, env: baseEnv });
    await docker.engineVersion();
    await docker.composeVersion();
    await docker.containerdImageStore();
    await docker.builderDriver();
    await docker.projectStatus('p');
    expect(exec.calls.map((c) => c.command)).toEqual(['docker', 'docker', 'docker', 'docker', 'docker']);
    expect(exec.calls.every((c) => c.options.allowFailure === true && c.options.env === baseEnv)).toBe(true);
  });

  it('asks the engine and Compose for their versions, with a time limit', async () => {
    const exec = recordingExec({ stdout: '26.1.5+dfsg1\n' }, { stdout: '2.26.1-4\n' });
    const docker = new Docker({ exec, env: baseEnv });
    expect(await docker.engineVersion()).toEqual({ version: '26.1.5+dfsg1' });
    expect(await docker.composeVersion()).toBe('2.26.1-4');
    expect(exec.calls).toEqual([
      {
        command: 'docker',
        args: ['version', '--format', '{{.Server.Version}}'],
        options: { allowFailure: true, env: baseEnv, timeoutMs: 30_000 },
      },
      {
        command: 'docker',
        args: ['compose', 'version', '--short'],
        options: { allowFailure: true, env: baseEnv, timeoutMs: 30_000 },
      },
    ]);
  });

  it('reports an engine that does not answer with what docker said, and a missing Compose as null', async () => {
    const docker = new Docker({
      exec: recordingExec(
        {
          code: 1,
          stdout: '\n',
          stderr: 'Client: 26.1.5\nCannot connect to the Docker daemon at unix:///x.sock\n',
        },
        { code: 1 },
        { code: 125, stderr: "docker: 'compose' is not a docker command.\n" },
      ),
    });
    expect(await docker.engineVersion()).toEqual({
      version: null,
      detail: 'Client: 26.1.5\nCannot connect to the Docker daemon at unix:///x.sock',
    });
    expect(await docker.engineVersion()).toEqual({ version: null, detail: 'docker exited 1' });
    expect(await docker.composeVersion()).toBeNull();
  });

  it('reads the builder driver from buildx inspect, and the containerd store from docker info', async () => {
    const exec = recordingExec(
      { stdout: 'Name:          ci\nDriver:        remote\nLast Activity: …\n' },
      { stdout: 'Name:   default\nDriver:\nLast Activity: …\nError: Cannot connect\n' },
      { stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n' },
    );
    const docker = new Docker({ exec });
    expect(await docker.builderDriver('ci')).toBe('remote');
    // An empty field (an engine that does not answer) is unknown, not the next line's first word.
    expect(await docker.builderDriver()).toBe('unknown');
    expect(await docker.containerdImageStore()).toBe(true);
    expect(exec.calls.map((c) => c.args)).toEqual([
      ['buildx', 'inspect', 'ci'],
      ['buildx', 'inspect'],
      ['info', '--format', '{{json .DriverStatus}}'],
    ]);
  });

  it('logs in with the password on stdin only, into the given config dir', async () => {
    const password = 'ghs_s3cret-Token';
    const exec = recordingExec();
    const docker = new Docker({ exec, env: baseEnv });
    await docker.login({ host: 'ghcr.io', username: 'octocat', password, configDir: '/tmp/cfg' });
    expect(exec.calls).toEqual([
      {
        command: 'docker',
        args: ['--config', '/tmp/cfg', 'login', 'ghcr.io', '--username', 'octocat', '--password-stdin'],
        options: { allowFailure: true, env: baseEnv, input: password },
      },
    ]);
    expect(exec.calls[0]?.args.join(' ')).not.toContain(password);
  });

  it('builds with the arguments of buildxArgs, SOURCE_DATE_EPOCH and the login config on top of its environment', async () => {
    const exec = recordingExec({ stdout: '#1 DONE\n' });
    const chunks: string[] = [];
    const docker = new Docker({ exec, env: baseEnv });
    await docker.buildxBuild(
      { ...invocation, builder: 'ci', cacheFrom: ['type=registry,ref=r/a:c'] },
      { sourceDateEpoch: 1_700_000_000, configDir: '/tmp/cfg', stream: (c) => chunks.push(c) },
    );
    expect(exec.calls).toHaveLength(1);
    const [call] = exec.calls;
    expect(call?.args).toEqual([
      'buildx',
      'build',
      '--builder',
      'ci',
      '--progress',
      'plain',
      '--file',
      '/tmp/ctx/Dockerfile',
      '--platform',
      'linux/amd64',
      '--tag',
      '127.0.0.1:5000/acme/triage:1.0.0',
      '--provenance=false',
      '--sbom=false',
      '--cache-from',
      'type=registry,ref=r/a:c',
      '--metadata-file',
      '/tmp/meta.json',
      '--output',
      'type=registry,rewrite-timestamp=true',
      '/tmp/ctx',
    ]);
    expect(call?.options.env).toEqual({
      ...baseEnv,
      SOURCE_DATE_EPOCH: '1700000000',
      DOCKER_CONFIG: '/tmp/cfg',
    });
    expect(call?.options.input).toBeUndefined();
    expect(chunks).toEqual(['#1 DONE\n']);
  });

  it('builds on the process environment when given none, and keeps the user config without a login', async () => {
    const exec = recordingExec();
    await new Docker({ exec }).buildxBuild(invocation, { sourceDateEpoch: 5, stream: () => {} });
    const env = exec.calls[0]?.options.env ?? {};
    expect(env.SOURCE_DATE_EPOCH).toBe('5');
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.DOCKER_CONFIG).toBe(process.env.DOCKER_CONFIG);
  });

  it('runs Compose for one project, with the wait and a kill timeout past it', async () => {
    const exec = recordingExec(
      { stdout: 'up\n', stderr: ' Container a-1  Healthy\n' },
      { code: 1, stderr: 'no such project\n' },
    );
    const docker = new Docker({ exec, env: baseEnv });
    expect(await docker.composeUp({ name: 'triage-staging', dir: '/srv/run/triage' }, 180)).toEqual({
      ok: true,
      output: 'up\n\n Container a-1  Healthy\n',
    });
    expect(await docker.composeDown('triage-staging')).toEqual({ ok: false, output: '\nno such project\n' });
    expect(exec.calls).toEqual([
      {
        command: 'docker',
        args: [
          'compose',
          '--project-name',
          'triage-staging',
          '--project-directory',
          '/srv/run/triage',
          '--file',
          '/srv/run/triage/compose.yaml',
          'up',
          '--detach',
          '--wait',
          '--wait-timeout',
          '180',
          '--remove-orphans',
          '--quiet-pull',
        ],
        options: { allowFailure: true, env: baseEnv, timeoutMs: 480_000 },
      },
      {
        command: 'docker',
        args: ['compose', '--project-name', 'triage-staging', 'down', '--volumes', '--remove-orphans'],
        options: { allowFailure: true, env: baseEnv },
      },
    ]);
  });

  it('lists and inspects the containers of a project by its Compose label', async () => {
    const exec = recordingExec(
      { stdout: 'abc\ndef\n' },
      { stdout: '/p-web-1 running healthy\n/p-db-1 exited none\n' },
      { stdout: 'p-web-1: Up 3 minutes (healthy)\n' },
      { code: 1, stderr: 'permission denied\n' },
      { code: 1, stderr: 'Error: No such object: abc\n' },
    );
    const docker = new Docker({ exec });
    expect(await docker.projectContainerIds('p')).toEqual({ ids: ['abc', 'def'], error: null });
    expect(await docker.containerStates(['abc', 'def'])).toEqual({
      states: [
        { name: 'p-web-1', status: 'running', health: 'healthy' },
        { name: 'p-db-1', status: 'exited', health: 'none' },
      ],
      error: null,
    });
    expect(await docker.projectStatus('p')).toBe('p-web-1: Up 3 minutes (healthy)');
    expect(await docker.projectContainerIds('p')).toEqual({ ids: [], error: 'permission denied' });
    expect(await docker.containerStates(['abc'])).toEqual({
      states: null,
      error: 'Error: No such object: abc',
    });
    expect(exec.calls.map((c) => c.args)).toEqual([
      ['ps', '--all', '--quiet', '--filter', 'label=com.docker.compose.project=p'],
      [
        'inspect',
        '--format',
        '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}',
        'abc',
        'def',
      ],
      [
        'ps',
        '--all',
        '--filter',
        'label=com.docker.compose.project=p',
        '--format',
        '{{.Names}}: {{.Status}}',
      ],
      ['ps', '--all', '--quiet', '--filter', 'label=com.docker.compose.project=p'],
      [
        'inspect',
        '--format',
        '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}',
        'abc',
      ],
    ]);
  });
});

/** The rejection of `promise`, which must be an ImageError. */
async function imageFailure(promise: Promise<unknown>): Promise<ImageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageError);
  return error as ImageError;
}

describe('Docker: how a failure reads', () => {
  it('a failed login names the host, keeps the ExecError as cause, and never shows the password', async () => {
    const password = 'ghs_s3cret-Token';
    // A registry or credential helper that echoes what it was sent must not carry it into the error.
    const exec = recordingExec({
      code: 1,
      stdout: `sent ${password}\n`,
      stderr: `Error response from daemon: Get "https://ghcr.io/v2/": denied: ${password} is not valid\n`,
    });
    const error = await imageFailure(
      new Docker({ exec }).login({ host: 'ghcr.io', username: 'octocat', password, configDir: '/c' }),
    );
    expect(error.code).toBe('image');
    expect(error.message).toBe(
      'docker login ghcr.io failed: Error response from daemon: Get "https://ghcr.io/v2/": denied: *** is not valid',
    );
    expect(error.hint).toBe('the workflow needs `permissions: packages: write`');
    expect(error.cause).toBeInstanceOf(ExecError);
    const cause = error.cause as ExecError;
    expect(cause.args).not.toContain(password);
    expect(JSON.stringify({ message: cause.message, result: cause.result })).not.toContain(password);
    expect(`${error.message} ${error.hint} ${cause.message}`).not.toContain(password);
  });

  it('a failed login elsewhere has no GHCR hint', async () => {
    const error = await imageFailure(
      new Docker({ exec: recordingExec({ code: 1, stderr: 'unauthorized\n' }) }).login({
        host: '127.0.0.1:5000',
        username: 'u',
        password: 'p',
        configDir: '/c',
      }),
    );
    expect(error.message).toBe('docker login 127.0.0.1:5000 failed: unauthorized');
    expect(error.hint).toBeNull();
  });

  it('a build names the last error line, or the SBOM scanner it could not fetch', async () => {
    const failed = await imageFailure(
      new Docker({
        exec: recordingExec({
          code: 1,
          stderr:
            '#5 [2/3] RUN pip install\n#5 ERROR: process "/bin/sh -c pip install" did not complete\nbye\n',
        }),
      }).buildxBuild(invocation, { sourceDateEpoch: 1, stream: () => {} }),
    );
    expect(failed.message).toBe(
      'docker buildx build failed (exit 1): #5 ERROR: process "/bin/sh -c pip install" did not complete',
    );
    expect(failed.hint).toBe('the build log above shows the step that failed');
    expect((failed.cause as ExecError).args.slice(0, 2)).toEqual(['buildx', 'build']);

    const scanner = await imageFailure(
      new Docker({
        exec: recordingExec({
          code: 1,
          stderr:
            '#9 ERROR: failed to resolve source metadata for docker.io/docker/buildkit-syft-scanner:stable-1: not found\n',
        }),
      }).buildxBuild({ ...invocation, sbom: true }, { sourceDateEpoch: 1, stream: () => {} }),
    );
    expect(scanner.message).toBe(
      'the builder cannot fetch the SBOM scanner image docker.io/docker/buildkit-syft-scanner:stable-1: ERROR: failed to resolve source metadata for docker.io/docker/buildkit-syft-scanner:stable-1: not found',
    );
    expect(scanner.hint).toContain('or build with sbom: false');
  });

  it('an engine that does not answer gets the same hint whichever command failed', async () => {
    const down = {
      code: 1,
      stderr: 'ERROR: Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?\n',
    };
    const build = await imageFailure(
      new Docker({ exec: recordingExec(down) }).buildxBuild(invocation, {
        sourceDateEpoch: 1,
        stream: () => {},
      }),
    );
    const inspect = await imageFailure(new Docker({ exec: recordingExec(down) }).builderDriver());
    const login = await imageFailure(
      new Docker({ exec: recordingExec(down) }).login({
        host: 'ghcr.io',
        username: 'u',
        password: 'p',
        configDir: '/c',
      }),
    );
    expect(build.message).toBe(
      'docker buildx build failed (exit 1): ERROR: Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?',
    );
    expect(inspect.message).toBe(
      'docker buildx is not usable: ERROR: Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?',
    );
    for (const error of [build, inspect, login]) {
      expect(error.hint).toBe('start the Docker engine, or point DOCKER_HOST at a running one');
    }
  });

  it('an unusable buildx says to install the plugin', async () => {
    const error = await imageFailure(
      new Docker({
        exec: recordingExec({
          code: 125,
          stderr: "docker: 'buildx' is not a docker command.\nSee 'docker --help'\n",
        }),
      }).builderDriver('ci'),
    );
    expect(error.message).toBe("docker buildx is not usable: See 'docker --help'");
    expect(error.hint).toBe('install the buildx plugin (docker-buildx) and start the Docker engine');
  });

  it('no docker on PATH: a typed error that says so, not a bare spawn ENOENT (real spawn)', async () => {
    // The real exec with a PATH holding no docker: the failure is Node's own, not a double's.
    const empty = mkdtempSync(join(tmpdir(), 'dockrion-no-docker-'));
    try {
      const docker = new Docker({ exec: nodeExec(), env: { PATH: empty } });
      const error = await imageFailure(docker.engineVersion());
      expect(error.message).toBe('docker is not installed or not on PATH (needed for docker version)');
      expect(error.hint).toBe(
        'install the Docker CLI with the buildx and compose plugins, or add it to PATH',
      );
      expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
