import { ErrorCode, WarningCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { backtrackingRisk } from './backtracking.ts';
import { compileWithRe2 } from './regex.ts';
import { asList, asRecord, type Doc } from './values.ts';

/**
 * redact_patterns and io_schema patterns compile with RE2, the runtime's engine (4006 / 4004);
 * ambiguous redact patterns (4101), fail-closed tool gating without tools (4107) and unsafe
 * settings warn.
 */
export function checkPolicies(doc: Doc, sink: DiagnosticSink): void {
  const policies = asRecord(doc.policies);
  const safety = asRecord(policies?.safety);
  const entries = asList(safety?.redact_patterns)
    .map((pattern, index) => ({ pattern, index }))
    .filter(
      (e): e is { pattern: string; index: number } => typeof e.pattern === 'string' && e.pattern !== '',
    );
  const base = ['policies', 'safety', 'redact_patterns'];

  if (entries.length > 0) {
    const problems = compileWithRe2(entries.map((e) => e.pattern));
    for (const problem of problems) {
      const entry = entries[problem.index];
      if (!entry) continue;
      const where = problem.offset === null ? '' : ` at position ${problem.offset}`;
      sink.report(
        ErrorCode.PolicyValidation,
        [...base, entry.index],
        `redact pattern is not a valid RE2 pattern: ${problem.message}${where}`,
        { hint: problem.hint },
      );
    }
    const broken = new Set(problems.map((p) => p.index));
    entries.forEach((entry, i) => {
      if (broken.has(i)) return;
      const risk = backtrackingRisk(entry.pattern);
      if (risk) {
        sink.report(
          WarningCode.CatastrophicRegex,
          [...base, entry.index],
          `redact pattern can match the same text in many ways (${risk}): the runtime's RE2 stays linear, but a backtracking engine would take super-linear time`,
          {
            hint: 'make the pattern unambiguous, e.g. \\d+[ -]?\\d+ → \\d+(?:[ -]\\d+)?, (a+)+ → a+, (.*a){20} → (?:[^a]*a){20}',
          },
        );
      }
    });
  }
  checkSchemaPatterns(doc, sink);
  checkToolGating(policies, sink);

  const model = asRecord(doc.model);
  const temperature = model?.temperature;
  if (typeof temperature === 'number' && temperature > 1.2 && safety?.block_prompt_injection === false) {
    sink.report(
      WarningCode.HighTemperatureWithoutInjectionBlocking,
      ['model', 'temperature'],
      `model.temperature ${temperature} is above 1.2 while block_prompt_injection is off`,
      { hint: 'lower the temperature or set policies.safety.block_prompt_injection: true' },
    );
  }
  // A public agent (auth none) answers anyone: an unbounded response is an abuse vector.
  const isPublic = asRecord(doc.auth)?.mode === 'none';
  if (isPublic && safety?.max_output_chars === undefined) {
    sink.report(
      WarningCode.MaxOutputCharsUnset,
      ['policies', 'safety', 'max_output_chars'],
      'the agent is public (auth.mode none) but policies.safety.max_output_chars is not set',
      {
        hint: 'cap the response size, e.g. max_output_chars: 20000',
      },
    );
  }
}

/** Keywords whose values are data, not schemas: a `pattern` key inside them is not a regex. */
const dataKeywords = new Set(['const', 'enum', 'default', 'examples']);

/** Every `pattern` / `patternProperties` regex of the inline io_schema compiles with RE2 (4004). */
function checkSchemaPatterns(doc: Doc, sink: DiagnosticSink): void {
  const io = asRecord(doc.io_schema);
  for (const key of ['input', 'output']) {
    // An inline schema that is already wrong (ajv) is reported once, where it is.
    if (!io || sink.hasErrorUnder(['io_schema', key])) continue;
    const found: { path: (string | number)[]; regex: string; at: 'key' | 'value' }[] = [];
    collectPatterns(io[key], ['io_schema', key], found);
    const problems = compileWithRe2(found.map((f) => f.regex));
    for (const problem of problems) {
      const entry = found[problem.index];
      if (!entry) continue;
      sink.report(
        ErrorCode.InvalidIOSchema,
        entry.path,
        `io_schema pattern is not a valid RE2 pattern: ${problem.message}`,
        { hint: `the runtime evaluates schema patterns with RE2; ${problem.hint}`, at: entry.at },
      );
    }
  }
}

function collectPatterns(
  node: unknown,
  path: (string | number)[],
  found: { path: (string | number)[]; regex: string; at: 'key' | 'value' }[],
): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      collectPatterns(item, [...path, index], found);
    });
    return;
  }
  const record = asRecord(node);
  if (!record) return;
  for (const [key, value] of Object.entries(record)) {
    if (dataKeywords.has(key)) continue;
    if (key === 'pattern' && typeof value === 'string') {
      found.push({ path: [...path, key], regex: value, at: 'value' });
    } else if (key === 'patternProperties' && asRecord(value)) {
      for (const [regex, schema] of Object.entries(asRecord(value) ?? {})) {
        found.push({ path: [...path, key, regex], regex, at: 'key' });
        collectPatterns(schema, [...path, key, regex], found);
      }
    } else {
      collectPatterns(value, [...path, key], found);
    }
  }
}

/** `deny_by_default` (true unless set false) with no allowed tool denies every tool call (4107). */
function checkToolGating(policies: Record<string, unknown> | undefined, sink: DiagnosticSink): void {
  const tools = asRecord(policies?.tools);
  if (!tools || tools.deny_by_default === false) return;
  if (asList(tools.allowed).length > 0) return;
  const where =
    tools.allowed !== undefined
      ? ['allowed']
      : tools.deny_by_default !== undefined
        ? ['deny_by_default']
        : [];
  sink.report(
    WarningCode.AllToolsDenied,
    ['policies', 'tools', ...where],
    'policies.tools denies every tool: deny_by_default is true and allowed lists no tool',
    {
      hint: 'list the tools the agent may call under policies.tools.allowed, or remove policies.tools if it calls none',
      at: where.length === 0 ? 'key' : 'value',
    },
  );
}
