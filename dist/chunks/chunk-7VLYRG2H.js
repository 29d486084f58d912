import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  ANNOTATION_PREFIX,
  COMPOSE_LABEL_PREFIX,
  RUNTIME_UID,
  commonLabels,
  instanceName,
  objectNames,
  selectorLabels
} from "./chunk-DWKWGFPV.js";
import {
  RenderError
} from "./chunk-NSHGOOXV.js";
import {
  closest,
  cpuMillicores,
  formatCpu,
  memoryBytes,
  require_dist
} from "./chunk-Z44K7NLS.js";
import {
  __toESM
} from "./chunk-PDFGJ37W.js";

// generators/image-ref.ts
var DIGEST = /^sha256:[0-9a-f]{64}$/;
var REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+|:[0-9]+|\/[a-z0-9]+)*$/;
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function parseImageRef(ref) {
  const at = ref.indexOf("@");
  if (at < 0) {
    throw new RenderError(
      `image reference '${ref}' has no digest; manifests must pin the image by @sha256:<digest>`,
      "pass the reference the build printed, e.g. ghcr.io/acme/agent:1.2.0@sha256:\u2026"
    );
  }
  const name = ref.slice(0, at);
  const digest = ref.slice(at + 1);
  if (!DIGEST.test(digest)) {
    throw new RenderError(
      `image reference '${ref}' has an invalid digest '${digest}'; expected sha256: followed by 64 lowercase hex digits`
    );
  }
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash + 1);
  const repository = colon < 0 ? name : name.slice(0, colon);
  const tag = colon < 0 ? null : name.slice(colon + 1);
  if (!REPOSITORY.test(repository)) {
    throw new RenderError(`image reference '${ref}' has an invalid repository '${repository}'`);
  }
  if (tag !== null && !TAG.test(tag)) {
    throw new RenderError(`image reference '${ref}' has an invalid tag '${tag}'`);
  }
  return { repository, tag, digest, reference: `${repository}${tag === null ? "" : `:${tag}`}@${digest}` };
}

// generators/environment.ts
var RESERVED_ENV_KEYS = ["DOCKRION_ENV", "DOCKRION_VERSION"];
var DRAIN_ENV_KEY = "DOCKRION_SHUTDOWN_GRACE_SECONDS";
var DEFAULTS = {
  target: "kubernetes",
  replicas: 1,
  port: 8080,
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
  autoscalingMin: 1,
  autoscalingCpu: 70,
  /** The runtime's own default (runtime/dockrion_runtime/server.py). */
  drainSeconds: 25
};
var DeployConfigError = class extends RenderError {
  code = "4012";
  numericCode = 4012;
  /** JSON path in the Dockfile, e.g. `deploy.environments.prod.resources.requests.cpu`. */
  path;
  constructor(path, message, hint) {
    super(`${path}: ${message}`, hint);
    this.path = path;
  }
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
      egress: [...overrides.network_policy?.egress ?? deploy.network_policy?.egress ?? []].sort()
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
    {
      what: "CPU",
      measure: cpuMillicores,
      format: (q) => formatCpu(cpuMillicores(q))
    }
  );
  const memory = resolvePair(
    pick("requests", "memory"),
    pick("limits", "memory"),
    DEFAULTS.requests.memory,
    DEFAULTS.limits.memory,
    { what: "memory", measure: (q) => memoryBytes(String(q)), format: String }
  );
  return {
    requests: { cpu: cpu.request, memory: memory.request },
    limits: { cpu: cpu.limit, memory: memory.limit }
  };
}
function resolvePair(request, limit, defaultRequest, defaultLimit, unit) {
  const measure = (picked, fallback) => {
    if (picked === null) return unit.measure(fallback);
    try {
      return unit.measure(picked.value);
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
      `${unit.what} request ${request.value} is greater than the limit ${limit.value} (${limit.path})`
    );
  }
  const raised = unit.format(request === null ? limitValue : requestValue);
  return { request: raised, limit: raised };
}

// generators/plain-config.ts
function plainConfig(ctx) {
  const config = {
    ...ctx.env.env,
    DOCKRION_ENV: ctx.env.name,
    DOCKRION_VERSION: ctx.version,
    // Always written, so the drain the runtime uses is the one the grace period was sized for.
    [DRAIN_ENV_KEY]: String(ctx.env.drainSeconds)
  };
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

// generators/render-context.ts
function gracePeriodSeconds(env) {
  return Math.ceil(env.drainSeconds) + 5;
}
var STARTUP_BUDGET_SECONDS = 300;

// generators/compose/units.ts
function composeCpus(quantity) {
  return String(cpuMillicores(quantity) / 1e3);
}
function composeMemory(quantity) {
  const bytes = memoryBytes(quantity);
  for (const [unit, size] of [
    ["g", 2 ** 30],
    ["m", 2 ** 20],
    ["k", 2 ** 10]
  ]) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}b`;
}

// generators/compose/compose.ts
var COMPOSE_FILE = "compose.yaml";
var SECRETS_ENV_FILE = "secrets.env";
var HEALTH_INTERVAL_SECONDS = 30;
var HEALTH_START_INTERVAL_SECONDS = 2;
function composeDocuments(ctx) {
  const { env } = ctx;
  const service2 = objectNames(env.agent).workload;
  const port = {
    target: env.port,
    published: String(env.port),
    protocol: "tcp",
    mode: "host"
  };
  if (env.authMode === "none") port.host_ip = "127.0.0.1";
  const declaresSecrets = env.secrets.required.length + env.secrets.optional.length > 0;
  const resources = {
    limits: {
      cpus: composeCpus(env.resources.limits.cpu),
      memory: composeMemory(env.resources.limits.memory)
    },
    reservations: { memory: composeMemory(env.resources.requests.memory) }
  };
  const definition = {
    image: ctx.image.reference,
    user: `${RUNTIME_UID}:${RUNTIME_UID}`,
    read_only: true,
    tmpfs: ["/tmp:size=256m,mode=1777"],
    cap_drop: ["ALL"],
    security_opt: ["no-new-privileges:true"],
    ports: [port],
    environment: plainConfig(ctx),
    healthcheck: {
      test: ["CMD", "python3", "-c", healthProbeScript(env.port)],
      interval: `${HEALTH_INTERVAL_SECONDS}s`,
      timeout: "5s",
      retries: 3,
      start_period: `${STARTUP_BUDGET_SECONDS}s`,
      // Probe every few seconds while starting, so `compose up --wait` (and `dockrion apply`)
      // returns as soon as the agent is ready instead of after a whole interval (Engine ≥ 25).
      start_interval: `${HEALTH_START_INTERVAL_SECONDS}s`
    },
    restart: "unless-stopped",
    stop_signal: "SIGTERM",
    stop_grace_period: `${gracePeriodSeconds(env)}s`,
    deploy: { resources },
    labels: composeLabels(ctx)
  };
  if (declaresSecrets) {
    definition.env_file = [{ path: SECRETS_ENV_FILE, required: env.secrets.required.length > 0 }];
  }
  const document = {
    name: instanceName(env.agent, env.name),
    services: { [service2]: definition }
  };
  return [{ path: COMPOSE_FILE, document: escapeInterpolation(document) }];
}
function healthProbeScript(port) {
  return `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}/health', timeout=4)`;
}
function composeLabels(ctx) {
  const labels = {
    [`${COMPOSE_LABEL_PREFIX}.agent`]: ctx.env.agent,
    [`${COMPOSE_LABEL_PREFIX}.environment`]: ctx.env.name,
    [`${COMPOSE_LABEL_PREFIX}.version`]: ctx.version,
    [`${COMPOSE_LABEL_PREFIX}.image-digest`]: ctx.image.digest,
    [`${COMPOSE_LABEL_PREFIX}.managed-by`]: "dockrion"
  };
  if (ctx.secretVersions !== null) labels[`${COMPOSE_LABEL_PREFIX}.secret-versions`] = ctx.secretVersions;
  if (ctx.source !== null)
    labels[`${COMPOSE_LABEL_PREFIX}.source`] = `${ctx.source.repo}@${ctx.source.commit}`;
  return labels;
}
function escapeInterpolation(value) {
  if (typeof value === "string") return value.replaceAll("$", "$$$$");
  if (Array.isArray(value)) return value.map(escapeInterpolation);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)]));
  }
  return value;
}

// generators/kubernetes/metadata.ts
function objectMeta(ctx, name, extraAnnotations) {
  const meta = { name, labels: commonLabels(ctx.env.agent, ctx.env.name, ctx.version) };
  const annotations = { ...sourceAnnotations(ctx), ...extraAnnotations };
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  return meta;
}
function sourceAnnotations(ctx) {
  if (ctx.source === null) return {};
  return {
    [`${ANNOTATION_PREFIX}/source-repo`]: ctx.source.repo,
    [`${ANNOTATION_PREFIX}/source-commit`]: ctx.source.commit
  };
}

// generators/external-secrets/external-secret.ts
var DEFAULT_STORE_NAMES = { vault: "dockrion-vault", aws: "dockrion-aws" };
var DEFAULT_REFRESH_INTERVAL = "1h";
function secretSources(ctx) {
  const { required, optional, profile } = ctx.env.secrets;
  const names = objectNames(ctx.env.agent);
  if (required.length + optional.length === 0) return [];
  if (profile.provider === "github") {
    return [{ secretName: names.secret, optional: required.length === 0, externalSecret: null }];
  }
  const sources = [];
  if (required.length > 0) {
    sources.push({
      secretName: names.secret,
      optional: false,
      externalSecret: externalSecret(ctx, names.secret, required, profile)
    });
  }
  if (optional.length > 0) {
    sources.push({
      secretName: names.optionalSecret,
      optional: true,
      externalSecret: externalSecret(ctx, names.optionalSecret, optional, profile)
    });
  }
  return sources;
}
function externalSecret(ctx, name, secretNames, profile) {
  const provider = profile.provider;
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: objectMeta(ctx, name),
    spec: {
      refreshInterval: profile.refresh_interval ?? DEFAULT_REFRESH_INTERVAL,
      secretStoreRef: {
        name: profile.store?.name ?? DEFAULT_STORE_NAMES[provider],
        kind: profile.store?.kind ?? "SecretStore"
      },
      target: { name, creationPolicy: "Owner", deletionPolicy: "Retain" },
      data: secretNames.map((secretName) => ({
        secretKey: secretName,
        remoteRef: {
          ...remoteLocation(profile, secretName, ctx.env.name),
          conversionStrategy: "Default",
          decodingStrategy: "None",
          metadataPolicy: "None"
        }
      }))
    }
  };
}
function remoteLocation(profile, secretName, environment) {
  const property = profile.map?.[secretName] ?? secretName;
  if (profile.provider === "vault") {
    if (!profile.vault) throw missingProviderBlock("vault", environment);
    return { key: profile.vault.path, property };
  }
  if (!profile.aws) throw missingProviderBlock("aws", environment);
  const location = {
    key: profile.aws.secret_id,
    property
  };
  if (profile.aws.version_stage) location.version = profile.aws.version_stage;
  return location;
}
function missingProviderBlock(provider, environment) {
  return new DeployConfigError(
    `deploy.environments.${environment}.secrets.${provider}`,
    `a secret profile with provider '${provider}' needs an '${provider}' block`
  );
}

// generators/kubernetes/availability.ts
function horizontalPodAutoscaler(ctx, scaling) {
  const name = objectNames(ctx.env.agent).workload;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: objectMeta(ctx, name),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicas: scaling.min,
      maxReplicas: scaling.max,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: scaling.cpu } }
        }
      ]
    }
  };
}
function needsDisruptionBudget(ctx) {
  return ctx.env.autoscaling !== null || ctx.env.replicas > 1;
}
function podDisruptionBudget(ctx) {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).workload),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels(ctx.env.agent, ctx.env.name) }
    }
  };
}

// generators/kubernetes/config-map.ts
import { createHash } from "node:crypto";
function configMap(ctx) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).configMap),
    data: plainConfig(ctx)
  };
}
function configChecksum(data) {
  const hash = createHash("sha256");
  for (const key of Object.keys(data).sort()) {
    const value = data[key] ?? "";
    hash.update(`${key.length}:${key}=${Buffer.byteLength(value)}:${value}
`);
  }
  return hash.digest("hex");
}

// generators/kubernetes/deployment.ts
var CONTAINER_PORT_NAME = "http";
var STARTUP_PERIOD_SECONDS = 5;
function deployment(ctx, secrets) {
  const { env } = ctx;
  const names = objectNames(env.agent);
  const selector = selectorLabels(env.agent, env.name);
  const podAnnotations = { "checksum/config": configChecksum(plainConfig(ctx)) };
  if (ctx.secretVersions !== null)
    podAnnotations[`${ANNOTATION_PREFIX}/secret-versions`] = ctx.secretVersions;
  const envFrom = [{ configMapRef: { name: names.configMap, optional: false } }];
  for (const source of secrets)
    envFrom.push({ secretRef: { name: source.secretName, optional: source.optional } });
  const podMeta = objectMeta(ctx, names.workload, podAnnotations);
  delete podMeta.name;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMeta(ctx, names.workload),
    spec: {
      // With an HPA the replica count belongs to it; writing one here would fight it on every sync.
      ...env.autoscaling === null ? { replicas: env.replicas } : {},
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      // Surge first: a slow-starting agent keeps serving on the old pod until the new one is ready.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: podMeta,
        spec: {
          serviceAccountName: names.workload,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: gracePeriodSeconds(env),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUNTIME_UID,
            runAsGroup: RUNTIME_UID,
            fsGroup: RUNTIME_UID,
            seccompProfile: { type: "RuntimeDefault" }
          },
          topologySpreadConstraints: ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map(
            (topologyKey) => ({
              topologyKey,
              maxSkew: 1,
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: selector }
            })
          ),
          containers: [
            {
              name: names.workload,
              image: ctx.image.reference,
              imagePullPolicy: "IfNotPresent",
              ports: [{ name: CONTAINER_PORT_NAME, containerPort: env.port, protocol: "TCP" }],
              envFrom,
              resources: {
                requests: { ...env.resources.requests },
                limits: { ...env.resources.limits }
              },
              startupProbe: httpProbe("/health", {
                periodSeconds: STARTUP_PERIOD_SECONDS,
                failureThreshold: STARTUP_BUDGET_SECONDS / STARTUP_PERIOD_SECONDS
              }),
              livenessProbe: httpProbe("/health", { periodSeconds: 10, failureThreshold: 3 }),
              readinessProbe: httpProbe("/ready", { periodSeconds: 5, failureThreshold: 3 }),
              securityContext: {
                runAsNonRoot: true,
                runAsUser: RUNTIME_UID,
                runAsGroup: RUNTIME_UID,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" }
              },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }]
            }
          ],
          volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }]
        }
      }
    }
  };
}
function httpProbe(path, timing) {
  return {
    httpGet: { path, port: CONTAINER_PORT_NAME, scheme: "HTTP" },
    periodSeconds: timing.periodSeconds,
    failureThreshold: timing.failureThreshold,
    timeoutSeconds: 3,
    successThreshold: 1
  };
}

// generators/kubernetes/ingress.ts
function ingress(ctx, config) {
  const names = objectNames(ctx.env.agent);
  const meta = objectMeta(ctx, names.workload);
  if (config.annotations && Object.keys(config.annotations).length > 0) {
    meta.annotations = { ...meta.annotations, ...config.annotations };
  }
  const tlsSecret = config.tls === true ? names.tlsSecret : typeof config.tls === "object" ? config.tls.secret_name ?? names.tlsSecret : null;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta,
    spec: {
      ...config.class_name ? { ingressClassName: config.class_name } : {},
      ...tlsSecret ? { tls: [{ hosts: [config.host], secretName: tlsSecret }] } : {},
      rules: [
        {
          host: config.host,
          http: {
            paths: [
              {
                path: config.path ?? "/",
                pathType: "Prefix",
                backend: { service: { name: names.workload, port: { name: CONTAINER_PORT_NAME } } }
              }
            ]
          }
        }
      ]
    }
  };
}

// generators/kubernetes/kustomization.ts
var KUSTOMIZATION_FILE = "kustomization.yaml";
function kustomization(ctx, resourceFiles) {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    namespace: ctx.env.namespace,
    resources: [...resourceFiles].sort()
  };
}

// generators/kubernetes/network-policy.ts
function networkPolicy(ctx) {
  const { env } = ctx;
  const restrictEgress = env.networkPolicy.egress.length > 0;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: objectMeta(ctx, objectNames(env.agent).workload),
    spec: {
      podSelector: { matchLabels: selectorLabels(env.agent, env.name) },
      policyTypes: restrictEgress ? ["Ingress", "Egress"] : ["Ingress"],
      ingress: [{ ports: [{ port: env.port, protocol: "TCP" }] }],
      ...restrictEgress ? {
        egress: [
          { to: env.networkPolicy.egress.map((cidr) => ({ ipBlock: { cidr } })) },
          {
            to: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }
            ],
            ports: [
              { port: 53, protocol: "UDP" },
              { port: 53, protocol: "TCP" }
            ]
          }
        ]
      } : {}
    }
  };
}

// generators/kubernetes/service.ts
var SERVICE_PORT = 80;
function service(ctx) {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).workload),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(ctx.env.agent, ctx.env.name),
      ports: [
        { name: CONTAINER_PORT_NAME, port: SERVICE_PORT, targetPort: CONTAINER_PORT_NAME, protocol: "TCP" }
      ]
    }
  };
}
function serviceAccount(ctx) {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).workload),
    automountServiceAccountToken: false
  };
}

// generators/kubernetes/manifests.ts
function kubernetesDocuments(ctx) {
  const secrets = secretSources(ctx);
  const objects = [
    { path: "serviceaccount.yaml", document: { ...serviceAccount(ctx) } },
    { path: "configmap.yaml", document: { ...configMap(ctx) } },
    { path: "deployment.yaml", document: { ...deployment(ctx, secrets) } },
    { path: "service.yaml", document: { ...service(ctx) } }
  ];
  for (const source of secrets) {
    if (source.externalSecret === null) continue;
    const path = source.optional ? "externalsecret-optional.yaml" : "externalsecret.yaml";
    objects.push({ path, document: { ...source.externalSecret } });
  }
  if (ctx.env.ingress !== null)
    objects.push({ path: "ingress.yaml", document: { ...ingress(ctx, ctx.env.ingress) } });
  if (ctx.env.autoscaling !== null) {
    objects.push({ path: "hpa.yaml", document: { ...horizontalPodAutoscaler(ctx, ctx.env.autoscaling) } });
  }
  if (needsDisruptionBudget(ctx))
    objects.push({ path: "pdb.yaml", document: { ...podDisruptionBudget(ctx) } });
  if (ctx.env.networkPolicy.enabled) {
    objects.push({ path: "networkpolicy.yaml", document: { ...networkPolicy(ctx) } });
  }
  const files = objects.map((o) => o.path);
  return [...objects, { path: KUSTOMIZATION_FILE, document: kustomization(ctx, files) }];
}

// generators/lint.ts
var PINNED_IMAGE = /@sha256:[0-9a-f]{64}$/;
var LATEST_TAG = /:latest(@|$)/;
var ROOT_USERS = /* @__PURE__ */ new Set(["0", "root"]);
function lintDocuments(documents) {
  const findings = [];
  for (const { path: file, document } of documents) {
    const report = (path, message) => findings.push({ file, path, message });
    if (file === "compose.yaml") lintCompose(document, report);
    else if (document.kind === "Deployment") lintDeployment(document, report);
  }
  return findings;
}
function assertLintClean(documents) {
  const findings = lintDocuments(documents);
  if (findings.length === 0) return;
  const lines = findings.map((f) => `  ${f.file}: ${f.path}: ${f.message}`);
  throw new RenderError(
    `rendered manifests failed ${findings.length} safety check(s):
${lines.join("\n")}`,
    "this is a bug in the generator or a Dockfile value it did not expect; please report it"
  );
}
function lintImage(image, path, report) {
  if (typeof image !== "string" || image === "") {
    report(path, "image is not set");
    return;
  }
  if (!PINNED_IMAGE.test(image)) report(path, `image '${image}' is not pinned by @sha256 digest`);
  if (LATEST_TAG.test(image)) report(path, `image '${image}' uses the 'latest' tag`);
}
function lintCompose(document, report) {
  const services = asRecord(document.services);
  if (Object.keys(services).length === 0) report("services", "no service defined");
  for (const [name, raw] of Object.entries(services)) {
    const svc = asRecord(raw);
    const at = `services.${name}`;
    lintImage(svc.image, `${at}.image`, report);
    const user = typeof svc.user === "string" || typeof svc.user === "number" ? String(svc.user) : "";
    if (user === "" || ROOT_USERS.has(user.split(":")[0] ?? ""))
      report(`${at}.user`, "must run as a non-root user");
    if (svc.read_only !== true) report(`${at}.read_only`, "root filesystem must be read-only");
    const test = asRecord(svc.healthcheck).test;
    if (!Array.isArray(test) || test.length === 0) report(`${at}.healthcheck`, "no health check");
    const limits = asRecord(asRecord(asRecord(svc.deploy).resources).limits);
    if (limits.cpus === void 0) report(`${at}.deploy.resources.limits.cpus`, "CPU limit not set");
    if (limits.memory === void 0) report(`${at}.deploy.resources.limits.memory`, "memory limit not set");
  }
}
function lintDeployment(document, report) {
  const podSpec = asRecord(asRecord(asRecord(document.spec).template).spec);
  const podSecurity = asRecord(podSpec.securityContext);
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  if (containers.length === 0) report("spec.template.spec.containers", "no container defined");
  containers.forEach((raw, index) => {
    const container = asRecord(raw);
    const at = `spec.template.spec.containers[${index}]`;
    lintImage(container.image, `${at}.image`, report);
    const security = asRecord(container.securityContext);
    const nonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
    const uid = security.runAsUser ?? podSecurity.runAsUser;
    if (nonRoot !== true) report(`${at}.securityContext.runAsNonRoot`, "must be true");
    if (uid === void 0 || uid === 0) report(`${at}.securityContext.runAsUser`, "must be a non-zero uid");
    if (security.readOnlyRootFilesystem !== true) {
      report(`${at}.securityContext.readOnlyRootFilesystem`, "must be true");
    }
    if (security.allowPrivilegeEscalation !== false) {
      report(`${at}.securityContext.allowPrivilegeEscalation`, "must be false");
    }
    const resources = asRecord(container.resources);
    for (const kind of ["requests", "limits"]) {
      const amounts = asRecord(resources[kind]);
      for (const resource of ["cpu", "memory"]) {
        if (amounts[resource] === void 0) report(`${at}.resources.${kind}.${resource}`, "not set");
      }
    }
    for (const probe of ["livenessProbe", "readinessProbe"]) {
      if (container[probe] === void 0) report(`${at}.${probe}`, "not set");
    }
  });
}
function asRecord(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}

// generators/serialize.ts
var import_yaml = __toESM(require_dist(), 1);
function toYaml(document) {
  return (0, import_yaml.stringify)(document, {
    sortMapEntries: true,
    compat: "yaml-1.1",
    aliasDuplicateObjects: false,
    lineWidth: 0,
    indentSeq: true
  });
}

// generators/index.ts
function renderManifests(input) {
  const env = resolveEnvironment(input.spec, input.environment);
  if (input.version.trim() === "") throw new RenderError("version is empty");
  const ctx = {
    env,
    image: parseImageRef(input.image),
    version: input.version,
    secretVersions: input.secretVersions ?? null,
    source: input.source ?? null
  };
  const target = input.target ?? env.target;
  const documents = target === "compose" ? composeDocuments(ctx) : kubernetesDocuments(ctx);
  assertLintClean(documents);
  const files = documents.map(({ path, document }) => ({ path, content: toYaml(document) })).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { target, files };
}

export {
  parseImageRef,
  renderManifests
};
