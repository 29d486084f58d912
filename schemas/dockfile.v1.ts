/* Generated from schemas/dockfile.v1.schema.json by `npm run gen:types`. Do not edit. */
/* biome-ignore-all lint: generated */

/**
 * <module.path>:<Class> (or module.path.Class)
 *
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "pythonClassRef".
 */
export type PythonClassRef = string;
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "permission".
 */
export type Permission = 'deploy' | 'rollback' | 'invoke' | 'view_metrics' | 'key_manage' | 'read_logs' | 'read_docs';
/**
 * <module.path>:<callable>
 *
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "pythonRef".
 */
export type PythonRef = string;

/**
 * Describes an AI agent service: its code, model, I/O, auth, policies, exposure, secrets, image build and deployment. After `${VAR}` interpolation and `!include` expansion.
 */
export interface DockrionDockfileV1 {
  /**
   * Dockfile schema version; must be the string "1.0".
   */
  version: '1.0';
  agent: Agent;
  model?: Model;
  io_schema?: IoSchema;
  /**
   * Runtime knobs passed to the adapter (e.g. timeout_sec).
   */
  arguments?: {
    timeout_sec?: number;
    [k: string]: unknown;
  };
  policies?: Policies;
  auth?: Auth;
  observability?: Observability;
  expose?: Expose;
  metadata?: {
    maintainer?: string;
    /**
     * The agent version: SemVer (1.2.3, 1.2.3-rc.1+build.5) or a tag of letters, digits, ., _, + and -, starting with a letter or digit. It names the image tag and appears in commit messages, PR titles and shell commands.
     */
    version?: string;
    tags?: string[];
    [k: string]: unknown;
  };
  secrets?: Secrets;
  build?: Build;
  streaming?: Streaming;
  deploy?: Deploy;
  /**
   * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema definition
   * via the `patternProperty` "^x-".
   */
  [k: string]: unknown;
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "agent".
 */
export interface Agent {
  /**
   * DNS-1123 label: lowercase letters, digits and hyphens, 1-63 chars.
   */
  name: string;
  description?: string;
  /**
   * <module.path>:<factory>; needs `framework`.
   */
  entrypoint?: string;
  /**
   * <module.path>:<callable>; implies framework custom.
   */
  handler?: string;
  framework?: 'langgraph' | 'langchain' | 'custom';
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "model".
 */
export interface Model {
  provider: 'openai' | 'azure' | 'anthropic' | 'google' | 'ollama' | 'custom';
  name: string;
  temperature?: number;
  max_tokens?: number;
  endpoint?: string;
  extra?: {
    [k: string]: unknown;
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "ioSchema".
 */
export interface IoSchema {
  input?: JsonSchemaObject;
  output?: JsonSchemaObject;
  input_class?: PythonClassRef;
  output_class?: PythonClassRef;
  /**
   * Validate the agent output against the output schema.
   */
  strict?: boolean;
}
/**
 * An inline JSON Schema for an object.
 *
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "jsonSchemaObject".
 */
export interface JsonSchemaObject {
  type?: 'object';
  properties?: {
    [k: string]: {};
  };
  required?: string[];
  additionalProperties?: boolean | {};
  description?: string;
  title?: string;
  [k: string]: unknown;
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "policies".
 */
export interface Policies {
  tools?: {
    allowed?: string[];
    deny_by_default?: boolean;
  };
  safety?: {
    redact_patterns?: string[];
    max_output_chars?: number;
    block_prompt_injection?: boolean;
    halt_on_violation?: boolean;
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "auth".
 */
export interface Auth {
  /**
   * Default api_key.
   */
  mode?: 'none' | 'api_key' | 'jwt' | 'oauth2';
  api_keys?: {
    env_var?: string;
    header?: string;
    allow_bearer?: boolean;
    prefix?: string;
    enabled?: boolean;
    rotation_days?: number;
  };
  jwt?: {
    secret_key?: string;
    jwks_url?: string;
    public_key_env?: string;
    issuer?: string;
    audience?: string | string[];
    algorithms?: (
      | 'HS256'
      | 'HS384'
      | 'HS512'
      | 'RS256'
      | 'RS384'
      | 'RS512'
      | 'ES256'
      | 'ES384'
      | 'ES512'
      | 'PS256'
      | 'PS384'
      | 'PS512'
    )[];
    leeway_seconds?: number;
    expiry_minutes?: number;
  };
  oauth2?: {
    issuer?: string;
    jwks_url?: string;
    audience?: string | string[];
    scopes?: string[];
  };
  roles?: {
    name: string;
    permissions: Permission[];
  }[];
  /**
   * role → 'N/unit', e.g. developer: '100/m'
   */
  rate_limits?: {
    [k: string]: string;
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "observability".
 */
export interface Observability {
  langfuse?: {
    enabled?: boolean;
    project?: string;
    public_key?: string;
    secret_key?: string;
    host?: string;
  };
  tracing?: boolean;
  log_level?: 'debug' | 'info' | 'warn' | 'warning' | 'error';
  metrics?: {
    latency?: boolean;
    tokens?: boolean;
    cost?: boolean;
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "expose".
 */
export interface Expose {
  rest?: boolean;
  streaming?: 'sse' | 'websocket' | 'none';
  port?: number;
  host?: string;
  max_body_bytes?: number;
  cors?: {
    origins?: string[];
    methods?: string[];
    headers?: string[];
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "secrets".
 */
export interface Secrets {
  required?: SecretDecl[];
  optional?: SecretDecl[];
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "secretDecl".
 */
export interface SecretDecl {
  name: string;
  description?: string;
  default?: string;
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "build".
 */
export interface Build {
  auto_detect_imports?: boolean;
  include?: {
    directories?: string[];
    files?: string[];
    patterns?: string[];
  };
  exclude?: string[];
  python?: string;
  requirements?: string;
  system_packages?: string[];
  base_image?: string;
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "streaming".
 */
export interface Streaming {
  async_runs?: boolean | null;
  backend?: ('memory' | 'redis') | null;
  allow_client_ids?: boolean | null;
  redis?: {
    url?: string | null;
    stream_ttl_seconds?: number | null;
    max_events_per_run?: number | null;
    connection_pool_size?: number | null;
  } | null;
  id_generator?: {
    type?: string | null;
    handler?: string | null;
  } | null;
  events?: {
    allowed?: (string[] | string) | null;
    heartbeat_interval?: number | null;
    max_run_duration?: number | null;
  } | null;
  connection?: {
    default_timeout?: number | null;
    max_subscribers_per_run?: number | null;
  } | null;
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "deploy".
 */
export interface Deploy {
  target?: 'compose' | 'kubernetes';
  /**
   * Image repository; default ghcr.io/<owner>/<agent.name>.
   */
  image?: string;
  replicas?: number;
  resources?: Resources;
  autoscaling?: Autoscaling;
  network_policy?: NetworkPolicy;
  env?: {
    [k: string]: string | number | boolean;
  };
  environments?: {
    [k: string]: Environment;
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "resources".
 */
export interface Resources {
  requests?: {
    cpu?: number | string;
    memory?: string;
  };
  limits?: {
    cpu?: number | string;
    memory?: string;
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "autoscaling".
 */
export interface Autoscaling {
  min?: number;
  max: number;
  /**
   * target CPU utilisation %
   */
  cpu?: number;
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "networkPolicy".
 */
export interface NetworkPolicy {
  enabled?: boolean;
  /**
   * CIDRs the agent may reach; empty or unset = open egress.
   */
  egress?: string[];
  /**
   * Where the egress rule lets DNS queries go when `egress` restricts egress (replaced whole by an environment).
   */
  dns?: {
    /**
     * Namespace of the cluster DNS pods (default kube-system; OpenShift: openshift-dns).
     */
    namespace?: string;
    /**
     * Labels of the DNS pods in that namespace (default: any pod there).
     */
    pod_labels?: {
      [k: string]: string;
    };
    /**
     * Ports the DNS pods listen on, UDP and TCP (default [53]; OpenShift: [5353]).
     *
     * @minItems 1
     */
    ports?: [number, ...number[]];
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "environment".
 */
export interface Environment {
  target?: 'compose' | 'kubernetes';
  replicas?: number;
  resources?: Resources;
  autoscaling?: Autoscaling;
  network_policy?: NetworkPolicy;
  namespace?: string;
  env?: {
    [k: string]: string | number | boolean;
  };
  ingress?: Ingress;
  secrets?: SecretProfile;
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "ingress".
 */
export interface Ingress {
  host: string;
  path?: string;
  tls?:
    | boolean
    | {
        secret_name?: string;
      };
  class_name?: string;
  annotations?: {
    [k: string]: string;
  };
}
/**
 * This interface was referenced by `DockrionDockfileV1`'s JSON-Schema
 * via the `definition` "secretProfile".
 */
export interface SecretProfile {
  provider: 'github' | 'vault' | 'aws';
  vault?: {
    address: string;
    mount?: string;
    path: string;
    kv_version?: 1 | 2;
    namespace?: string;
    ca_cert?: string;
    auth?: {
      method: 'token' | 'approle' | 'jwt';
      mount?: string;
      role?: string;
      role_id?: string;
      secret_id_env?: string;
      token_env?: string;
      audience?: string;
    };
  };
  aws?: {
    region?: string;
    secret_id: string;
    version_stage?: string;
    endpoint?: string;
  };
  map?: {
    [k: string]: string;
  };
  age_recipients?: string[];
  /**
   * How github-provider values reach the service: sops (a SOPS-encrypted Secret, Flux decrypts it), sealed-secrets (a SealedSecret for the Bitnami controller), age-file (secrets.env.age for dockrion apply on Compose hosts)
   */
  delivery?: 'sops' | 'sealed-secrets' | 'age-file';
  sealed_secrets?: {
    /**
     * The Sealed Secrets controller's public certificate: PEM text or a file relative to the Dockfile (kubeseal --fetch-cert)
     */
    certificate?: string;
  };
  store?: {
    name: string;
    kind?: 'SecretStore' | 'ClusterSecretStore';
  };
  refresh_interval?: string;
}
