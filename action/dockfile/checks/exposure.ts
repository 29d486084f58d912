import { ErrorCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { asRecord, type Doc } from './values.ts';

/** Something must be reachable: REST, or a streaming transport. */
export function checkExposure(doc: Doc, sink: DiagnosticSink): void {
  const expose = asRecord(doc.expose);
  if (!expose) return;
  // Defaults are rest: true and streaming: sse, so both must be turned off explicitly.
  if (expose.rest === false && expose.streaming === 'none') {
    sink.report(
      ErrorCode.Exposure,
      ['expose', 'rest'],
      'nothing is exposed: expose.rest is false and expose.streaming is none',
      {
        hint: 'set expose.rest: true or expose.streaming: sse',
      },
    );
  }
}
