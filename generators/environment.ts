import type { DockSpec, Ingress, SecretProfile } from '../schemas/dock-spec.ts';
import { RUNTIME_DEFAULTS } from '../schemas/runtime-defaults.ts';
import { DeployConfigError } from '../shared/errors.ts';
import { closest } from '../shared/suggest.ts';
import {
  cpuMillicores,
  formatCpu,
  quantitySize,
  type ResourceKind,
  requestOverLimit,
} from './kubernetes/quantity.ts';

/** Plain-config keys the generators set themselves; a Dockfile may not set them. */
export const RESERVED_ENV_KEYS = ['DOCKRION_ENV', 'DOCKRION_VERSION'] as const;

/** The runtime's drain budget after SIGTERM; settable through `env`, so the grace period follows it. */
export const DRAIN_ENV_KEY = 'DOCKRION_SHUTDOWN_GRACE_SECONDS';

/** Used when neither `deploy` nor the environment says otherwise (documented in CONTRACTS.md). */
export const DEFAULTS = {
  target: 'kubernetes',
  replicas: 1,
  port: RUNTIME_DEFAULTS.expose.port,
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '1Gi' },
  autoscalingMin: 1,
  autoscalingCpu: 70,
  /** The runtime's own default (runtime/dockrion_runtime/server.py). */
  drainSeconds: 25,
  /** Where a restricted egress still lets DNS queries go: any pod in kube-system, port 53. */
  dns: { namespace: 'kube-system', podLabels: {}, ports: [53] },
} as const;

export interface ResolvedResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ResolvedAutoscaling {
  min: number;
  max: number;
  cpu: number;
}

/** The DNS pods a restricted egress must still reach (`network_policy.dns`). */
export interface ResolvedDns {
  namespace: string;
  /** Pod labels, keys sorted; empty = any pod in the namespace. */
  podLabels: Record<string, string>;
  /** Sorted, unique. */
  ports: number[];
}

export interface ResolvedSecrets {
  /** The environment's profile; `github` when none is given. */
  profile: SecretProfile;
  /** Declared names, sorted. */
  required: string[];
  optional: string[];
}

/** `deploy` defaults merged with `deploy.environments.<env>`; everything a generator reads. */
export interface ResolvedEnvironment {
  name: string;
  agent: string;
  target: 'compose' | 'kubernetes';
  namespace: string;
  /** The port the runtime listens on (`expose.port`). */
  port: number;
  authMode: 'none' | 'api_key' | 'jwt' | 'oauth2';
  replicas: number;
  resources: ResolvedResources;
  autoscaling: ResolvedAutoscaling | null;
  networkPolicy: { enabled: boolean; egress: string[]; dns: ResolvedDns };
  /** Plain configuration, keys sorted; values as strings. */
  env: Record<string, string>;
  /** Seconds the runtime drains in-flight requests after SIGTERM. */
  drainSeconds: number;
  ingress: Ingress | null;
  secrets: ResolvedSecrets;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** "did you mean" for a misspelt --env; otherwise the known names, never an arbitrary first one. */
function unknownEnvironmentHint(environment: string, known: readonly string[]): string | null {
  if (known.length === 0) return null;
  const guess = closest(environment, known);
  return guess
    ? `did you mean --env ${guess}? Or add deploy.environments.${environment}`
    : `use --env ${known.join(' | ')}, or add deploy.environments.${environment}`;
}

/**
 * Merge rules: scalars (`target`, `replicas`, `namespace`) are replaced; `resources` and
 * `network_policy` are merged field by field; `env` is merged key by key; `autoscaling`,
 * `ingress` and `secrets` are replaced whole, since their fields only make sense together.
 */
export function resolveEnvironment(spec: DockSpec, environment: string): ResolvedEnvironment {
  const deploy = spec.deploy ?? {};
  const environments = deploy.environments ?? {};
  const known = Object.keys(environments).sort();
  if (!DNS_LABEL.test(environment)) {
    throw new DeployConfigError(
      'deploy.environments',
      `environment name '${environment}' is not a DNS-1123 label`,
      'use lowercase letters, digits and hyphens, e.g. staging or prod-eu',
    );
  }
  if (deploy.environments !== undefined && !Object.hasOwn(environments, environment)) {
    throw new DeployConfigError(
      'deploy.environments',
      `unknown environment '${environment}'; the Dockfile defines: ${known.length ? known.join(', ') : '(none)'}`,
      unknownEnvironmentHint(environment, known),
    );
  }
  const overrides = (Object.hasOwn(environments, environment) ? environments[environment] : undefined) ?? {};
  const envPath = deploy.environments === undefined ? 'deploy' : `deploy.environments.${environment}`;

  const replicas = overrides.replicas ?? deploy.replicas ?? DEFAULTS.replicas;
  const autoscaling = overrides.autoscaling ?? deploy.autoscaling;
  // Without an explicit min, the HPA starts from the replica count the Dockfile asked for.
  const resolvedAutoscaling = autoscaling
    ? {
        min: autoscaling.min ?? Math.min(Math.max(replicas, DEFAULTS.autoscalingMin), autoscaling.max),
        max: autoscaling.max,
        cpu: autoscaling.cpu ?? DEFAULTS.autoscalingCpu,
      }
    : null;
  if (resolvedAutoscaling && resolvedAutoscaling.min > resolvedAutoscaling.max) {
    throw new DeployConfigError(
      `${overrides.autoscaling ? envPath : 'deploy'}.autoscaling`,
      `min (${resolvedAutoscaling.min}) is greater than max (${resolvedAutoscaling.max})`,
    );
  }

  const required = (spec.secrets?.required ?? []).map((s) => s.name).sort();
  const optional = (spec.secrets?.optional ?? []).map((s) => s.name).sort();
  const env = resolvePlainEnv(
    deploy.env ?? {},
    overrides.env ?? {},
    envPath,
    new Set([...required, ...optional]),
  );

  return {
    name: environment,
    agent: spec.agent.name,
    target: overrides.target ?? deploy.target ?? DEFAULTS.target,
    namespace: overrides.namespace ?? environment,
    port: spec.expose?.port ?? DEFAULTS.port,
    authMode: spec.auth?.mode ?? 'api_key',
    replicas,
    resources: resolveResources(deploy.resources, overrides.resources, envPath),
    autoscaling: resolvedAutoscaling,
    networkPolicy: {
      enabled:
        overrides.network_policy?.enabled ??
        deploy.network_policy?.enabled ??
        (overrides.network_policy?.egress ?? deploy.network_policy?.egress ?? []).length > 0,
      egress: [...(overrides.network_policy?.egress ?? deploy.network_policy?.egress ?? [])].sort(),
      dns: resolveDns(overrides.network_policy?.dns ?? deploy.network_policy?.dns),
    },
    env,
    drainSeconds: resolveDrainSeconds(env, overrides.env ?? {}, envPath),
    ingress: (overrides.ingress as Ingress | undefined) ?? null,
    secrets: {
      profile: (overrides.secrets as SecretProfile | undefined) ?? { provider: 'github' },
      required,
      optional,
    },
  };
}

/**
 * The environment a generator renders: the one the caller already resolved (the deploy pipeline
 * and `dockrion render` resolve it once, up front), or resolved here from its name.
 */
export function environmentOf(
  spec: DockSpec,
  environment: string | ResolvedEnvironment,
): ResolvedEnvironment {
  return typeof environment === 'string' ? resolveEnvironment(spec, environment) : environment;
}

type DnsSpec = NonNullable<NonNullable<NonNullable<DockSpec['deploy']>['network_policy']>['dns']>;

/** `network_policy.dns` is replaced whole; each of its fields falls back to the default. */
function resolveDns(dns: DnsSpec | undefined): ResolvedDns {
  const labels: Readonly<Record<string, string>> = dns?.pod_labels ?? DEFAULTS.dns.podLabels;
  return {
    namespace: dns?.namespace ?? DEFAULTS.dns.namespace,
    podLabels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    ports: [...new Set(dns?.ports ?? DEFAULTS.dns.ports)].sort((a, b) => a - b),
  };
}

function resolveDrainSeconds(
  env: Readonly<Record<string, string>>,
  overrides: PlainEnv,
  envPath: string,
): number {
  const value = env[DRAIN_ENV_KEY];
  if (value === undefined) return DEFAULTS.drainSeconds;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    const where = Object.hasOwn(overrides, DRAIN_ENV_KEY) ? `${envPath}.env` : 'deploy.env';
    throw new DeployConfigError(
      `${where}.${DRAIN_ENV_KEY}`,
      `must be a number of seconds from 0 to 3600, got '${value}'`,
    );
  }
  return seconds;
}

type PlainEnv = Readonly<Record<string, string | number | boolean>>;

function resolvePlainEnv(
  base: PlainEnv,
  overrides: PlainEnv,
  envPath: string,
  secretNames: ReadonlySet<string>,
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [source, path] of [
    [base, 'deploy.env'],
    [overrides, `${envPath}.env`],
  ] as const) {
    for (const [key, value] of Object.entries(source)) {
      if ((RESERVED_ENV_KEYS as readonly string[]).includes(key)) {
        throw new DeployConfigError(`${path}.${key}`, `${key} is set by dockrion and may not be overridden`);
      }
      if (secretNames.has(key)) {
        throw new DeployConfigError(
          `${path}.${key}`,
          `${key} is a declared secret and may not be set as plain configuration`,
          'remove it from env; its value comes from the secret profile',
        );
      }
      merged[key] = String(value);
    }
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

type ResourceSpec = NonNullable<NonNullable<DockSpec['deploy']>['resources']>;
type Picked = { value: string | number; path: string } | null;

/**
 * Each of requests/limits × cpu/memory comes from the environment, else `deploy`, else the
 * default. A defaulted request never exceeds a given limit (it is lowered to it), and a given
 * request above the default limit raises that limit; only a request above a *given* limit fails.
 */
function resolveResources(
  base: ResourceSpec | undefined,
  overrides: ResourceSpec | undefined,
  envPath: string,
): ResolvedResources {
  const pick = (kind: 'requests' | 'limits', field: 'cpu' | 'memory'): Picked => {
    const fromEnv = overrides?.[kind]?.[field];
    if (fromEnv !== undefined) return { value: fromEnv, path: `${envPath}.resources.${kind}.${field}` };
    const fromDeploy = base?.[kind]?.[field];
    if (fromDeploy !== undefined) return { value: fromDeploy, path: `deploy.resources.${kind}.${field}` };
    return null;
  };
  const cpu = resolvePair(
    pick('requests', 'cpu'),
    pick('limits', 'cpu'),
    DEFAULTS.requests.cpu,
    DEFAULTS.limits.cpu,
    { kind: 'cpu', format: (q) => formatCpu(cpuMillicores(q)) },
  );
  const memory = resolvePair(
    pick('requests', 'memory'),
    pick('limits', 'memory'),
    DEFAULTS.requests.memory,
    DEFAULTS.limits.memory,
    { kind: 'memory', format: String },
  );
  return {
    requests: { cpu: cpu.request, memory: memory.request },
    limits: { cpu: cpu.limit, memory: memory.limit },
  };
}

function resolvePair(
  request: Picked,
  limit: Picked,
  defaultRequest: string,
  defaultLimit: string,
  unit: { kind: ResourceKind; format: (q: string | number) => string },
): { request: string; limit: string } {
  const measure = (picked: Picked, fallback: string): number => {
    if (picked === null) return quantitySize(unit.kind, fallback);
    try {
      return quantitySize(unit.kind, picked.value);
    } catch (e: unknown) {
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
      `${requestOverLimit(unit.kind, request.value, limit.value)} (${limit.path})`,
    );
  }
  const raised = unit.format(request === null ? limitValue : requestValue);
  return { request: raised, limit: raised };
}
