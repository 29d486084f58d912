import { Ajv2020 } from 'ajv/dist/2020.js';
import { ErrorCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { asRecord, type Doc } from './values.ts';

let metaValidator: Ajv2020 | undefined;

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
    if (!schema) continue;
    metaValidator ??= new Ajv2020({ strict: false, allErrors: true, validateSchema: true });
    try {
      // compile() checks against the draft 2020-12 meta-schema and resolves $refs.
      metaValidator.compile(schema);
      metaValidator.removeSchema();
    } catch (e: unknown) {
      const reason = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
      sink.report(
        ErrorCode.InvalidIOSchema,
        ['io_schema', key],
        `io_schema.${key} is not a valid JSON Schema: ${reason}`,
      );
    }
  }
}
