/**
 * Checks a request against GitHub's published REST description: `api.github.com.json` from
 * `@octokit/openapi` (GitHub's own file, dotcom variant, $refs kept so it is 13 MB rather than the
 * 73 MB `.deref` copy). The path must match a templated path, the method must exist there, path and
 * query parameters must match their schemas and the JSON body the operation's requestBody schema.
 *
 * The description is OpenAPI 3.0.3, whose schema dialect is not JSON Schema: `nullable`, boolean
 * `exclusiveMinimum`, annotation keywords (`example`, `discriminator`, `x-*`) and refs into
 * `components`. `toJsonSchema` translates each schema once into draft-07 for Ajv.
 *
 * Cost: the file is parsed once per process on the first request (~0.3 s); each operation's
 * validators are compiled on first use and cached, so a test file pays only for the operations it
 * calls.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = unknown;
type SchemaObject = Record<string, Json>;

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
  style?: string;
  explode?: boolean;
}

interface OperationObject {
  operationId?: string;
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { $ref?: string; required?: boolean; content?: Record<string, { schema?: SchemaObject }> };
  externalDocs?: { url?: string };
}

interface Description {
  openapi: string;
  paths: Record<string, Record<string, OperationObject | Json>>;
  components: { schemas: Record<string, SchemaObject>; parameters: Record<string, ParameterObject> };
}

/** What the validator found; `status` is what GitHub answers to such a request. */
export interface OpenApiFinding {
  /** `GET /repos/{owner}/{repo}/pulls (pulls/list)`, or the raw path when nothing matched. */
  operation: string;
  status: 404 | 422;
  /** One line per broken rule, naming where (`query.per_page`, `body.reviewers/0`) and what. */
  rules: string[];
  documentationUrl: string;
}

export interface OpenApiRequest {
  method: string;
  /** URL path as sent (still percent-encoded). */
  path: string;
  searchParams: URLSearchParams;
  contentType: string | undefined;
  /** Raw request body text; undefined when the request had none. */
  bodyText: string | undefined;
}

const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options']);
const DOCS = 'https://docs.github.com/rest';

/**
 * Rules GitHub states in the description's prose but not in its schemas. `per_page`'s schema is a
 * bare integer, while its description reads "The number of results per page (max 100)".
 */
const PROSE_RULES: Record<string, SchemaObject> = {
  per_page: { minimum: 1, maximum: 100 },
};

// Keywords of the OpenAPI 3.0 Schema Object that are annotations only, or not JSON Schema.
const ANNOTATIONS = new Set(['example', 'discriminator', 'xml', 'externalDocs', 'deprecated', 'nullable']);

let description: Description | undefined;
function loadDescription(): Description {
  if (!description) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    description = JSON.parse(readFileSync(file, 'utf8')) as Description;
    if (!description.openapi.startsWith('3.0.'))
      throw new Error(
        `expected an OpenAPI 3.0 description, got ${description.openapi} (update toJsonSchema)`,
      );
  }
  return description;
}

const COMPONENT_SCHEMA = '#/components/schemas/';

function resolve<T>(value: T | { $ref: string }): T {
  if (value && typeof value === 'object' && '$ref' in value && typeof value.$ref === 'string') {
    const parts = value.$ref.replace(/^#\//, '').split('/');
    let node: unknown = loadDescription();
    for (const part of parts)
      node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolvable $ref ${value.$ref} in api.github.com.json`);
    return resolve(node as T | { $ref: string });
  }
  return value as T;
}

/**
 * OpenAPI 3.0 Schema Object → JSON Schema draft-07, for validating requests. Component refs become
 * `#/$defs/<name>` (which keeps recursive schemas finite); `referenced` collects the names so the
 * caller can attach them.
 */
export function toJsonSchema(schema: Json, referenced: Set<string>): Json {
  if (typeof schema !== 'object' || schema === null) return schema;
  const source = schema as SchemaObject;
  if (typeof source.$ref === 'string') {
    // 3.0: siblings of $ref are ignored.
    if (!source.$ref.startsWith(COMPONENT_SCHEMA)) return toJsonSchema(resolve(source), referenced);
    const name = source.$ref.slice(COMPONENT_SCHEMA.length);
    referenced.add(name);
    return { $ref: `#/$defs/${name}` };
  }
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as SchemaObject).map(([name, sub]) => [name, toJsonSchema(sub, referenced)]),
      );
    } else if (
      key === 'items' ||
      key === 'not' ||
      (key === 'additionalProperties' && typeof value === 'object')
    ) {
      out[key] = toJsonSchema(value, referenced);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as Json[]).map((sub) => toJsonSchema(sub, referenced));
    } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
      // 3.0: a boolean that makes minimum/maximum exclusive; draft-07: the exclusive bound itself.
      const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (value === true && typeof source[bound] === 'number') {
        out[key] = source[bound];
        delete out[bound];
      }
    } else if (
      !(key === 'minimum' && source.exclusiveMinimum === true) &&
      !(key === 'maximum' && source.exclusiveMaximum === true)
    ) {
      out[key] = value;
    }
  }
  // 3.0: a required property marked readOnly is required in responses only.
  if (Array.isArray(out.required) && source.properties) {
    const properties = source.properties as Record<string, SchemaObject>;
    out.required = out.required.filter((name) => properties[name as string]?.readOnly !== true);
  }
  if (source.nullable !== true) return out;
  // `nullable: true` admits null. GitHub also puts it beside allOf/anyOf without a `type`, where it
  // means the same, so null is admitted there too.
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
(addFormatsModule as unknown as { default: (a: Ajv) => void }).default(ajv);
// GitHub's own format: a repository "name with owner".
ajv.addFormat('repo.nwo', /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);

/** Component schemas already translated, with the components each one refers to. */
const components = new Map<string, { schema: Json; refs: string[] }>();
function component(name: string): { schema: Json; refs: string[] } {
  let found = components.get(name);
  if (!found) {
    const refs = new Set<string>();
    const source = loadDescription().components.schemas[name];
    if (source === undefined) throw new Error(`api.github.com.json has no component schema ${name}`);
    found = { schema: toJsonSchema(source, refs), refs: [...refs] };
    components.set(name, found);
  }
  return found;
}

/** Compiles an OpenAPI schema together with every component schema it reaches. */
function compile(schema: Json): ValidateFunction {
  const referenced = new Set<string>();
  const root = toJsonSchema(schema, referenced) as SchemaObject;
  const $defs: Record<string, Json> = {};
  const pending = [...referenced];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in $defs) continue;
    const { schema: converted, refs } = component(name);
    $defs[name] = converted;
    pending.push(...refs);
  }
  return ajv.compile({ ...root, $defs });
}

interface Template {
  path: string;
  segments: (string | { param: string })[];
  literals: number;
}

let templates: Map<number, Template[]> | undefined;
function templatesBySegmentCount(): Map<number, Template[]> {
  if (!templates) {
    templates = new Map();
    for (const path of Object.keys(loadDescription().paths)) {
      const segments = path
        .split('/')
        .slice(1)
        .map((s) => {
          const m = /^\{([^}]+)\}$/.exec(s);
          return m?.[1] ? { param: m[1] } : s;
        });
      const list = templates.get(segments.length) ?? [];
      list.push({ path, segments, literals: segments.filter((s) => typeof s === 'string').length });
      templates.set(segments.length, list);
    }
  }
  return templates;
}

/** The templated path a concrete one matches; literal segments win over templated ones, as OpenAPI says. */
function matchPath(path: string): { template: string; params: Record<string, string> } | null {
  const parts = path.split('/').slice(1);
  let best: { template: Template; params: Record<string, string> } | null = null;
  for (const template of templatesBySegmentCount().get(parts.length) ?? []) {
    const params: Record<string, string> = {};
    const matches = template.segments.every((segment, i) => {
      const part = parts[i] ?? '';
      if (typeof segment === 'string') return segment === part;
      if (part === '') return false;
      params[segment.param] = decodeURIComponent(part);
      return true;
    });
    if (matches && (!best || template.literals > best.template.literals)) best = { template, params };
  }
  return best ? { template: best.template.path, params: best.params } : null;
}

interface CompiledOperation {
  label: string;
  documentationUrl: string;
  parameters: { parameter: ParameterObject; validate: ValidateFunction }[];
  body: {
    required: boolean;
    mediaTypes: string[];
    validate: ValidateFunction | null;
    /** Top-level properties when the schema lists them (no oneOf/anyOf at the top). */
    knownProperties: Set<string> | null;
  } | null;
}

const operations = new Map<string, CompiledOperation>();
function compiledOperation(
  template: string,
  method: string,
  pathItem: Record<string, Json>,
): CompiledOperation {
  const key = `${method} ${template}`;
  const cached = operations.get(key);
  if (cached) return cached;
  const operation = pathItem[method] as OperationObject;
  const shared = ((pathItem.parameters as OperationObject['parameters']) ?? []).map((p) => resolve(p));
  const own = (operation.parameters ?? []).map((p) => resolve(p));
  const byPlace = new Map<string, ParameterObject>();
  for (const parameter of [...shared, ...own]) byPlace.set(`${parameter.in}:${parameter.name}`, parameter);
  const parameters = [...byPlace.values()]
    .filter((p) => p.in === 'path' || p.in === 'query')
    .map((parameter) => ({
      parameter,
      validate: compile({ ...(parameter.schema ?? {}), ...(PROSE_RULES[parameter.name] ?? {}) }),
    }));
  let body: CompiledOperation['body'] = null;
  if (operation.requestBody) {
    const requestBody = resolve(operation.requestBody);
    const content = requestBody.content ?? {};
    const json = content['application/json']?.schema;
    const top = json ? (resolve(json) as SchemaObject) : undefined;
    body = {
      required: requestBody.required === true,
      mediaTypes: Object.keys(content),
      validate: json ? compile(json) : null,
      knownProperties:
        top?.properties && !top.oneOf && !top.anyOf && !top.allOf
          ? new Set(Object.keys(top.properties as SchemaObject))
          : null,
    };
  }
  const compiled: CompiledOperation = {
    label: `${method.toUpperCase()} ${template}${operation.operationId ? ` (${operation.operationId})` : ''}`,
    documentationUrl: operation.externalDocs?.url ?? DOCS,
    parameters,
    body,
  };
  operations.set(key, compiled);
  return compiled;
}

function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  // A failed oneOf/anyOf reports each branch's errors and then a summary; the branches say more.
  const all = errors ?? [];
  const specific = all.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const lines = (specific.length > 0 ? specific : all).map((e) => {
    const at = `${where}${e.instancePath}`;
    const extra =
      e.keyword === 'enum'
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
        : e.keyword === 'additionalProperties'
          ? ` ('${(e.params as { additionalProperty: string }).additionalProperty}')`
          : '';
    return `${at} ${e.message ?? 'is invalid'}${extra}`;
  });
  return [...new Set(lines)];
}

/** Query/path values arrive as text; read them as the parameter's schema type (style form). */
function deserialize(values: string[], schema: SchemaObject | undefined, explode: boolean): Json {
  const resolved = schema ? (resolve(schema) as SchemaObject) : {};
  const scalar = (text: string, type: unknown): Json => {
    if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
    return text;
  };
  if (resolved.type === 'array') {
    const items = (resolved.items ? resolve(resolved.items as SchemaObject) : {}) as SchemaObject;
    const flat = explode ? values : values.flatMap((v) => v.split(','));
    return flat.map((v) => scalar(v, items.type));
  }
  return scalar(values[values.length - 1] ?? '', resolved.type);
}

/** null when the request is one the description allows. */
export function checkRestRequest(request: OpenApiRequest): OpenApiFinding | null {
  const method = request.method.toLowerCase();
  const matched = matchPath(request.path);
  if (!matched) {
    return {
      operation: `${request.method} ${request.path}`,
      status: 404,
      rules: [`path: no path of api.github.com.json matches ${request.path}`],
      documentationUrl: DOCS,
    };
  }
  const pathItem = loadDescription().paths[matched.template] as Record<string, Json>;
  if (!METHODS.has(method) || !(method in pathItem)) {
    const allowed = Object.keys(pathItem).filter((m) => METHODS.has(m));
    return {
      operation: `${request.method} ${matched.template}`,
      status: 404,
      rules: [
        `method: ${matched.template} has no ${request.method} (only ${allowed.join(', ').toUpperCase()})`,
      ],
      documentationUrl: DOCS,
    };
  }
  const operation = compiledOperation(matched.template, method, pathItem);
  const rules: string[] = [];

  const declaredQuery = new Set<string>();
  for (const { parameter, validate } of operation.parameters) {
    const where = `${parameter.in}.${parameter.name}`;
    let values: string[];
    if (parameter.in === 'path') {
      const value = matched.params[parameter.name];
      values = value === undefined ? [] : [value];
    } else {
      declaredQuery.add(parameter.name);
      values = request.searchParams.getAll(parameter.name);
    }
    if (values.length === 0) {
      if (parameter.required) rules.push(`${where} is required`);
      continue;
    }
    const value = deserialize(values, parameter.schema, parameter.explode ?? true);
    if (!validate(value)) rules.push(...describeErrors(where, validate.errors));
  }
  for (const name of new Set(request.searchParams.keys())) {
    if (!declaredQuery.has(name))
      rules.push(`query.${name} is not a parameter of this operation (GitHub ignores it)`);
  }

  const hasBody = request.bodyText !== undefined && request.bodyText.length > 0;
  if (!operation.body) {
    if (hasBody) rules.push('body: this operation takes no request body');
  } else if (!hasBody) {
    if (operation.body.required) rules.push('body is required');
  } else {
    const mediaType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!operation.body.mediaTypes.includes(mediaType)) {
      rules.push(`body: content-type '${mediaType}' is not one of ${operation.body.mediaTypes.join(', ')}`);
    } else if (mediaType === 'application/json' && operation.body.validate) {
      let value: Json;
      try {
        value = JSON.parse(request.bodyText as string);
      } catch {
        rules.push('body is not valid JSON');
        value = undefined;
      }
      if (value !== undefined) {
        const validate = operation.body.validate;
        if (!validate(value)) rules.push(...describeErrors('body', validate.errors));
        const known = operation.body.knownProperties;
        if (known && value && typeof value === 'object' && !Array.isArray(value)) {
          for (const name of Object.keys(value))
            if (!known.has(name))
              rules.push(`body.${name} is not a property of this operation (GitHub ignores it)`);
        }
      }
    }
  }
  return rules.length === 0
    ? null
    : { operation: operation.label, status: 422, rules, documentationUrl: operation.documentationUrl };
}

/**
 * The description's operation a stand-in route (`/repos/:owner/:repo/pulls`) implements, or null
 * when GitHub has no such operation; routes for endpoints GitHub lacks would test nothing real.
 */
export function describedOperation(method: string, pattern: string): string | null {
  if (pattern === '/graphql') return method.toUpperCase() === 'POST' ? 'POST /graphql' : null;
  // A placeholder no literal segment equals, so only templated segments can take it.
  const sample = pattern.replace(/:[^/]+/g, '%00');
  const matched = matchPath(sample);
  if (!matched) return null;
  const pathItem = loadDescription().paths[matched.template] as Record<string, Json>;
  const lower = method.toLowerCase();
  return METHODS.has(lower) && lower in pathItem ? `${method.toUpperCase()} ${matched.template}` : null;
}
