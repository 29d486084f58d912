/**
 * An agent's contract: the part of its Dockfile that its callers, its reviewers and its operators
 * depend on. It is what a deployment PR should be reviewed against, so it is deterministic (keys
 * sorted, lists sorted where order carries no meaning), plain JSON (stored as `contract.json` next
 * to a deployed agent) and holds no secret value — only secret names and where they come from.
 */

/** Plain JSON. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema as written in `io_schema` (an object, or `true`/`false` below the top). */
export type JsonSchema = boolean | { [key: string]: JsonValue };

/**
 * Bumped when the shape or the meaning of `Contract`'s fields changes; `parseContract` refuses
 * formats it does not know. 2: ingress annotation values and URL queries are digests (format 1
 * files are read with that rule applied).
 */
export const CONTRACT_FORMAT = 2;

export type AuthMode = 'none' | 'api_key' | 'jwt' | 'oauth2';

export interface ContractAuth {
  mode: AuthMode;
  /** `auth.api_keys` when the mode is api_key; `env_var` and `prefix` name variables, not values. */
  api_key: {
    header: string;
    env_var: string;
    prefix: string | null;
    allow_bearer: boolean;
    enabled: boolean;
  } | null;
  /** `auth.jwt` when the mode is jwt; whether a signing key is configured, never the key. */
  jwt: {
    issuer: string | null;
    audience: string[];
    algorithms: string[];
    /** Without userinfo; a query or fragment is replaced by `?sha256:<hex>` (extract.ts `contractUrl`). */
    jwks_url: string | null;
    public_key_env: string | null;
    has_secret_key: boolean;
    leeway_seconds: number | null;
  } | null;
  oauth2: {
    issuer: string | null;
    jwks_url: string | null;
    audience: string[];
    scopes: string[];
  } | null;
  /** Role name → permissions, sorted. */
  roles: Record<string, string[]>;
  /** Role name → limit as written (`100/m`). */
  rate_limits: Record<string, string>;
}

export interface ContractPolicies {
  tools: { allowed: string[]; deny_by_default: boolean };
  safety: {
    redact_patterns: string[];
    max_output_chars: number | null;
    block_prompt_injection: boolean;
    halt_on_violation: boolean;
  };
}

/** How one environment's secret profile provides one declared secret. */
export interface SecretSource {
  /** The key looked up in the store: `map[NAME]`, else NAME itself. */
  remote_key: string;
  /** True when `map` names the key explicitly. */
  mapped: boolean;
}

export interface EnvironmentSecrets {
  provider: 'github' | 'vault' | 'aws';
  /** Where the values are read from, printable: `GitHub Secrets`, `vault https://v:8200 secret/app`, … */
  location: string;
  /** Every declared secret (required and optional) → where this profile reads it. */
  sources: Record<string, SecretSource>;
}

/** One environment, resolved as the generators see it (deploy defaults merged with the override). */
export interface EnvironmentContract {
  target: 'compose' | 'kubernetes';
  /** Null for the implicit environment (`*`) of a Dockfile without `deploy.environments`. */
  namespace: string | null;
  replicas: number;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  autoscaling: { min: number; max: number; cpu: number } | null;
  ingress: {
    host: string;
    path: string | null;
    tls: boolean;
    tls_secret: string | null;
    class_name: string | null;
    /** Key → `sha256:<hex>` of the value: an annotation may carry a token from the environment. */
    annotations: Record<string, string>;
  } | null;
  network_policy: { enabled: boolean; egress: string[] };
  secrets: EnvironmentSecrets;
}

export interface Contract {
  format: typeof CONTRACT_FORMAT;
  agent: string;
  /**
   * What callers notice without a contract break, shown as compatible changes; except a timeout
   * added or lowered, which may cut off today's requests (breaking).
   */
  info: {
    description: string | null;
    /** `provider/name`, e.g. `openai/gpt-4o-mini`. */
    model: string | null;
    /** `arguments.timeout_sec`: how long a request may run (504 after it). */
    timeout_sec: number | null;
  };
  io_schema: {
    input: JsonSchema | null;
    output: JsonSchema | null;
    input_class: string | null;
    output_class: string | null;
    strict: boolean;
  };
  /** Routes the runtime serves for the agent, e.g. `POST /invoke`, `GET /invoke/ws`; sorted. */
  endpoints: string[];
  expose: {
    rest: boolean;
    streaming: 'sse' | 'websocket' | 'none';
    port: number;
    host: string;
    max_body_bytes: number | null;
    cors: { origins: string[]; methods: string[]; headers: string[] } | null;
  };
  /** `streaming` (async runs, events) as written; null when absent. */
  streaming: { [key: string]: JsonValue } | null;
  auth: ContractAuth;
  policies: ContractPolicies;
  secrets: { required: string[]; optional: string[] };
  /**
   * Environment name → its resolved deployment. A Dockfile without `deploy.environments` deploys
   * the same settings to any environment: one entry, `*`.
   */
  environments: Record<string, EnvironmentContract>;
}

export type ChangeClass = 'breaking' | 'widening' | 'operational' | 'compatible';

/** Most to least serious: the order sections and JSON groups are printed in. */
export const CHANGE_CLASSES: readonly ChangeClass[] = ['breaking', 'widening', 'operational', 'compatible'];

export interface ContractChange {
  class: ChangeClass;
  /** Where in the contract, dotted like the Dockfile: `io_schema.input.properties.amount`. */
  path: string;
  /** One line, naming the path; never a secret value. */
  message: string;
  /** The value before and after, when one side has it (absent = not there). */
  before?: JsonValue;
  after?: JsonValue;
  /** The environment the change is in, for per-environment settings. */
  environment?: string;
}

/** Changes grouped by class, each group sorted by path then message. */
export interface ContractDiff {
  breaking: ContractChange[];
  widening: ContractChange[];
  operational: ContractChange[];
  compatible: ContractChange[];
}
