import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  DeployConfigError,
  RenderError,
  SecretsError
} from "./chunk-RK5RNRQP.js";

// schemas/runtime-defaults.ts
var RUNTIME_DEFAULTS = {
  /** `agent.framework` when the agent is a bare `handler`. */
  handlerFramework: "custom",
  auth: { mode: "api_key", apiKeys: { env_var: "DOCKRION_API_KEY", header: "X-API-Key" } },
  expose: { rest: true, streaming: "sse", port: 8080, host: "0.0.0.0" },
  policies: {
    tools: { deny_by_default: true },
    safety: { block_prompt_injection: true, halt_on_violation: false }
  },
  observability: { log_level: "info" }
};

// shared/suggest.ts
function editDistance(a, b) {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
function closest(word, candidates) {
  const lower = word.toLowerCase();
  let best;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = word.length <= 3 ? 1 : word.length <= 5 ? 2 : Math.min(3, Math.floor(word.length / 3) + 1);
  return best !== void 0 && bestDistance <= tolerance ? best : void 0;
}
function toDnsLabel(name) {
  let label = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^[^a-z]+/, "").slice(0, 63).replace(/-+$/, "");
  if (label === "") label = "agent";
  return label;
}

// generators/kubernetes/quantity.ts
function cpuMillicores(quantity) {
  if (typeof quantity === "number") return Math.round(quantity * 1e3);
  const milli = /^([0-9]+)m$/.exec(quantity);
  if (milli?.[1] !== void 0) return Number(milli[1]);
  if (/^[0-9]+(\.[0-9]+)?$/.test(quantity)) return Math.round(Number(quantity) * 1e3);
  throw new Error(`not a CPU quantity: '${quantity}' (use e.g. 250m, 0.5 or 2)`);
}
var MEMORY_FACTORS = {
  "": 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60
};
function memoryBytes(quantity) {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$/.exec(quantity);
  const factor = MEMORY_FACTORS[match?.[2] ?? ""];
  if (!match?.[1] || factor === void 0) {
    throw new Error(`not a memory quantity: '${quantity}' (use e.g. 256Mi or 1Gi)`);
  }
  return Math.round(Number(match[1]) * factor);
}
function formatCpu(millicores) {
  return millicores % 1e3 === 0 ? String(millicores / 1e3) : `${millicores}m`;
}
function quantitySize(kind, quantity) {
  return kind === "cpu" ? cpuMillicores(quantity) : memoryBytes(String(quantity));
}
function requestOverLimit(kind, request, limit) {
  return `${kind === "cpu" ? "CPU" : "memory"} request ${request} is greater than the limit ${limit}`;
}

// generators/environment.ts
var RESERVED_ENV_KEYS = ["DOCKRION_ENV", "DOCKRION_VERSION"];
var DRAIN_ENV_KEY = "DOCKRION_SHUTDOWN_GRACE_SECONDS";
var DEFAULTS = {
  target: "kubernetes",
  replicas: 1,
  port: RUNTIME_DEFAULTS.expose.port,
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
  autoscalingMin: 1,
  autoscalingCpu: 70,
  /** The runtime's own default (runtime/dockrion_runtime/server.py). */
  drainSeconds: 25,
  /** Where a restricted egress still lets DNS queries go: any pod in kube-system, port 53. */
  dns: { namespace: "kube-system", podLabels: {}, ports: [53] }
};
var DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
function unknownEnvironmentHint(environment, known) {
  if (known.length === 0) return null;
  const guess = closest(environment, known);
  return guess ? `did you mean --env ${guess}? Or add deploy.environments.${environment}` : `use --env ${known.join(" | ")}, or add deploy.environments.${environment}`;
}
function resolveEnvironment(spec, environment) {
  const deploy = spec.deploy ?? {};
  const environments = deploy.environments ?? {};
  const known = Object.keys(environments).sort();
  if (!DNS_LABEL.test(environment)) {
    throw new DeployConfigError(
      "deploy.environments",
      `environment name '${environment}' is not a DNS-1123 label`,
      "use lowercase letters, digits and hyphens, e.g. staging or prod-eu"
    );
  }
  if (deploy.environments !== void 0 && !Object.hasOwn(environments, environment)) {
    throw new DeployConfigError(
      "deploy.environments",
      `unknown environment '${environment}'; the Dockfile defines: ${known.length ? known.join(", ") : "(none)"}`,
      unknownEnvironmentHint(environment, known)
    );
  }
  const overrides = (Object.hasOwn(environments, environment) ? environments[environment] : void 0) ?? {};
  const envPath = deploy.environments === void 0 ? "deploy" : `deploy.environments.${environment}`;
  const replicas = overrides.replicas ?? deploy.replicas ?? DEFAULTS.replicas;
  const autoscaling = overrides.autoscaling ?? deploy.autoscaling;
  const resolvedAutoscaling = autoscaling ? {
    min: autoscaling.min ?? Math.min(Math.max(replicas, DEFAULTS.autoscalingMin), autoscaling.max),
    max: autoscaling.max,
    cpu: autoscaling.cpu ?? DEFAULTS.autoscalingCpu
  } : null;
  if (resolvedAutoscaling && resolvedAutoscaling.min > resolvedAutoscaling.max) {
    throw new DeployConfigError(
      `${overrides.autoscaling ? envPath : "deploy"}.autoscaling`,
      `min (${resolvedAutoscaling.min}) is greater than max (${resolvedAutoscaling.max})`
    );
  }
  const required = (spec.secrets?.required ?? []).map((s) => s.name).sort();
  const optional = (spec.secrets?.optional ?? []).map((s) => s.name).sort();
  const env = resolvePlainEnv(
    deploy.env ?? {},
    overrides.env ?? {},
    envPath,
    /* @__PURE__ */ new Set([...required, ...optional])
  );
  return {
    name: environment,
    agent: spec.agent.name,
    target: overrides.target ?? deploy.target ?? DEFAULTS.target,
    namespace: overrides.namespace ?? environment,
    port: spec.expose?.port ?? DEFAULTS.port,
    authMode: spec.auth?.mode ?? "api_key",
    replicas,
    resources: resolveResources(deploy.resources, overrides.resources, envPath),
    autoscaling: resolvedAutoscaling,
    networkPolicy: {
      enabled: overrides.network_policy?.enabled ?? deploy.network_policy?.enabled ?? (overrides.network_policy?.egress ?? deploy.network_policy?.egress ?? []).length > 0,
      egress: [...overrides.network_policy?.egress ?? deploy.network_policy?.egress ?? []].sort(),
      dns: resolveDns(overrides.network_policy?.dns ?? deploy.network_policy?.dns)
    },
    env,
    drainSeconds: resolveDrainSeconds(env, overrides.env ?? {}, envPath),
    ingress: overrides.ingress ?? null,
    secrets: {
      profile: overrides.secrets ?? { provider: "github" },
      required,
      optional
    }
  };
}
function environmentOf(spec, environment) {
  return typeof environment === "string" ? resolveEnvironment(spec, environment) : environment;
}
function resolveDns(dns) {
  const labels = dns?.pod_labels ?? DEFAULTS.dns.podLabels;
  return {
    namespace: dns?.namespace ?? DEFAULTS.dns.namespace,
    podLabels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)),
    ports: [...new Set(dns?.ports ?? DEFAULTS.dns.ports)].sort((a, b) => a - b)
  };
}
function resolveDrainSeconds(env, overrides, envPath) {
  const value = env[DRAIN_ENV_KEY];
  if (value === void 0) return DEFAULTS.drainSeconds;
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    const where = Object.hasOwn(overrides, DRAIN_ENV_KEY) ? `${envPath}.env` : "deploy.env";
    throw new DeployConfigError(
      `${where}.${DRAIN_ENV_KEY}`,
      `must be a number of seconds from 0 to 3600, got '${value}'`
    );
  }
  return seconds;
}
function resolvePlainEnv(base, overrides, envPath, secretNames) {
  const merged = {};
  for (const [source, path] of [
    [base, "deploy.env"],
    [overrides, `${envPath}.env`]
  ]) {
    for (const [key, value] of Object.entries(source)) {
      if (RESERVED_ENV_KEYS.includes(key)) {
        throw new DeployConfigError(`${path}.${key}`, `${key} is set by dockrion and may not be overridden`);
      }
      if (secretNames.has(key)) {
        throw new DeployConfigError(
          `${path}.${key}`,
          `${key} is a declared secret and may not be set as plain configuration`,
          "remove it from env; its value comes from the secret profile"
        );
      }
      merged[key] = String(value);
    }
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function resolveResources(base, overrides, envPath) {
  const pick = (kind, field) => {
    const fromEnv = overrides?.[kind]?.[field];
    if (fromEnv !== void 0) return { value: fromEnv, path: `${envPath}.resources.${kind}.${field}` };
    const fromDeploy = base?.[kind]?.[field];
    if (fromDeploy !== void 0) return { value: fromDeploy, path: `deploy.resources.${kind}.${field}` };
    return null;
  };
  const cpu = resolvePair(
    pick("requests", "cpu"),
    pick("limits", "cpu"),
    DEFAULTS.requests.cpu,
    DEFAULTS.limits.cpu,
    { kind: "cpu", format: (q) => formatCpu(cpuMillicores(q)) }
  );
  const memory = resolvePair(
    pick("requests", "memory"),
    pick("limits", "memory"),
    DEFAULTS.requests.memory,
    DEFAULTS.limits.memory,
    { kind: "memory", format: String }
  );
  return {
    requests: { cpu: cpu.request, memory: memory.request },
    limits: { cpu: cpu.limit, memory: memory.limit }
  };
}
function resolvePair(request, limit, defaultRequest, defaultLimit, unit) {
  const measure = (picked, fallback) => {
    if (picked === null) return quantitySize(unit.kind, fallback);
    try {
      return quantitySize(unit.kind, picked.value);
    } catch (e) {
      throw new DeployConfigError(picked.path, e instanceof Error ? e.message : String(e));
    }
  };
  const requestSize = measure(request, defaultRequest);
  const limitSize = measure(limit, defaultLimit);
  const requestValue = request?.value ?? defaultRequest;
  const limitValue = limit?.value ?? defaultLimit;
  if (requestSize <= limitSize) return { request: unit.format(requestValue), limit: unit.format(limitValue) };
  if (request !== null && limit !== null) {
    throw new DeployConfigError(
      request.path,
      `${requestOverLimit(unit.kind, request.value, limit.value)} (${limit.path})`
    );
  }
  const raised = unit.format(request === null ? limitValue : requestValue);
  return { request: raised, limit: raised };
}

// generators/image-ref.ts
var COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
var DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
var DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
var DIGEST = /^sha256:[0-9a-f]{64}$/;
var REPOSITORY = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);
var REGISTRY = new RegExp(`^${DOMAIN}(?:/${COMPONENT})*$`, "i");
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function splitReference(reference) {
  const at = reference.indexOf("@");
  const digest = at < 0 ? null : reference.slice(at + 1);
  const nameAndTag = at < 0 ? reference : reference.slice(0, at);
  const colon = nameAndTag.indexOf(":", nameAndTag.lastIndexOf("/") + 1);
  return {
    name: colon < 0 ? nameAndTag : nameAndTag.slice(0, colon),
    tag: colon < 0 ? null : nameAndTag.slice(colon + 1),
    digest
  };
}
var isImageRepository = (name) => REPOSITORY.test(name);
var isImageTag = (tag) => TAG.test(tag);
var isImageDigest = (digest) => DIGEST.test(digest);
function isImageReference(reference) {
  const { name, tag, digest } = splitReference(reference);
  return isImageRepository(name) && (tag === null || isImageTag(tag)) && (digest === null || isImageDigest(digest));
}
var isRegistry = (registry) => REGISTRY.test(registry);
function parseImageRef(ref) {
  const at = ref.indexOf("@");
  if (at < 0) {
    throw new RenderError(
      `image reference '${ref}' has no digest; manifests must pin the image by @sha256:<digest>`,
      "pass the reference the build printed, e.g. ghcr.io/acme/agent:1.2.0@sha256:\u2026"
    );
  }
  const { name: repository, tag, digest } = splitReference(ref);
  if (digest === null || !isImageDigest(digest)) {
    throw new RenderError(
      `image reference '${ref}' has an invalid digest '${digest}'; expected sha256: followed by 64 lowercase hex digits`
    );
  }
  if (!isImageRepository(repository)) {
    throw new RenderError(`image reference '${ref}' has an invalid repository '${repository}'`);
  }
  if (tag !== null && !isImageTag(tag)) {
    throw new RenderError(`image reference '${ref}' has an invalid tag '${tag}'`);
  }
  return { repository, tag, digest, reference: `${repository}${tag === null ? "" : `:${tag}`}@${digest}` };
}

// generators/env-file.ts
function quote(value) {
  const escaped = value.replace(/[\\"$\n\r]/g, (c) => {
    switch (c) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      default:
        return `\\${c}`;
    }
  });
  return `"${escaped}"`;
}
var NAME = /^[A-Z_][A-Z0-9_]*$/;
function formatEnvFile(values) {
  const names = [...values.keys()].sort();
  const lines = names.map((name) => {
    if (!NAME.test(name)) throw new SecretsError(`secret name '${name}' is not a valid variable name`);
    const value = values.get(name) ?? "";
    if (value.includes("\0")) {
      throw new SecretsError(`secret ${name} contains a NUL byte, which no environment variable can hold`);
    }
    return `${name}=${quote(value)}
`;
  });
  return lines.join("");
}
var DOUBLE_QUOTED_ESCAPES = {
  "\\": "\\",
  '"': '"',
  $: "$",
  n: "\n",
  r: "\r",
  t: "	"
};
function readDoubleQuoted(field) {
  let value = "";
  for (let i = 1; i < field.length; i++) {
    const c = field[i];
    if (c === '"') return { value, end: i };
    if (c === "\\" && i + 1 < field.length) {
      const next = field[i + 1];
      const decoded = DOUBLE_QUOTED_ESCAPES[next];
      value += decoded ?? `\\${next}`;
      i++;
    } else {
      value += c;
    }
  }
  return null;
}
function parseEnvFile(text) {
  const values = /* @__PURE__ */ new Map();
  const problems = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    const name = match?.[1];
    if (!name) {
      problems.push({ line: index + 1, message: "expected KEY=VALUE" });
      continue;
    }
    const field = match[2] ?? "";
    if (field.startsWith('"')) {
      const quoted = readDoubleQuoted(field);
      if (quoted) values.set(name, quoted.value);
      else problems.push({ line: index + 1, message: `unterminated double-quoted value for ${name}` });
    } else if (field.startsWith("'")) {
      const end = field.indexOf("'", 1);
      if (end >= 0) values.set(name, field.slice(1, end));
      else problems.push({ line: index + 1, message: `unterminated single-quoted value for ${name}` });
    } else {
      values.set(name, field.replace(/\s+#.*$/, "").trim());
    }
  }
  return { values, problems };
}

export {
  RUNTIME_DEFAULTS,
  closest,
  toDnsLabel,
  cpuMillicores,
  memoryBytes,
  quantitySize,
  requestOverLimit,
  RESERVED_ENV_KEYS,
  DRAIN_ENV_KEY,
  DEFAULTS,
  resolveEnvironment,
  environmentOf,
  splitReference,
  isImageRepository,
  isImageTag,
  isImageDigest,
  isImageReference,
  isRegistry,
  parseImageRef,
  formatEnvFile,
  parseEnvFile
};
