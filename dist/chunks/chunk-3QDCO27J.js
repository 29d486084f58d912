import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  findRepositoryRoot,
  formatText,
  resolveDockfileArg
} from "./chunk-E7USMKWW.js";
import {
  parseCommandArgs,
  parseEnvAssignments,
  parsePlatforms,
  parseProvenanceFlag
} from "./chunk-L6BWES6E.js";
import {
  buildImage,
  gitSource,
  registryHostOf,
  resolveProvenance,
  resolveVersion
} from "./chunk-P25WTLRW.js";
import {
  Docker
} from "./chunk-PPMIE3MS.js";
import {
  parseCacheSpecs
} from "./chunk-C77GWBV5.js";
import {
  loadDockfile
} from "./chunk-CJK7HBET.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";

// action/commands/build.ts
import { dirname } from "node:path";
var buildUsage = `usage: dockrion build [PATH=Dockfile.yaml] --registry HOST[/NAMESPACE] [options]

Builds the agent's runtime image with docker buildx; with --push, pushes it and prints the
digest-pinned reference after checking the registry has it.

options:
  --registry HOST[/NS]       where the image goes: <registry>/<agent.name>, lowercased (required)
  --push                     push (default: load into the local engine only)
  --base-image IMG           override the base image (--build-arg BASE_IMAGE)
  --platform P               target platform, repeatable or comma-separated (default linux/amd64)
  --provenance auto|max|min|false
                             provenance attestation (default auto: max when the builder can)
  --sbom                     attach an SBOM attestation
  --no-cache                 build without the layer cache
  --builder NAME             buildx builder (default: the current one)
  --cache-from SPEC          import a build cache, buildx syntax (repeatable; none: no import)
  --cache-to SPEC            export the build cache, buildx syntax (none: no export). Default
                             with --push on a builder that can export: type=gha in GitHub
                             Actions, else type=registry,ref=<image>:buildcache,mode=max
  --env KEY=VAL              set a variable for \${KEY} interpolation (repeatable)
  --format text|json         json prints {"image","tag","digest","ref"} on stdout
  -h, --help                 show this help

Registry login: DOCKRION_REGISTRY_USERNAME/DOCKRION_REGISTRY_PASSWORD, or for ghcr.io
GITHUB_ACTOR/GITHUB_TOKEN. The version is metadata.version, else 0.0.0-g<sha7> of HEAD.
`;
function parseBuildArgs(argv) {
  const { values, positionals } = parseCommandArgs(
    "build",
    argv,
    {
      registry: { type: "string" },
      push: { type: "boolean" },
      "base-image": { type: "string" },
      platform: { type: "string", multiple: true },
      provenance: { type: "string" },
      sbom: { type: "boolean" },
      "no-cache": { type: "boolean" },
      builder: { type: "string" },
      "cache-from": { type: "string", multiple: true },
      "cache-to": { type: "string", multiple: true },
      env: { type: "string", multiple: true },
      format: { type: "string" },
      help: { type: "boolean", short: "h" }
    },
    true
  );
  if (values.help) return "help";
  if (positionals.length > 1)
    throw new UsageError(`build takes one Dockfile path, got ${positionals.length}`);
  if (!values.registry) throw new UsageError("--registry is required", "e.g. --registry ghcr.io/acme");
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json")
    throw new UsageError(`--format must be text or json, got '${format}'`);
  const provenance = parseProvenanceFlag(values.provenance);
  const env = parseEnvAssignments(values.env);
  return {
    path: positionals[0] ?? "Dockfile.yaml",
    registry: values.registry,
    push: values.push ?? false,
    baseImage: values["base-image"],
    platforms: parsePlatforms(values.platform),
    provenance,
    sbom: values.sbom ?? false,
    noCache: values["no-cache"] ?? false,
    builder: values.builder,
    cache: cacheFlags(values["cache-from"], values["cache-to"]),
    env,
    format
  };
}
function cacheFlags(from, to) {
  const cacheFrom = parseCacheSpecs(from, "--cache-from");
  const cacheTo = parseCacheSpecs(to, "--cache-to");
  return { ...cacheFrom ? { from: cacheFrom } : {}, ...cacheTo ? { to: cacheTo } : {} };
}
function registryCredentials(host, env) {
  if (env.DOCKRION_REGISTRY_USERNAME && env.DOCKRION_REGISTRY_PASSWORD) {
    return { username: env.DOCKRION_REGISTRY_USERNAME, password: env.DOCKRION_REGISTRY_PASSWORD };
  }
  if (host === "ghcr.io" && env.GITHUB_TOKEN) {
    return { username: env.GITHUB_ACTOR ?? "x-access-token", password: env.GITHUB_TOKEN };
  }
  return void 0;
}
async function run(argv, ctx) {
  const args = parseBuildArgs(argv);
  if (args === "help") {
    ctx.stdout(buildUsage);
    return 0;
  }
  const dockfilePath = resolveDockfileArg(ctx.cwd, args.path);
  const result = await loadDockfile(dockfilePath, {
    cwd: ctx.cwd,
    env: args.env,
    processEnv: ctx.env,
    root: findRepositoryRoot(dirname(dockfilePath)),
    exec: ctx.exec
  });
  if (!result.valid || !result.spec) {
    ctx.stderr(formatText(result, () => void 0));
    return 1;
  }
  const spec = result.spec;
  const source = await gitSource(dirname(dockfilePath), ctx.exec, ctx.env);
  if (source.dirty)
    ctx.logger.warn("the agent directory has uncommitted changes; the image labels name HEAD");
  const docker = new Docker({ exec: ctx.exec, env: ctx.env });
  const { provenance, capabilities } = await resolveProvenance(
    args.provenance,
    docker,
    ctx.logger,
    args.builder
  );
  const registryHost = registryHostOf(args.registry);
  const built = await buildImage({
    spec,
    dockfilePath,
    registry: args.registry,
    push: args.push,
    platforms: args.platforms,
    baseImage: args.baseImage,
    version: resolveVersion(spec.metadata?.version, source.commit),
    source,
    provenance,
    sbom: args.sbom,
    docker,
    logger: ctx.logger,
    credentials: registryCredentials(registryHost, ctx.env),
    noCache: args.noCache,
    builder: args.builder,
    cache: args.cache,
    capabilities,
    env: ctx.env
  });
  const summary = { image: built.image, tag: built.tag, digest: built.digest, ref: built.ref };
  if (args.format === "json") ctx.stdout(`${JSON.stringify(summary)}
`);
  else ctx.stdout(`${built.ref}
`);
  return 0;
}

export {
  buildUsage,
  parseBuildArgs,
  cacheFlags,
  registryCredentials,
  run
};
