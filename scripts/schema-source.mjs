// Source of schemas/dockfile.v1.schema.json. The JSON file is the published contract; this
// module only exists so that repeated shapes are written once. `npm run gen:types` regenerates
// both the JSON and the TypeScript types from it.
//
// Two forms of one schema:
// - `schema` describes the Dockfile after `${VAR}` interpolation and `!include` expansion: what
//   `dockrion validate` checks (precompiled into dist/ by scripts/build.mjs) and what the
//   TypeScript types describe.
// - `publishedSchema` describes the file as written, for editors: wherever the loader
//   interpolates (every string value), a `${VAR}` / `${VAR:-default}` reference is accepted, and
//   patterns, enums and lengths apply to literal strings only. action/dockfile/schema.ts derives
//   `schema` back from the published JSON (`resolvedSchema`), so there is one file to ship.
const str = (extra = {}) => ({ type: 'string', ...extra });
const bool = (description) => ({ type: 'boolean', ...(description ? { description } : {}) });
const strList = (extra = {}) => ({ type: 'array', items: { type: 'string', ...extra } });
const nullable = (schema) => ({ anyOf: [schema, { type: 'null' }] });
const closed = (properties, extra = {}) => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...extra,
});

const envVarName = '^[A-Z_][A-Z0-9_]*$';
const cpuQuantity = {
  anyOf: [{ type: 'number', exclusiveMinimum: 0 }, str({ pattern: '^([0-9]+m|[0-9]+(\\.[0-9]+)?)$' })],
};
/** Where the Dockfile is published; the `v1` tag moves with every 1.x release, like the Action. */
export const schemaUrl =
  'https://raw.githubusercontent.com/dockrion/deploy/v1/schemas/dockfile.v1.schema.json';
/** The file names `dockrion` reads by default and editors should bind the schema to (SchemaStore `fileMatch`). */
export const fileMatch = ['Dockfile.yaml', 'Dockfile.yml', 'Dockfile.*.yaml', 'Dockfile.*.yml'];

const memoryQuantity = str({ pattern: '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$' });

export const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: schemaUrl,
  title: 'Dockrion Dockfile v1',
  description:
    'Describes an AI agent service: its code, model, I/O, auth, policies, exposure, secrets, image build and deployment. After `${VAR}` interpolation and `!include` expansion.',
  type: 'object',
  required: ['version', 'agent'],
  properties: {
    version: {
      type: 'string',
      enum: ['1.0'],
      description: 'Dockfile schema version; must be the string "1.0".',
    },
    agent: { $ref: '#/$defs/agent' },
    model: { $ref: '#/$defs/model' },
    io_schema: { $ref: '#/$defs/ioSchema' },
    arguments: {
      type: 'object',
      description: 'Runtime knobs passed to the adapter (e.g. timeout_sec).',
      properties: { timeout_sec: { type: 'number', exclusiveMinimum: 0 } },
      additionalProperties: true,
    },
    policies: { $ref: '#/$defs/policies' },
    auth: { $ref: '#/$defs/auth' },
    observability: { $ref: '#/$defs/observability' },
    expose: { $ref: '#/$defs/expose' },
    metadata: {
      type: 'object',
      properties: {
        maintainer: str(),
        version: str({
          minLength: 1,
          maxLength: 128,
          pattern: '^[A-Za-z0-9][A-Za-z0-9._+-]*$',
          description:
            'The agent version: SemVer (1.2.3, 1.2.3-rc.1+build.5) or a tag of letters, digits, ., _, + and -, starting with a letter or digit. It names the image tag and appears in commit messages, PR titles and shell commands.',
        }),
        tags: strList(),
      },
      additionalProperties: true,
    },
    secrets: { $ref: '#/$defs/secrets' },
    build: { $ref: '#/$defs/build' },
    streaming: { $ref: '#/$defs/streaming' },
    deploy: { $ref: '#/$defs/deploy' },
  },
  patternProperties: { '^x-': {} },
  additionalProperties: false,
  $defs: {
    pythonRef: str({
      pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$',
      description: '<module.path>:<callable>',
    }),
    pythonClassRef: str({
      pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*[:.][A-Za-z_][A-Za-z0-9_]*$',
      description: '<module.path>:<Class> (or module.path.Class)',
    }),
    agent: closed(
      {
        name: str({
          pattern: '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$',
          description: 'DNS-1123 label: lowercase letters, digits and hyphens, 1-63 chars.',
        }),
        description: str(),
        entrypoint: { $ref: '#/$defs/pythonRef', description: '<module.path>:<factory>; needs `framework`.' },
        handler: {
          $ref: '#/$defs/pythonRef',
          description: '<module.path>:<callable>; implies framework custom.',
        },
        framework: str({ enum: ['langgraph', 'langchain', 'custom'] }),
      },
      { required: ['name'] },
    ),
    model: closed(
      {
        provider: str({ enum: ['openai', 'azure', 'anthropic', 'google', 'ollama', 'custom'] }),
        name: str({ minLength: 1 }),
        temperature: { type: 'number', minimum: 0, maximum: 2 },
        max_tokens: { type: 'integer', minimum: 1 },
        endpoint: str(),
        extra: { type: 'object', additionalProperties: true },
      },
      { required: ['provider', 'name'] },
    ),
    jsonSchemaObject: {
      type: 'object',
      description: 'An inline JSON Schema for an object.',
      properties: {
        type: { const: 'object' },
        properties: { type: 'object', additionalProperties: { type: 'object' } },
        required: strList(),
        additionalProperties: { anyOf: [{ type: 'boolean' }, { type: 'object' }] },
        description: str(),
        title: str(),
      },
      additionalProperties: true,
    },
    ioSchema: closed({
      input: { $ref: '#/$defs/jsonSchemaObject' },
      output: { $ref: '#/$defs/jsonSchemaObject' },
      input_class: { $ref: '#/$defs/pythonClassRef' },
      output_class: { $ref: '#/$defs/pythonClassRef' },
      strict: bool('Validate the agent output against the output schema.'),
    }),
    policies: closed({
      tools: closed({
        allowed: strList({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
        deny_by_default: bool(),
      }),
      safety: closed({
        redact_patterns: strList({ minLength: 1 }),
        max_output_chars: { type: 'integer', minimum: 1 },
        block_prompt_injection: bool(),
        halt_on_violation: bool(),
      }),
    }),
    permission: str({
      enum: ['deploy', 'rollback', 'invoke', 'view_metrics', 'key_manage', 'read_logs', 'read_docs'],
    }),
    auth: closed({
      // Optional like in the Python dockrion tool, where it defaults to api_key.
      mode: str({ enum: ['none', 'api_key', 'jwt', 'oauth2'], description: 'Default api_key.' }),
      api_keys: closed({
        env_var: str({ pattern: envVarName }),
        header: str({ pattern: '^[A-Za-z0-9-]+$' }),
        allow_bearer: bool(),
        prefix: str({ pattern: envVarName }),
        enabled: bool(),
        rotation_days: { type: 'integer', minimum: 1 },
      }),
      jwt: closed({
        secret_key: str({ minLength: 1 }),
        jwks_url: str({ minLength: 1 }),
        public_key_env: str({ pattern: envVarName }),
        issuer: str(),
        audience: { anyOf: [str(), strList()] },
        algorithms: strList({
          enum: [
            'HS256',
            'HS384',
            'HS512',
            'RS256',
            'RS384',
            'RS512',
            'ES256',
            'ES384',
            'ES512',
            'PS256',
            'PS384',
            'PS512',
          ],
        }),
        leeway_seconds: { type: 'integer', minimum: 0 },
        expiry_minutes: { type: 'integer', minimum: 1 },
      }),
      oauth2: closed({
        issuer: str(),
        jwks_url: str({ minLength: 1 }),
        audience: { anyOf: [str(), strList()] },
        scopes: strList(),
      }),
      roles: {
        type: 'array',
        items: closed(
          {
            name: str({ pattern: '^[a-z][a-z0-9_-]{0,31}$' }),
            permissions: { type: 'array', items: { $ref: '#/$defs/permission' } },
          },
          { required: ['name', 'permissions'] },
        ),
      },
      rate_limits: {
        type: 'object',
        description: "role → 'N/unit', e.g. developer: '100/m'",
        additionalProperties: str({
          pattern: '^[1-9][0-9]*\\s*/\\s*(s|sec|second|m|min|minute|h|hr|hour|d|day)$',
        }),
      },
    }),
    observability: closed({
      langfuse: closed({
        enabled: bool(),
        project: str(),
        public_key: str(),
        secret_key: str(),
        host: str(),
      }),
      tracing: bool(),
      log_level: str({ enum: ['debug', 'info', 'warn', 'warning', 'error'] }),
      metrics: closed({ latency: bool(), tokens: bool(), cost: bool() }),
    }),
    expose: closed({
      rest: bool(),
      streaming: str({ enum: ['sse', 'websocket', 'none'] }),
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      host: str({ minLength: 1 }),
      max_body_bytes: { type: 'integer', minimum: 1 },
      cors: closed({ origins: strList(), methods: strList(), headers: strList() }),
    }),
    secretDecl: closed(
      {
        name: str({ pattern: envVarName }),
        description: str(),
        default: str(),
      },
      { required: ['name'] },
    ),
    secrets: closed({
      required: { type: 'array', items: { $ref: '#/$defs/secretDecl' } },
      optional: { type: 'array', items: { $ref: '#/$defs/secretDecl' } },
    }),
    build: closed({
      auto_detect_imports: bool(),
      include: closed({ directories: strList(), files: strList(), patterns: strList() }),
      exclude: strList(),
      python: str({ pattern: '^3\\.[0-9]{1,2}$' }),
      requirements: str({ minLength: 1 }),
      system_packages: strList({ pattern: '^[a-z0-9][a-z0-9+.-]*$' }),
      base_image: str({ minLength: 1 }),
    }),
    streaming: closed({
      async_runs: nullable({ type: 'boolean' }),
      backend: nullable(str({ enum: ['memory', 'redis'] })),
      allow_client_ids: nullable({ type: 'boolean' }),
      redis: nullable(
        closed({
          url: nullable(str()),
          stream_ttl_seconds: nullable({ type: 'integer', minimum: 1 }),
          max_events_per_run: nullable({ type: 'integer', minimum: 1 }),
          connection_pool_size: nullable({ type: 'integer', minimum: 1 }),
        }),
      ),
      id_generator: nullable(closed({ type: nullable(str()), handler: nullable(str()) })),
      events: nullable(
        closed({
          allowed: nullable({ anyOf: [strList(), str()] }),
          heartbeat_interval: nullable({ type: 'number', minimum: 0 }),
          max_run_duration: nullable({ type: 'number', minimum: 0 }),
        }),
      ),
      connection: nullable(
        closed({
          default_timeout: nullable({ type: 'number', minimum: 0 }),
          max_subscribers_per_run: nullable({ type: 'integer', minimum: 1 }),
        }),
      ),
    }),
    resources: closed({
      requests: closed({ cpu: cpuQuantity, memory: memoryQuantity }),
      limits: closed({ cpu: cpuQuantity, memory: memoryQuantity }),
    }),
    autoscaling: closed(
      {
        min: { type: 'integer', minimum: 1 },
        max: { type: 'integer', minimum: 1 },
        cpu: { type: 'integer', minimum: 1, maximum: 100, description: 'target CPU utilisation %' },
      },
      { required: ['max'] },
    ),
    networkPolicy: closed({
      enabled: bool(),
      egress: {
        type: 'array',
        items: str(),
        description: 'CIDRs the agent may reach; empty or unset = open egress.',
      },
      dns: closed(
        {
          namespace: str({
            pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
            description: 'Namespace of the cluster DNS pods (default kube-system; OpenShift: openshift-dns).',
          }),
          pod_labels: {
            type: 'object',
            propertyNames: {
              pattern:
                '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$',
            },
            additionalProperties: str({ pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$' }),
            description: 'Labels of the DNS pods in that namespace (default: any pod there).',
          },
          ports: {
            type: 'array',
            minItems: 1,
            items: { type: 'integer', minimum: 1, maximum: 65535 },
            description: 'Ports the DNS pods listen on, UDP and TCP (default [53]; OpenShift: [5353]).',
          },
        },
        {
          description:
            'Where the egress rule lets DNS queries go when `egress` restricts egress (replaced whole by an environment).',
        },
      ),
    }),
    ingress: closed(
      {
        host: str({ pattern: '^(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$' }),
        path: str({ pattern: '^/' }),
        tls: { anyOf: [{ type: 'boolean' }, closed({ secret_name: str() })] },
        class_name: str(),
        annotations: { type: 'object', additionalProperties: str() },
      },
      { required: ['host'] },
    ),
    secretProfile: closed(
      {
        provider: str({ enum: ['github', 'vault', 'aws'] }),
        vault: closed(
          {
            address: str({ minLength: 1 }),
            mount: str({ minLength: 1 }),
            path: str({ minLength: 1 }),
            kv_version: { type: 'integer', enum: [1, 2] },
            namespace: str(),
            ca_cert: str(),
            auth: closed(
              {
                method: str({ enum: ['token', 'approle', 'jwt'] }),
                mount: str(),
                role: str(),
                role_id: str(),
                secret_id_env: str({ pattern: envVarName }),
                token_env: str({ pattern: envVarName }),
                audience: str(),
              },
              { required: ['method'] },
            ),
          },
          { required: ['address', 'path'] },
        ),
        aws: closed(
          {
            region: str({ minLength: 1 }),
            secret_id: str({ minLength: 1 }),
            version_stage: str(),
            endpoint: str(),
          },
          { required: ['secret_id'] },
        ),
        map: {
          type: 'object',
          propertyNames: { pattern: envVarName },
          additionalProperties: str({ minLength: 1 }),
        },
        age_recipients: strList({ pattern: '^age1[0-9a-z]{58}$' }),
        delivery: str({
          enum: ['sops', 'sealed-secrets', 'age-file'],
          description:
            'How github-provider values reach the service: sops (a SOPS-encrypted Secret, Flux decrypts it), sealed-secrets (a SealedSecret for the Bitnami controller), age-file (secrets.env.age for dockrion apply on Compose hosts)',
        }),
        sealed_secrets: closed({
          certificate: str({
            minLength: 1,
            description:
              "The Sealed Secrets controller's public certificate: PEM text or a file relative to the Dockfile (kubeseal --fetch-cert)",
          }),
        }),
        store: closed(
          { name: str({ minLength: 1 }), kind: str({ enum: ['SecretStore', 'ClusterSecretStore'] }) },
          { required: ['name'] },
        ),
        refresh_interval: str({ pattern: '^[0-9]+(s|m|h)$' }),
      },
      { required: ['provider'] },
    ),
    environment: closed({
      target: str({ enum: ['compose', 'kubernetes'] }),
      replicas: { type: 'integer', minimum: 0 },
      resources: { $ref: '#/$defs/resources' },
      autoscaling: { $ref: '#/$defs/autoscaling' },
      network_policy: { $ref: '#/$defs/networkPolicy' },
      namespace: str({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' }),
      env: {
        type: 'object',
        propertyNames: { pattern: envVarName },
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
      ingress: { $ref: '#/$defs/ingress' },
      secrets: { $ref: '#/$defs/secretProfile' },
    }),
    deploy: closed({
      target: str({ enum: ['compose', 'kubernetes'] }),
      image: str({ minLength: 1, description: 'Image repository; default ghcr.io/<owner>/<agent.name>.' }),
      replicas: { type: 'integer', minimum: 0 },
      resources: { $ref: '#/$defs/resources' },
      autoscaling: { $ref: '#/$defs/autoscaling' },
      network_policy: { $ref: '#/$defs/networkPolicy' },
      env: {
        type: 'object',
        propertyNames: { pattern: envVarName },
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
      environments: {
        type: 'object',
        propertyNames: { pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' },
        additionalProperties: { $ref: '#/$defs/environment' },
      },
    }),
  },
};

/** Keywords that a `${VAR}` reference may not satisfy although the value it resolves to does. */
const literalOnly = ['pattern', 'enum', 'const', 'maxLength', 'format'];
/** A string value with at least one reference the loader resolves (`$${` is a literal `${`). */
export const interpolationPattern = '(^|[^$])\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}';

/** Rewrites every constrained string schema (not property names: keys are never interpolated). */
function acceptReferences(node) {
  if (Array.isArray(node)) return node.map(acceptReferences);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === '$defs' || key === 'patternProperties')
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, acceptReferences(v)]));
    else if (['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not'].includes(key))
      out[key] = acceptReferences(value);
    else out[key] = value;
  }
  if (out.type !== 'string' || !literalOnly.some((k) => k in out)) return out;
  const { description, ...literal } = out;
  return { ...(description ? { description } : {}), anyOf: [literal, { $ref: '#/$defs/interpolated' }] };
}

export const publishedSchema = (() => {
  const published = acceptReferences(schema);
  published.$defs.interpolated = {
    type: 'string',
    pattern: interpolationPattern,
    description:
      'A value with a ${VAR} or ${VAR:-default} reference: `dockrion validate` checks the value it resolves to.',
  };
  // What a SchemaStore catalog entry says about this schema, for editors and catalogs.
  published['x-schemastore'] = {
    name: 'Dockrion Dockfile',
    description: 'Dockrion Dockfile: an AI agent service and its deployment',
    fileMatch,
    url: schemaUrl,
    versions: { '1.0': schemaUrl },
  };
  return published;
})();
