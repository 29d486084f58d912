import { closest, toDnsLabel } from '../../shared/suggest.ts';
import { ErrorCode } from './codes.ts';
import { type DiagnosticSink, type DocPath, formatPath, pathFromPointer } from './diagnostics.ts';
import type { SchemaError } from './schema.ts';

/** Keywords that say "this is not the right kind of thing here": a schema error anywhere. */
const shapeKeywords = new Set(['type', 'required', 'additionalProperties', 'propertyNames']);

/**
 * Which code an ajv error gets (documented in docs/dockfile-validation.md): shape errors are
 * 4002 except inside io_schema (4004); value errors take the code of the section they are in.
 */
export function codeForSchemaError(path: DocPath, keyword: string): number {
  const [section, second, , fourth] = path;
  if (section === 'io_schema') return ErrorCode.InvalidIOSchema;
  if (section === 'agent' && second === 'framework') return ErrorCode.UnsupportedFramework;
  if (shapeKeywords.has(keyword)) return ErrorCode.InvalidSchema;
  switch (section) {
    case 'auth':
      return ErrorCode.AuthConfig;
    case 'policies':
      return ErrorCode.PolicyValidation;
    case 'observability':
      return ErrorCode.TelemetryConfig;
    case 'secrets':
      return ErrorCode.SecretsConfig;
    case 'deploy':
      return second === 'environments' && fourth === 'secrets'
        ? ErrorCode.SecretsConfig
        : ErrorCode.DeployConfig;
    default:
      return ErrorCode.InvalidSchema;
  }
}

interface PatternExplanation {
  message: string;
  hint?: (value: unknown) => string | null;
}

const envVarPattern = '^[A-Z_][A-Z0-9_]*$';
const patternExplanations: Record<string, PatternExplanation> = {
  '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$': {
    message:
      'must be a DNS-1123 label: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters',
    hint: (value) => (typeof value === 'string' ? `use '${toDnsLabel(value)}'` : null),
  },
  '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$': {
    message: 'must be a DNS-1123 label: lowercase letters, digits and hyphens, at most 63 characters',
    hint: (value) => (typeof value === 'string' ? `use '${toDnsLabel(value)}'` : null),
  },
  [envVarPattern]: {
    message: 'must be an environment variable name: UPPER_CASE letters, digits and _',
    hint: (value) =>
      typeof value === 'string'
        ? `use '${value
            .toUpperCase()
            .replace(/[^A-Z0-9_]+/g, '_')
            .replace(/^[0-9]/, '_$&')}'`
        : null,
  },
  '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$': {
    message: 'must be a Python reference module.path:callable',
    hint: () => "e.g. 'app.graph:build_graph'",
  },
  '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*[:.][A-Za-z_][A-Za-z0-9_]*$': {
    message: 'must be a Python class reference module.path:Class or module.path.Class',
    hint: () => "e.g. 'app.schemas:InvoiceInput'",
  },
  '^[1-9][0-9]*\\s*/\\s*(s|sec|second|m|min|minute|h|hr|hour|d|day)$': {
    message: 'must be a rate like 100/m (units: s, sec, second, m, min, minute, h, hr, hour, d, day)',
  },
  '^[A-Za-z0-9_.-]{1,64}$': {
    message: 'must be a tool name: letters, digits, _ . - (at most 64 characters)',
  },
  '^age1[0-9a-z]{58}$': {
    message: 'must be an age X25519 public key (age1… , 62 characters)',
    hint: () => 'print it with `age-keygen -y key.txt`',
  },
  '^3\\.[0-9]{1,2}$': { message: 'must be a Python version like 3.12' },
  '^([0-9]+m|[0-9]+(\\.[0-9]+)?)$': { message: 'must be a CPU quantity like 500m, 1 or 1.5' },
  '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$': {
    message: 'must be a memory quantity like 512Mi or 1Gi',
  },
  '^(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$': {
    message: 'must be a lowercase DNS host name',
    hint: (value) => (typeof value === 'string' ? `use '${value.toLowerCase()}'` : null),
  },
  '^[a-z][a-z0-9_-]{0,31}$': {
    message: 'must be a role name: lowercase letters, digits, _ and -, at most 32',
  },
  '^[A-Za-z0-9-]+$': { message: 'must be an HTTP header name: letters, digits and -' },
  '^[0-9]+(s|m|h)$': { message: 'must be a duration like 30s, 5m or 1h' },
  '^[a-z0-9][a-z0-9+.-]*$': { message: 'must be a Debian package name' },
  '^/': { message: "must start with '/'" },
  '^[A-Za-z0-9][A-Za-z0-9._+-]*$': {
    message:
      'must be a version: SemVer (1.2.3) or a tag of letters, digits, ., _, + and -, starting with a letter or digit',
    hint: (value) => {
      if (typeof value !== 'string') return null;
      // The version-like start ("7.0.0" of "7.0.0 && curl …", "2.1" of "v 2.1"), if there is one.
      const tag = /[A-Za-z0-9][A-Za-z0-9._+-]*/.exec(value)?.[0]?.slice(0, 128);
      return `${tag ? `use '${tag}'` : "e.g. '1.2.3'"}; see "metadata.version" in docs/dockfile-validation.md`;
    },
  },
};

/** Stands in for a value that came from the environment, which may be a credential: shows it as written. */
class FromEnvironment {
  constructor(readonly template: string) {}
}

function describeValue(value: unknown): string {
  if (value instanceof FromEnvironment) {
    return `${JSON.stringify(truncate(value.template))} (its value from the environment is not shown)`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  return `${typeof value} ${String(value)}`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

function typeList(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).map((t) => typeNames[String(t)] ?? String(t));
  return list.length <= 1 ? (list[0] ?? 'a value') : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
}

/** What one subschema accepts, in words, for collapsing anyOf/oneOf. */
function describeSchema(schema: unknown): string {
  if (schema === null || typeof schema !== 'object') return 'a value';
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('const' in s) return JSON.stringify(s.const);
  if (s.type === 'object') return 'a map';
  if (s.type === 'string' && typeof s.pattern === 'string') {
    return patternExplanations[s.pattern]?.message.replace(/^must be /, '') ?? 'a string';
  }
  if (s.type !== undefined) return typeList(s.type);
  const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (branches) return [...new Set(branches.map(describeSchema))].join(' or ');
  return 'a value';
}

function isValueInstance(error: SchemaError, branchType: unknown): boolean {
  const data = error.data;
  const types = Array.isArray(branchType) ? branchType : [branchType];
  return types.some((t) => {
    if (t === 'null') return data === null;
    if (t === 'array') return Array.isArray(data);
    if (t === 'object') return data !== null && typeof data === 'object' && !Array.isArray(data);
    if (t === 'integer') return Number.isInteger(data);
    return typeof data === t;
  });
}

/**
 * Turns ajv's errors into one clear diagnostic per location: anyOf/oneOf cascades collapse into
 * the branch the value was evidently meant for, or one "must be A or B" message.
 */
export function reportSchemaErrors(errors: readonly SchemaError[], sink: DiagnosticSink, doc: unknown): void {
  const pathOf = (error: SchemaError) => pathFromPointer(error.instancePath, doc);
  const shown = (error: SchemaError): SchemaError => {
    const template = sink.templateAt(pathOf(error));
    return template === undefined ? error : { ...error, data: new FromEnvironment(template) };
  };
  const dropped = new Set<SchemaError>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    const branches = errors.filter(
      (e) =>
        e !== error &&
        e.schemaPath.startsWith(`${error.schemaPath}/`) &&
        e.instancePath.startsWith(error.instancePath),
    );
    const subschemas = Array.isArray(error.schema) ? (error.schema as unknown[]) : [];
    // The branch whose type matches the value is the one the author meant: report its errors.
    const matching = subschemas
      .map((schema, index) => ({ schema: schema as Record<string, unknown>, index }))
      .filter(
        ({ schema }) =>
          schema && typeof schema === 'object' && 'type' in schema && isValueInstance(error, schema.type),
      );
    if (matching.length === 1 && matching[0]) {
      const prefix = `${error.schemaPath}/${matching[0].index}/`;
      for (const branch of branches) if (!branch.schemaPath.startsWith(prefix)) dropped.add(branch);
      dropped.add(error);
    } else {
      for (const branch of branches) dropped.add(branch);
    }
  }
  // A wrong type makes other complaints about the same value noise.
  const typeErrorPaths = new Set(
    errors.filter((e) => e.keyword === 'type' && !dropped.has(e)).map((e) => e.instancePath),
  );

  for (const error of errors) {
    if (dropped.has(error)) continue;
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath) && error.keyword !== 'required')
      continue;
    if (error.keyword === 'if' || error.keyword === 'not') continue;
    if (error.propertyName !== undefined && error.keyword !== 'propertyNames') continue;
    reportOne(shown(error), pathOf(error), sink);
  }
}

function reportOne(error: SchemaError, path: DocPath, sink: DiagnosticSink): void {
  const params = error.params as Record<string, unknown>;
  const where = path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const childPath = [...path, missing];
      const hint = missing === 'version' ? 'add version: "1.0" as the first line' : null;
      sink.report(
        codeForSchemaError(childPath, 'required'),
        childPath,
        `missing required key '${missing}' ${where}`,
        {
          hint,
        },
      );
      return;
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const childPath = [...path, key];
      const allowed = Object.keys(
        (error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {},
      );
      const suggestion = closest(key, allowed);
      const hint = suggestion
        ? `did you mean '${suggestion}'?`
        : path.length === 0
          ? `allowed keys: ${allowed.join(', ')} (extensions start with x-)`
          : allowed.length > 0
            ? `allowed keys: ${allowed.join(', ')}`
            : null;
      sink.report(
        codeForSchemaError(childPath, 'additionalProperties'),
        childPath,
        `unknown key '${key}' ${where}`,
        {
          hint,
          at: 'key',
        },
      );
      return;
    }
    case 'propertyNames': {
      const key = String(params.propertyName);
      const childPath = [...path, key];
      const pattern = (error.parentSchema?.propertyNames as { pattern?: string } | undefined)?.pattern ?? '';
      const explanation = patternExplanations[pattern];
      sink.report(
        codeForSchemaError(childPath, 'propertyNames'),
        childPath,
        `key '${key}' ${explanation?.message ?? `must match ${pattern}`}`,
        { hint: explanation?.hint?.(key) ?? null, at: 'key' },
      );
      return;
    }
    case 'type': {
      sink.report(
        codeForSchemaError(path, 'type'),
        path,
        `${formatPath(path) || 'the document'} must be ${typeList(params.type)}, found ${describeValue(error.data)}`,
        { hint: typeHint(path, error.data, params.type) },
      );
      return;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const value = error.data;
      const suggestion = typeof value === 'string' ? closest(value, allowed.map(String)) : undefined;
      const list = allowed.map((v) => String(v)).join(', ');
      const isFramework = path[0] === 'agent' && path[1] === 'framework';
      sink.report(
        codeForSchemaError(path, 'enum'),
        path,
        isFramework
          ? `framework ${typeof value === 'string' ? JSON.stringify(value) : describeValue(value)} is not supported; supported: ${list}`
          : `${formatPath(path)} must be one of: ${list}; found ${describeValue(value)}`,
        { hint: suggestion ? `did you mean '${suggestion}'?` : versionHint(path, value) },
      );
      return;
    }
    case 'const':
      sink.report(
        codeForSchemaError(path, 'const'),
        path,
        `${formatPath(path)} must be ${JSON.stringify(params.allowedValue)}, found ${describeValue(error.data)}`,
      );
      return;
    case 'pattern': {
      const pattern = String(params.pattern);
      const explanation = patternExplanations[pattern];
      sink.report(
        codeForSchemaError(path, 'pattern'),
        path,
        `${formatPath(path)} ${explanation?.message ?? `must match ${pattern}`}; found ${describeValue(error.data)}`,
        { hint: explanation?.hint?.(error.data) ?? null },
      );
      return;
    }
    case 'anyOf':
    case 'oneOf': {
      const options = (Array.isArray(error.schema) ? error.schema : []).map(describeSchema);
      const unique = [...new Set(options)];
      sink.report(
        codeForSchemaError(path, error.keyword),
        path,
        `${formatPath(path)} must be ${unique.join(' or ')}, found ${describeValue(error.data)}`,
      );
      return;
    }
    case 'minLength':
      sink.report(
        codeForSchemaError(path, 'minLength'),
        path,
        params.limit === 1
          ? `${formatPath(path)} must not be empty`
          : `${formatPath(path)} ${error.message ?? 'is too short'}`,
      );
      return;
    default:
      sink.report(
        codeForSchemaError(path, error.keyword),
        path,
        `${formatPath(path) || 'the document'} ${error.message ?? 'is invalid'}, found ${describeValue(error.data)}`,
      );
  }
}

function versionHint(path: DocPath, value: unknown): string | null {
  if (path.length === 1 && path[0] === 'version')
    return `write version: "1.0"${typeof value === 'number' ? ' (quoted)' : ''}`;
  return null;
}

function typeHint(path: DocPath, value: unknown, expected: unknown): string | null {
  const versionAdvice = versionHint(path, value);
  if (versionAdvice) return versionAdvice;
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `quote the value: "${String(value)}"`;
  }
  if (
    (expected === 'integer' || expected === 'number') &&
    typeof value === 'string' &&
    /^-?\d+(\.\d+)?$/.test(value)
  ) {
    return 'remove the quotes around the number';
  }
  if (expected === 'boolean' && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return 'YAML 1.2 booleans are true and false';
  }
  return null;
}
