/**
 * The classifier's table: each case is a pair of Dockfiles (YAML merge patches over
 * BASE_DOCKFILE: maps merge, `null` deletes, lists replace) and every change the diff must
 * report, as `class message`, with ` @env` for a per-environment change.
 */
export interface DiffCase {
  name: string;
  /** Patch for the old Dockfile (default: the base itself). */
  before?: string;
  /** Patch for the new Dockfile. */
  after: string;
  expect: string[];
}

export const DIFF_CASES: DiffCase[] = [
  // ---- io_schema.input ------------------------------------------------------------------------
  {
    name: 'an optional input field added',
    after: `io_schema: { input: { properties: { note: { type: string } } } }`,
    expect: ['compatible io_schema.input.properties.note: input field added (optional)'],
  },
  {
    name: 'a new required input field',
    after: `io_schema: { input: { properties: { customer_id: { type: string } }, required: [invoice_id, customer_id] } }`,
    expect: ['breaking io_schema.input.properties.customer_id: new required field'],
  },
  {
    name: 'an optional input field becomes required',
    after: `io_schema: { input: { required: [invoice_id, currency] } }`,
    expect: ['breaking io_schema.input.properties.currency: field became required'],
  },
  {
    name: 'a required input field becomes optional',
    after: `io_schema: { input: { required: [] } }`,
    expect: ['compatible io_schema.input.properties.invoice_id: field no longer required'],
  },
  {
    name: 'an input field removed',
    after: `io_schema: { input: { properties: { amount: null } } }`,
    expect: ['breaking io_schema.input.properties.amount: field removed'],
  },
  {
    name: 'an input field removed where extra fields are forbidden',
    before: `io_schema: { input: { additionalProperties: false } }`,
    after: `io_schema: { input: { additionalProperties: false, properties: { amount: null } } }`,
    expect: ['breaking io_schema.input.properties.amount: field removed and no longer accepted'],
  },
  {
    name: 'an input type narrowed (number to integer)',
    after: `io_schema: { input: { properties: { amount: { type: integer } } } }`,
    expect: ['breaking io_schema.input.properties.amount.type: type changed from number to integer'],
  },
  {
    name: 'an input type widened (number to number|string)',
    after: `io_schema: { input: { properties: { amount: { type: [number, string] } } } }`,
    expect: [
      'compatible io_schema.input.properties.amount.type: changed from "number" to ["number","string"]',
    ],
  },
  {
    name: 'an input type changed (string to number)',
    after: `io_schema: { input: { properties: { invoice_id: { type: number, minLength: null, maxLength: null } } } }`,
    expect: [
      'breaking io_schema.input.properties.invoice_id.type: type changed from string to number',
      'compatible io_schema.input.properties.invoice_id.maxLength: removed (was 64)',
      'compatible io_schema.input.properties.invoice_id.minLength: removed (was 1)',
    ],
  },
  {
    name: 'an input enum narrowed',
    after: `io_schema: { input: { properties: { currency: { enum: [EUR] } } } }`,
    expect: ['breaking io_schema.input.properties.currency: "USD" no longer accepted'],
  },
  {
    name: 'an input enum widened',
    after: `io_schema: { input: { properties: { currency: { enum: [EUR, USD, GBP] } } } }`,
    expect: [
      'compatible io_schema.input.properties.currency.enum: changed from ["EUR","USD"] to ["EUR","USD","GBP"]',
    ],
  },
  {
    name: 'an enum added to a free input string',
    after: `io_schema: { input: { properties: { invoice_id: { enum: [A-1, A-2] } } } }`,
    expect: ['breaking io_schema.input.properties.invoice_id: now limited to enum ["A-1","A-2"]'],
  },
  {
    name: 'an input const replacing an enum that holds it',
    after: `io_schema: { input: { properties: { currency: { enum: null, const: EUR } } } }`,
    expect: ['breaking io_schema.input.properties.currency: "USD" no longer accepted'],
  },
  {
    name: 'an input maxLength lowered',
    after: `io_schema: { input: { properties: { invoice_id: { maxLength: 32 } } } }`,
    expect: ['breaking io_schema.input.properties.invoice_id.maxLength: maxLength changed from 64 to 32'],
  },
  {
    name: 'an input maxLength raised',
    after: `io_schema: { input: { properties: { invoice_id: { maxLength: 128 } } } }`,
    expect: ['compatible io_schema.input.properties.invoice_id.maxLength: changed from 64 to 128'],
  },
  {
    name: 'an input minimum raised',
    after: `io_schema: { input: { properties: { amount: { minimum: 1 } } } }`,
    expect: ['breaking io_schema.input.properties.amount.minimum: lower bound changed from >= 0 to >= 1'],
  },
  {
    name: 'an input exclusiveMinimum at the same bound',
    after: `io_schema: { input: { properties: { amount: { minimum: null, exclusiveMinimum: 0 } } } }`,
    expect: [
      'breaking io_schema.input.properties.amount.exclusiveMinimum: lower bound changed from >= 0 to > 0',
      'compatible io_schema.input.properties.amount.minimum: removed (was 0)',
    ],
  },
  {
    name: 'an input maximum added',
    after: `io_schema: { input: { properties: { amount: { maximum: 1000000 } } } }`,
    expect: ['breaking io_schema.input.properties.amount.maximum: upper bound <= 1000000 added'],
  },
  {
    name: 'an input pattern added',
    after: `io_schema: { input: { properties: { invoice_id: { pattern: '^INV-[0-9]+$' } } } }`,
    expect: [
      'breaking io_schema.input.properties.invoice_id.pattern: pattern added; not provably compatible',
    ],
  },
  {
    name: 'an input pattern changed',
    before: `io_schema: { input: { properties: { invoice_id: { pattern: '^INV-[0-9]+$' } } } }`,
    after: `io_schema: { input: { properties: { invoice_id: { pattern: '^INV-[0-9]{1,9}$' } } } }`,
    expect: [
      'breaking io_schema.input.properties.invoice_id.pattern: pattern changed; not provably compatible',
    ],
  },
  {
    name: 'an input pattern removed',
    before: `io_schema: { input: { properties: { invoice_id: { pattern: '^INV-[0-9]+$' } } } }`,
    after: '',
    expect: ['compatible io_schema.input.properties.invoice_id.pattern: removed (was "^INV-[0-9]+$")'],
  },
  {
    name: 'a nested array item field minimum raised',
    after: `io_schema: { input: { properties: { lines: { items: { properties: { qty: { minimum: 2 } } } } } } }`,
    expect: [
      'breaking io_schema.input.properties.lines.items.properties.qty.minimum: lower bound changed from >= 1 to >= 2',
    ],
  },
  {
    name: 'a nested array item field becomes required',
    after: `io_schema: { input: { properties: { lines: { items: { required: [sku, qty] } } } } }`,
    expect: ['breaking io_schema.input.properties.lines.items.properties.qty: field became required'],
  },
  {
    name: 'an input array maxItems added',
    after: `io_schema: { input: { properties: { lines: { maxItems: 100 } } } }`,
    expect: ['breaking io_schema.input.properties.lines.maxItems: maxItems 100 added'],
  },
  {
    name: 'extra input fields forbidden (callers send declared fields only)',
    after: `io_schema: { input: { additionalProperties: false } }`,
    expect: ['compatible io_schema.input.additionalProperties: added: false'],
  },
  {
    name: 'an input description changed',
    after: `io_schema: { input: { properties: { amount: { description: Gross amount } } } }`,
    expect: ['compatible io_schema.input.properties.amount.description: added: "Gross amount"'],
  },
  {
    name: 'a field moved to a $ref whose definition narrows it',
    after: `io_schema: { input: { properties: { amount: { type: null, minimum: null, $ref: '#/$defs/money' } }, $defs: { money: { type: integer } } } }`,
    expect: [
      'breaking io_schema.input.properties.amount.type: type changed from number to integer',
      'compatible io_schema.input.properties.amount.minimum: removed (was 0)',
    ],
  },
  {
    name: 'a definition used through $ref narrowed',
    before: `io_schema: { input: { properties: { amount: { type: null, minimum: null, $ref: '#/$defs/money' } }, $defs: { money: { type: number } } } }`,
    after: `io_schema: { input: { properties: { amount: { type: null, minimum: null, $ref: '#/$defs/money' } }, $defs: { money: { type: number, minimum: 0 } } } }`,
    expect: ['breaking io_schema.input.properties.amount.minimum: lower bound >= 0 added'],
  },
  {
    name: 'a recursive definition, unchanged, next to a widened enum',
    before: `io_schema: { input: { properties: { tree: { $ref: '#/$defs/node' } }, $defs: { node: { type: object, properties: { children: { type: array, items: { $ref: '#/$defs/node' } } } } } } }`,
    after: `io_schema: { input: { properties: { currency: { enum: [EUR, USD, GBP] }, tree: { $ref: '#/$defs/node' } }, $defs: { node: { type: object, properties: { children: { type: array, items: { $ref: '#/$defs/node' } } } } } } }`,
    expect: [
      'compatible io_schema.input.properties.currency.enum: changed from ["EUR","USD"] to ["EUR","USD","GBP"]',
    ],
  },
  {
    name: 'a recursive definition changed',
    before: `io_schema: { input: { properties: { tree: { $ref: '#/$defs/node' } }, $defs: { node: { type: object, properties: { children: { type: array, items: { $ref: '#/$defs/node' } } } } } } }`,
    after: `io_schema: { input: { properties: { tree: { $ref: '#/$defs/node' } }, $defs: { node: { type: object, properties: { children: { type: array, maxItems: 10, items: { $ref: '#/$defs/node' } } } } } } }`,
    expect: ['breaking io_schema.input.$defs: $defs changed; not provably compatible'],
  },
  {
    name: 'a nullable input field via anyOf',
    after: `io_schema: { input: { properties: { notes_in: { anyOf: [{ type: string }, { type: 'null' }] } } } }`,
    expect: ['compatible io_schema.input.properties.notes_in: input field added (optional)'],
  },
  {
    name: 'an input schema added where there was none',
    before: `io_schema: { input: null }`,
    after: '',
    expect: [
      'breaking io_schema.input.properties.invoice_id: new required field',
      'breaking io_schema.input.type: type changed from any to object',
    ],
  },
  {
    name: 'the input schema removed',
    after: `io_schema: { input: null }`,
    expect: [
      'compatible io_schema.input: removed (was {"properties":{"amount":{"minimum":0,"type":"number"},"currency":{"enum":["EU...)',
    ],
  },
  // ---- io_schema.output -----------------------------------------------------------------------
  {
    name: 'an output field removed',
    after: `io_schema: { output: { properties: { notes: null } } }`,
    expect: ['breaking io_schema.output.properties.notes: field removed'],
  },
  {
    name: 'a required output field removed',
    after: `io_schema: { output: { properties: { status: null }, required: [total] } }`,
    expect: ['breaking io_schema.output.properties.status: field removed'],
  },
  {
    name: 'an output field type changed',
    after: `io_schema: { output: { properties: { total: { type: string } } } }`,
    expect: ['breaking io_schema.output.properties.total.type: type changed from number to string'],
  },
  {
    name: 'an output field narrowed (number to integer) is compatible',
    after: `io_schema: { output: { properties: { total: { type: integer } } } }`,
    expect: ['compatible io_schema.output.properties.total.type: changed from "number" to "integer"'],
  },
  {
    name: 'an output field added',
    after: `io_schema: { output: { properties: { currency: { type: string } } } }`,
    expect: ['compatible io_schema.output.properties.currency: output field added'],
  },
  {
    name: 'an output enum widened',
    after: `io_schema: { output: { properties: { status: { enum: [ok, rejected, pending] } } } }`,
    expect: ['breaking io_schema.output.properties.status: "pending" may now be returned'],
  },
  {
    name: 'a required output field becomes optional',
    after: `io_schema: { output: { required: [total] } }`,
    expect: ['breaking io_schema.output.properties.status: field no longer always present'],
  },
  {
    name: 'output validation turned off',
    after: `io_schema: { strict: false }`,
    expect: ['breaking io_schema.strict: turned off: the output is no longer checked against its schema'],
  },
  // ---- endpoints, streaming, port -------------------------------------------------------------
  {
    name: 'the streaming endpoint removed',
    after: `expose: { streaming: none }`,
    expect: [
      'breaking endpoints: POST /invoke/stream removed',
      'breaking expose.streaming: changed from sse to none',
    ],
  },
  {
    name: 'a websocket endpoint added',
    after: `expose: { streaming: websocket }`,
    expect: [
      'compatible endpoints: GET /invoke/ws added',
      'compatible expose.streaming: changed from sse to websocket',
    ],
  },
  {
    name: 'the REST endpoint turned off',
    after: `expose: { rest: false }`,
    expect: ['breaking endpoints: POST /invoke removed', 'breaking expose.rest: turned off'],
  },
  {
    name: 'the port changed',
    after: `expose: { port: 9090 }`,
    expect: ['breaking expose.port: changed from 8080 to 9090: callers and probes must follow'],
  },
  {
    name: 'the request body limit lowered',
    before: `expose: { max_body_bytes: 1048576 }`,
    after: `expose: { max_body_bytes: 65536 }`,
    expect: ['breaking expose.max_body_bytes: changed from 1048576 to 65536: larger requests are rejected'],
  },
  {
    name: 'the request body limit raised',
    before: `expose: { max_body_bytes: 65536 }`,
    after: `expose: { max_body_bytes: 1048576 }`,
    expect: ['compatible expose.max_body_bytes: changed from 65536 to 1048576'],
  },
  {
    name: 'a request body limit set where the runtime default applied',
    after: `expose: { max_body_bytes: 4194304 }`,
    expect: [
      'breaking expose.max_body_bytes: set to 4194304 (was the runtime default): larger requests are rejected',
    ],
  },
  {
    name: 'a CORS origin added',
    after: `expose: { cors: { origins: ['https://app.example.com'] } }`,
    expect: ['widening expose.cors.origins: origin https://app.example.com now allowed for browser callers'],
  },
  {
    name: 'every CORS origin allowed',
    before: `expose: { cors: { origins: ['https://app.example.com'] } }`,
    after: `expose: { cors: { origins: ['https://app.example.com', '*'] } }`,
    expect: ['widening expose.cors.origins: origin * allowed: browser calls from any web page are allowed'],
  },
  // ---- auth -----------------------------------------------------------------------------------
  {
    name: 'auth loosened to none',
    after: `auth: { mode: none, roles: null, rate_limits: null }`,
    expect: ['widening auth.mode: loosened from api_key to none: anyone who can reach the agent may call it'],
  },
  {
    name: 'auth tightened from none to api_key',
    before: `auth: { mode: none, roles: null, rate_limits: null }`,
    after: '',
    expect: ['breaking auth.mode: changed from none to api_key: callers must now present an API key'],
  },
  {
    name: 'auth switched from api_key to jwt',
    after: `auth: { mode: jwt, jwt: { jwks_url: 'https://id.example.com/jwks.json', issuer: 'https://id.example.com', audience: invoices } }`,
    expect: ['breaking auth.mode: changed from api_key to jwt: callers must now present a JWT'],
  },
  {
    name: 'the API key header renamed',
    after: `auth: { api_keys: { header: X-Invoice-Key } }`,
    expect: [
      'breaking auth.api_keys.header: changed from X-API-Key to X-Invoice-Key: callers sending the old header are rejected',
    ],
  },
  {
    name: 'a role gains a permission',
    after: `auth: { roles: [{ name: clerk, permissions: [invoke, read_logs] }, { name: admin, permissions: [invoke, view_metrics] }] }`,
    expect: ['widening auth.roles.clerk: gains permission read_logs'],
  },
  {
    name: 'a role loses a permission',
    after: `auth: { roles: [{ name: clerk, permissions: [invoke] }, { name: admin, permissions: [invoke] }] }`,
    expect: ['breaking auth.roles.admin: loses permission view_metrics: its callers are rejected there'],
  },
  {
    name: 'a role added and a role removed',
    after: `auth: { roles: [{ name: clerk, permissions: [invoke] }, { name: auditor, permissions: [read_logs] }] }`,
    expect: [
      'breaking auth.roles.admin: role removed: its callers are rejected',
      'widening auth.roles.auditor: role added with read_logs',
    ],
  },
  {
    name: 'a rate limit raised',
    after: `auth: { rate_limits: { clerk: 200/m } }`,
    expect: ['widening auth.rate_limits.clerk: raised from 100/m to 200/m'],
  },
  {
    name: 'a rate limit lowered',
    after: `auth: { rate_limits: { clerk: 1/s } }`,
    expect: ['breaking auth.rate_limits.clerk: lowered from 100/m to 1/s: callers above it are rejected'],
  },
  {
    name: 'a rate limit rewritten with a larger burst at the same rate',
    after: `auth: { rate_limits: { clerk: 6000/hour } }`,
    expect: ['widening auth.rate_limits.clerk: same rate, burst raised from 100/m to 6000/hour'],
  },
  {
    name: 'a rate limit rewritten with the same meaning',
    after: `auth: { rate_limits: { clerk: 100 / minute } }`,
    expect: ['compatible auth.rate_limits.clerk: rewritten from 100/m to 100 / minute (same limit)'],
  },
  {
    name: 'a rate limit removed',
    after: `auth: { rate_limits: null }`,
    expect: ['widening auth.rate_limits.clerk: limit 100/m removed: no limit'],
  },
  {
    name: 'a JWT audience added and an algorithm removed',
    before: `auth: { mode: jwt, jwt: { jwks_url: 'https://id.example.com/jwks.json', audience: [invoices], algorithms: [RS256, ES256] } }`,
    after: `auth: { mode: jwt, jwt: { jwks_url: 'https://id.example.com/jwks.json', audience: [invoices, billing], algorithms: [RS256] } }`,
    expect: [
      'breaking auth.jwt.algorithms: ES256 no longer accepted',
      'widening auth.jwt.audience: billing now accepted',
    ],
  },
  // ---- policies -------------------------------------------------------------------------------
  {
    name: 'a tool added to the allow list',
    after: `policies: { tools: { allowed: [lookup_invoice, send_email] } }`,
    expect: ['widening policies.tools.allowed: send_email added: the agent may call it'],
  },
  {
    name: 'a tool removed from the allow list',
    after: `policies: { tools: { allowed: [] } }`,
    expect: ['compatible policies.tools.allowed: lookup_invoice removed: the agent may no longer call it'],
  },
  {
    name: 'tool gating turned off',
    after: `policies: { tools: { deny_by_default: false } }`,
    expect: ['widening policies.tools.deny_by_default: turned off: tools not listed are allowed'],
  },
  {
    name: 'a redact pattern removed',
    after: `policies: { safety: { redact_patterns: [] } }`,
    expect: [
      'widening policies.safety.redact_patterns: \\b\\d{16}\\b removed: matching text is no longer redacted',
    ],
  },
  {
    name: 'a redact pattern added',
    after: `policies: { safety: { redact_patterns: ['\\b\\d{16}\\b', '[A-Z]{2}\\d{20}'] } }`,
    expect: ['compatible policies.safety.redact_patterns: [A-Z]{2}\\d{20} added'],
  },
  {
    name: 'prompt-injection blocking turned off',
    after: `policies: { safety: { block_prompt_injection: false } }`,
    expect: ['widening policies.safety.block_prompt_injection: turned off: a safety policy relaxed'],
  },
  {
    name: 'the output length limit raised',
    after: `policies: { safety: { max_output_chars: 8000 } }`,
    expect: [
      'widening policies.safety.max_output_chars: raised from 4000 to 8000: longer answers are let through',
    ],
  },
  // ---- secrets --------------------------------------------------------------------------------
  {
    name: 'a new required secret',
    after: `secrets: { required: [{ name: ERP_TOKEN }, { name: MAIL_PASSWORD }] }`,
    expect: [
      'operational secrets.required.MAIL_PASSWORD: new required secret; environment prod: read as MAIL_PASSWORD from vault https://vault.example.com:8200 secret/invoice-copilot/prod @prod',
      'operational secrets.required.MAIL_PASSWORD: new required secret; environment staging: read as MAIL_PASSWORD from GitHub Secrets @staging',
    ],
  },
  {
    name: 'an optional secret becomes required',
    before: `secrets: { optional: [{ name: MAIL_PASSWORD }] }`,
    after: `secrets: { required: [{ name: ERP_TOKEN }, { name: MAIL_PASSWORD }] }`,
    expect: [
      'operational secrets.required.MAIL_PASSWORD: optional secret is now required; environment prod: read as MAIL_PASSWORD from vault https://vault.example.com:8200 secret/invoice-copilot/prod @prod',
      'operational secrets.required.MAIL_PASSWORD: optional secret is now required; environment staging: read as MAIL_PASSWORD from GitHub Secrets @staging',
    ],
  },
  {
    name: 'a new optional secret',
    after: `secrets: { optional: [{ name: MAIL_PASSWORD, default: '' }] }`,
    expect: ['compatible secrets.optional.MAIL_PASSWORD: new optional secret'],
  },
  {
    name: 'a secret mapped to another key',
    after: `deploy: { environments: { prod: { secrets: { map: { ERP_TOKEN: erp_token_v2 } } } } }`,
    expect: [
      'operational deploy.environments.prod.secrets.map.ERP_TOKEN: now read from erp_token_v2 (was erp_token) @prod',
    ],
  },
  // ---- deployment -----------------------------------------------------------------------------
  {
    name: 'replicas changed in one environment',
    after: `deploy: { environments: { prod: { replicas: 5 } } }`,
    expect: ['operational deploy.environments.prod.replicas: changed from 3 to 5 @prod'],
  },
  {
    name: 'default resources changed (every environment)',
    after: `deploy: { resources: { limits: { memory: 2Gi } } }`,
    expect: [
      'operational deploy.environments.prod.resources.limits.memory: changed from "1Gi" to "2Gi" @prod',
      'operational deploy.environments.staging.resources.limits.memory: changed from "1Gi" to "2Gi" @staging',
    ],
  },
  {
    name: 'autoscaling added',
    after: `deploy: { environments: { prod: { autoscaling: { min: 3, max: 10 } } } }`,
    expect: ['operational deploy.environments.prod.autoscaling: set to {"min":3,"max":10,"cpu":70} @prod'],
  },
  {
    name: 'the ingress host changed',
    after: `deploy: { environments: { prod: { ingress: { host: billing.example.com } } } }`,
    expect: [
      'operational deploy.environments.prod.ingress.host: changed from "invoices.example.com" to "billing.example.com" @prod',
    ],
  },
  {
    name: 'an environment added',
    after: `deploy: { environments: { canary: { target: compose } } }`,
    expect: ['operational deploy.environments.canary: environment added @canary'],
  },
  // ---- everything else ------------------------------------------------------------------------
  {
    name: 'the description and the model changed; a timeout set where there was none',
    after: `agent: { description: Reads invoices }\nmodel: { provider: openai, name: gpt-4o-mini }\narguments: { timeout_sec: 30 }`,
    expect: [
      'breaking arguments.timeout_sec: set to 30 s (there was no limit): requests running longer now end with 504',
      'compatible agent.description: set to "Reads invoices"',
      'compatible model: set to "openai/gpt-4o-mini"',
    ],
  },
  {
    name: 'the timeout lowered',
    before: `arguments: { timeout_sec: 30 }`,
    after: `arguments: { timeout_sec: 10 }`,
    expect: [
      'breaking arguments.timeout_sec: lowered from 30 to 10 s: requests running longer now end with 504',
    ],
  },
  {
    name: 'observability and build settings changed (not in the contract)',
    after: `observability: { log_level: debug, tracing: true }\nbuild: { system_packages: [curl] }\nmetadata: { version: 2.0.0 }`,
    expect: [],
  },
];
