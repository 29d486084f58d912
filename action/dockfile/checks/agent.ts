import { ErrorCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { asRecord, asString, type Doc } from './values.ts';

/** Exactly one of entrypoint/handler; entrypoint needs a framework; handler implies custom. */
export function checkAgent(doc: Doc, sink: DiagnosticSink): void {
  const agent = asRecord(doc.agent);
  if (!agent) return;
  const hasEntrypoint = agent.entrypoint !== undefined;
  const hasHandler = agent.handler !== undefined;
  const framework = asString(agent.framework);
  if (hasEntrypoint && hasHandler) {
    sink.report(
      ErrorCode.InvalidSchema,
      ['agent', 'handler'],
      'agent has both entrypoint and handler; give exactly one',
      {
        hint: 'use entrypoint (a factory, with framework) or handler (a callable), not both',
        at: 'key',
      },
    );
  } else if (!hasEntrypoint && !hasHandler) {
    sink.report(
      ErrorCode.InvalidSchema,
      ['agent', 'entrypoint'],
      "missing required key 'entrypoint' in agent",
      {
        hint: "add entrypoint: 'module.path:factory' with framework, or handler: 'module.path:callable'",
      },
    );
  }
  if (hasEntrypoint && framework === undefined && agent.framework === undefined) {
    sink.report(
      ErrorCode.UnsupportedFramework,
      ['agent', 'framework'],
      'agent.entrypoint needs agent.framework',
      {
        hint: 'add framework: langgraph, langchain or custom',
      },
    );
  }
  if (hasHandler && framework !== undefined && framework !== 'custom') {
    sink.report(
      ErrorCode.UnsupportedFramework,
      ['agent', 'framework'],
      `agent.handler implies framework custom, but framework is '${framework}'`,
      { hint: 'remove framework, or use entrypoint for a langgraph/langchain factory' },
    );
  }
}
