/**
 * Runtime-image numbers as ratios, on the real engine (docker driver here):
 *   size      trivial example (plain-handler) vs the base image: MB on top (target ≤ 60 MB)
 *   rebuild   warm rebuild after a one-line agent change vs a cold build (fresh base), and how
 *             many layers changed (target: 1, the agent layer)
 *   start     `docker run` returning → first 200 on /ready, median of N (target < 2 s)
 *   repro     two --no-cache builds of the same commit: same digest? how many layers equal?
 *
 * "Cold" builds run on a private copy of the base image (one extra empty file, `docker commit`), so
 * no build step has a cache entry, and none is shared with anyone else's build: BuildKit 0.8
 * (docker 20.10) panics and takes dockerd down when a --no-cache build and a cached build of the
 * same step run at once (moby/buildkit#2303). pip's download cache mount stays warm throughout.
 *
 *   DOCKRION_TEST_BASE_IMAGE=… DOCKRION_TEST_REGISTRY=127.0.0.1:5000 npx tsx bench/image/image.bench.ts [--runs N]
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleLogger, silentLogger } from '../../action/adapters/logger.ts';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { type BuiltImage, buildImage } from '../../action/image/index.ts';
import {
  docker,
  dockerClient,
  inspectImage,
  removeContainers,
  removeImageIds,
  removeImages,
  runUntilReady,
} from '../../test/image/docker.ts';
import { baseImage, registry, repoRoot } from '../../test/support/infra.ts';
import { numberFlag, upperMedian } from '../support.ts';

const runs = numberFlag('--runs', 5);
const base = baseImage();
const registryHost = registry();
if (!base || !registryHost)
  throw new Error('set DOCKRION_TEST_BASE_IMAGE and DOCKRION_TEST_REGISTRY (scripts/dev-services.sh)');

const namespace = `${registryHost}/dockrion-bench-${randomBytes(4).toString('hex')}`;
const agentDir = mkdtempSync(join(tmpdir(), 'dockrion-bench-agent-'));
cpSync(join(repoRoot, 'examples/plain-handler'), agentDir, { recursive: true });
const dockfilePath = join(agentDir, 'Dockfile.yaml');
// A snapshot of runtime/: it is edited in this work tree while the bench runs, and any change
// would (rightly) rebuild the runtime layers between two builds that should share them.
const runtimeDir = mkdtempSync(join(tmpdir(), 'dockrion-bench-runtime-'));
cpSync(join(repoRoot, 'runtime'), runtimeDir, { recursive: true });
const loaded = await loadDockfile(dockfilePath, { root: agentDir, processEnv: {}, python: null });
if (!loaded.spec) throw new Error('plain-handler Dockfile does not validate');
const spec = loaded.spec;

const images: string[] = [];
const privateBases: string[] = [];
const imageIds: string[] = [];
const containers: string[] = [];

/** A copy of the base image no other build uses (new config digest, same filesystem). */
async function privateBase(): Promise<string> {
  const nonce = randomBytes(6).toString('hex');
  const tag = `dockrion-bench-base:${nonce}`;
  // A new file gives the copy a new layer chain, which is what BuildKit keys its cache on.
  const container = await docker('create', base as string, 'touch', `/.dockrion-bench-${nonce}`);
  try {
    await docker('start', '--attach', container);
    await docker('commit', container, tag);
  } finally {
    await docker('rm', container);
  }
  privateBases.push(tag);
  return tag;
}

async function build(
  commit: string,
  options: { noCache?: boolean; push?: boolean; baseImage?: string } = {},
) {
  const started = performance.now();
  console.error(
    `building ${commit.slice(0, 7)}${options.noCache ? ' --no-cache' : ''} on ${options.baseImage ?? base}…`,
  );
  const image = await buildImage({
    spec,
    dockfilePath,
    registry: namespace,
    push: options.push ?? false,
    baseImage: options.baseImage ?? base,
    runtimeDir,
    version: `1.0.0-${commit.slice(0, 7)}`,
    source: { repo: 'https://github.com/acme/agents', commit, commitTime: 1767323045 },
    provenance: false,
    sbom: false,
    noCache: options.noCache,
    docker: dockerClient,
    logger: process.env.BENCH_VERBOSE ? consoleLogger() : silentLogger(),
  });
  images.push(options.push ? image.ref : `${image.image}:${image.tag}`, `${image.image}:${image.tags[1]}`);
  imageIds.push((await inspectImage(`${image.image}:${image.tag}`)).Id);
  return { image, seconds: (performance.now() - started) / 1000 };
}

const layersOf = async (image: BuiltImage) =>
  (await inspectImage(`${image.image}:${image.tag}`)).RootFS.Layers;
const mb = (bytes: number) => bytes / 1e6;

try {
  const coldBase = await privateBase();
  const cold = await build('1'.repeat(40), { baseImage: coldBase });
  const handler = join(agentDir, 'app/handler.py');
  writeFileSync(
    handler,
    readFileSync(handler, 'utf8').replace('Thanks for reaching out', 'Thank you for reaching out'),
  );
  const warm = await build('2'.repeat(40), { baseImage: coldBase });
  const [coldLayers, warmLayers] = [await layersOf(cold.image), await layersOf(warm.image)];
  const changedLayers = warmLayers.filter((layer, i) => layer !== coldLayers[i]).length;

  const baseSize = (await inspectImage(base)).Size;
  const imageSize = (await inspectImage(`${warm.image.image}:${warm.image.tag}`)).Size;

  const startTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const container = await runUntilReady(
      `${warm.image.image}:${warm.image.tag}`,
      { DOCKRION_API_KEY: 'k', HELPDESK_API_TOKEN: 't' },
      { containers },
    );
    startTimes.push(container.readyAfterMs / 1000);
    await removeContainers(containers);
  }

  const reproBase = await privateBase();
  // Same commit, same tags: read each build's layers before the next one moves the tag.
  const reproA = await build('3'.repeat(40), { noCache: true, push: true, baseImage: reproBase });
  const layersA = await layersOf(reproA.image);
  const reproB = await build('3'.repeat(40), { noCache: true, push: true, baseImage: reproBase });
  const layersB = await layersOf(reproB.image);
  const differing = layersA.map((layer, i) => (layer === layersB[i] ? -1 : i)).filter((i) => i >= 0);
  const equalLayers = layersA.filter((layer, i) => layer === layersB[i]).length;

  console.log('image benchmark: examples/plain-handler on the debootstrapped base, docker driver');
  console.log(
    `size      base ${mb(baseSize).toFixed(1)} MB, image ${mb(imageSize).toFixed(1)} MB: +${mb(imageSize - baseSize).toFixed(1)} MB on top (ratio ${(imageSize / baseSize).toFixed(2)}, target ≤ +60 MB)`,
  );
  console.log(
    `rebuild   cold (fresh base) ${cold.seconds.toFixed(1)} s, warm after one-line change ${warm.seconds.toFixed(1)} s: ratio ${(warm.seconds / cold.seconds).toFixed(3)}; layers changed ${changedLayers} of ${warmLayers.length}`,
  );
  console.log(
    `start     docker run → /ready median ${upperMedian(startTimes).toFixed(2)} s over ${runs} (min ${Math.min(...startTimes).toFixed(2)}, max ${Math.max(...startTimes).toFixed(2)}; target < 2 s)`,
  );
  console.log(
    `repro     two --no-cache builds of one commit: digests ${reproA.image.digest === reproB.image.digest ? 'EQUAL' : 'differ'} (${reproA.image.digest.slice(7, 19)} vs ${reproB.image.digest.slice(7, 19)}); ${equalLayers} of ${layersA.length} layers identical (differing: ${differing.join(', ') || 'none'})`,
  );
} finally {
  await removeContainers(containers);
  await removeImages(images);
  await removeImageIds(imageIds);
  for (const tag of privateBases) await docker('image', 'rm', '--force', tag).catch(() => '');
  rmSync(agentDir, { recursive: true, force: true });
  rmSync(runtimeDir, { recursive: true, force: true });
}
