import type { Exec } from '../../adapters/exec.ts';
import { ErrorCode, WarningCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { backtrackingRisk } from './backtracking.ts';
import { compileWithJavaScript, compileWithPython } from './python-regex.ts';
import { asList, asRecord, type Doc } from './values.ts';

export interface PolicyCheckOptions {
  /** `null`: do not try python at all. */
  python: string | null;
  exec: Exec;
}

/** redact_patterns compile as Python regexes (4006); risky ones and unsafe settings warn. */
export async function checkPolicies(
  doc: Doc,
  sink: DiagnosticSink,
  options: PolicyCheckOptions,
): Promise<void> {
  const policies = asRecord(doc.policies);
  const safety = asRecord(policies?.safety);
  const entries = asList(safety?.redact_patterns)
    .map((pattern, index) => ({ pattern, index }))
    .filter(
      (e): e is { pattern: string; index: number } => typeof e.pattern === 'string' && e.pattern !== '',
    );
  const base = ['policies', 'safety', 'redact_patterns'];

  if (entries.length > 0) {
    const patterns = entries.map((e) => e.pattern);
    let problems =
      options.python === null ? null : await compileWithPython(patterns, options.python, options.exec);
    if (problems === null) {
      sink.report(
        WarningCode.PythonRegexCheckSkipped,
        base,
        'python3 is not available: redact_patterns were checked with a best-effort JavaScript translation',
        { hint: 'install python3 for an exact check of Python re syntax' },
      );
      problems = compileWithJavaScript(patterns);
    }
    for (const problem of problems) {
      const entry = entries[problem.index];
      if (!entry) continue;
      const where = problem.offset === null ? '' : ` at position ${problem.offset}`;
      sink.report(
        ErrorCode.PolicyValidation,
        [...base, entry.index],
        `redact pattern does not compile: ${problem.message}${where}`,
        {
          hint: 'patterns use Python re syntax; escape literal characters with \\',
        },
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
          `redact pattern may backtrack catastrophically: ${risk}`,
          {
            hint: 'remove the nested repetition, e.g. (a+)+ → a+, or make alternatives exclusive',
          },
        );
      }
    });
  }

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
