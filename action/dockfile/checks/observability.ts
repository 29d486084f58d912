import { ErrorCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { asRecord, type Doc } from './values.ts';

/** Langfuse needs both keys; configuring a project implies it is meant to be on. */
export function checkObservability(doc: Doc, sink: DiagnosticSink): void {
  const langfuse = asRecord(asRecord(doc.observability)?.langfuse);
  if (!langfuse || langfuse.enabled === false) return;
  for (const key of ['public_key', 'secret_key'] as const) {
    const value = langfuse[key];
    if (typeof value !== 'string' || value.trim() === '') {
      sink.report(
        ErrorCode.TelemetryConfig,
        ['observability', 'langfuse', key],
        `langfuse is enabled but ${key} is missing`,
        {
          hint: `set observability.langfuse.${key}: '\${LANGFUSE_${key === 'public_key' ? 'PUBLIC' : 'SECRET'}_KEY}' or enabled: false`,
        },
      );
    }
  }
}
