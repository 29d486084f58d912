import { Ajv2020 } from 'ajv/dist/2020.js';
import { ErrorCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { loadMetaSchemaValidator, metaSchemaId } from '../precompiled-validators.ts';
import { reportSchemaErrors } from '../schema-errors.ts';
import { asRecord, type Doc } from './values.ts';

let compiler: Ajv2020 | undefined;

/** Inline schemas or classes, never both; classes come in pairs; inline schemas must compile. */
export function checkIoSchema(doc: Doc, sink: DiagnosticSink): void {
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
    try {
      // Compiling also resolves $refs, which the meta-schema cannot check.
      compiler.compile(schema);
    } catch (e: unknown) {
      const reason = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
      sink.report(
        ErrorCode.InvalidIOSchema,
        ['io_schema', key],
        `io_schema.${key} does not compile as JSON Schema: ${reason}`,
      );
    } finally {
      compiler.removeSchema();
    }
  }
}
