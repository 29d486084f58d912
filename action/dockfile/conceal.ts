/**
 * Keeps values that interpolation took from the environment (`--env`, the process environment,
 * `.env`) out of every diagnostic. The environment may hold credentials, and diagnostics travel to
 * logs, annotations, PR comments, the job summary and `errors-json`; log masking cannot help once a
 * check has lowercased, re-punctuated or re-joined a value. So the one place every message passes
 * through (`DiagnosticSink.report`) replaces each appearance of such a value with the variable's
 * name, `${NAME}`: verbatim, in any letter case, JSON-escaped, or with its punctuation changed
 * (`app/VALUE.py` for `app.VALUE`, `secret-value` for `Secret Value!`).
 */

export interface Substitution {
  /** The variable's name. */
  name: string;
  /** What was substituted for `${name}`. */
  value: string;
}

/**
 * Values shorter than this are not searched for everywhere: "1" or "on" would erase ordinary words
 * from every message (as log masking does not mask them either). They are still replaced in the
 * messages about the value they were substituted into (`concealIn` with `nearby`).
 */
export const minimumConcealedLength = 4;

interface Span {
  start: number;
  end: number;
  name: string;
}

/** Letters and digits only, lowercased, with each kept character's index in the original text. */
function lettersAndDigits(text: string): { folded: string; indexes: number[] } {
  let folded = '';
  const indexes: number[] = [];
  let index = 0;
  for (const char of text) {
    const lower = char.toLowerCase();
    if (/^[\p{L}\p{N}]+$/u.test(lower)) {
      for (const unit of lower) {
        folded += unit;
        indexes.push(index);
      }
    }
    index += char.length;
  }
  return { folded, indexes };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function allMatches(text: string, pattern: RegExp, name: string, into: Span[]): void {
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (match[0].length > 0) into.push({ start, end: start + match[0].length, name });
  }
}

/**
 * `text` with every appearance of a substituted value replaced by `${NAME}`. `nearby` are values
 * substituted at the diagnostic's own path (or next to it): those are replaced even when short,
 * as whole words.
 */
export function concealIn(
  text: string,
  everywhere: readonly Substitution[],
  nearby: readonly Substitution[] = [],
): string {
  if (everywhere.length === 0 && nearby.length === 0) return text;
  const spans: Span[] = [];
  let folded: ReturnType<typeof lettersAndDigits> | undefined;
  for (const { name, value } of everywhere) {
    if (value.length < minimumConcealedLength) continue;
    allMatches(text, new RegExp(escapeRegExp(value), 'giu'), name, spans);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) allMatches(text, new RegExp(escapeRegExp(escaped), 'giu'), name, spans);
    // The value with its punctuation, spacing or case changed by a hint ("use lowercase, e.g. …").
    const foldedValue = lettersAndDigits(value).folded;
    if (foldedValue.length >= minimumConcealedLength) {
      folded ??= lettersAndDigits(text);
      let from = folded.folded.indexOf(foldedValue);
      while (from !== -1) {
        const first = folded.indexes[from] ?? 0;
        const last = folded.indexes[from + foldedValue.length - 1] ?? first;
        spans.push({ start: first, end: last + 1, name });
        from = folded.folded.indexOf(foldedValue, from + 1);
      }
    }
  }
  for (const { name, value } of nearby) {
    if (value.length === 0 || value.length >= minimumConcealedLength) continue;
    // Whole words only: a short value such as "1" must not turn "line 12" into nonsense.
    const word = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, 'giu');
    allMatches(text, word, name, spans);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  let current: Span | undefined;
  const flush = () => {
    if (!current) return;
    out += `${text.slice(at, current.start)}\${${current.name}}`;
    at = current.end;
    current = undefined;
  };
  for (const span of spans) {
    if (current && span.start < current.end) {
      current.end = Math.max(current.end, span.end);
      continue;
    }
    flush();
    current = { ...span };
  }
  flush();
  return out + text.slice(at);
}
