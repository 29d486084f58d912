import { RUNTIME_DEFAULTS } from '../../schemas/runtime-defaults.ts';
import type { Auth, Dockfile, DockSpec, Expose, Policies } from './types.ts';

/**
 * The runtime config (`dockrion.json`): the validated Dockfile with every default the runtime
 * relies on filled in (docs/CONTRACTS.md "Runtime config"), keys sorted, `x-*` extensions dropped.
 */
export type NormalizedConfig = Pick<
  Dockfile,
  'version' | 'agent' | 'model' | 'io_schema' | 'metadata' | 'build' | 'streaming' | 'deploy'
> & {
  auth: Auth;
  expose: Expose & Required<Pick<Expose, 'rest' | 'streaming' | 'port' | 'host'>>;
  policies: Policies & {
    tools: NonNullable<Policies['tools']> & { deny_by_default: boolean };
    safety: NonNullable<Policies['safety']> & { block_prompt_injection: boolean; halt_on_violation: boolean };
  };
  observability: NonNullable<Dockfile['observability']> & {
    log_level: NonNullable<NonNullable<Dockfile['observability']>['log_level']>;
  };
  arguments: NonNullable<Dockfile['arguments']>;
  secrets: {
    required: NonNullable<NonNullable<Dockfile['secrets']>['required']>;
    optional: NonNullable<NonNullable<Dockfile['secrets']>['optional']>;
  };
};

/** The flat view of RUNTIME_DEFAULTS that callers of the dockfile stage used before it had a home. */
export const runtimeDefaults = {
  apiKeyEnvVar: RUNTIME_DEFAULTS.auth.apiKeys.env_var,
  apiKeyHeader: RUNTIME_DEFAULTS.auth.apiKeys.header,
  port: RUNTIME_DEFAULTS.expose.port,
  host: RUNTIME_DEFAULTS.expose.host,
  streaming: RUNTIME_DEFAULTS.expose.streaming,
  logLevel: RUNTIME_DEFAULTS.observability.log_level,
} as const;

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Json) } : {};
}

/**
 * Values the user wrote always win; only absent keys get defaults. `null` is absent, as the loader
 * treats it (an explicit null on an optional field means "not set").
 */
function withDefaults(value: unknown, defaults: Json): Json {
  const out = record(value);
  for (const [key, fallback] of Object.entries(defaults)) if (out[key] == null) out[key] = fallback;
  return out;
}

export function normalizeDockfile(spec: DockSpec | Dockfile): NormalizedConfig {
  const doc: Json = {};
  for (const [key, value] of Object.entries(structuredClone(spec) as Json)) {
    if (!key.startsWith('x-')) doc[key] = value;
  }

  const agent = record(doc.agent);
  // handler implies the custom adapter (docs/CONTRACTS.md "Runtime config").
  if (agent.handler != null && agent.framework == null) agent.framework = RUNTIME_DEFAULTS.handlerFramework;
  doc.agent = agent;

  const auth = withDefaults(doc.auth, { mode: RUNTIME_DEFAULTS.auth.mode });
  if (auth.mode === 'api_key') auth.api_keys = withDefaults(auth.api_keys, RUNTIME_DEFAULTS.auth.apiKeys);
  doc.auth = auth;

  doc.expose = withDefaults(doc.expose, RUNTIME_DEFAULTS.expose);

  const policies = record(doc.policies);
  policies.tools = withDefaults(policies.tools, RUNTIME_DEFAULTS.policies.tools);
  policies.safety = withDefaults(policies.safety, RUNTIME_DEFAULTS.policies.safety);
  doc.policies = policies;

  doc.observability = withDefaults(doc.observability, RUNTIME_DEFAULTS.observability);
  doc.arguments = record(doc.arguments);
  doc.secrets = withDefaults(doc.secrets, { required: [], optional: [] });

  return sortKeys(doc) as NormalizedConfig;
}

/** Sorted keys make `dockrion.json` byte-stable for the same input. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const key of Object.keys(value).sort()) {
      // Defined, not assigned, so a `__proto__` key in an open map stays data.
      Object.defineProperty(out, key, {
        value: sortKeys((value as Json)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
