import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  ImageError,
  UsageError
} from "./chunk-NQESISYT.js";

// action/image/cache.ts
var CACHE_TYPES = ["registry", "gha", "local", "inline", "s3", "azblob"];
var REGISTRY_CACHE_TAG = "buildcache";
function checkCacheSpec(spec, field) {
  const value = spec.trim();
  if (value === "none") return value;
  const pairs = value.split(",").map((pair) => pair.trim());
  const keys = /* @__PURE__ */ new Map();
  for (const pair of pairs) {
    const m = /^([a-z][a-z0-9_-]*)=(\S*)$/.exec(pair);
    if (!m?.[1]) {
      throw new UsageError(
        `${field}: '${pair.slice(0, 60)}' is not key=value`,
        "buildx syntax, e.g. type=registry,ref=ghcr.io/acme/agent:buildcache,mode=max (or none)"
      );
    }
    keys.set(m[1], m[2] ?? "");
  }
  const type = keys.get("type");
  if (!type || !CACHE_TYPES.includes(type)) {
    throw new UsageError(
      `${field}: type must be one of ${CACHE_TYPES.join(", ")}, got ${type ? `'${type}'` : "none"}`,
      "e.g. type=registry,ref=ghcr.io/acme/agent:buildcache or type=gha"
    );
  }
  if (type === "registry" && !keys.get("ref")) {
    throw new UsageError(
      `${field}: type=registry needs ref=IMAGE:TAG`,
      "e.g. type=registry,ref=ghcr.io/acme/agent:buildcache"
    );
  }
  if (type === "inline" && field.includes("from")) {
    throw new UsageError(
      `${field}: type=inline only exports`,
      "import it with type=registry,ref=<the image>"
    );
  }
  return value;
}
function parseCacheSpecs(values, field) {
  const specs = (values ?? []).flatMap((v) => v.split("\n")).map((v) => v.trim()).filter(Boolean).map((v) => checkCacheSpec(v, field));
  if (specs.length === 0) return void 0;
  if (specs.includes("none") && specs.length > 1) {
    throw new UsageError(`${field}: 'none' cannot be combined with other cache specs`);
  }
  return specs;
}
function actionsCacheAvailable(env) {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL));
}
var exportType = (spec) => /(?:^|,)type=([^,]+)/.exec(spec)?.[1] ?? "";
function resolveCache(options) {
  const { request = {}, capabilities, push, image, env } = options;
  const explicitTo = request.to?.filter((s) => s !== "none");
  const explicitFrom = request.from?.filter((s) => s !== "none");
  if (explicitTo && !capabilities.cacheExport) {
    const refused = explicitTo.find((s) => exportType(s) !== "inline");
    if (refused) {
      throw new ImageError(
        `the ${capabilities.driver} builder cannot export a build cache (cache-to ${refused.split(",")[0]})`,
        "use cache-to type=inline, or a docker-container/remote builder (docker buildx create --use)"
      );
    }
  }
  let defaultFrom = [];
  let defaultTo = [];
  let why;
  if (!capabilities.cacheExport) {
    why = `the ${capabilities.driver} builder cannot export a build cache, so only its local cache is used (a fresh runner builds cold; a docker-container or remote builder can export one)`;
  } else if (!push) {
    why = "nothing is pushed, so no cache is exported";
  } else if (actionsCacheAvailable(env)) {
    const scope = `scope=${image}`;
    defaultFrom = [`type=gha,${scope}`];
    defaultTo = [`type=gha,${scope},mode=max,ignore-error=true`];
    why = "the GitHub Actions cache";
  } else {
    const ref = `ref=${image}:${REGISTRY_CACHE_TAG}`;
    defaultFrom = [`type=registry,${ref}`];
    defaultTo = [`type=registry,${ref},mode=max,ignore-error=true`];
    why = "the registry";
  }
  const from = explicitFrom ?? defaultFrom;
  const to = explicitTo ?? defaultTo;
  const summary = from.length === 0 && to.length === 0 ? request.from || request.to ? "build cache: none (cache-from/cache-to: none)" : `build cache: none exported: ${why}` : `build cache: from ${from.join(" + ") || "none"}, to ${to.join(" + ") || "none"}${request.from || request.to ? "" : ` (default: ${why})`}`;
  return { from, to, summary };
}

export {
  parseCacheSpecs,
  resolveCache
};
