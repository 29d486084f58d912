/**
 * The image stage on buildx's `docker` driver (what a GitHub runner has without
 * docker/setup-buildx-action): it still builds reproducibly, and says what it cannot do.
 * The same features on a real BuildKit: buildkit.integration.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { type Logger, silentLogger } from '../../action/adapters/logger.ts';
import { loadDockfile } from '../../action/dockfile/index.ts';
import {
  type BuildImageOptions,
  type BuiltImage,
  buildImage,
  resolveProvenance,
} from '../../action/image/index.ts';
import { ImageError } from '../../shared/errors.ts';
import { baseImage, hasBaseImage, hasRegistry, registry, repoRoot, requireInfra } from '../support/infra.ts';
import { dockerClient, removeImages } from './docker.ts';

const infra = requireInfra('docker, registry and base image', hasRegistry() && hasBaseImage());

/** buildx's built-in builder of the engine: always the `docker` driver. */
const DOCKER_BUILDER = 'default';

function gitHead(): { commit: string; commitTime: number } {
  const [commit, time] = execFileSync('git', ['-C', repoRoot, 'log', '-1', '--format=%H %ct'], {
    encoding: 'utf8',
  })
    .trim()
    .split(' ');
  return { commit: commit as string, commitTime: Number(time) };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { ...silentLogger(), info: (m: string) => lines.push(m), lines };
}

infra.describe('images on the docker driver', () => {
  const namespace = `${registry()}/dockrion-dd-${randomBytes(4).toString('hex')}`;
  const source = { repo: 'https://github.com/dockrion/deploy', ...gitHead() };
  const pushed: string[] = [];

  afterAll(async () => {
    await removeImages(pushed);
  });

  async function build(example: string, options: Partial<BuildImageOptions> = {}): Promise<BuiltImage> {
    const dockfilePath = join(repoRoot, 'examples', example, 'Dockfile.yaml');
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
      builder: DOCKER_BUILDER,
      ...options,
    });
    pushed.push(image.ref, `${image.image}:${image.tag}`, `${image.image}:${image.tags[1]}`);
    return image;
  }

  infra.it('says what it cannot do: attestations, several platforms, an exported cache', async () => {
    const logger = recordingLogger();
    const { provenance, capabilities } = await resolveProvenance(
      'auto',
      dockerClient,
      logger,
      DOCKER_BUILDER,
    );
    expect(capabilities?.driver).toBe('docker');
    expect(provenance).toBe(false);
    expect(logger.lines).toEqual(['provenance off: the docker builder cannot attach attestations']);
    await expect(build('plain-handler', { platforms: ['linux/amd64', 'linux/arm64'] })).rejects.toThrow(
      /the docker builder cannot build several platforms at once/,
    );
    await expect(build('plain-handler', { provenance: 'max' })).rejects.toThrow(
      /the docker builder cannot attach provenance\/SBOM attestations/,
    );
    await expect(
      build('plain-handler', { cache: { to: ['type=registry,ref=127.0.0.1:5000/x:buildcache'] } }),
    ).rejects.toThrow(ImageError);
  });

  infra.it.each(['plain-handler', 'langgraph-tools', 'langchain-runnable'])(
    '%s: two --no-cache builds of one commit give the same digest, with one line about the cache',
    async (example) => {
      const logger = recordingLogger();
      const first = await build(example, { noCache: true, logger });
      expect(logger.lines.filter((l) => l.startsWith('build cache:'))).toEqual([
        'build cache: none exported: the docker builder cannot export a build cache, so only its local cache is used (a fresh runner builds cold; a docker-container or remote builder can export one)',
      ]);
      const second = await build(example, { noCache: true });
      expect(second.digest).toBe(first.digest);
    },
    1_200_000,
  );
});
