import { ImageError } from '../../shared/errors.ts';
import type { Docker, ProvenanceMode } from '../adapters/docker.ts';
import type { Logger } from '../adapters/logger.ts';

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
export async function builderCapabilities(docker: Docker, builder?: string): Promise<BuilderCapabilities> {
  const driver = await docker.builderDriver(builder);
  if (driver !== 'docker') return { driver, attestations: true, multiPlatform: true, cacheExport: true };
  const containerdStore = await docker.containerdImageStore();
  return { driver, attestations: containerdStore, multiPlatform: containerdStore, cacheExport: false };
}

/**
 * The provenance mode for a build: an explicit mode as given; `auto` (or nothing) = `max` when the
 * builder can attach attestations, else off. `capabilities` is set when the builder was inspected.
 */
export async function resolveProvenance(
  requested: ProvenanceMode | 'auto' | undefined,
  docker: Docker,
  logger: Logger,
  builder?: string,
): Promise<{ provenance: ProvenanceMode; capabilities?: BuilderCapabilities }> {
  if (requested !== undefined && requested !== 'auto') return { provenance: requested };
  const capabilities = await builderCapabilities(docker, builder);
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
