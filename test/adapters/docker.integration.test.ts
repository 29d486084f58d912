/**
 * The Docker seam against the real engine, buildx, Compose and the test registry: each method
 * does what its name says and reads docker's real output the way the unit test assumes.
 * Expected values come from docker itself (run directly here), not from the class under test.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { Docker } from '../../action/adapters/docker.ts';
import { ExecError, nodeExec } from '../../action/adapters/exec.ts';
import { ImageError } from '../../shared/errors.ts';
import { removeImages } from '../image/docker.ts';
import { startTokenRegistry } from '../image/token-registry.ts';
import { baseImage, hasBaseImage, hasDocker, hasRegistry, registry, requireInfra } from '../support/infra.ts';

const engine = requireInfra('docker', hasDocker());
const withRegistry = requireInfra('docker, registry and base image', hasRegistry() && hasBaseImage());

const docker = new Docker({ exec: nodeExec() });
const run = (...args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000 }).trim();

engine.describe('Docker on the real engine: versions and builders', () => {
  engine.it('reads the engine and Compose versions docker prints', async () => {
    expect(await docker.engineVersion()).toEqual({
      version: run('version', '--format', '{{.Server.Version}}'),
    });
    expect(await docker.composeVersion()).toBe(run('compose', 'version', '--short'));
    expect(await docker.containerdImageStore()).toBe(
      run('info', '--format', '{{json .DriverStatus}}').includes('io.containerd.snapshotter'),
    );
  });

  engine.it(
    'names the driver of the engine’s own builder, and refuses a builder that does not exist',
    async () => {
      expect(await docker.builderDriver('default')).toBe('docker');
      const missing = `dockrion-no-such-builder-${randomBytes(3).toString('hex')}`;
      const error = await docker.builderDriver(missing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageError);
      expect((error as ImageError).message).toMatch(/^docker buildx is not usable: .*no builder/i);
      expect((error as ImageError).cause).toBeInstanceOf(ExecError);
    },
  );

  engine.it('an engine that does not answer: no version, with docker’s own words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockrion-docker-down-'));
    try {
      const down = new Docker({
        exec: nodeExec(),
        env: { ...process.env, DOCKER_HOST: `unix://${join(dir, 'no-such.sock')}` },
      });
      const probe = await down.engineVersion();
      expect(probe.version).toBeNull();
      expect('detail' in probe ? probe.detail : '').toContain('Cannot connect to the Docker daemon');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

withRegistry.describe('Docker on the real engine: login, build and push', () => {
  const host = registry() as string;
  const namespace = `${host}/dockrion-h15a-${randomBytes(4).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'dockrion-docker-seam-'));
  const pushed: string[] = [];

  afterAll(async () => {
    await removeImages(pushed);
    rmSync(work, { recursive: true, force: true });
  });

  /** A one-file build context on the test base image. */
  function context(name: string, step: string): string {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'Dockerfile'),
      `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nCOPY hello.txt /hello.txt\nRUN ${step}\n`,
    );
    writeFileSync(join(dir, 'hello.txt'), `${name}\n`);
    return dir;
  }

  withRegistry.it('logs in with the password on stdin, into the given config only', async () => {
    const front = await startTokenRegistry({
      upstream: host,
      username: 'octocat',
      password: 'ghs_h15a_token',
      mode: 'bearer',
    });
    const configDir = join(work, 'config');
    try {
      await docker.login({ host: front.host, username: 'octocat', password: 'ghs_h15a_token', configDir });
      const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as {
        auths: Record<string, unknown>;
      };
      expect(Object.keys(config.auths)).toEqual([front.host]);
      expect(front.log.some((l) => l.startsWith('GET /token Basic'))).toBe(true);

      const wrong = 'ghs_wrong_h15a_token';
      const error = await docker
        .login({ host: front.host, username: 'octocat', password: wrong, configDir })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageError);
      expect((error as ImageError).message).toMatch(new RegExp(`^docker login ${front.host} failed: `));
      const cause = (error as ImageError).cause as ExecError;
      expect(cause).toBeInstanceOf(ExecError);
      expect(
        JSON.stringify([(error as ImageError).message, cause.message, cause.args, cause.result]),
      ).not.toContain(wrong);
    } finally {
      await front.close();
    }
  });

  withRegistry.it(
    'builds and pushes; the registry and imagetools see the digest buildx reported',
    async () => {
      const dir = context('ok', 'test -s /hello.txt');
      const metadataFile = join(work, 'ok.json');
      const tag = `${namespace}/hello:1`;
      const log: string[] = [];
      await docker.buildxBuild(
        {
          contextDir: dir,
          tags: [tag],
          platforms: ['linux/amd64'],
          push: true,
          metadataFile,
          baseImage: baseImage(),
          provenance: false,
          sbom: false,
          builder: 'default',
        },
        { sourceDateEpoch: 1_700_000_000, stream: (c) => log.push(c) },
      );
      const digest = (JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, string>)[
        'containerimage.digest'
      ];
      expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      pushed.push(`${tag}@${digest}`);
      expect(log.join('')).toContain('COPY hello.txt /hello.txt');
      const inspected = JSON.parse(
        run('buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', tag),
      ) as {
        digest: string;
      };
      expect(inspected.digest).toBe(digest);
    },
    600_000,
  );

  withRegistry.it(
    'a failing step is an ImageError naming the error line, with the log streamed first',
    async () => {
      const dir = context('fails', 'echo dockrion-h15a-step-output && false');
      const log: string[] = [];
      const error = await docker
        .buildxBuild(
          {
            contextDir: dir,
            tags: [`${namespace}/fails:1`],
            platforms: ['linux/amd64'],
            push: false,
            metadataFile: join(work, 'fails.json'),
            baseImage: baseImage(),
            provenance: false,
            sbom: false,
            builder: 'default',
          },
          { sourceDateEpoch: 1_700_000_000, stream: (c) => log.push(c) },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageError);
      expect((error as ImageError).message).toMatch(/^docker buildx build failed \(exit 1\): .*ERROR/);
      expect((error as ImageError).hint).toBe('the build log above shows the step that failed');
      expect(log.join('')).toContain('dockrion-h15a-step-output');
    },
    600_000,
  );
});

withRegistry.describe('Docker on the real engine: a Compose project', () => {
  const project = `dockrion-h15a-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-docker-compose-'));

  afterAll(async () => {
    // The project's own down first; a forced removal by label in case the test failed before it.
    await docker.composeDown(project);
    const left = run('ps', '--all', '--quiet', '--filter', `label=com.docker.compose.project=${project}`);
    if (left) execFileSync('docker', ['rm', '--force', '--volumes', ...left.split('\n')]);
    rmSync(dir, { recursive: true, force: true });
  });

  withRegistry.it(
    'comes up healthy, lists its containers and their health, and goes down',
    async () => {
      writeFileSync(
        join(dir, 'compose.yaml'),
        [
          `name: ${project}`,
          'services:',
          '  idle:',
          `    image: ${baseImage()}`,
          '    entrypoint: ["sleep", "600"]',
          '    healthcheck:',
          '      test: ["CMD", "true"]',
          '      interval: 1s',
          '      start_period: 0s',
          '',
        ].join('\n'),
      );
      const up = await docker.composeUp({ name: project, dir }, 120);
      expect(up.ok, up.output).toBe(true);

      const { ids, error } = await docker.projectContainerIds(project);
      expect(error).toBeNull();
      expect(ids).toHaveLength(1);
      expect(await docker.containerStates(ids)).toEqual({
        states: [{ name: `${project}-idle-1`, status: 'running', health: 'healthy' }],
        error: null,
      });
      expect(await docker.projectStatus(project)).toMatch(
        new RegExp(`^${project}-idle-1: Up .*\\(healthy\\)$`),
      );

      const down = await docker.composeDown(project);
      expect(down.ok, down.output).toBe(true);
      expect(await docker.projectContainerIds(project)).toEqual({ ids: [], error: null });
    },
    300_000,
  );
});
