import type { Exec } from '../../adapters/exec.ts';
import { runPythonJson } from './python.ts';

export interface RegexProblem {
  index: number;
  message: string;
  /** 0-based offset into the pattern, when Python says where. */
  offset: number | null;
}

// One interpreter for all patterns; reads a JSON list, returns a list of problems.
const compileScript = `
import re
problems = []
for i, p in enumerate(json.load(sys.stdin)):
    try:
        re.compile(p)
    except re.error as e:
        problems.append({"index": i, "message": e.msg, "offset": e.pos})
    except Exception as e:
        problems.append({"index": i, "message": type(e).__name__ + ": " + str(e), "offset": None})
__result = problems
`;

/**
 * Compiles every pattern with Python's `re`, the engine that runs them. Returns `null` when
 * python cannot be started, so the caller can fall back to the JS check.
 */
export async function compileWithPython(
  patterns: readonly string[],
  python: string,
  exec: Exec,
): Promise<RegexProblem[] | null> {
  const result = await runPythonJson(python, compileScript, patterns, exec);
  return Array.isArray(result) ? (result as RegexProblem[]) : null;
}

/**
 * Best effort without Python: translate the Python-only syntax JS lacks, then compile with the
 * JS engine. It misses Python-only errors (e.g. variable-width lookbehind is fine in JS but not
 * in Python) and may reject a few Python-only constructs; results carry warning 4105.
 */
export function compileWithJavaScript(patterns: readonly string[]): RegexProblem[] {
  const problems: RegexProblem[] = [];
  patterns.forEach((pattern, index) => {
    let flags = '';
    let source = pattern.replace(/^\(\?([aiLmsux]+)\)/, (_, f: string) => {
      flags = [...new Set(f.replace(/[aLux]/g, ''))].join('');
      return '';
    });
    source = source
      .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
      .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
      .replace(/\\A/g, '^')
      .replace(/\\Z/g, '$');
    try {
      new RegExp(source, flags);
    } catch (e: unknown) {
      const message =
        e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(e);
      problems.push({ index, message, offset: null });
    }
  });
  return problems;
}
