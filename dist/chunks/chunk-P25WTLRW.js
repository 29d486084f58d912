import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  locateRuntimeDir
} from "./chunk-ZKWIVB52.js";
import {
  RUNTIME_UID
} from "./chunk-WM7SSZM3.js";
import {
  resolveCache
} from "./chunk-C77GWBV5.js";
import {
  require_lib
} from "./chunk-2IDWO3FM.js";
import {
  compileRules,
  isExcluded,
  matchesAny,
  parseDockerignore
} from "./chunk-3ANLHX4D.js";
import {
  Git
} from "./chunk-4P7MY5G4.js";
import {
  normalizeDockfile
} from "./chunk-CJK7HBET.js";
import {
  isImageDigest,
  isImageReference,
  isImageRepository,
  isImageTag,
  isRegistry,
  splitReference
} from "./chunk-Y7HVPOHU.js";
import {
  ImageError
} from "./chunk-NQESISYT.js";
import {
  __toESM
} from "./chunk-TC6B22LF.js";

// action/image/buildx.ts
async function builderCapabilities(docker, builder) {
  const driver = await docker.builderDriver(builder);
  if (driver !== "docker") return { driver, attestations: true, multiPlatform: true, cacheExport: true };
  const containerdStore = await docker.containerdImageStore();
  return { driver, attestations: containerdStore, multiPlatform: containerdStore, cacheExport: false };
}
async function resolveProvenance(requested, docker, logger, builder) {
  if (requested !== void 0 && requested !== "auto") return { provenance: requested };
  const capabilities = await builderCapabilities(docker, builder);
  if (!capabilities.attestations) {
    logger.info(`provenance off: the ${capabilities.driver} builder cannot attach attestations`);
  }
  return { provenance: capabilities.attestations ? "max" : false, capabilities };
}
function checkCapabilities(capabilities, request) {
  const hint = "use a docker-container/remote builder (docker buildx create --use) or enable the containerd image store";
  if ((request.provenance !== false || request.sbom) && !capabilities.attestations) {
    throw new ImageError(
      `the ${capabilities.driver} builder cannot attach provenance/SBOM attestations`,
      `${hint}, or turn them off (provenance: false, sbom: false)`
    );
  }
  if (request.platforms.length > 1 && !capabilities.multiPlatform) {
    throw new ImageError(`the ${capabilities.driver} builder cannot build several platforms at once`, hint);
  }
}
function digestFromMetadata(metadataJson) {
  let metadata;
  try {
    metadata = JSON.parse(metadataJson);
  } catch (e) {
    throw new ImageError("buildx wrote an unreadable metadata file", null, e);
  }
  const digest = metadata["containerimage.digest"];
  if (typeof digest !== "string" || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new ImageError("buildx metadata has no containerimage.digest", "is docker buildx at least 0.10?");
  }
  return digest;
}

// action/image/names.ts
function imageName(registry, agent) {
  const trimmed = registry.replace(/\/+$/, "");
  if (!isRegistry(trimmed) || !trimmed.includes(".") && !trimmed.includes(":") && !trimmed.startsWith("localhost")) {
    throw new ImageError(
      `registry ${JSON.stringify(registry)} is not HOST[/NAMESPACE]`,
      "e.g. ghcr.io/acme or 127.0.0.1:5000/team"
    );
  }
  return `${trimmed}/${agent}`.toLowerCase();
}
function registryHostOf(registry) {
  return registry.slice(0, registry.indexOf("/") === -1 ? void 0 : registry.indexOf("/"));
}
function versionTag(version) {
  const tag = version.replace(/\+/g, "-");
  if (!isImageTag(tag)) {
    throw new ImageError(
      `version ${JSON.stringify(version)} cannot be an image tag`,
      "use letters, digits, _ . - (max 128), e.g. 1.4.0 or 1.4.0-rc.1"
    );
  }
  return tag;
}
function versionFromCommit(commit) {
  if (!/^[0-9a-f]{7,64}$/.test(commit)) throw new ImageError(`${JSON.stringify(commit)} is not a commit SHA`);
  return `0.0.0-g${commit.slice(0, 7)}`;
}
function resolveVersion(metadataVersion, commit) {
  return metadataVersion ?? versionFromCommit(commit);
}
function imageTags(version, commit) {
  return [.../* @__PURE__ */ new Set([versionTag(version), `sha-${commit.slice(0, 7)}`])];
}
function parseReference(reference) {
  const { name, tag, digest } = splitReference(reference);
  const slash = name.indexOf("/");
  if (slash === -1) throw new ImageError(`${reference} has no registry host`);
  if (digest !== null && !isImageDigest(digest)) throw new ImageError(`${reference} has a malformed digest`);
  if (!isImageRepository(name) || tag !== null && !isImageTag(tag)) {
    throw new ImageError(`${reference} is not a valid image reference`, "e.g. ghcr.io/acme/agent:1.0.0");
  }
  return {
    host: name.slice(0, slash),
    repository: name.slice(slash + 1),
    ...tag === null ? {} : { tag },
    ...digest === null ? {} : { digest }
  };
}

// action/image/build.ts
import { existsSync as existsSync2, mkdtempSync, readFileSync as readFileSync3, rmSync, symlinkSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join as join3 } from "node:path";

// action/image/build-context/assemble.ts
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync as readdirSync2,
  statSync as statSync2,
  utimesSync,
  writeFileSync
} from "node:fs";
import { dirname, join as join2, relative as relative2, resolve } from "node:path";

// generators/dockerfile/labels.ts
function imageLabels(input) {
  const labels = {
    "org.opencontainers.image.title": input.agent,
    "org.opencontainers.image.source": input.source.repo,
    "org.opencontainers.image.revision": input.source.commit,
    "org.opencontainers.image.version": input.version,
    "org.opencontainers.image.created": new Date(input.source.commitTime * 1e3).toISOString().replace(".000Z", "Z"),
    "dev.dockrion.agent": input.agent,
    "dev.dockrion.dockfile-sha256": input.dockfileSha256
  };
  if (input.description) labels["org.opencontainers.image.description"] = input.description;
  return labels;
}

// generators/dockerfile/render.ts
var import_handlebars = __toESM(require_lib(), 1);

// generators/dockerfile/escape.ts
var CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;
function quoteDockerfileValue(value) {
  const flattened = value.replace(CONTROL_CHARACTERS, " ");
  return `"${flattened.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}
var DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:-]+)?$/;
function checkSystemPackage(name) {
  if (!DEBIAN_PACKAGE.test(name)) {
    throw new ImageError(
      `build.system_packages: ${JSON.stringify(name)} is not a Debian package name`,
      "use names like libpq5 or curl=7.88.1-10 (lowercase letters, digits, + . -)"
    );
  }
  return name;
}
function checkImageReference(reference, what) {
  if (!isImageReference(reference)) {
    throw new ImageError(
      `${what}: ${JSON.stringify(reference)} is not an image reference`,
      "expected e.g. python:3.12-slim or registry.example.com/team/base:1.0@sha256:\u2026"
    );
  }
  return reference;
}
var PYTHON_VERSION = /^3(?:\.\d{1,2}){0,2}$/;
function checkPythonVersion(version) {
  if (!PYTHON_VERSION.test(version)) {
    throw new ImageError(`build.python: ${JSON.stringify(version)} is not a Python 3 version`, 'e.g. "3.12"');
  }
  return version;
}

// generators/dockerfile/template.ts
var DOCKERFILE_TEMPLATE = String.raw`# Generated by dockrion from the agent's Dockfile. Do not edit; regenerate instead.
ARG BASE_IMAGE={{baseImage}}

FROM $BASE_IMAGE AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONDONTWRITEBYTECODE=1
{{#if systemPackages}}
RUN apt-get update \
 && apt-get install -y --no-install-recommends {{systemPackages}} \
 && rm -rf /var/lib/apt/lists/*
{{/if}}
RUN python3 -m venv /opt/venv
COPY runtime/ /usr/src/dockrion/runtime/
RUN --mount=type=cache,id=dockrion-pip,target=/root/.cache/pip,sharing=locked \
    /opt/venv/bin/pip install "/usr/src/dockrion/runtime{{runtimeExtras}}"
{{#if hasRequirements}}
COPY requirements.txt /usr/src/dockrion/requirements.txt
RUN --mount=type=cache,id=dockrion-pip,target=/root/.cache/pip,sharing=locked \
    /opt/venv/bin/pip install -r /usr/src/dockrion/requirements.txt
{{/if}}
# pip (and setuptools/wheel unless an installed package needs them outside an extra) only serve
# installs, as do C sources, Cython files and type stubs: the running agent never reads them, and
# together they are a third of the venv. Then the venv is made byte-reproducible: pip's .pyc
# files embed the install time, so they are rebuilt hash-based (never checked against a source
# mtime: the image is immutable; a file that does not compile is left to import time, as pip
# does), and every mtime is pinned to 1980-01-01 (the ZIP epoch).
RUN /opt/venv/bin/python -c "import importlib.metadata as md, re; wanted = {re.split(r'[^A-Za-z0-9._-]', r, maxsplit=1)[0].lower() for d in md.distributions() for r in (d.requires or []) if not re.search(r'extra\s*==', r)}; print(' '.join(p for p in ('setuptools', 'wheel') if p not in wanted))" > /tmp/unneeded \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet pip $(cat /tmp/unneeded) \
 && rm /tmp/unneeded \
 && find /opt/venv/lib -type f \( -name '*.pyi' -o -name '*.pyx' -o -name '*.pxd' -o -name '*.c' -o -name '*.h' \) -delete \
 && find /opt/venv -name __pycache__ -type d -prune -exec rm -rf {} + \
 && { /opt/venv/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv/lib || true; } \
 && find /opt -exec touch --no-dereference --date=@315532800 {} +

FROM $BASE_IMAGE AS runtime
{{#if systemPackages}}
RUN apt-get update \
 && apt-get install -y --no-install-recommends {{systemPackages}} \
 && rm -rf /var/lib/apt/lists/*
{{/if}}
# Written directly instead of useradd, and with pinned mtimes: useradd stamps today's date into
# /etc/shadow, which would make the layer differ between two builds of the same commit.
RUN echo 'dockrion:x:{{uid}}:{{uid}}:dockrion agent:/app:/usr/sbin/nologin' >> /etc/passwd \
 && echo 'dockrion:x:{{uid}}:' >> /etc/group \
 && touch --date=@315532800 /etc/passwd /etc/group /etc
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DOCKRION_CONFIG=/app/dockrion.json
# Whole directories, so /opt and /app take their (pinned) times from the source, not the clock.
# --link: each of these layers is built on its own, not on top of the layers before it, so a
# builder that got them from a remote cache (a fresh CI runner) need not download and unpack the
# venv to add the agent layer; the layer bytes are the same as without it.
COPY --link --from=builder /opt /opt
COPY --link config/ /app/
COPY --link agent/ /app/
WORKDIR /app
USER {{uid}}:{{uid}}
EXPOSE {{port}}
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["/opt/venv/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:{{port}}/health', timeout=2)"]
{{#each labels}}
LABEL {{key}}={{value}}
{{/each}}
ENTRYPOINT ["/opt/venv/bin/python", "-m", "dockrion_runtime"]
CMD ["--config", "/app/dockrion.json", "--app-dir", "/app"]
`;

// generators/dockerfile/render.ts
var DEFAULT_PYTHON = "3.12";
var RUNTIME_EXTRAS = {
  langgraph: "[langgraph]",
  langchain: "[langchain]",
  custom: ""
};
var LABEL_KEY = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
var template = import_handlebars.default.compile(DOCKERFILE_TEMPLATE, { noEscape: true, strict: true });
function defaultBaseImage(python) {
  return `python:${checkPythonVersion(python ?? DEFAULT_PYTHON)}-slim`;
}
function renderDockerfile(input) {
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    throw new ImageError(`expose.port: ${input.port} is not a TCP port`);
  }
  const baseImage = input.baseImage === void 0 ? defaultBaseImage(input.python) : checkImageReference(input.baseImage, "build.base_image");
  const labels = Object.keys(input.labels).sort().map((key) => {
    if (!LABEL_KEY.test(key)) throw new ImageError(`label key ${JSON.stringify(key)} is not allowed`);
    return { key, value: quoteDockerfileValue(input.labels[key] ?? "") };
  });
  const systemPackages = [...new Set((input.systemPackages ?? []).map(checkSystemPackage))].sort();
  return template({
    baseImage,
    runtimeExtras: RUNTIME_EXTRAS[input.framework],
    systemPackages: systemPackages.join(" "),
    hasRequirements: input.hasRequirements,
    uid: RUNTIME_UID,
    port: input.port,
    labels
  });
}

// action/dockfile/digest.ts
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
function dockfileSha256(dockfilePath) {
  return createHash("sha256").update(readFileSync(dockfilePath)).digest("hex");
}

// action/image/build-context/select.ts
import { readdirSync, readFileSync as readFileSync2, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
var ALWAYS_EXCLUDED = [
  "**/.env",
  "**/.env.*",
  "**/*.env.age",
  "**/secrets.env",
  "**/.git",
  "**/.venv",
  "**/venv",
  "**/node_modules",
  "**/__pycache__",
  "**/*.pyc",
  "**/.pytest_cache",
  "**/.mypy_cache",
  "**/.ruff_cache",
  ".dockerignore",
  ".dockrion"
];
var PRUNED_DIRECTORIES = /* @__PURE__ */ new Set([".git", ".venv", "venv", "node_modules", "__pycache__", ".dockrion"]);
function toPosix(path) {
  return sep === "/" ? path : path.split(sep).join("/");
}
function listFiles(root, skip) {
  const rootReal = realpathSync(root);
  const out = [];
  const visit = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1);
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const rel = toPosix(relative(root, full));
      if (entry.isDirectory()) {
        if (PRUNED_DIRECTORIES.has(entry.name) || skip.has(full)) continue;
        visit(full);
      } else if (entry.isFile()) {
        out.push(rel);
      } else if (entry.isSymbolicLink()) {
        if (PRUNED_DIRECTORIES.has(entry.name)) continue;
        const target = realpathSync(full);
        if (!target.startsWith(rootReal + sep) || !statSync(target).isFile()) {
          throw new ImageError(
            `${rel} is a symbolic link to ${statSync(target).isDirectory() ? "a directory" : "a path outside the agent directory"}`,
            "the image gets file contents only: replace the link with the file, or exclude it in build.exclude"
          );
        }
        out.push(rel);
      }
    }
  };
  visit(root);
  return out;
}
function entryModuleRoots(entry) {
  const moduleName = entry.split(":")[0] ?? "";
  const top = moduleName.split(".")[0] ?? "";
  return top ? [top, `${top}.py`] : [];
}
function selectAgentFiles(agentDir, selection) {
  const all = listFiles(agentDir, new Set(selection.skipDirectories ?? []));
  const present = new Set(all);
  const isDirectory = (rel) => all.some((f) => f.startsWith(`${rel}/`));
  let included = () => true;
  const include = selection.include;
  const includeGiven = include !== void 0 && ((include.directories?.length ?? 0) > 0 || (include.files?.length ?? 0) > 0 || (include.patterns?.length ?? 0) > 0);
  if (include && includeGiven) {
    const directories = (include.directories ?? []).map((d) => d.replace(/^\.\/|\/+$/g, ""));
    const files = (include.files ?? []).map((f) => f.replace(/^\.\//, ""));
    for (const d of directories) {
      if (!isDirectory(d))
        throw new ImageError(`build.include.directories: ${d} is not a directory in the agent`);
    }
    for (const f of files) {
      if (!present.has(f)) throw new ImageError(`build.include.files: ${f} is not a file in the agent`);
    }
    const patternRules = compileRules(include.patterns ?? []);
    const roots = entryModuleRoots(selection.entry);
    included = (path) => files.includes(path) || directories.some((d) => d === "" || path.startsWith(`${d}/`)) || roots.some((r) => path === r || path.startsWith(`${r}/`)) || matchesAny(path, patternRules);
  }
  const dockerignorePath = join(agentDir, ".dockerignore");
  const dockerignore = present.has(".dockerignore") ? parseDockerignore(readFileSync2(dockerignorePath, "utf8")) : [];
  const userRules = [...dockerignore, ...compileRules(selection.exclude ?? [])];
  const alwaysRules = compileRules([...ALWAYS_EXCLUDED, ...selection.alsoExclude ?? []]);
  return all.filter(
    (path) => included(path) && !isExcluded(path, userRules) && !matchesAny(path, alwaysRules)
  );
}

// action/image/build-context/assemble.ts
var RUNTIME_EXCLUDED = /* @__PURE__ */ new Set(["tests", "build", "dist", "__pycache__", ".pytest_cache", ".venv"]);
function frameworkOf(spec) {
  return spec.agent.framework ?? "custom";
}
function entryOf(spec) {
  const entry = spec.agent.entrypoint ?? spec.agent.handler;
  if (!entry) throw new ImageError("agent has neither entrypoint nor handler");
  return entry;
}
function runtimeFiles(runtimeDir) {
  if (!existsSync(join2(runtimeDir, "pyproject.toml"))) {
    throw new ImageError(
      `${runtimeDir} has no pyproject.toml`,
      "runtimeDir must be the repository\u2019s runtime/ directory"
    );
  }
  const out = [];
  const visit = (rel) => {
    for (const entry of readdirSync2(join2(runtimeDir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (RUNTIME_EXCLUDED.has(entry.name) || entry.name.endsWith(".egg-info")) continue;
        visit(path);
      } else if (entry.isFile() && !entry.name.endsWith(".pyc")) {
        out.push(path);
      }
    }
  };
  visit("");
  return out.sort();
}
function canonicalJson(value) {
  const sortKeys = (v) => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])
      );
    }
    return v;
  };
  return `${JSON.stringify(sortKeys(value), null, 2)}
`;
}
function readPort(config) {
  const port = config.expose?.port;
  if (typeof port !== "number") throw new ImageError("the normalized config has no expose.port");
  return port;
}
function prepareOutDir(outDir) {
  if (existsSync(outDir) && readdirSync2(outDir).length > 0) {
    throw new ImageError(`${outDir} is not empty`, "the build context is written to a fresh directory");
  }
  mkdirSync(outDir, { recursive: true });
}
function copyInto(outDir, target, source) {
  const destination = join2(outDir, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(source, destination);
  chmodSync(destination, statSync2(source).mode & 64 ? 493 : 420);
}
function writeInto(outDir, target, content) {
  const destination = join2(outDir, target);
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, content, { mode: 420 });
  chmodSync(destination, 420);
}
function pinTimes(dir, epochSeconds) {
  for (const entry of readdirSync2(dir, { withFileTypes: true })) {
    const path = join2(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 493);
      pinTimes(path, epochSeconds);
    }
    utimesSync(path, epochSeconds, epochSeconds);
  }
  utimesSync(dir, epochSeconds, epochSeconds);
}
function assembleBuildContext(input) {
  const { spec, source } = input;
  const dockfilePath = resolve(input.dockfilePath);
  const agentDir = dirname(dockfilePath);
  const outDir = resolve(input.outDir);
  const runtimeDir = resolve(input.runtimeDir);
  if (!Number.isInteger(source.commitTime) || source.commitTime < 0) {
    throw new ImageError(`source.commitTime must be Unix seconds, got ${source.commitTime}`);
  }
  prepareOutDir(outDir);
  const config = normalizeDockfile(spec);
  const requirementsSetting = spec.build?.requirements;
  const requirementsPath = join2(agentDir, requirementsSetting ?? "requirements.txt");
  if (requirementsSetting !== void 0 && !existsSync(requirementsPath)) {
    throw new ImageError(`build.requirements: ${requirementsSetting} does not exist next to the Dockfile`);
  }
  const hasRequirements = existsSync(requirementsPath);
  const agentFiles = selectAgentFiles(agentDir, {
    include: spec.build?.include,
    exclude: spec.build?.exclude,
    entry: entryOf(spec),
    alsoExclude: [relative2(agentDir, dockfilePath), "dockrion.json"],
    skipDirectories: [outDir]
  });
  if (agentFiles.length === 0)
    throw new ImageError("no agent files selected", "check build.include and build.exclude");
  const dockerfile = renderDockerfile({
    framework: frameworkOf(spec),
    python: spec.build?.python,
    baseImage: spec.build?.base_image,
    port: readPort(config),
    systemPackages: spec.build?.system_packages,
    hasRequirements,
    labels: imageLabels({
      agent: spec.agent.name,
      description: spec.agent.description,
      version: input.version,
      source,
      dockfileSha256: dockfileSha256(dockfilePath)
    })
  });
  writeInto(outDir, "Dockerfile", dockerfile);
  writeInto(outDir, "config/dockrion.json", canonicalJson(config));
  if (hasRequirements) copyInto(outDir, "requirements.txt", requirementsPath);
  for (const file of runtimeFiles(runtimeDir)) copyInto(outDir, `runtime/${file}`, join2(runtimeDir, file));
  for (const file of agentFiles) copyInto(outDir, `agent/${file}`, join2(agentDir, file));
  pinTimes(outDir, source.commitTime);
  const files = [
    "Dockerfile",
    "config/dockrion.json",
    ...hasRequirements ? ["requirements.txt"] : [],
    ...runtimeFiles(runtimeDir).map((f) => `runtime/${f}`),
    ...agentFiles.map((f) => `agent/${f}`)
  ].sort();
  return { dir: outDir, files, dockerfile };
}

// action/image/login.ts
async function dockerLogin(host, credentials, options) {
  options.logger.setSecret(credentials.password);
  await options.docker.login({
    host,
    username: credentials.username,
    password: credentials.password,
    configDir: options.configDir
  });
}

// action/image/registry.ts
var MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json"
];
function registryBaseUrl(host) {
  const name = host.replace(/:[0-9]+$/, "");
  const loopback = name === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(name) || name === "[::1]";
  return `${loopback ? "http" : "https"}://${host}`;
}
function parseChallenge(header) {
  const space = header.indexOf(" ");
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const params = {};
  for (const m of header.slice(space + 1).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) {
    if (m[1] !== void 0 && m[2] !== void 0) params[m[1]] = m[2];
  }
  return { scheme, params };
}
function basic(credentials) {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}
async function bearerToken(params, repository, options) {
  if (!params.realm) throw new ImageError("registry sent a Bearer challenge without a realm");
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set("service", params.service);
  url.searchParams.set("scope", params.scope ?? `repository:${repository}:pull`);
  const response = await options.fetch(url, {
    headers: options.credentials ? { Authorization: basic(options.credentials) } : {}
  });
  if (!response.ok) {
    throw new ImageError(
      `registry token endpoint ${url.origin}${url.pathname} answered ${response.status}`,
      options.credentials ? "check that the token may read packages" : "the image is private: pass credentials"
    );
  }
  const body = await response.json();
  const token = body.token ?? body.access_token;
  if (!token) throw new ImageError("registry token endpoint returned no token");
  return token;
}
async function verifyDigest(ref, options) {
  const { host, repository, digest } = parseReference(ref);
  if (!digest) throw new ImageError(`${ref} is not pinned by digest`);
  const url = `${registryBaseUrl(host)}/v2/${repository}/manifests/${digest}`;
  const accept = MANIFEST_MEDIA_TYPES.join(", ");
  const head = (authorization) => options.fetch(url, {
    method: "HEAD",
    headers: authorization ? { Accept: accept, Authorization: authorization } : { Accept: accept }
  });
  let response;
  try {
    response = await head();
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get("www-authenticate") ?? "");
      if (challenge.scheme === "bearer") {
        response = await head(`Bearer ${await bearerToken(challenge.params, repository, options)}`);
      } else if (challenge.scheme === "basic" && options.credentials) {
        response = await head(basic(options.credentials));
      }
    }
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new ImageError(`cannot reach registry ${host} to verify ${digest}`, null, e);
  }
  if (response.status === 404) {
    throw new ImageError(
      `${host}/${repository}@${digest} does not exist in the registry`,
      options.missingHint ?? "the push did not land; rerun the build"
    );
  }
  if (!response.ok) {
    throw new ImageError(`registry ${host} answered ${response.status} for ${repository}@${digest}`);
  }
  const served = response.headers.get("docker-content-digest");
  if (served !== null && served !== digest) {
    throw new ImageError(`registry ${host} served ${served} when asked for ${digest}`);
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (type !== "" && !MANIFEST_MEDIA_TYPES.includes(type)) {
    throw new ImageError(`registry ${host} served ${type} for ${digest}, which is not an image manifest`);
  }
}

// action/image/build.ts
function lineLogger(logger) {
  let pending = "";
  return {
    write(chunk) {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) logger.info(line);
    },
    flush() {
      if (pending) logger.info(pending);
      pending = "";
    }
  };
}
function throwawayDockerConfig(env) {
  const dir = mkdtempSync(join3(tmpdir(), "dockrion-docker-config-"));
  const real = env.DOCKER_CONFIG ?? join3(env.HOME ?? homedir(), ".docker");
  if (existsSync2(join3(real, "buildx"))) symlinkSync(join3(real, "buildx"), join3(dir, "buildx"));
  return dir;
}
async function buildImage(options) {
  const { docker, logger } = options;
  const env = options.env ?? process.env;
  const platforms = options.platforms?.length ? options.platforms : ["linux/amd64"];
  const image = imageName(options.registry, options.spec.agent.name);
  const tags = imageTags(options.version, options.source.commit);
  const tag = tags[0];
  const capabilities = options.capabilities ?? await builderCapabilities(docker, options.builder);
  checkCapabilities(capabilities, { provenance: options.provenance, sbom: options.sbom, platforms });
  const cache = resolveCache({
    request: options.cache,
    capabilities,
    push: options.push,
    image,
    env
  });
  logger.info(cache.summary);
  const workDir = mkdtempSync(join3(tmpdir(), "dockrion-build-"));
  const contextDir = options.contextDir ?? join3(workDir, "context");
  const metadataFile = join3(workDir, "metadata.json");
  let dockerConfig;
  const started = Date.now();
  try {
    assembleBuildContext({
      spec: options.spec,
      dockfilePath: options.dockfilePath,
      runtimeDir: options.runtimeDir ?? locateRuntimeDir(env),
      outDir: contextDir,
      version: options.version,
      source: options.source
    });
    if (options.credentials && options.push) {
      dockerConfig = throwawayDockerConfig(env);
      await dockerLogin(parseReference(image).host, options.credentials, {
        docker,
        logger,
        configDir: dockerConfig
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
      cacheTo: cache.to
    };
    const output = lineLogger(logger);
    await logger.group(`docker buildx build ${image}:${tag} (${platforms.join(", ")})`, async () => {
      try {
        await docker.buildxBuild(invocation, {
          sourceDateEpoch: options.source.commitTime,
          configDir: dockerConfig,
          stream: output.write
        });
      } finally {
        output.flush();
      }
    });
    const digest = digestFromMetadata(readFileSync3(metadataFile, "utf8"));
    const ref = `${image}:${tag}@${digest}`;
    if (options.push) {
      await verifyDigest(ref, { fetch: options.fetch ?? fetch, credentials: options.credentials });
    }
    const seconds = ((Date.now() - started) / 1e3).toFixed(1);
    logger.info(`${options.push ? "pushed" : "built"} ${ref} (${platforms.join(", ")}) in ${seconds}s`);
    return { image, tag, digest, ref, tags };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
  }
}

// action/image/source.ts
import { realpathSync as realpathSync2 } from "node:fs";
import { relative as relative3 } from "node:path";
function repositoryUrl(remote) {
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(remote);
    const path = url.pathname.replace(/\.git\/?$/, "").replace(/\/$/, "");
    const port = url.protocol === "http:" || url.protocol === "https:" ? url.port : "";
    const scheme = url.protocol === "http:" ? "http" : "https";
    return `${scheme}://${url.hostname}${port ? `:${port}` : ""}${path}`;
  } catch {
    return remote;
  }
}
async function gitSource(dir, exec, env) {
  const checkout = await Git.forCheckout(exec, dir, env);
  const head = checkout ? await checkout.git.run(["log", "-1", "--format=%H %ct"], { allowFailure: true }) : null;
  const [commit, time] = head?.stdout.trim().split(" ") ?? [];
  if (!checkout || head?.code !== 0 || !commit || !time) {
    throw new ImageError(
      `${dir} is not inside a git checkout with a commit`,
      "the image is labelled with its source commit: commit your agent first"
    );
  }
  const { git, topLevel } = checkout;
  let repo;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) {
    repo = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`;
  } else {
    const origin = await git.run(["remote", "get-url", "origin"], { allowFailure: true });
    repo = origin.code === 0 && origin.stdout.trim() ? repositoryUrl(origin.stdout.trim()) : "unknown";
  }
  const agentPath = relative3(topLevel, realpathSync2(dir)) || ".";
  const status = await git.run(["status", "--porcelain", "--", agentPath], {
    workTree: topLevel,
    allowFailure: true
  });
  return { repo, commit, commitTime: Number(time), dirty: status.stdout.trim() !== "" };
}

export {
  dockfileSha256,
  resolveProvenance,
  registryHostOf,
  resolveVersion,
  parseReference,
  verifyDigest,
  buildImage,
  gitSource
};
