/**
 * Engine minimums (issue 12, item 15): the rendered compose.yaml uses `healthcheck.start_interval`
 * (Docker Engine ≥ 25) and `env_file` entries with `path`/`required` (Compose ≥ 2.24). apply
 * checks both before it touches anything, so an old host fails with the minimums named instead
 * of failing halfway through an apply and then through its own rollback.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Docker } from '../../action/adapters/docker.ts';
import { nodeExec } from '../../action/adapters/exec.ts';
import { silentLogger } from '../../action/adapters/logger.ts';
import { ComposeApplier } from '../../action/gitops/apply/applier.ts';
import {
  atLeast,
  checkEngineVersions,
  ENGINE_MINIMUMS,
  parseVersion,
  unhealthyContainers,
} from '../../action/gitops/apply/compose.ts';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { baseImage, hasBaseImage, hasDocker, requireInfra } from '../support/infra.ts';
import { dockerShim } from './docker-shim.ts';
import { environmentsRepo, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context, gitOpsFailure } from './support.ts';

describe('engine minimums: parsing what docker prints', () => {
  it.each([
    ['26.1.5+dfsg1', [26, 1, 5]],
    ['28.2.2', [28, 2, 2]],
    ['25.0.0-rc.1', [25, 0, 0]],
    ['v2.24.0', [2, 24, 0]],
    ['2.26.1-4', [2, 26, 1]],
    ['2.24.0-desktop.1', [2, 24, 0]],
    ['  24.0.7\n', [24, 0, 7]],
    ['27', [27]],
  ])('%j reads as %j', (text, parts) => {
    expect(parseVersion(text)).toEqual(parts);
  });

  it.each(['dev', '', 'master-dockerproject-2024', 'v.2'])('%j is not a version', (text) => {
    expect(parseVersion(text)).toBeNull();
  });

  it('compares part by part as numbers, not as text', () => {
    expect(atLeast([2, 3, 0], [2, 24])).toBe(false); // "2.3" > "2.24" as text
    expect(atLeast([2, 24], [2, 24])).toBe(true);
    expect(atLeast([2, 24, 0], [2, 24])).toBe(true);
    expect(atLeast([2, 23, 99], [2, 24])).toBe(false);
    expect(atLeast([25], [25, 0])).toBe(true);
    expect(atLeast([24, 0, 9], [25, 0])).toBe(false);
    expect(atLeast([100, 0], [25, 0])).toBe(true);
  });
});

const docker = requireInfra('docker', hasDocker());

describe('engine minimums: apply on an old host', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => box.cleanup());

  const applierFor = (bare: string, env: NodeJS.ProcessEnv, warnings: string[] = []) =>
    new ComposeApplier({
      target: { url: bare },
      environment: 'staging',
      identityFile: null,
      stateDir: join(box.dir, 'state'),
      waitTimeoutSeconds: 5,
      exec: nodeExec(),
      docker: new Docker({ exec: nodeExec(), env }),
      logger: { ...silentLogger(), warn: (m) => warnings.push(m) },
      now: () => Date.now(),
      env,
    });

  const deployOne = async (bare: string) => {
    const record = recordFor('alpha', 'staging', '1.0.0');
    await deployToEnvironments(
      {
        target: { url: bare },
        record,
        files: [{ path: 'compose.yaml', content: `services:\n  alpha:\n    image: ${record.image}\n` }],
        direct: true,
      },
      context(),
    );
  };

  docker.it('Docker Engine 24 and Compose 2.23 fail first, naming both minimums', async () => {
    const bare = environmentsRepo(box.dir);
    await deployOne(bare);
    const PATH = dockerShim(box.dir, { engine: '24.0.7', compose: '2.23.3' });
    const error = await gitOpsFailure(applierFor(bare, { ...process.env, PATH }).applyOnce());
    expect(error.message).toContain('Docker Engine 24.0.7 is older than 25.0');
    expect(error.message).toContain('healthcheck.start_interval');
    expect(error.message).toContain('Docker Compose 2.23.3 is older than 2.24');
    expect(error.hint).toContain('Docker Engine 25.0 or newer and Docker Compose 2.24 or newer');
    // Checked before anything else: no mirror fetched, nothing materialized, no state written.
    expect(existsSync(join(box.dir, 'state'))).toBe(false);
  });

  docker.it('a new engine with an old Compose plugin names only Compose', async () => {
    const bare = environmentsRepo(box.dir);
    const PATH = dockerShim(box.dir, { engine: '27.3.1', compose: 'v2.20.2' });
    const error = await gitOpsFailure(applierFor(bare, { ...process.env, PATH }).applyOnce());
    expect(error.message).not.toContain('Docker Engine 27');
    expect(error.message).toContain('Docker Compose v2.20.2 is older than 2.24');
  });

  docker.it('a version that does not parse (a source build) is a warning, not a refusal', async () => {
    const bare = environmentsRepo(box.dir);
    const warnings: string[] = [];
    const PATH = dockerShim(box.dir, { engine: 'dev', compose: '2.26.1' });
    const report = await applierFor(bare, { ...process.env, PATH }, warnings).applyOnce();
    expect(report.status).toBe('unchanged');
    expect(warnings).toContain("cannot read the Docker Engine version 'dev'; apply needs 25.0 or newer");
  });

  docker.it('an unreachable engine is said to be unreachable before anything runs', async () => {
    const bare = environmentsRepo(box.dir);
    const env = { ...process.env, DOCKER_HOST: `unix://${join(box.dir, 'no-such-docker.sock')}` };
    const error = await gitOpsFailure(applierFor(bare, env).applyOnce());
    expect(error.message).toMatch(/^cannot reach the Docker engine/);
    expect(error.hint).toContain('dockerd');
    expect(existsSync(join(box.dir, 'state'))).toBe(false);
  });
});

docker.describe('engine minimums: the real engine on this machine', () => {
  it('reads the versions docker itself reports, and they meet the minimums', async () => {
    const found = await checkEngineVersions(new Docker({ exec: nodeExec() }), silentLogger());
    const engine = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      encoding: 'utf8',
    }).trim();
    const compose = execFileSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' }).trim();
    expect(found).toEqual({ engine, compose });
    expect(atLeast(parseVersion(engine) ?? [], parseVersion(ENGINE_MINIMUMS.engine.version) ?? [])).toBe(
      true,
    );
    expect(atLeast(parseVersion(compose) ?? [], parseVersion(ENGINE_MINIMUMS.compose.version) ?? [])).toBe(
      true,
    );
  });
});

const withBase = requireInfra('docker and the test base image', hasDocker() && hasBaseImage());

withBase.describe('apply does not take compose up --wait at its word', () => {
  // Compose 2.26 was seen exiting 0 when --wait-timeout ran out while a service was still
  // `starting`; apply therefore asks each container itself.
  const project = `h6-unready-${randomBytes(3).toString('hex')}`;
  afterEach(() => {
    execFileSync('docker', ['rm', '--force', `${project}-s-1`], { stdio: 'ignore' });
  });

  it('a container whose health check has not passed is reported, naming it and its health', async () => {
    execFileSync(
      'docker',
      [
        'run',
        '--detach',
        '--name',
        `${project}-s-1`,
        '--label',
        `com.docker.compose.project=${project}`,
        '--health-cmd',
        'false',
        '--health-start-period',
        '300s',
        '--health-interval',
        '30s',
        baseImage() ?? '',
        'sleep',
        '120',
      ],
      { stdio: 'ignore' },
    );
    expect(await unhealthyContainers(new Docker({ exec: nodeExec() }), project)).toEqual([
      `${project}-s-1: running (health: starting)`,
    ]);
    expect(await unhealthyContainers(new Docker({ exec: nodeExec() }), `${project}-none`)).toEqual([
      expect.stringContaining(`no containers of project ${project}-none`),
    ]);
  });
});
