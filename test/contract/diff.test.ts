/**
 * The contract diff classifier: a table of Dockfile pairs loaded through the real loader and
 * normalizer (test/contract/cases.ts), and properties checked with fast-check.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffContracts } from '../../action/contract/diff.ts';
import { parseContract, serializeContract } from '../../action/contract/extract.ts';
import type { Contract, ContractChange, ContractDiff, JsonSchema } from '../../action/contract/types.ts';
import { CHANGE_CLASSES, CONTRACT_FORMAT } from '../../action/contract/types.ts';
import { DIFF_CASES } from './cases.ts';
import { contractOfText, patchedDockfile, scratchDir } from './support.ts';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

function lines(diff: ContractDiff): string[] {
  return CHANGE_CLASSES.flatMap((kind) =>
    diff[kind].map((c) => `${kind} ${c.message}${c.environment === undefined ? '' : ` @${c.environment}`}`),
  );
}

const all = (diff: ContractDiff): ContractChange[] => CHANGE_CLASSES.flatMap((kind) => diff[kind]);

let base: Contract;
beforeAll(async () => {
  base = await contractOfText(patchedDockfile(''), scratch.dir);
});

describe('the classifier table', () => {
  it('holds at least 40 cases, each with a distinct name', () => {
    expect(DIFF_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(DIFF_CASES.map((c) => c.name)).size).toBe(DIFF_CASES.length);
  });

  it.each(DIFF_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await contractOfText(patchedDockfile(c.before ?? ''), scratch.dir);
    const after = await contractOfText(patchedDockfile(c.after), scratch.dir);
    const diff = diffContracts(before, after);
    expect(lines(diff)).toEqual(c.expect);
    for (const change of all(diff)) {
      // One line each, naming its path, grouped under its own class.
      expect(change.message.startsWith(`${change.path}: `)).toBe(true);
      expect(change.message).not.toMatch(/[\r\n]/);
      expect(diff[change.class]).toContain(change);
    }
  });
});

describe('what the contract holds', () => {
  it('fills in defaults, so writing a default out is no change', async () => {
    const explicit = await contractOfText(
      patchedDockfile(
        'expose: { rest: true, host: 0.0.0.0 }\nauth: { api_keys: { header: X-API-Key, env_var: DOCKRION_API_KEY } }\npolicies: { tools: { deny_by_default: true } }',
      ),
      scratch.dir,
    );
    expect(lines(diffContracts(base, explicit))).toEqual([]);
  });

  it('never holds a secret value: a JWT signing key becomes has_secret_key', async () => {
    const key = 'jwt-signing-key-that-must-not-leak-0123456789';
    const contract = await contractOfText(
      patchedDockfile(`auth: { mode: jwt, jwt: { secret_key: '${key}' } }`),
      scratch.dir,
    );
    expect(contract.auth.jwt?.has_secret_key).toBe(true);
    expect(serializeContract(contract)).not.toContain(key);
    const rotated = await contractOfText(
      patchedDockfile(`auth: { mode: jwt, jwt: { secret_key: '${key}-rotated' } }`),
      scratch.dir,
    );
    // A rotated key is not visible in the contract, so it is no contract change either.
    expect(lines(diffContracts(contract, rotated))).toEqual([]);
  });

  it('keeps URLs without their userinfo (a Redis password, a JWKS login, a Vault address)', async () => {
    const password = 'redis-password-0123456789';
    const contract = await contractOfText(
      patchedDockfile(
        JSON.stringify({
          streaming: { backend: 'redis', redis: { url: `redis://:${password}@redis.internal:6379/0` } },
          auth: { mode: 'jwt', jwt: { jwks_url: `https://svc:${password}@id.example.com/jwks.json` } },
          deploy: {
            environments: {
              prod: { secrets: { vault: { address: `https://ops:${password}@vault.example.com:8200` } } },
            },
          },
        }),
      ),
      scratch.dir,
    );
    const text = serializeContract(contract);
    expect(text).not.toContain(password);
    expect(contract.streaming?.redis).toMatchObject({ url: 'redis://redis.internal:6379/0' });
    expect(contract.auth.jwt?.jwks_url).toBe('https://id.example.com/jwks.json');
    expect(contract.environments.prod?.secrets.location).toBe(
      'vault https://vault.example.com:8200 secret/invoice-copilot/prod',
    );
  });

  it('without deploy.environments, one implicit environment * stands for all', async () => {
    const contract = await contractOfText(patchedDockfile('deploy: { environments: null }'), scratch.dir);
    expect(Object.keys(contract.environments)).toEqual(['*']);
    expect(contract.environments['*']?.namespace).toBeNull();
    const withSecret = await contractOfText(
      patchedDockfile(
        'deploy: { environments: null }\nsecrets: { required: [{ name: ERP_TOKEN }, { name: MAIL_PASSWORD }] }',
      ),
      scratch.dir,
    );
    expect(lines(diffContracts(contract, withSecret))).toEqual([
      'operational secrets.required.MAIL_PASSWORD: new required secret; every environment: read as MAIL_PASSWORD from GitHub Secrets @*',
    ]);
  });

  it('--env narrows per-environment changes to that environment', async () => {
    const after = await contractOfText(
      patchedDockfile('deploy: { resources: { limits: { memory: 2Gi } } }'),
      scratch.dir,
    );
    expect(lines(diffContracts(base, after, { environment: 'staging' }))).toEqual([
      'operational deploy.environments.staging.resources.limits.memory: changed from "1Gi" to "2Gi" @staging',
    ]);
  });

  it('survives contract.json: serialize → parse gives the same contract, byte-stable', () => {
    const text = serializeContract(base);
    expect(parseContract(text, 'prod/invoice-copilot/contract.json')).toEqual(base);
    expect(serializeContract(parseContract(text, 'x'))).toBe(text);
    expect(lines(diffContracts(parseContract(text, 'x'), base))).toEqual([]);
  });

  it('refuses a contract.json it cannot read, naming the file and the problem', () => {
    const where = 'prod/invoice-copilot/contract.json';
    expect(() => parseContract('{"format": 1,', where)).toThrow(`${where} is not valid JSON`);
    expect(() => parseContract('[]', where)).toThrow(
      `${where} is not a dockrion contract (format ${CONTRACT_FORMAT}): the document is not a JSON object`,
    );
    expect(() => parseContract(JSON.stringify({ ...base, format: CONTRACT_FORMAT + 1 }), where)).toThrow(
      `format is ${CONTRACT_FORMAT + 1}`,
    );
    const { auth: _auth, ...withoutAuth } = base;
    expect(() => parseContract(JSON.stringify(withoutAuth), where)).toThrow(
      'auth is missing or of the wrong type',
    );
    const badRoles = { ...base, auth: { ...base.auth, roles: { clerk: 'invoke' } } };
    expect(() => parseContract(JSON.stringify(badRoles), where)).toThrow('auth.roles is not a map of lists');
    const badEnvironment = { ...base, environments: { prod: { replicas: '3' } } };
    expect(() => parseContract(JSON.stringify(badEnvironment), where)).toThrow(
      'environments.prod.replicas is not a number',
    );
  });
});

// ---- properties ---------------------------------------------------------------------------------

/** Small JSON Schemas over the keywords the check reasons about, with few names so they overlap. */
const schemaArbitrary: fc.Arbitrary<JsonSchema> = fc.letrec<{ schema: JsonSchema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        type: fc.constantFrom(
          'string',
          'number',
          'integer',
          'boolean',
          'null',
          ['string', 'null'],
          ['number', 'string'],
        ),
        minimum: fc.integer({ min: -3, max: 3 }),
        maximum: fc.integer({ min: -3, max: 3 }),
        exclusiveMinimum: fc.integer({ min: -3, max: 3 }),
        minLength: fc.integer({ min: 0, max: 3 }),
        maxLength: fc.integer({ min: 0, max: 3 }),
        enum: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 1, 2, null, true), {
          minLength: 1,
          maxLength: 3,
        }),
        const: fc.constantFrom('a', 1, null),
        multipleOf: fc.constantFrom(1, 2, 0.5),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('schema'), {
          maxKeys: 2,
          noNullPrototype: true,
        }),
        required: fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { maxLength: 2 }),
        additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
        patternProperties: fc.record({ '^x': tie('schema') }),
        unevaluatedProperties: fc.boolean(),
        minProperties: fc.integer({ min: 0, max: 2 }),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      {
        type: fc.constant('array'),
        items: tie('schema'),
        prefixItems: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }),
        minItems: fc.integer({ min: 0, max: 2 }),
        maxItems: fc.integer({ min: 0, max: 2 }),
        uniqueItems: fc.boolean(),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
    fc.boolean(),
  ) as fc.Arbitrary<JsonSchema>,
})).schema;

const valueArbitrary = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'c', '', 'abcd', 1, 2, 0, -1, 1.5, 4, null, true, false),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'z', 'w', 'p', 'q'), tie('value'), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
  ),
})).value;

/** A real validator (ajv, draft 2020-12) to test the subset check against. */
async function validatorOf(): Promise<(schema: JsonSchema, value: unknown) => boolean> {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  const cache = new Map<string, (value: unknown) => boolean>();
  return (schema, value) => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) {
      const compiled = ajv.compile(typeof schema === 'boolean' ? schema : structuredClone(schema));
      validate = (v) => compiled(v) as boolean;
      cache.set(key, validate);
    }
    return validate(value);
  };
}

/** An object schema whose `p` is `definition` through a `$ref` (recursive: a list of itself or it). */
function withDefinition(definition: JsonSchema, q: JsonSchema, recursive: boolean): JsonSchema {
  const d = recursive
    ? { type: 'array', items: { anyOf: [{ $ref: '#/$defs/d' }, definition] } }
    : (definition as never);
  return {
    type: 'object',
    $defs: { d },
    properties: { p: { $ref: '#/$defs/d' }, q: q as never },
  } as JsonSchema;
}

type Edit = (schema: JsonSchema, extra: JsonSchema) => JsonSchema;

/** One-step edits of a schema: a bound moved, a keyword dropped, a property's schema replaced. */
const EDITS: Edit[] = [
  (s) => (typeof s === 'object' ? bump(s, 1) : s),
  (s) => (typeof s === 'object' ? bump(s, -1) : s),
  (s) => {
    if (typeof s !== 'object') return s;
    const [first] = Object.keys(s);
    if (first === undefined) return s;
    const { [first]: _dropped, ...rest } = s;
    return rest;
  },
  (s, extra) =>
    typeof s === 'object' && typeof s.properties === 'object' && s.properties !== null
      ? { ...s, properties: { ...(s.properties as object), x: extra as never } }
      : s,
  (s, extra) => (typeof s === 'object' && s.type === 'array' ? { ...s, items: extra as never } : s),
  (s) =>
    typeof s === 'object' && Array.isArray(s.required) && !s.required.includes('w')
      ? { ...s, required: [...s.required, 'w'] }
      : s,
];

function bump(schema: { [key: string]: unknown }, by: number): JsonSchema {
  const out: { [key: string]: unknown } = { ...schema };
  for (const key of [
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
  ]) {
    if (typeof out[key] === 'number') out[key] = Math.max(0, (out[key] as number) + by);
  }
  return out as JsonSchema;
}

function withInput(contract: Contract, input: JsonSchema | null): Contract {
  return { ...contract, io_schema: { ...contract.io_schema, input } };
}

describe('properties', () => {
  it('a contract diffed against itself is empty (and against its contract.json round trip)', async () => {
    const variants = fc.record({
      port: fc.integer({ min: 1024, max: 65535 }),
      streaming: fc.constantFrom('sse', 'websocket', 'none'),
      mode: fc.constantFrom('none', 'api_key', 'jwt'),
      tools: fc.uniqueArray(fc.constantFrom('lookup', 'send_email', 'search', 'acme.x'), { maxLength: 3 }),
      replicas: fc.integer({ min: 1, max: 9 }),
      secrets: fc.uniqueArray(fc.constantFrom('A_KEY', 'B_KEY', 'C_KEY'), { maxLength: 3 }),
      input: schemaArbitrary,
    });
    await fc.assert(
      fc.asyncProperty(variants, async (v) => {
        const patch = {
          expose: { port: v.port, streaming: v.streaming },
          auth:
            v.mode === 'jwt'
              ? { mode: 'jwt', jwt: { jwks_url: 'https://id.example.com/k' } }
              : { mode: v.mode },
          policies: { tools: { allowed: v.tools } },
          deploy: { environments: { prod: { replicas: v.replicas } } },
          // ERP_TOKEN stays: the base's prod profile maps it.
          secrets: { required: ['ERP_TOKEN', ...v.secrets].map((name) => ({ name })) },
          io_schema: {
            input: typeof v.input === 'object' ? { type: 'object', properties: { p: v.input } } : null,
          },
        };
        const contract = await contractOfText(patchedDockfile(JSON.stringify(patch)), scratch.dir);
        expect(lines(diffContracts(contract, contract))).toEqual([]);
        const reread = parseContract(serializeContract(contract), 'contract.json');
        expect(lines(diffContracts(reread, contract))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('adding an optional input field is never breaking', () => {
    fc.assert(
      fc.property(schemaArbitrary, schemaArbitrary, fc.boolean(), (existing, added, closed) => {
        const old: JsonSchema = {
          type: 'object',
          properties: { x: existing as never },
          required: ['x'],
          ...(closed ? { additionalProperties: false } : {}),
        };
        const next: JsonSchema = {
          ...old,
          properties: { x: existing as never, added_field: added as never },
        };
        const diff = diffContracts(withInput(base, old), withInput(base, next));
        expect(diff.breaking).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the subset check is reflexive, also across annotation-only edits', async () => {
    const { isSubsetSchema } = await import('../../action/contract/schema-subset.ts');
    fc.assert(
      fc.property(schemaArbitrary, fc.constantFrom('open', 'input', 'output'), (schema, undeclared) => {
        expect(isSubsetSchema(schema, schema, { undeclared })).toBe(true);
        const annotated =
          typeof schema === 'object' ? { ...schema, description: 'edited', title: 'T' } : schema;
        expect(isSubsetSchema(schema, annotated, { undeclared })).toBe(true);
        expect(isSubsetSchema(annotated, schema, { undeclared })).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the subset check is sound: when it says subset, no value valid under the narrow schema is rejected', async () => {
    const { isSubsetSchema } = await import('../../action/contract/schema-subset.ts');
    const valid = await validatorOf();
    let proven = 0;
    // Independent pairs, and pairs one edit apart (where a wrong "subset" is most likely).
    const pairs = fc.oneof(
      fc.tuple(schemaArbitrary, schemaArbitrary),
      fc
        .tuple(schemaArbitrary, schemaArbitrary, fc.constantFrom(...EDITS))
        .map(([a, extra, edit]) => [a, edit(a, extra)] as const),
      // Definitions used through $ref, plain and recursive, changed on one side.
      fc
        .tuple(schemaArbitrary, schemaArbitrary, schemaArbitrary, fc.boolean())
        .map(
          ([x, y, q, recursive]) =>
            [withDefinition(x, q, recursive), withDefinition(y, q, recursive)] as const,
        ),
    );
    fc.assert(
      fc.property(pairs, fc.array(valueArbitrary, { maxLength: 12 }), ([a, b], values) => {
        if (!isSubsetSchema(a, b)) return;
        proven++;
        for (const value of values) if (valid(a, value)) expect(valid(b, value)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // The property must have been exercised, not vacuously true.
    expect(proven).toBeGreaterThan(100);
  });

  it('a widening change reversed is never widening: it comes back as breaking or compatible', async () => {
    const auth = fc.record({
      mode: fc.constantFrom('none', 'api_key'),
      clerk: fc.uniqueArray(fc.constantFrom('invoke', 'read_logs', 'view_metrics'), { minLength: 1 }),
      limit: fc.option(fc.constantFrom('10/s', '100/m', '6000/h', '100/minute'), { nil: undefined }),
      tools: fc.uniqueArray(fc.constantFrom('lookup', 'send_email', 'search'), { maxLength: 3 }),
      deny: fc.boolean(),
      redact: fc.uniqueArray(fc.constantFrom('\\d{16}', '[A-Z]{2}\\d+', 'secret'), { maxLength: 3 }),
      maxChars: fc.option(fc.constantFrom(1000, 4000), { nil: undefined }),
      block: fc.boolean(),
      halt: fc.boolean(),
      origins: fc.uniqueArray(fc.constantFrom('https://a.example', 'https://b.example'), { maxLength: 2 }),
    });
    const contractFor = async (v: typeof auth extends fc.Arbitrary<infer T> ? T : never) =>
      contractOfText(
        patchedDockfile(
          JSON.stringify({
            auth: {
              mode: v.mode,
              roles: v.mode === 'none' ? null : [{ name: 'clerk', permissions: v.clerk }],
              rate_limits: v.mode === 'none' || v.limit === undefined ? null : { clerk: v.limit },
            },
            policies: {
              tools: { allowed: v.tools, deny_by_default: v.deny },
              safety: {
                redact_patterns: v.redact,
                max_output_chars: v.maxChars ?? null,
                block_prompt_injection: v.block,
                halt_on_violation: v.halt,
              },
            },
            expose: { cors: { origins: v.origins } },
          }),
        ),
        scratch.dir,
      );
    await fc.assert(
      fc.asyncProperty(auth, auth, async (x, y) => {
        const [a, b] = [await contractFor(x), await contractFor(y)];
        const forward = diffContracts(a, b);
        const backward = all(diffContracts(b, a));
        for (const change of forward.widening) {
          const reversed = backward.find(
            (c) =>
              c.path === change.path && jsonSame(c.before, change.after) && jsonSame(c.after, change.before),
          );
          expect(reversed, change.message).toBeDefined();
          expect(reversed?.class, change.message).not.toBe('widening');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a breaking input change reversed is not breaking in the same way', () => {
    // Changes to a field p that reject some request valid today. Narrowing an existing field and
    // reversing it breaks no one; adding a required field q and reversing it removes q, which is
    // breaking too (the agent stops reading it), but as a removal, not as a new requirement.
    const narrowings = fc.oneof(
      fc.constant({ at: 'properties.q', reverseBreaks: true, apply: requireNew }),
      fc.integer({ min: 1, max: 5 }).map((n) => ({
        at: 'properties.p.minimum',
        reverseBreaks: false,
        apply: (s: Record<string, unknown>) => withField(s, { type: 'number', minimum: n }),
      })),
      fc.constant({
        at: 'properties.p.type',
        reverseBreaks: false,
        apply: (s: Record<string, unknown>) => withField(s, { type: 'number' }),
      }),
      fc.integer({ min: 1, max: 3 }).map((n) => ({
        at: 'properties.p',
        reverseBreaks: false,
        apply: (s: Record<string, unknown>) => withField(s, { type: 'number', enum: [n] }),
      })),
      fc.integer({ min: 0, max: 3 }).map((n) => ({
        at: 'properties.p.maxLength',
        reverseBreaks: false,
        apply: (s: Record<string, unknown>) => withField(s, { type: ['number', 'string'], maxLength: n }),
      })),
    );
    fc.assert(
      fc.property(narrowings, fc.boolean(), ({ at, reverseBreaks, apply }, closed) => {
        const old: Record<string, unknown> = {
          type: 'object',
          properties: { p: { type: ['number', 'string'] } },
          ...(closed ? { additionalProperties: false } : {}),
        };
        const narrow = apply(structuredClone(old));
        const forward = diffContracts(
          withInput(base, old as JsonSchema),
          withInput(base, narrow as JsonSchema),
        );
        expect(forward.breaking.map((c) => c.path)).toContain(`io_schema.input.${at}`);
        const backward = diffContracts(
          withInput(base, narrow as JsonSchema),
          withInput(base, old as JsonSchema),
        );
        const forwardMessages = new Set(forward.breaking.map((c) => c.message));
        for (const change of backward.breaking) expect(forwardMessages.has(change.message)).toBe(false);
        if (!reverseBreaks) {
          expect(backward.breaking).toEqual([]);
          expect(backward.compatible.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });
});

function requireNew(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = { ...(schema.properties as object), q: { type: 'string' } };
  return { ...schema, properties, required: ['q'] };
}

function withField(schema: Record<string, unknown>, field: Record<string, unknown>): Record<string, unknown> {
  return { ...schema, properties: { ...(schema.properties as object), p: field } };
}

function jsonSame(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
