/**
 * The one way user-controlled text enters Markdown that dockrion posts to GitHub (the sticky PR
 * comment, the job summary, the deployment PR body): as literal code. Inside a code span or a
 * fenced block, GitHub renders no link, image, HTML or emphasis, and its mention (`@team`) and
 * reference (`#12`) filters skip code. Everything here is pure string work.
 */

/** Longest run of backticks in `text`. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/**
 * In a table row GitHub splits cells at every `|` not escaped by a backslash, even inside code
 * spans, and reads `\\` as an escaped backslash first. So each `|` becomes `\|`, and a backslash
 * run right before it is made even, so that the run cannot swallow the escape.
 */
function escapePipes(text: string): string {
  return text.replace(/(\\*)\|/g, (_match, run: string) => `${run}${run.length % 2 === 1 ? '\\' : ''}\\|`);
}

export interface CodeSpanOptions {
  /** The span sits in a table cell: pipes are escaped so the row keeps its cells. */
  table?: boolean;
}

/**
 * `text` as one inline code span, shown exactly as written: the fence is longer than any run of
 * backticks in it, and line breaks (which a span cannot hold) become spaces. Empty text is `''`
 * (nothing to show).
 */
export function codeSpan(text: string, options: CodeSpanOptions = {}): string {
  if (text === '') return '';
  let content = text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(content) + 1);
  // A span that starts or ends with a backtick, or with spaces on both sides, needs one space of
  // padding on each side (the parser strips exactly one).
  if (
    content.startsWith('`') ||
    content.endsWith('`') ||
    (content.startsWith(' ') && content.endsWith(' '))
  ) {
    content = ` ${content} `;
  }
  if (options.table) content = escapePipes(content);
  return `${fence}${content}${fence}`;
}

/**
 * Multi-line `text` for a table cell: each line a code span, joined by `<br>` (a table cell holds
 * one line of Markdown).
 */
export function codeLines(text: string): string {
  return text
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .filter((line) => line !== '')
    .map((line) => codeSpan(line, { table: true }))
    .join('<br>');
}

/** A fence for a code block holding `text`: longer than any run of backticks in it, at least 3. */
export function codeFence(text: string): string {
  return '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
}

/** `text` as a fenced code block (`info` is the language, e.g. `diff`, `sh`). */
export function codeBlock(text: string, info = ''): string {
  const fence = codeFence(text);
  return `${fence}${info}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/**
 * A URL for a Markdown link destination: characters that end or break a destination (spaces,
 * parentheses, angle brackets, quotes, backslashes) are percent-encoded.
 */
export function linkDestination(url: string): string {
  return url.replace(
    /[\s()<>"'\\`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
