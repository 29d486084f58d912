import { RE2JS } from 're2js';

/**
 * Dockfile regexes (`policies.safety.redact_patterns`, `io_schema` `pattern` and
 * `patternProperties`) run on RE2 in the runtime (google-re2; runtime/dockrion_runtime/policies/
 * patterns.py), so they are checked here with re2js, a port of the same engine: in process, no
 * Python start. runtime/tests/data/re2_agreement.json lists patterns both sides must judge alike.
 */
export interface RegexProblem {
  index: number;
  /** RE2's reason, without the offending text (a pattern may hold an interpolated value). */
  message: string;
  /** 0-based offset into the pattern, when it can be located. */
  offset: number | null;
  hint: string;
}

const defaultHint =
  'patterns use RE2 syntax: Python re without backreferences and lookaround; \\d, \\w, \\s, \\b are ASCII (\\pL, \\pN for Unicode)';

/** Why RE2 refuses a construct a backtracking engine accepts, and what to write instead. */
function hintFor(reason: string, fragment: string, pattern: string): string {
  if (/^\\[1-9]/.test(fragment) || (fragment === '(?P' && pattern.includes('(?P='))) {
    return 'backreferences are not supported: RE2 matches in linear time and cannot refer back; match the repeated text explicitly';
  }
  if (/^\(\?<?[=!]/.test(fragment)) {
    return 'lookahead and lookbehind are not supported by RE2: match the surrounding text as part of the pattern instead';
  }
  if (fragment === '\\Z') return 'write \\z for the end of the text (RE2 has no \\Z)';
  if (fragment === '\\C') return '\\C (a single byte) is not supported: use . for one character';
  if (reason.includes('nested repetition') && /[*+?}][+]$/.test(fragment)) {
    return 'possessive quantifiers are not supported and not needed: RE2 never backtracks, so write a+ for a++';
  }
  if (fragment.startsWith('(?x'))
    return 'verbose mode (?x) is not supported: write the pattern without spaces and comments';
  if (reason.includes('repeat count')) return 'RE2 allows at most 1000 repetitions in {n,m}';
  return defaultHint;
}

/** Compiles every pattern with RE2 semantics; one problem per pattern that does not compile. */
export function compileWithRe2(patterns: readonly string[]): RegexProblem[] {
  const problems: RegexProblem[] = [];
  patterns.forEach((pattern, index) => {
    try {
      RE2JS.compile(pattern);
    } catch (e: unknown) {
      const error = e as { error?: unknown; input?: unknown; message?: unknown };
      const reason = typeof error.error === 'string' ? error.error : String(error.message ?? e);
      const fragment = typeof error.input === 'string' ? error.input : '';
      const at = fragment === '' ? -1 : pattern.indexOf(fragment);
      const offset = fragment === '(?P' ? pattern.indexOf('(?P=') : at;
      problems.push({
        index,
        message: reason,
        offset: offset < 0 ? null : offset,
        hint: hintFor(reason, fragment, pattern),
      });
    }
  });
  return problems;
}
