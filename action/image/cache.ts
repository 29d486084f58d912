import { ImageError, UsageError } from '../../shared/errors.ts';
import type { BuilderCapabilities } from './buildx.ts';

/**
 * Build cache backends buildx knows (`--cache-from` / `--cache-to type=…`). `inline` only exports:
 * it writes cache metadata into the image itself.
 */
const CACHE_TYPES = ['registry', 'gha', 'local', 'inline', 's3', 'azblob'] as const;

/** The tag the default registry cache lives under, next to the image's own tags. */
export const REGISTRY_CACHE_TAG = 'buildcache';

/** What the user asked for: buildx cache specs, or `none` to turn the default off. Absent = default. */
export interface CacheRequest {
  from?: readonly string[];
  to?: readonly string[];
}

export interface CachePlan {
  /** `--cache-from` values. */
  from: string[];
  /** `--cache-to` values. */
  to: string[];
  /** One line for the build log: where the cache comes from and goes, or why there is none. */
  summary: string;
}

/**
 * Checks one `--cache-from`/`--cache-to` value in buildx syntax (`type=registry,ref=…,mode=max`):
 * comma-separated `key=value` pairs with a known `type`. `none` is returned as is.
 */
export function checkCacheSpec(spec: string, field: string): string {
  const value = spec.trim();
  if (value === 'none') return value;
  const pairs = value.split(',').map((pair) => pair.trim());
  const keys = new Map<string, string>();
  for (const pair of pairs) {
    const m = /^([a-z][a-z0-9_-]*)=(\S*)$/.exec(pair);
    if (!m?.[1]) {
      throw new UsageError(
        `${field}: '${pair.slice(0, 60)}' is not key=value`,
        'buildx syntax, e.g. type=registry,ref=ghcr.io/acme/agent:buildcache,mode=max (or none)',
      );
    }
    keys.set(m[1], m[2] ?? '');
  }
  const type = keys.get('type');
  if (!type || !(CACHE_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(
      `${field}: type must be one of ${CACHE_TYPES.join(', ')}, got ${type ? `'${type}'` : 'none'}`,
      'e.g. type=registry,ref=ghcr.io/acme/agent:buildcache or type=gha',
    );
  }
  if (type === 'registry' && !keys.get('ref')) {
    throw new UsageError(
      `${field}: type=registry needs ref=IMAGE:TAG`,
      'e.g. type=registry,ref=ghcr.io/acme/agent:buildcache',
    );
  }
  if (type === 'inline' && field.includes('from')) {
    throw new UsageError(
      `${field}: type=inline only exports`,
      'import it with type=registry,ref=<the image>',
    );
  }
  return value;
}

/** `--cache-from`/`--cache-to` flags and inputs: repeatable, newline-separated, `none` alone. */
export function parseCacheSpecs(values: readonly string[] | undefined, field: string): string[] | undefined {
  const specs = (values ?? [])
    .flatMap((v) => v.split('\n'))
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => checkCacheSpec(v, field));
  if (specs.length === 0) return undefined;
  if (specs.includes('none') && specs.length > 1) {
    throw new UsageError(`${field}: 'none' cannot be combined with other cache specs`);
  }
  return specs;
}

/** The Actions cache service is reachable: buildx's `type=gha` reads these variables itself. */
export function actionsCacheAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL));
}

const exportType = (spec: string) => /(?:^|,)type=([^,]+)/.exec(spec)?.[1] ?? '';

/**
 * The build cache of one build. Explicit specs are used as given (`none` = no cache that way).
 * Without them, a builder that can export a cache and a pushed image get one that survives a fresh
 * runner: the Actions cache (`type=gha`, scoped to the image) when the workflow has it, else the
 * registry (`<image>:buildcache`, `mode=max` so the builder stage's layers are in it too). The
 * `docker` driver keeps only its local cache. A failed cache export never fails the build.
 */
export function resolveCache(options: {
  request?: CacheRequest;
  capabilities: BuilderCapabilities;
  push: boolean;
  /** `host/namespace/agent`, no tag. */
  image: string;
  env: NodeJS.ProcessEnv;
}): CachePlan {
  const { request = {}, capabilities, push, image, env } = options;
  const explicitTo = request.to?.filter((s) => s !== 'none');
  const explicitFrom = request.from?.filter((s) => s !== 'none');
  if (explicitTo && !capabilities.cacheExport) {
    const refused = explicitTo.find((s) => exportType(s) !== 'inline');
    if (refused) {
      throw new ImageError(
        `the ${capabilities.driver} builder cannot export a build cache (cache-to ${refused.split(',')[0]})`,
        'use cache-to type=inline, or a docker-container/remote builder (docker buildx create --use)',
      );
    }
  }

  let defaultFrom: string[] = [];
  let defaultTo: string[] = [];
  let why: string;
  if (!capabilities.cacheExport) {
    why = `the ${capabilities.driver} builder cannot export a build cache, so only its local cache is used (a fresh runner builds cold; a docker-container or remote builder can export one)`;
  } else if (!push) {
    why = 'nothing is pushed, so no cache is exported';
  } else if (actionsCacheAvailable(env)) {
    const scope = `scope=${image}`;
    defaultFrom = [`type=gha,${scope}`];
    defaultTo = [`type=gha,${scope},mode=max,ignore-error=true`];
    why = 'the GitHub Actions cache';
  } else {
    const ref = `ref=${image}:${REGISTRY_CACHE_TAG}`;
    defaultFrom = [`type=registry,${ref}`];
    defaultTo = [`type=registry,${ref},mode=max,ignore-error=true`];
    why = 'the registry';
  }
  const from = explicitFrom ?? defaultFrom;
  const to = explicitTo ?? defaultTo;
  const summary =
    from.length === 0 && to.length === 0
      ? request.from || request.to
        ? 'build cache: none (cache-from/cache-to: none)'
        : `build cache: none exported: ${why}`
      : `build cache: from ${from.join(' + ') || 'none'}, to ${to.join(' + ') || 'none'}${
          request.from || request.to ? '' : ` (default: ${why})`
        }`;
  return { from, to, summary };
}
