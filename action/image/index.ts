export { type BuildImageOptions, type BuiltImage, buildImage } from './build.ts';
export {
  assembleBuildContext,
  type BuildContext,
  type BuildSource,
} from './build-context/assemble.ts';
export { type BuilderCapabilities, builderCapabilities, resolveProvenance } from './buildx.ts';
export {
  actionsCacheAvailable,
  type CachePlan,
  type CacheRequest,
  checkCacheSpec,
  parseCacheSpecs,
  REGISTRY_CACHE_TAG,
  resolveCache,
} from './cache.ts';
export {
  imageName,
  imageTags,
  parseReference,
  registryHostOf,
  resolveVersion,
  versionFromCommit,
  versionTag,
} from './names.ts';
export {
  type RegistryCredentials,
  registryBaseUrl,
  type VerifyDigestOptions,
  verifyDigest,
} from './registry.ts';
export { locateRuntimeDir } from './runtime-dir.ts';
