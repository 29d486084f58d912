/**
 * The image stage on a real BuildKit daemon (scripts/ci/buildkit.sh: buildkitd v0.34 behind a
 * buildx `remote` builder, QEMU for arm64): what the `docker` driver refuses, proven end to end.
 * One file on purpose: the cache and reproducibility tests empty the builder (`buildctl prune
 * --all`), so nothing else may build on it at the same time; vitest runs a file's tests in order.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { type Logger, silentLogger } from '../../action/adapters/logger.ts';
import { loadDockfile } from '../../action/dockfile/index.ts';
import {
  type BuildImageOptions,
  type BuiltImage,
  buildImage,
  parseReference,
  REGISTRY_CACHE_TAG,
} from '../../action/image/index.ts';
import { ImageError } from '../../shared/errors.ts';
import { captureCli } from '../support/cli.ts';
import {
  buildctl,
  buildkitBaseImage,
  buildkitBuilder,
  hasBuildkit,
  hasRegistry,
  infraReason,
  registry,
  repoRoot,
  requireInfra,
} from '../support/infra.ts';
import { docker, dockerClient, removeContainers, removeImages, runUntilReady } from './docker.ts';

const present = hasRegistry() && hasBuildkit();
const infra = requireInfra(
  'buildkit',
  present,
  hasRegistry() ? infraReason('buildkit') : `the test registry is absent (${infraReason('registry')})`,
);

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const ACCEPT = [INDEX, MANIFEST, 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');

interface Descriptor {
  mediaType: string;
  digest: string;
  platform?: { os: string; architecture: string };
  annotations?: Record<string, string>;
}
interface Manifest {
  mediaType: string;
  manifests?: Descriptor[];
  layers?: Descriptor[];
}

const apiKey = `key-${randomBytes(8).toString('hex')}`;
const containerEnv = { DOCKRION_API_KEY: apiKey, HELPDESK_API_TOKEN: 'helpdesk-token' };

function gitHead(): { commit: string; commitTime: number } {
  const [commit, time] = execFileSync('git', ['-C', repoRoot, 'log', '-1', '--format=%H %ct'], {
    encoding: 'utf8',
  })
    .trim()
    .split(' ');
  return { commit: commit as string, commitTime: Number(time) };
}

/** Empties the builder: every cache record, the pip cache mount and the pulled base included. */
function pruneBuilder(): void {
  const ctl = buildctl();
  if (!ctl) throw new Error('buildctl is not configured');
  execFileSync(ctl.bin, ['--addr', ctl.addr, 'prune', '--all'], { stdio: 'ignore', timeout: 300_000 });
  const left = execFileSync(ctl.bin, ['--addr', ctl.addr, 'du'], { encoding: 'utf8', timeout: 60_000 });
  expect(left).toMatch(/Total:\s+0\s*B?$/m);
}

async function registryJson<T>(repository: string, kind: 'manifests' | 'blobs', ref: string): Promise<T> {
  const response = await fetch(`http://${registry()}/v2/${repository}/${kind}/${ref}`, {
    headers: { Accept: ACCEPT },
  });
  if (!response.ok) throw new Error(`GET ${repository}/${kind}/${ref}: ${response.status}`);
  return (await response.json()) as T;
}

/** A logger that keeps every line (the build streams its plain progress output through it). */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { ...silentLogger(), info: (m: string) => lines.push(m), lines };
}

/**
 * BuildKit's plain progress, step by step: `#12 [runtime 6/7] COPY agent/ /app/` names a vertex,
 * `#12 CACHED` / `#12 DONE 0.1s` finish it. Only Dockerfile steps (`[stage n/m]`) are kept.
 */
function stepOutcomes(lines: string[]): { name: string; cached: boolean }[] {
  const names = new Map<string, string>();
  const cached = new Set<string>();
  for (const line of lines) {
    const named = /^#(\d+) \[((?:builder|runtime) \d+\/\d+)\] (.+)$/.exec(line);
    if (named?.[1] && !names.has(named[1])) names.set(named[1], `${named[2]}] ${named[3]}`);
    const done = /^#(\d+) CACHED$/.exec(line);
    if (done?.[1]) cached.add(done[1]);
  }
  return [...names].map(([id, name]) => ({ name, cached: cached.has(id) }));
}

infra.describe('images on a real BuildKit (remote builder)', () => {
  const namespace = `${registry()}/dockrion-bk-${randomBytes(4).toString('hex')}`;
  const source = { repo: 'https://github.com/dockrion/deploy', ...gitHead() };
  const containers: string[] = [];
  const pushed: string[] = [];
  const workDirs: string[] = [];

  afterAll(async () => {
    await removeContainers(containers);
    await removeImages(pushed);
    for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function build(
    example: string,
    options: Partial<BuildImageOptions> & { agentDir?: string } = {},
  ): Promise<BuiltImage> {
    const dir = options.agentDir ?? join(repoRoot, 'examples', example);
    const dockfilePath = join(dir, 'Dockfile.yaml');
    const loaded = await loadDockfile(dockfilePath, { root: dir, processEnv: {}, python: null });
    if (!loaded.spec) throw new Error(`${dockfilePath}: ${JSON.stringify(loaded.errors)}`);
    const image = await buildImage({
      spec: loaded.spec,
      dockfilePath,
      registry: namespace,
      push: true,
      baseImage: buildkitBaseImage(),
      version: loaded.spec.metadata?.version ?? '0.0.0',
      source,
      provenance: false,
      sbom: false,
      docker: dockerClient,
      logger: silentLogger(),
      builder: buildkitBuilder(),
      ...options,
    });
    pushed.push(image.ref);
    return image;
  }
  const repositoryOf = (image: BuiltImage) => parseReference(image.ref).repository;

  infra.it(
    'builds linux/amd64 + linux/arm64 with max provenance; the arm64 image answers /invoke under QEMU',
    async () => {
      const image = await build('plain-handler', {
        platforms: ['linux/amd64', 'linux/arm64'],
        provenance: 'max',
      });
      const repository = repositoryOf(image);
      const index = await registryJson<Manifest>(repository, 'manifests', image.digest);
      expect(index.mediaType).toBe(INDEX);
      const manifests = index.manifests ?? [];
      const isAttestation = (d: Descriptor) =>
        d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
      const images = manifests.filter((d) => !isAttestation(d));
      expect(images.map((d) => `${d.platform?.os}/${d.platform?.architecture}`).sort()).toEqual([
        'linux/amd64',
        'linux/arm64',
      ]);

      // One provenance attestation per platform, SLSA, in mode=max (it records the build's
      // full definition: every step and every local source), read back from the registry.
      const attestations = manifests.filter(isAttestation);
      expect(attestations.map((d) => d.annotations?.['vnd.docker.reference.digest']).sort()).toEqual(
        images.map((d) => d.digest).sort(),
      );
      for (const attestation of attestations) {
        const manifest = await registryJson<Manifest>(repository, 'manifests', attestation.digest);
        const layer = (manifest.layers ?? []).find((l) =>
          l.annotations?.['in-toto.io/predicate-type']?.startsWith('https://slsa.dev/provenance/'),
        );
        expect(layer, JSON.stringify(manifest.layers)).toBeDefined();
        const statement = await registryJson<{
          predicateType: string;
          subject: { digest: { sha256: string } }[];
          predicate: Record<string, unknown>;
        }>(repository, 'blobs', (layer as Descriptor).digest);
        expect(statement.subject.map((s) => `sha256:${s.digest.sha256}`)).toContain(
          attestation.annotations?.['vnd.docker.reference.digest'],
        );
        expectMaxProvenance(statement.predicateType, statement.predicate);
      }

      // The same, as buildx reads it back.
      const provenance = JSON.parse(
        await docker(
          'buildx',
          'imagetools',
          'inspect',
          '--builder',
          buildkitBuilder() as string,
          '--format',
          '{{json .Provenance}}',
          image.ref,
        ),
      ) as Record<string, { SLSA?: Record<string, unknown> }>;
      expect(Object.keys(provenance).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      for (const entry of Object.values(provenance)) expect(entry.SLSA).toBeDefined();

      const container = await runUntilReady(image.ref, containerEnv, {
        containers,
        platform: 'linux/arm64',
        timeoutMs: 300_000,
      });
      expect(await docker('exec', container.id, 'uname', '-m')).toBe('aarch64');
      const response = await fetch(`${container.url}/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-API-Key': apiKey },
        body: JSON.stringify({ message: 'My invoice is wrong and I was charged twice!' }),
      });
      const body = (await response.json()) as { output: Record<string, unknown> };
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body.output.category).toBe('billing');
    },
    1_800_000,
  );

  infra.it(
    'an SBOM needs the scanner image: without it the error names the image',
    async () => {
      const logger = recordingLogger();
      const attempt = build('plain-handler', { sbom: true, provenance: false, logger });
      await expect(attempt).rejects.toThrow(ImageError);
      await expect(attempt).rejects.toThrow(
        /^the builder cannot fetch the SBOM scanner image (docker\.io\/)?docker\/buildkit-syft-scanner(:\S+)?: /,
      );
      const error = (await attempt.catch((e: unknown) => e)) as ImageError;
      expect(error.hint).toMatch(/docker\/buildkit-syft-scanner.*or build with sbom: false/);
    },
    600_000,
  );

  infra.it(
    'on an emptied builder the registry cache brings back every dependency layer; only the agent layer is rebuilt',
    async () => {
      const agentDir = mkdtempSync(join(tmpdir(), 'dockrion-bk-cache-'));
      workDirs.push(agentDir);
      cpSync(join(repoRoot, 'examples', 'langgraph-tools'), agentDir, {
        recursive: true,
        filter: (p) => !p.includes('__pycache__'),
      });
      pruneBuilder();
      const firstLog = recordingLogger();
      const first = await build('langgraph-tools', { agentDir, logger: firstLog });
      const cacheRef = `${first.image}:${REGISTRY_CACHE_TAG}`;
      expect(firstLog.lines).toContain(
        `build cache: from type=registry,ref=${cacheRef}, to type=registry,ref=${cacheRef},mode=max,ignore-error=true (default: the registry)`,
      );
      // The cache manifest is removed with the images (the registry deletes by digest only).
      const cacheHead = await fetch(
        `http://${registry()}/v2/${repositoryOf(first)}/manifests/${REGISTRY_CACHE_TAG}`,
        {
          method: 'HEAD',
          headers: { Accept: ACCEPT },
        },
      );
      expect(cacheHead.status).toBe(200);
      pushed.push(`${cacheRef}@${cacheHead.headers.get('docker-content-digest')}`);

      pruneBuilder();
      const graph = join(agentDir, 'app', 'graph.py');
      writeFileSync(graph, `${readFileSync(graph, 'utf8')}\n# one changed line of agent code\n`);
      const secondLog = recordingLogger();
      const second = await build('langgraph-tools', { agentDir, logger: secondLog });

      const steps = stepOutcomes(secondLog.lines).filter((s) => !/\] FROM /.test(s.name));
      const stepLog = secondLog.lines.filter((l) => /^#\d+ /.test(l)).join('\n');
      const agentStep = steps.find((s) => /\] COPY (--link )?agent\/ /.test(s.name));
      expect(agentStep?.cached, stepLog).toBe(false);
      // The dependency layers: the whole builder stage (venv, runtime, requirements, both pip
      // installs, the bytecode step), the runtime stage's user step and the venv copied into it.
      const dependencySteps = steps.filter(
        (s) =>
          s.name.startsWith('builder ') ||
          / RUN /.test(s.name) ||
          / COPY (--link )?--from=builder /.test(s.name),
      );
      expect(dependencySteps.filter((s) => / RUN .*pip install/.test(s.name))).toHaveLength(2);
      expect(dependencySteps.length).toBeGreaterThanOrEqual(8);
      expect(
        dependencySteps.filter((s) => !s.cached),
        stepLog,
      ).toEqual([]);
      const layers = async (image: BuiltImage) =>
        ((await registryJson<Manifest>(repositoryOf(image), 'manifests', image.digest)).layers ?? []).map(
          (l) => l.digest,
        );
      const [before, after] = [await layers(first), await layers(second)];
      expect(after).toHaveLength(before.length);
      // Only the agent layer differs: config, venv and every other layer are byte-identical.
      expect(after.filter((digest, i) => digest !== before[i])).toHaveLength(1);
    },
    1_800_000,
  );

  infra.it.each(['plain-handler', 'langgraph-tools', 'langchain-runnable'])(
    '%s: two builds of one commit on an emptied builder give the same digest',
    async (example) => {
      const noCache = { noCache: true, cache: { from: ['none'], to: ['none'] } };
      pruneBuilder();
      const first = await build(example, noCache);
      pruneBuilder();
      const second = await build(example, noCache);
      expect(second.digest).toBe(first.digest);
    },
    1_800_000,
  );

  infra.it(
    'with provenance the image manifests stay equal; only the attestation (build timestamps) differs',
    async () => {
      const withProvenance = {
        noCache: true,
        provenance: 'max' as const,
        cache: { from: ['none'], to: ['none'] },
      };
      const first = await build('plain-handler', withProvenance);
      const second = await build('plain-handler', withProvenance);
      const platformManifests = async (image: BuiltImage) =>
        ((await registryJson<Manifest>(repositoryOf(image), 'manifests', image.digest)).manifests ?? [])
          .filter((d) => d.platform?.architecture === 'amd64')
          .map((d) => d.digest);
      expect(await platformManifests(second)).toEqual(await platformManifests(first));
      expect(second.digest).not.toBe(first.digest);
    },
    1_800_000,
  );

  infra.it(
    'deploying the same commit again on an emptied builder reports unchanged',
    async () => {
      const work = mkdtempSync(join(tmpdir(), 'dockrion-bk-rerun-'));
      workDirs.push(work);
      const agent = join(work, 'agent');
      cpSync(join(repoRoot, 'examples', 'plain-handler'), agent, {
        recursive: true,
        filter: (p) => !p.includes('__pycache__'),
      });
      const git = (cwd: string, ...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
          cwd,
          stdio: 'pipe',
        });
      git(work, 'init', '-q', '-b', 'main', agent);
      git(agent, 'add', '-A');
      git(agent, 'commit', '-q', '-m', 'agent');
      const envRepo = join(work, 'environments.git');
      git(work, 'init', '-q', '--bare', '-b', 'main', envRepo);
      const seed = join(work, 'seed');
      git(work, 'clone', '-q', envRepo, seed);
      writeFileSync(join(seed, 'README.md'), 'environments\n');
      git(seed, 'add', 'README.md');
      git(seed, 'commit', '-q', '-m', 'init');
      git(seed, 'push', '-q', 'origin', 'main');

      const deploy = async () => {
        const cli = captureCli({
          cwd: agent,
          logger: 'silent',
          env: { ...process.env, ...containerEnv, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com' },
        });
        const code = await cli.run([
          'deploy',
          '--env',
          'staging',
          '--registry',
          `${namespace}-rerun`,
          '--push',
          '--builder',
          buildkitBuilder() as string,
          '--base-image',
          buildkitBaseImage() as string,
          '--provenance',
          'false',
          '--cache-from',
          'none',
          '--cache-to',
          'none',
          '--environments-repo',
          envRepo,
          '--direct',
          '--format',
          'json',
        ]);
        expect(code, cli.stderr()).toBe(0);
        const result = JSON.parse(cli.stdout()) as { operation: string; image: string; digest: string };
        pushed.push(result.image);
        return result;
      };
      pruneBuilder();
      const first = await deploy();
      expect(first.operation).toBe('direct');
      pruneBuilder();
      const rerun = await deploy();
      expect(rerun.digest).toBe(first.digest);
      expect(rerun.operation).toBe('unchanged');
    },
    1_800_000,
  );
});

/**
 * `mode=max` provenance: SLSA v1 keeps the build's definition in
 * `buildDefinition.internalParameters.buildConfig` and its sources in `runDetails.metadata`;
 * SLSA v0.2 in `buildConfig` and `metadata.https://mobyproject.org/buildkit@v1#metadata`.
 */
function expectMaxProvenance(predicateType: string, predicate: Record<string, unknown>): void {
  const p = predicate as {
    buildDefinition?: { internalParameters?: { buildConfig?: { llbDefinition?: unknown[] } } };
    buildConfig?: { llbDefinition?: unknown[] };
  };
  if (predicateType === 'https://slsa.dev/provenance/v1') {
    expect(p.buildDefinition?.internalParameters?.buildConfig?.llbDefinition?.length).toBeGreaterThan(0);
  } else {
    expect(predicateType).toBe('https://slsa.dev/provenance/v0.2');
    expect(p.buildConfig?.llbDefinition?.length).toBeGreaterThan(0);
  }
}
