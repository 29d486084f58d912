/**
 * The build cache and multi-platform builds on a real BuildKit (scripts/ci/buildkit.sh), as
 * ratios measured side by side in one run. Each measurement is the image stage of a deploy of
 * examples/langgraph-tools (build + push + registry digest check), the bulk of a deploy:
 *   cold       emptied builder (`buildctl prune --all`), no cache import: what a fresh runner did
 *   warm       one-line agent change on a builder that kept its cache
 *   registry   one-line agent change on an emptied builder, importing the registry cache
 *              (`<image>:buildcache`, the default): what a fresh runner does now (target ≤ 1.5 × warm)
 *   multi      linux/amd64 + linux/arm64 (QEMU) vs linux/amd64 alone, both cold
 *   repro      two cold builds of one commit: same digest? (yes/no)
 *
 *   npx tsx bench/image/buildkit.bench.ts      (needs the DOCKRION_TEST_BUILDKIT_* of the env file)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleLogger, silentLogger } from '../../action/adapters/logger.ts';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { type BuildImageOptions, buildImage, REGISTRY_CACHE_TAG } from '../../action/image/index.ts';
import { dockerClient, removeImages } from '../../test/image/docker.ts';
import {
  buildctl,
  buildkitBaseImage,
  buildkitBuilder,
  hasBuildkit,
  infraReason,
  registry,
  repoRoot,
} from '../../test/support/infra.ts';

if (!hasBuildkit() || !registry()) {
  throw new Error(`no real BuildKit: ${infraReason('buildkit') ?? 'DOCKRION_TEST_REGISTRY is not set'}`);
}
const ctl = buildctl() as { bin: string; addr: string };
const namespace = `${registry()}/dockrion-bench-bk-${randomBytes(4).toString('hex')}`;
const agentDir = mkdtempSync(join(tmpdir(), 'dockrion-bench-bk-'));
cpSync(join(repoRoot, 'examples/langgraph-tools'), agentDir, {
  recursive: true,
  filter: (p) => !p.includes('__pycache__'),
});
// A snapshot of runtime/: edits to the work tree during the run must not change the builds.
const runtimeDir = mkdtempSync(join(tmpdir(), 'dockrion-bench-bk-runtime-'));
cpSync(join(repoRoot, 'runtime'), runtimeDir, { recursive: true });
const dockfilePath = join(agentDir, 'Dockfile.yaml');
const loaded = await loadDockfile(dockfilePath, { root: agentDir, processEnv: {}, python: null });
if (!loaded.spec) throw new Error('langgraph-tools Dockfile does not validate');
const spec = loaded.spec;
const pushed: string[] = [];

const prune = () => execFileSync(ctl.bin, ['--addr', ctl.addr, 'prune', '--all'], { stdio: 'ignore' });
const noCache = { from: ['none'], to: ['none'] };
let edits = 0;
function changeAgentLine(): void {
  const file = join(agentDir, 'app/graph.py');
  writeFileSync(file, `${readFileSync(file, 'utf8')}\n# bench change ${++edits}\n`);
}

async function timedBuild(what: string, options: Partial<BuildImageOptions> = {}) {
  process.stderr.write(`${what}…\n`);
  const started = performance.now();
  const image = await buildImage({
    spec,
    dockfilePath,
    registry: namespace,
    push: true,
    baseImage: buildkitBaseImage(),
    runtimeDir,
    version: '1.0.0',
    source: { repo: 'https://github.com/acme/agents', commit: 'b'.repeat(40), commitTime: 1767323045 },
    provenance: false,
    sbom: false,
    docker: dockerClient,
    logger: process.env.BENCH_VERBOSE ? consoleLogger() : silentLogger(),
    builder: buildkitBuilder(),
    ...options,
  });
  pushed.push(image.ref);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`  ${what}: ${seconds.toFixed(1)} s, ${image.digest.slice(0, 19)}\n`);
  return { seconds, digest: image.digest };
}

try {
  prune();
  const cold = await timedBuild('cold (emptied builder, no cache)', { cache: noCache });
  prune();
  const cold2 = await timedBuild('cold again, same commit', { cache: noCache });
  // Fills the registry cache (the builder is warm: only the export costs).
  await timedBuild('export the registry cache');
  changeAgentLine();
  const warm = await timedBuild('warm (kept builder cache, one-line change)');
  prune();
  changeAgentLine();
  const fromRegistry = await timedBuild('emptied builder + registry cache, one-line change');
  prune();
  const multi = await timedBuild('cold, linux/amd64 + linux/arm64', {
    cache: noCache,
    platforms: ['linux/amd64', 'linux/arm64'],
  });
  const s = (x: { seconds: number }) => `${x.seconds.toFixed(1)} s`;
  console.log(
    `registry_cache.vs_warm: ${(fromRegistry.seconds / warm.seconds).toFixed(2)} (emptied builder + ${REGISTRY_CACHE_TAG} ${s(fromRegistry)} vs warm builder ${s(warm)}; target ≤ 1.5)`,
  );
  console.log(
    `registry_cache.vs_cold: ${(fromRegistry.seconds / cold.seconds).toFixed(3)} (${s(fromRegistry)} vs cold, no cache ${s(cold)})`,
  );
  console.log(`warm.vs_cold: ${(warm.seconds / cold.seconds).toFixed(3)} (${s(warm)} vs ${s(cold)})`);
  console.log(
    `multi_platform.vs_single: ${(multi.seconds / cold.seconds).toFixed(2)} (amd64+arm64 under QEMU ${s(multi)} vs amd64 ${s(cold)}, both cold)`,
  );
  console.log(
    `repro (two cold builds of one commit on an emptied builder, same digest): ${cold.digest === cold2.digest ? 'yes' : 'no'} (${cold.digest.slice(7, 19)} vs ${cold2.digest.slice(7, 19)})`,
  );
} finally {
  await removeImages(pushed);
  // The cache manifest too (the registry deletes by digest only).
  const repository = `${namespace.slice((registry() as string).length + 1)}/langgraph-tools`;
  const head = await fetch(`http://${registry()}/v2/${repository}/manifests/${REGISTRY_CACHE_TAG}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.index.v1+json' },
  }).catch(() => undefined);
  const cacheDigest = head?.headers.get('docker-content-digest');
  if (cacheDigest) await removeImages([`${namespace}/langgraph-tools:${REGISTRY_CACHE_TAG}@${cacheDigest}`]);
  rmSync(agentDir, { recursive: true, force: true });
  rmSync(runtimeDir, { recursive: true, force: true });
}
