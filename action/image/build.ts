import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Docker, ProvenanceMode } from '../adapters/docker.ts';
import type { Logger } from '../adapters/logger.ts';
import type { DockSpec } from '../dockfile/types.ts';
import { assembleBuildContext, type BuildSource } from './build-context/assemble.ts';
import {
  type BuilderCapabilities,
  builderCapabilities,
  checkCapabilities,
  digestFromMetadata,
} from './buildx.ts';
import { type CacheRequest, resolveCache } from './cache.ts';
import { dockerLogin } from './login.ts';
import { imageName, imageTags, parseReference } from './names.ts';
import { type RegistryCredentials, verifyDigest } from './registry.ts';
import { locateRuntimeDir } from './runtime-dir.ts';

export interface BuildImageOptions {
  spec: DockSpec;
  dockfilePath: string;
  /** `host[/namespace]`, e.g. `ghcr.io/acme`; the image is `<registry>/<agent.name>`, lowercased. */
  registry: string;
  push: boolean;
  /** Default `['linux/amd64']`. */
  platforms?: readonly string[];
  /** `--build-arg BASE_IMAGE`: overrides `build.base_image` and the python default. */
  baseImage?: string;
  version: string;
  source: BuildSource;
  /** Provenance attestation mode, or false for registries that list attestations as `unknown/unknown`. */
  provenance: ProvenanceMode;
  sbom: boolean;
  /** Runs buildx and the registry login (built by the front door, with `env`'s environment). */
  docker: Docker;
  logger: Logger;
  /** Used for the digest check after a push; default the global fetch. */
  fetch?: typeof fetch;
  /** Registry login (GHCR: the workflow token). Never put on a command line. */
  credentials?: RegistryCredentials;
  /**
   * `--no-cache`. On BuildKit 0.8 (docker 20.10's built-in builder) a no-cache build that runs
   * at the same time as a cached build of the same steps can panic dockerd (moby/buildkit#2303).
   */
  noCache?: boolean;
  /** A buildx builder name; default the current one. */
  builder?: string;
  /** `cache-from`/`cache-to` as the user gave them; absent parts get the default of `resolveCache`. */
  cache?: CacheRequest;
  /** What `builder` can do, when the caller already inspected it (`resolveProvenance`); else inspected here. */
  capabilities?: BuilderCapabilities;
  /** Default: the runtime/ shipped with this tool. */
  runtimeDir?: string;
  /** Where the user's Docker config is (DOCKER_CONFIG, HOME) and the cache backends' variables; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Keep the assembled build context here instead of a temporary directory (left in place). */
  contextDir?: string;
}

export interface BuiltImage {
  /** `host/namespace/agent`. */
  image: string;
  /** The version tag. */
  tag: string;
  /** `sha256:…`: the manifest (or, with attestations, index) digest the registry stores. */
  digest: string;
  /** `<image>:<tag>@<digest>`: what every manifest pins. */
  ref: string;
  /** Every tag pushed: `<version>` and `sha-<short>`. */
  tags: string[];
}

/** Splits streamed output into whole lines for the logger (chunks end mid-line). */
function lineLogger(logger: Logger): { write: (chunk: string) => void; flush: () => void } {
  let pending = '';
  return {
    write(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) logger.info(line);
    },
    flush() {
      if (pending) logger.info(pending);
      pending = '';
    },
  };
}

/**
 * A Docker config dir holding only this build's login, so the token never lands in the user's
 * ~/.docker; it links the real `buildx/` in so named builders still resolve.
 */
function throwawayDockerConfig(env: NodeJS.ProcessEnv): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-docker-config-'));
  const real = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  if (existsSync(join(real, 'buildx'))) symlinkSync(join(real, 'buildx'), join(dir, 'buildx'));
  return dir;
}

/**
 * Builds the agent's runtime image with `docker buildx build` and, with `push`, pushes it and
 * returns the digest after checking the registry has it. Build output streams to the logger
 * inside a group; a one-line summary follows.
 */
export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const { docker, logger } = options;
  const env = options.env ?? process.env;
  const platforms = options.platforms?.length ? options.platforms : ['linux/amd64'];
  const image = imageName(options.registry, options.spec.agent.name);
  const tags = imageTags(options.version, options.source.commit);
  const tag = tags[0] as string;

  const capabilities = options.capabilities ?? (await builderCapabilities(docker, options.builder));
  checkCapabilities(capabilities, { provenance: options.provenance, sbom: options.sbom, platforms });
  const cache = resolveCache({
    request: options.cache,
    capabilities,
    push: options.push,
    image,
    env,
  });
  logger.info(cache.summary);

  const workDir = mkdtempSync(join(tmpdir(), 'dockrion-build-'));
  const contextDir = options.contextDir ?? join(workDir, 'context');
  const metadataFile = join(workDir, 'metadata.json');
  let dockerConfig: string | undefined;
  const started = Date.now();
  try {
    assembleBuildContext({
      spec: options.spec,
      dockfilePath: options.dockfilePath,
      runtimeDir: options.runtimeDir ?? locateRuntimeDir(env),
      outDir: contextDir,
      version: options.version,
      source: options.source,
    });

    if (options.credentials && options.push) {
      dockerConfig = throwawayDockerConfig(env);
      await dockerLogin(parseReference(image).host, options.credentials, {
        docker,
        logger,
        configDir: dockerConfig,
      });
    }

    const invocation = {
      contextDir,
      tags: tags.map((t) => `${image}:${t}`),
      platforms,
      push: options.push,
      metadataFile,
      baseImage: options.baseImage,
      provenance: options.provenance,
      sbom: options.sbom,
      noCache: options.noCache,
      builder: options.builder,
      cacheFrom: cache.from,
      cacheTo: cache.to,
    };
    const output = lineLogger(logger);
    await logger.group(`docker buildx build ${image}:${tag} (${platforms.join(', ')})`, async () => {
      try {
        await docker.buildxBuild(invocation, {
          sourceDateEpoch: options.source.commitTime,
          configDir: dockerConfig,
          stream: output.write,
        });
      } finally {
        output.flush();
      }
    });

    const digest = digestFromMetadata(readFileSync(metadataFile, 'utf8'));
    const ref = `${image}:${tag}@${digest}`;
    if (options.push) {
      await verifyDigest(ref, { fetch: options.fetch ?? fetch, credentials: options.credentials });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    logger.info(`${options.push ? 'pushed' : 'built'} ${ref} (${platforms.join(', ')}) in ${seconds}s`);
    return { image, tag, digest, ref, tags };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
  }
}
