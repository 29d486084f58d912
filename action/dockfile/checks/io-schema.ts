import { Ajv2020 } from 'ajv/dist/2020.js';
import { ErrorCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { loadMetaSchemaValidator, metaSchemaId } from '../precompiled-validators.ts';
import { reportSchemaErrors } from '../schema-errors.ts';
import { asRecord, type Doc } from './values.ts';

let compiler: Ajv2020 | undefined;

/**
 * Inline schemas or classes, never both; classes come in pairs; inline schemas must be valid
 * JSON Schema and, unless `compile` is false, compile.
 */
export function checkIoSchema(
  doc: Doc,
  sink: DiagnosticSink,
  options: { compile: boolean } = { compile: true },
): void {
  const io = asRecord(doc.io_schema);
  if (!io) return;
  const inline = ['input', 'output'].filter((k) => io[k] !== undefined);
  const classes = ['input_class', 'output_class'].filter((k) => io[k] !== undefined);
  if (inline.length > 0 && classes.length > 0) {
    sink.report(
      ErrorCode.InvalidIOSchema,
      ['io_schema', classes[0] ?? 'input_class'],
      `io_schema mixes inline schemas (${inline.join(', ')}) with classes (${classes.join(', ')})`,
      { hint: 'use either input/output JSON Schemas or input_class/output_class', at: 'key' },
    );
  } else if (classes.length === 1) {
    const missing = classes[0] === 'input_class' ? 'output_class' : 'input_class';
    sink.report(
      ErrorCode.InvalidIOSchema,
      ['io_schema', missing],
      `io_schema.${classes[0]} needs io_schema.${missing}`,
      {
        hint: `add ${missing}: 'module.path:Class'`,
      },
    );
  }
  for (const key of inline) {
    const schema = asRecord(io[key]);
    // Shape errors of the Dockfile schema already point inside it; one report per problem.
    if (!schema || sink.hasErrorUnder(['io_schema', key])) continue;
    // The draft 2020-12 meta-schema check is precompiled (dist/), and `validateSchema: false`
    // keeps ajv from compiling it again below; another `$schema` is ajv's to look up, as before.
    const otherDraft = schema.$schema !== undefined && schema.$schema !== metaSchemaId;
    compiler ??= new Ajv2020({ strict: false, allErrors: true, verbose: true, validateSchema: false });
    const metaValidator = otherDraft ? undefined : loadMetaSchemaValidator();
    const metaValid = metaValidator ? metaValidator(schema) : compiler.validateSchema(schema);
    if (!metaValid) {
      // Meta-schema errors are located inside the inline schema, at the offending keyword.
      // The meta-schema's $ref'd anyOf branches cannot be told apart, so keep the first (most
      // specific) error per location.
      const seen = new Set<string>();
      const errors = ((metaValidator ? metaValidator.errors : compiler.errors) ?? [])
        .filter((e) => e.keyword !== 'anyOf' && !seen.has(e.instancePath) && seen.add(e.instancePath))
        .map((e) => ({ ...e, instancePath: `/io_schema/${key}${e.instancePath}` }));
      reportSchemaErrors(errors, sink, doc);
      continue;
    }
    // Compiling also resolves $refs, which the meta-schema cannot check.
    const reason = options.compile ? compileProblem(compiler, schema) : null;
    if (reason !== null) {
      sink.report(
        ErrorCode.InvalidIOSchema,
        ['io_schema', key],
        `io_schema.${key} does not compile as JSON Schema: ${reason}`,
      );
    }
  }
}

/**
 * Why ajv cannot compile `schema` (its first line), or null. Compiling is most of a Dockfile's
 * validation time (~4 ms of ~5.5 ms for two small schemas) and its outcome depends on the schema
 * alone (the compiler is emptied after each), so outcomes are kept by the schema's canonical JSON:
 * the two sides of a PR, and agents of one repository, mostly share their schemas.
 */
function compileProblem(ajv: Ajv2020, schema: Record<string, unknown>): string | null {
  const key = compileOutcomeLimit > 0 ? canonicalText(schema) : '';
  const known = key.length <= maxCachedSchemaChars ? compileOutcomes.get(key) : undefined;
  if (known !== undefined) {
    // Most recently used last: the oldest entry is the one dropped.
    compileOutcomes.delete(key);
    compileOutcomes.set(key, known);
    return known;
  }
  let reason: string | null = null;
  try {
    ajv.compile(schema);
  } catch (e: unknown) {
    reason = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
  } finally {
    ajv.removeSchema();
  }
  if (compileOutcomeLimit > 0 && key.length <= maxCachedSchemaChars) {
    compileOutcomes.set(key, reason);
    for (const oldest of compileOutcomes.keys()) {
      if (compileOutcomes.size <= compileOutcomeLimit) break;
      compileOutcomes.delete(oldest);
    }
  }
  return reason;
}

/** Compile outcomes by canonical schema JSON, least recently used first. */
const compileOutcomes = new Map<string, string | null>();
let compileOutcomeLimit = 128;
/** Bigger schemas are compiled every time, so the keys stay under ~16 MB. */
const maxCachedSchemaChars = 64 * 1024;

/**
 * How many compile outcomes are kept (default 128; 0 turns the cache off). Clears it. For
 * benchmarks that measure the cache, and embedders short of memory.
 */
export function setSchemaCompileCacheLimit(limit: number): void {
  compileOutcomeLimit = Math.max(0, Math.floor(limit));
  compileOutcomes.clear();
}

/** JSON with keys sorted at every level: equal schemas give equal text whatever their key order. */
function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
