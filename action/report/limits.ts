/**
 * GitHub's size limits for what the Action posts, and helpers that keep text under them.
 *
 * - Issue/PR comment bodies and PR bodies: 65,536 characters. GitHub counts Unicode code points
 *   (an astral emoji is one character, not two UTF-16 units), and answers 422 "Body is too long"
 *   past that. We count code points too and stop well before the limit.
 * - The job summary ($GITHUB_STEP_SUMMARY): 1 MiB per step, in bytes ("supports content up to a
 *   size of 1024k"); past it the runner drops the whole summary. We count UTF-8 bytes.
 */

/** A limit and the unit it is counted in. */
export interface TextBudget {
  /** The most `measure(text)` may be. */
  max: number;
  measure(text: string): number;
}

export const GITHUB_BODY_LIMIT = 65_536;
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A comment or PR body: ~5.5k characters of margin for the marker and anything added later. */
export const bodyBudget: TextBudget = { max: 60_000, measure: codePoints };

/** One step's job summary, with margin for what other writers of the same step add. */
export function summaryBudget(alreadyWritten = 0): TextBudget {
  return { max: Math.max(0, 1_000_000 - alreadyWritten), measure: utf8Bytes };
}

export interface FittedLines {
  /** The lines kept, in order (a prefix of the input). */
  lines: string[];
  omitted: number;
}

/**
 * The longest prefix of `lines` that fits in `room` units, one `separator` between lines. Each
 * line is measured once, so thousands of lines cost one pass.
 */
export function fitLines(
  lines: readonly string[],
  room: number,
  budget: TextBudget,
  separator = '\n',
): FittedLines {
  const separatorSize = budget.measure(separator);
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = budget.measure(line) + (kept.length > 0 ? separatorSize : 0);
    if (used + size > room) break;
    kept.push(line);
    used += size;
  }
  return { lines: kept, omitted: lines.length - kept.length };
}

/**
 * `head` and as many of `rows` (one per line) as fit in `budget`, then `note(omitted)` when rows
 * were left out, else a final newline. Room is kept for the note at its longest (every row
 * omitted), so adding it never pushes the text over the budget.
 */
export function fitRowsWithNote(
  head: string,
  rows: readonly string[],
  note: (omitted: number) => string,
  budget: TextBudget,
): string {
  const room = budget.max - budget.measure(head) - budget.measure(note(rows.length));
  const fitted = fitLines(rows, room, budget);
  return `${head}${fitted.lines.join('\n')}${fitted.omitted > 0 ? note(fitted.omitted) : '\n'}`;
}

/**
 * The largest n in [0, max] with ok(n), for ok true up to some n and false after it: how many
 * items (files, lines, characters) a rendering can keep within its budget, in log2(max) renders.
 */
export function largest(max: number, ok: (n: number) => boolean): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * `text` cut to fit `budget` together with `suffix` (which is always kept), never splitting a
 * surrogate pair. The last resort when structured trimming is not possible.
 */
export function truncateText(text: string, budget: TextBudget, suffix: string): string {
  if (budget.measure(text) <= budget.max) return text;
  const room = budget.max - budget.measure(suffix);
  if (room <= 0) return '';
  // Binary search on UTF-16 length: the measures only grow with the prefix.
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (budget.measure(text.slice(0, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  let end = low;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}${suffix}`;
}
