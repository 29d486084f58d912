import { ImageError } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';
import type { Logger } from '../adapters/logger.ts';

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
  /** `--cache-from` / `--cache-to` values in buildx syntax (see cache.ts). */
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

export interface BuilderCapabilities {
  driver: string;
  /** Provenance/SBOM attestations: any driver but `docker`, or `docker` on the containerd store. */
  attestations: boolean;
  /** More than one platform in one build (same condition as attestations). */
  multiPlatform: boolean;
  /** `--cache-to` a registry/gha/local cache: any driver but `docker` (which exports inline only). */
  cacheExport: boolean;
}

/** Asks buildx which driver the builder uses and whether the engine stores images in containerd. */
export async function builderCapabilities(exec: Exec, builder?: string): Promise<BuilderCapabilities> {
  const inspect = await exec.run('docker', ['buildx', 'inspect', ...(builder ? [builder] : [])], {
    allowFailure: true,
  });
  if (inspect.code !== 0) {
    throw new ImageError(
      `docker buildx is not usable: ${inspect.stderr.trim().split('\n').pop() ?? ''}`,
      'install the buildx plugin (docker-buildx) and start the Docker engine',
    );
  }
  const driver = /^Driver:\s*(\S+)/m.exec(inspect.stdout)?.[1] ?? 'unknown';
  if (driver !== 'docker') return { driver, attestations: true, multiPlatform: true, cacheExport: true };
  const info = await exec.run('docker', ['info', '--format', '{{json .DriverStatus}}'], {
    allowFailure: true,
  });
  const containerdStore = info.stdout.includes('io.containerd.snapshotter');
  return { driver, attestations: containerdStore, multiPlatform: containerdStore, cacheExport: false };
}

/**
 * The provenance mode for a build: an explicit mode as given; `auto` (or nothing) = `max` when the
 * builder can attach attestations, else off. `capabilities` is set when the builder was inspected.
 */
export async function resolveProvenance(
  requested: ProvenanceMode | 'auto' | undefined,
  exec: Exec,
  logger: Logger,
  builder?: string,
): Promise<{ provenance: ProvenanceMode; capabilities?: BuilderCapabilities }> {
  if (requested !== undefined && requested !== 'auto') return { provenance: requested };
  const capabilities = await builderCapabilities(exec, builder);
  if (!capabilities.attestations) {
    logger.info(`provenance off: the ${capabilities.driver} builder cannot attach attestations`);
  }
  return { provenance: capabilities.attestations ? 'max' : false, capabilities };
}

export function checkCapabilities(
  capabilities: BuilderCapabilities,
  request: { provenance: ProvenanceMode; sbom: boolean; platforms: readonly string[] },
): void {
  const hint =
    'use a docker-container/remote builder (docker buildx create --use) or enable the containerd image store';
  if ((request.provenance !== false || request.sbom) && !capabilities.attestations) {
    throw new ImageError(
      `the ${capabilities.driver} builder cannot attach provenance/SBOM attestations`,
      `${hint}, or turn them off (provenance: false, sbom: false)`,
    );
  }
  if (request.platforms.length > 1 && !capabilities.multiPlatform) {
    throw new ImageError(`the ${capabilities.driver} builder cannot build several platforms at once`, hint);
  }
}

/** Reads `containerimage.digest` from the `--metadata-file` buildx wrote. */
export function digestFromMetadata(metadataJson: string): string {
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(metadataJson) as Record<string, unknown>;
  } catch (e: unknown) {
    throw new ImageError('buildx wrote an unreadable metadata file', null, e);
  }
  const digest = metadata['containerimage.digest'];
  if (typeof digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new ImageError('buildx metadata has no containerimage.digest', 'is docker buildx at least 0.10?');
  }
  return digest;
}
