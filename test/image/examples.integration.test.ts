import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { silentLogger } from '../../action/adapters/logger.ts';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { type BuiltImage, buildImage, verifyDigest } from '../../action/image/index.ts';
import { dockerLogin } from '../../action/image/login.ts';
import { ImageError } from '../../shared/errors.ts';
import { baseImage, hasBaseImage, hasRegistry, registry, repoRoot, requireInfra } from '../support/infra.ts';
import {
  docker,
  dockerClient,
  exec,
  inspectImage,
  removeContainers,
  removeImages,
  runUntilReady,
} from './docker.ts';
import { startTokenRegistry } from './token-registry.ts';

const infra = requireInfra('docker, registry and base image', hasRegistry() && hasBaseImage());

const apiKey = `key-${randomBytes(8).toString('hex')}`;
const containerEnv = {
  DOCKRION_API_KEY: apiKey,
  OPENAI_API_KEY: 'unused-with-fake-model',
  HELPDESK_API_TOKEN: 'helpdesk-token',
  DOCKRION_FAKE_MODEL: '1',
};

/** The GHCR-style login the token-protected registry front accepts (the workflow token). */
const workflowLogin = { username: 'octocat', password: 'ghs_workflow_token' };
const startTokenFront = (mode: 'bearer' | 'basic') =>
  startTokenRegistry({ upstream: registry() as string, ...workflowLogin, mode });

interface Example {
  name: string;
  input: unknown;
  expectOutput: (output: Record<string, unknown>) => void;
}

const examples: Example[] = [
  {
    name: 'plain-handler',
    input: { message: 'My invoice is wrong and I was charged twice!' },
    expectOutput: (o) => {
      expect(o.category).toBe('billing');
      expect(o.priority).toBe('high');
      expect(o.ticket_ref).toMatch(/^TCK-[0-9a-f]{12}$/);
    },
  },
  {
    name: 'langgraph-tools',
    input: { question: 'how much are 3 widgets?' },
    expectOutput: (o) => {
      expect(o.answer).toBe('3 x widget at $2.50 each = $7.50');
      expect(o.tool_calls).toEqual(['price_lookup', 'calculator']);
    },
  },
  {
    name: 'langchain-runnable',
    input: { text: 'Dockrion packages agents into images. It also writes manifests.' },
    expectOutput: (o) => {
      expect(o.summary).toBe('Dockrion packages agents into images.');
      expect(o.words).toBe(5);
    },
  },
];

function gitHead(): { commit: string; commitTime: number } {
  const [commit, time] = execFileSync('git', ['-C', repoRoot, 'log', '-1', '--format=%H %ct'], {
    encoding: 'utf8',
  })
    .trim()
    .split(' ');
  return { commit: commit as string, commitTime: Number(time) };
}

infra.describe('runtime images of the examples (real engine, registry, pip)', () => {
  const namespace = `${registry()}/dockrion-test-${randomBytes(4).toString('hex')}`;
  const built = new Map<string, BuiltImage>();
  const containers: string[] = [];
  const pushed: string[] = [];
  const source = { repo: 'https://github.com/dockrion/deploy', ...gitHead() };

  beforeAll(async () => {
    // One build per example, shared by every test below (sequential: two cores).
    for (const example of examples) {
      const dockfilePath = join(repoRoot, 'examples', example.name, 'Dockfile.yaml');
      const loaded = await loadDockfile(dockfilePath, { root: repoRoot, processEnv: {}, python: null });
      if (!loaded.spec) throw new Error(`${dockfilePath}: ${JSON.stringify(loaded.errors)}`);
      const image = await buildImage({
        spec: loaded.spec,
        dockfilePath,
        registry: namespace,
        push: true,
        baseImage: baseImage(),
        version: loaded.spec.metadata?.version ?? '0.0.0',
        source,
        provenance: false,
        sbom: false,
        docker: dockerClient,
        logger: silentLogger(),
      });
      built.set(example.name, image);
      pushed.push(image.ref, `${image.image}:${image.tags[1]}`);
    }
  }, 1_800_000);

  afterAll(async () => {
    await removeContainers(containers);
    await removeImages(pushed);
  });

  infra.it.each(examples.map((e) => e.name))(
    '%s: returns a digest-pinned ref the registry has',
    async (name) => {
      const image = built.get(name) as BuiltImage;
      expect(image.image).toBe(`${namespace}/${name}`);
      expect(image.ref).toBe(`${image.image}:${image.tag}@${image.digest}`);
      expect(image.tags).toEqual([image.tag, `sha-${source.commit.slice(0, 7)}`]);
      await verifyDigest(image.ref, { fetch });
      // The sha tag points at the same manifest.
      const response = await fetch(
        `http://${registry()}/v2/${image.image.slice((registry() as string).length + 1)}/manifests/${image.tags[1]}`,
        { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } },
      );
      expect(response.headers.get('docker-content-digest')).toBe(image.digest);
    },
  );

  infra.it('verifyDigest rejects a digest the registry does not have', async () => {
    const image = built.get('plain-handler') as BuiltImage;
    const missing = `${image.image}:${image.tag}@sha256:${'0'.repeat(64)}`;
    await expect(verifyDigest(missing, { fetch })).rejects.toThrow(ImageError);
    await expect(verifyDigest(missing, { fetch })).rejects.toThrow(/does not exist/);
  });

  infra.it.each(['bearer', 'basic'] as const)(
    'verifyDigest answers a %s challenge with the credentials, and fails without them',
    async (mode) => {
      const image = built.get('plain-handler') as BuiltImage;
      const front = await startTokenFront(mode);
      try {
        const ref = `${front.host}${image.ref.slice((registry() as string).length)}`;
        await verifyDigest(ref, {
          fetch,
          credentials: workflowLogin,
        });
        expect(front.log.at(-1)).toBe(
          `HEAD /v2/${image.image.slice((registry() as string).length + 1)}/manifests/${image.digest} ${mode === 'bearer' ? 'Bearer' : 'Basic'}`,
        );
        if (mode === 'bearer') expect(front.log.some((l) => l.startsWith('GET /token Basic'))).toBe(true);
        await expect(
          verifyDigest(ref, { fetch, credentials: { username: 'octocat', password: 'wrong' } }),
        ).rejects.toThrow(ImageError);
        await expect(verifyDigest(ref, { fetch })).rejects.toThrow(ImageError);
      } finally {
        await front.close();
      }
    },
  );

  infra.it(
    'docker login takes the token on stdin into a throwaway config, and refuses a wrong one',
    async () => {
      const front = await startTokenFront('bearer');
      const configDir = mkdtempSync(join(tmpdir(), 'dockrion-login-'));
      try {
        const logged: string[] = [];
        const logger = { ...silentLogger(), setSecret: (s: string) => logged.push(s) };
        await dockerLogin(front.host, workflowLogin, { docker: dockerClient, logger, configDir });
        expect(logged).toEqual(['ghs_workflow_token']);
        const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as {
          auths: Record<string, unknown>;
        };
        expect(Object.keys(config.auths)).toEqual([front.host]);
        await expect(
          dockerLogin(
            front.host,
            { username: 'octocat', password: 'wrong' },
            { docker: dockerClient, logger, configDir },
          ),
        ).rejects.toThrow(/docker login .* failed/);
      } finally {
        rmSync(configDir, { recursive: true, force: true });
        await front.close();
      }
    },
  );

  infra.it(
    'pushes through a token-protected registry with the workflow token, and fails without it',
    async () => {
      const front = await startTokenFront('bearer');
      const dockfilePath = join(repoRoot, 'examples', 'plain-handler', 'Dockfile.yaml');
      const loaded = await loadDockfile(dockfilePath, { root: repoRoot, processEnv: {}, python: null });
      const options = {
        spec: loaded.spec as NonNullable<typeof loaded.spec>,
        dockfilePath,
        registry: `${front.host}/${namespace.slice((registry() as string).length + 1)}-auth`,
        push: true,
        baseImage: baseImage(),
        version: '2.1.0',
        source,
        provenance: false as const,
        sbom: false,
        docker: dockerClient,
        logger: silentLogger(),
      };
      try {
        await expect(buildImage(options)).rejects.toThrow(ImageError);
        const image = await buildImage({
          ...options,
          credentials: workflowLogin,
        });
        pushed.push(
          `${registry()}${image.ref.slice(front.host.length)}`,
          `${image.image}:${image.tag}`,
          `${image.image}:${image.tags[1]}`,
        );
        expect(front.log.some((l) => l.startsWith('PUT /v2/') && l.endsWith('Bearer'))).toBe(true);
        expect(front.log.at(-1)).toMatch(new RegExp(`^HEAD /v2/.+/manifests/${image.digest} Bearer$`));
      } finally {
        await front.close();
      }
    },
    600_000,
  );

  infra.it.each(examples)(
    '$name: runs from its digest as uid 10001 and answers /invoke with the key only',
    async (example) => {
      const image = built.get(example.name) as BuiltImage;
      const container = await runUntilReady(image.ref, containerEnv, { containers });

      const invoke = (headers: Record<string, string>) =>
        fetch(`${container.url}/invoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(example.input),
        });
      const ok = await invoke({ 'X-API-Key': apiKey });
      const body = (await ok.json()) as { success: boolean; output: Record<string, unknown> };
      expect(ok.status, JSON.stringify(body)).toBe(200);
      expect(body.success).toBe(true);
      example.expectOutput(body.output);

      expect((await invoke({})).status).toBe(401);
      expect((await invoke({ 'X-API-Key': `${apiKey}-wrong` })).status).toBe(401);

      expect(await docker('exec', container.id, 'id', '-u')).toBe('10001');
      expect(await docker('exec', container.id, 'id', '-g')).toBe('10001');
      // The agent cannot rewrite its own code or config.
      const write = await exec.run(
        'docker',
        ['exec', container.id, 'sh', '-c', 'echo x >> /app/dockrion.json'],
        {
          allowFailure: true,
        },
      );
      expect(write.code).not.toBe(0);
    },
  );

  infra.it(
    'the image carries the OCI labels, user, port, stop signal and health check of docs/CONTRACTS.md "Image"',
    async () => {
      const image = built.get('langchain-runnable') as BuiltImage;
      const config = await inspectImage(image.ref);
      const labels = config.Config.Labels;
      expect(labels['org.opencontainers.image.source']).toBe(source.repo);
      expect(labels['org.opencontainers.image.revision']).toBe(source.commit);
      expect(labels['org.opencontainers.image.version']).toBe('0.3.0');
      expect(labels['org.opencontainers.image.created']).toBe(
        new Date(source.commitTime * 1000).toISOString().replace('.000Z', 'Z'),
      );
      expect(labels['dev.dockrion.agent']).toBe('langchain-runnable');
      expect(labels['dev.dockrion.dockfile-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(config.Config.User).toBe('10001:10001');
      expect(Object.keys(config.Config.ExposedPorts)).toEqual(['8080/tcp']);
      expect(config.Config.StopSignal).toBe('SIGTERM');
      expect(config.Config.Healthcheck?.Test.join(' ')).toContain('http://127.0.0.1:8080/health');
    },
  );

  infra.it(
    'the HEALTHCHECK reports healthy once the runtime is up',
    async () => {
      const image = built.get('plain-handler') as BuiltImage;
      const container = await runUntilReady(image.ref, containerEnv, { containers });
      const deadline = Date.now() + 45_000;
      let status = '';
      while (Date.now() < deadline) {
        status = await docker('inspect', '--format', '{{.State.Health.Status}}', container.id);
        if (status === 'healthy') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(status).toBe('healthy');
    },
    60_000,
  );
});
