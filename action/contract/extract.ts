import { createHash } from 'node:crypto';
import { type ResolvedEnvironment, resolveEnvironment } from '../../generators/environment.ts';
import { DockrionError } from '../../shared/errors.ts';
import { normalizeDockfile } from '../dockfile/normalize.ts';
import type { DockSpec, SecretProfile } from '../dockfile/types.ts';
import { redactUrl } from '../gitops/git.ts';
import {
  CONTRACT_FORMAT,
  type Contract,
  type ContractAuth,
  type EnvironmentContract,
  type EnvironmentSecrets,
  type JsonSchema,
  type JsonValue,
} from './types.ts';

/** The key of the one environment of a Dockfile without `deploy.environments`. */
export const ANY_ENVIRONMENT = '*';

/** A contract.json that cannot be read back: names the file and what is wrong. */
export class ContractFormatError extends DockrionError {
  constructor(message: string, hint?: string | null, cause?: unknown) {
    super(message, { code: 'gitops', hint, cause });
  }
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortedUnique(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort(byCodeUnit);
}

function listOf(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : sortedUnique(value);
}

/** Keys sorted at every level, `undefined` dropped: the JSON is byte-stable for the same input. */
export function canonicalJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map((item) => canonicalJson(item ?? null));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort(byCodeUnit)) {
      const child = (value as Json)[key];
      if (child === undefined) continue;
      Object.defineProperty(out, key, {
        value: canonicalJson(child),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return null;
}

function schemaOf(value: unknown): JsonSchema | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  return canonicalJson(value) as { [key: string]: JsonValue };
}

function endpointsOf(rest: boolean, streaming: string): string[] {
  const endpoints: string[] = [];
  if (rest) endpoints.push('POST /invoke');
  // The runtime serves the SSE stream with websocket too (runtime/dockrion_runtime/app.py).
  if (streaming === 'sse' || streaming === 'websocket') endpoints.push('POST /invoke/stream');
  if (streaming === 'websocket') endpoints.push('GET /invoke/ws');
  return endpoints.sort(byCodeUnit);
}

function authOf(auth: Json): ContractAuth {
  const mode = (auth.mode as ContractAuth['mode'] | undefined) ?? 'api_key';
  const apiKeys = record(auth.api_keys);
  // The runtime's reading of `enabled`: on in api_key mode unless switched off, an extra method
  // in jwt/oauth2 mode only when switched on (runtime/dockrion_runtime/config.py).
  const apiKeyEnabled = mode === 'api_key' ? apiKeys.enabled !== false : apiKeys.enabled === true;
  const jwt = record(auth.jwt);
  const oauth2 = record(auth.oauth2);
  const roles: Record<string, string[]> = {};
  for (const role of (auth.roles as { name: string; permissions: string[] }[] | undefined) ?? []) {
    roles[role.name] = sortedUnique([...(roles[role.name] ?? []), ...role.permissions]);
  }
  return {
    mode,
    api_key:
      mode === 'api_key' || apiKeyEnabled
        ? {
            header: (apiKeys.header as string | undefined) ?? 'X-API-Key',
            env_var: (apiKeys.env_var as string | undefined) ?? 'DOCKRION_API_KEY',
            prefix: (apiKeys.prefix as string | undefined) ?? null,
            allow_bearer: apiKeys.allow_bearer === true,
            enabled: apiKeyEnabled,
          }
        : null,
    jwt:
      mode === 'jwt'
        ? {
            issuer: (jwt.issuer as string | undefined) ?? null,
            audience: listOf(jwt.audience as string | string[] | undefined),
            algorithms: sortedUnique(jwt.algorithms as string[] | undefined),
            jwks_url: urlOrNull(jwt.jwks_url),
            public_key_env: (jwt.public_key_env as string | undefined) ?? null,
            has_secret_key: typeof jwt.secret_key === 'string' && jwt.secret_key !== '',
            leeway_seconds: (jwt.leeway_seconds as number | undefined) ?? null,
          }
        : null,
    oauth2:
      mode === 'oauth2'
        ? {
            issuer: (oauth2.issuer as string | undefined) ?? null,
            jwks_url: urlOrNull(oauth2.jwks_url),
            audience: listOf(oauth2.audience as string | string[] | undefined),
            scopes: sortedUnique(oauth2.scopes as string[] | undefined),
          }
        : null,
    roles: canonicalJson(roles) as Record<string, string[]>,
    rate_limits: canonicalJson(record(auth.rate_limits)) as Record<string, string>,
  };
}

// ---------------------------------------------------------------------------------------------
// What a contract may show. It is printed in the validation comment and the deployment PR body
// and committed as contract.json, and the loader has already replaced every `${VAR}` with its value
// from the environment, which may be a token. So the values that are free text the diff never
// interprets — ingress annotation values, the credential parts of a URL — are recorded by digest
// (a change still shows, the value does not), and every other field is a name, an identifier or
// a setting the diff must compare. docs/CONTRACTS.md lists every field and its rule.

/** `sha256:<hex>` of a value the contract must not show but whose change it must notice. */
export function valueDigest(value: string): string {
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

/**
 * A URL as a contract may show it: no userinfo, and its query and fragment (`?token=…`, where
 * credentials ride as often as in userinfo) replaced by one digest of them.
 */
export function contractUrl(url: string): string {
  const withoutUser = redactUrl(url);
  const cut = withoutUser.search(/[?#]/);
  return cut === -1 ? withoutUser : `${withoutUser.slice(0, cut)}?${valueDigest(withoutUser.slice(cut))}`;
}

function urlOrNull(value: unknown): string | null {
  return typeof value === 'string' ? contractUrl(value) : null;
}

/** Annotation keys as written, values by digest: an annotation may carry a token or a snippet. */
function annotationDigests(annotations: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(annotations).sort(byCodeUnit)) {
    const value = String(annotations[key]);
    Object.defineProperty(out, key, {
      value: valueDigest(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** `streaming` as written, except the Redis URL, which may carry a password (see `contractUrl`). */
function streamingOf(value: unknown): { [key: string]: JsonValue } | null {
  if (value === undefined || value === null) return null;
  const streaming = canonicalJson(value) as { [key: string]: JsonValue };
  const redis = streaming.redis;
  if (redis !== null && typeof redis === 'object' && !Array.isArray(redis) && typeof redis.url === 'string') {
    streaming.redis = { ...redis, url: contractUrl(redis.url) };
  }
  return streaming;
}

function locationOf(profile: SecretProfile): string {
  if (profile.provider === 'vault' && profile.vault) {
    const mount = profile.vault.mount ?? 'secret';
    return `vault ${contractUrl(profile.vault.address)} ${mount}/${profile.vault.path}`;
  }
  if (profile.provider === 'aws' && profile.aws) {
    return `aws secretsmanager ${profile.aws.region ?? '(AWS_REGION)'} ${profile.aws.secret_id}`;
  }
  return 'GitHub Secrets';
}

function secretsOf(resolved: ResolvedEnvironment): EnvironmentSecrets {
  const profile = resolved.secrets.profile;
  const map = profile.map ?? {};
  const sources: EnvironmentSecrets['sources'] = {};
  for (const name of sortedUnique([...resolved.secrets.required, ...resolved.secrets.optional])) {
    const mapped = Object.hasOwn(map, name);
    sources[name] = { remote_key: mapped ? (map[name] as string) : name, mapped };
  }
  return { provider: profile.provider, location: locationOf(profile), sources };
}

function environmentContract(resolved: ResolvedEnvironment, implicit: boolean): EnvironmentContract {
  const ingress = resolved.ingress;
  return {
    target: resolved.target,
    namespace: implicit ? null : resolved.namespace,
    replicas: resolved.replicas,
    resources: {
      requests: { ...resolved.resources.requests },
      limits: { ...resolved.resources.limits },
    },
    autoscaling: resolved.autoscaling ? { ...resolved.autoscaling } : null,
    ingress: ingress
      ? {
          host: ingress.host,
          path: ingress.path ?? null,
          tls: ingress.tls !== undefined && ingress.tls !== false,
          tls_secret: typeof ingress.tls === 'object' ? (ingress.tls.secret_name ?? null) : null,
          class_name: ingress.class_name ?? null,
          annotations: annotationDigests(ingress.annotations ?? {}),
        }
      : null,
    network_policy: { enabled: resolved.networkPolicy.enabled, egress: [...resolved.networkPolicy.egress] },
    secrets: secretsOf(resolved),
  };
}

/**
 * The contract of a validated Dockfile: defaults filled in as the runtime and the generators see
 * them, so writing a default out explicitly is no change. Throws `DeployConfigError` (4012) for
 * an environment the generators could not resolve either.
 */
export function contractOf(spec: DockSpec): Contract {
  const normalized = normalizeDockfile(spec) as unknown as Json;
  const io = record(normalized.io_schema);
  const expose = record(normalized.expose);
  const policies = record(normalized.policies);
  const tools = record(policies.tools);
  const safety = record(policies.safety);
  const secrets = record(normalized.secrets);
  const cors = expose.cors === undefined ? null : record(expose.cors);
  const rest = expose.rest !== false;
  const streaming = (expose.streaming as Contract['expose']['streaming'] | undefined) ?? 'sse';

  const declared = Object.keys(spec.deploy?.environments ?? {}).sort(byCodeUnit);
  const environments: Record<string, EnvironmentContract> = {};
  if (spec.deploy?.environments === undefined) {
    // Any name resolves to the same settings; `default` only stands in for it.
    environments[ANY_ENVIRONMENT] = environmentContract(resolveEnvironment(spec, 'default'), true);
  } else {
    for (const name of declared)
      environments[name] = environmentContract(resolveEnvironment(spec, name), false);
  }

  return {
    format: CONTRACT_FORMAT,
    agent: spec.agent.name,
    info: {
      description: spec.agent.description ?? null,
      model: spec.model ? `${spec.model.provider}/${spec.model.name}` : null,
      timeout_sec: typeof spec.arguments?.timeout_sec === 'number' ? spec.arguments.timeout_sec : null,
    },
    io_schema: {
      input: schemaOf(io.input),
      output: schemaOf(io.output),
      input_class: (io.input_class as string | undefined) ?? null,
      output_class: (io.output_class as string | undefined) ?? null,
      strict: io.strict !== false,
    },
    endpoints: endpointsOf(rest, streaming),
    expose: {
      rest,
      streaming,
      port: expose.port as number,
      host: expose.host as string,
      max_body_bytes: (expose.max_body_bytes as number | undefined) ?? null,
      cors: cors
        ? {
            origins: sortedUnique(cors.origins as string[] | undefined),
            methods: sortedUnique(cors.methods as string[] | undefined),
            headers: sortedUnique(cors.headers as string[] | undefined),
          }
        : null,
    },
    streaming: streamingOf(normalized.streaming),
    auth: authOf(record(normalized.auth)),
    policies: {
      tools: {
        allowed: sortedUnique(tools.allowed as string[] | undefined),
        deny_by_default: tools.deny_by_default !== false,
      },
      safety: {
        // Order kept: patterns apply in order, and a reorder is still shown.
        redact_patterns: [...((safety.redact_patterns as string[] | undefined) ?? [])],
        max_output_chars: (safety.max_output_chars as number | undefined) ?? null,
        block_prompt_injection: safety.block_prompt_injection !== false,
        halt_on_violation: safety.halt_on_violation === true,
      },
    },
    secrets: {
      required: sortedUnique((secrets.required as { name: string }[]).map((s) => s.name)),
      optional: sortedUnique((secrets.optional as { name: string }[]).map((s) => s.name)),
    },
    environments,
  };
}

/** `contract.json`: two-space indented, keys sorted, one final newline. */
export function serializeContract(contract: Contract): string {
  return `${JSON.stringify(canonicalJson(contract), null, 2)}\n`;
}

/**
 * Reads back what `serializeContract` wrote. `where` names the file in errors (e.g.
 * `prod/invoice-copilot/contract.json`); a file of another format version or shape is refused
 * rather than half-read, so a diff is never computed against a misread contract.
 */
export function parseContract(text: string, where: string): Contract {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e: unknown) {
    throw new ContractFormatError(
      `${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      'it is written by dockrion deploy; delete it to have the next deploy write it again',
      e,
    );
  }
  const problem = contractShapeProblem(value);
  if (problem !== null) {
    throw new ContractFormatError(
      `${where} is not a dockrion contract (format ${CONTRACT_FORMAT}): ${problem}`,
      'it is written by dockrion deploy; delete it to have the next deploy write it again',
    );
  }
  return (value as Json).format === 1 ? fromFormat1(value as Contract) : (value as Contract);
}

/**
 * Format 1 (before annotation values and URL queries were kept out) read as format 2: the same
 * rule applied to what it holds, so a deploy after the upgrade compares like with like instead of
 * calling every annotation changed, and prints no value the old file held.
 */
function fromFormat1(contract: Contract): Contract {
  const url = (value: string | null | undefined) => (typeof value === 'string' ? contractUrl(value) : null);
  const auth = contract.auth;
  const environments: Record<string, EnvironmentContract> = {};
  for (const [name, environment] of Object.entries(contract.environments)) {
    const ingress = environment.ingress;
    const location = environment.secrets.location;
    const vault = /^vault (\S+)( .*)?$/.exec(location);
    environments[name] = {
      ...environment,
      ingress: ingress
        ? {
            ...ingress,
            annotations: annotationDigests(record(ingress.annotations) as Record<string, string>),
          }
        : null,
      secrets: {
        ...environment.secrets,
        location: vault ? `vault ${contractUrl(vault[1] as string)}${vault[2] ?? ''}` : location,
      },
    };
  }
  return {
    ...contract,
    format: CONTRACT_FORMAT,
    auth: {
      ...auth,
      jwt: auth.jwt ? { ...auth.jwt, jwks_url: url(auth.jwt.jwks_url) } : auth.jwt,
      oauth2: auth.oauth2 ? { ...auth.oauth2, jwks_url: url(auth.oauth2.jwks_url) } : auth.oauth2,
    },
    streaming: contract.streaming ? streamingOf(contract.streaming) : null,
    environments,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The first thing wrong with `value` as a Contract, or null. Checks every field diffs read. */
function contractShapeProblem(value: unknown): string | null {
  if (!isMap(value)) return 'the document is not a JSON object';
  // Format 1 has the same shape; parseContract applies today's rule for values to it.
  if (value.format !== CONTRACT_FORMAT && value.format !== 1) {
    return `format is ${JSON.stringify(value.format ?? null)}`;
  }
  if (!isString(value.agent)) return 'agent is not a string';
  const checks: Array<[string, (v: unknown) => boolean]> = [
    ['info', isMap],
    ['io_schema', isMap],
    ['endpoints', isStringList],
    ['expose', isMap],
    ['auth', isMap],
    ['policies', isMap],
    ['secrets', isMap],
    ['environments', isMap],
  ];
  for (const [key, ok] of checks) if (!ok(value[key])) return `${key} is missing or of the wrong type`;
  const io = value.io_schema as Json;
  for (const key of ['input', 'output'] as const) {
    const schema = io[key];
    if (schema !== null && typeof schema !== 'boolean' && !isMap(schema))
      return `io_schema.${key} is not a schema`;
  }
  const expose = value.expose as Json;
  if (typeof expose.port !== 'number') return 'expose.port is not a number';
  if (!isString(expose.streaming)) return 'expose.streaming is not a string';
  const auth = value.auth as Json;
  if (!isString(auth.mode)) return 'auth.mode is not a string';
  if (!isMap(auth.roles) || !Object.values(auth.roles).every(isStringList))
    return 'auth.roles is not a map of lists';
  if (!isMap(auth.rate_limits) || !Object.values(auth.rate_limits).every(isString)) {
    return 'auth.rate_limits is not a map of strings';
  }
  const policies = value.policies as Json;
  const tools = policies.tools;
  const safety = policies.safety;
  if (!isMap(tools) || !isStringList(tools.allowed)) return 'policies.tools.allowed is not a list';
  if (!isMap(safety) || !isStringList(safety.redact_patterns))
    return 'policies.safety.redact_patterns is not a list';
  const secrets = value.secrets as Json;
  if (!isStringList(secrets.required) || !isStringList(secrets.optional))
    return 'secrets lists are not lists';
  for (const [name, environment] of Object.entries(value.environments as Json)) {
    if (!isMap(environment)) return `environments.${name} is not an object`;
    if (typeof environment.replicas !== 'number') return `environments.${name}.replicas is not a number`;
    if (!isMap(environment.resources)) return `environments.${name}.resources is missing`;
    const envSecrets = environment.secrets;
    if (!isMap(envSecrets) || !isString(envSecrets.provider) || !isMap(envSecrets.sources)) {
      return `environments.${name}.secrets is missing or of the wrong type`;
    }
  }
  return null;
}
