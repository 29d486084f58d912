import { bodyBudget, fitRowsWithNote, type TextBudget } from '../report/limits.ts';
import { codeSpan } from '../report/markdown-escape.ts';
import { isEmptyDiff } from './diff.ts';
import { CHANGE_CLASSES, type ChangeClass, type ContractChange, type ContractDiff } from './types.ts';

const TITLES: Record<ChangeClass, string> = {
  breaking: 'Breaking',
  widening: 'Widening (security)',
  operational: 'Operational',
  compatible: 'Compatible',
};

/** What a reviewer should do about each class, shown under its heading in Markdown. */
const MEANINGS: Record<ChangeClass, string> = {
  breaking: "today's callers may be rejected or get a different answer",
  widening: 'who may call the agent, or what it may do, grows',
  operational: 'needs something from whoever runs the agent',
  compatible: 'no caller or operator needs to act',
};

/** One line per class count, e.g. `1 breaking, 2 widening`; `no contract changes` when empty. */
export function contractDiffSummary(diff: ContractDiff): string {
  const parts = CHANGE_CLASSES.filter((kind) => diff[kind].length > 0).map(
    (kind) => `${diff[kind].length} ${kind}`,
  );
  return parts.length === 0 ? 'no contract changes' : parts.join(', ');
}

/** For a terminal: a heading per non-empty class, one change per line (`  path: message`). */
export function contractDiffText(diff: ContractDiff): string {
  if (isEmptyDiff(diff)) return 'No contract changes.\n';
  const out: string[] = [`Contract changes: ${contractDiffSummary(diff)}`];
  for (const kind of CHANGE_CLASSES) {
    if (diff[kind].length === 0) continue;
    out.push('', `${TITLES[kind]} (${diff[kind].length}):`);
    for (const change of diff[kind]) out.push(`  ${terminalSafe(oneLine(change.message))}`);
  }
  return `${out.join('\n')}\n`;
}

/** The JSON document `dockrion diff --format json` prints: the groups, plus a summary. */
export function contractDiffJson(diff: ContractDiff): string {
  const groups = Object.fromEntries(CHANGE_CLASSES.map((kind) => [kind, diff[kind].map(changeJson)]));
  return `${JSON.stringify({ summary: contractDiffSummary(diff), ...groups }, null, 2)}\n`;
}

function changeJson(change: ContractChange): Record<string, unknown> {
  const out: Record<string, unknown> = { path: change.path, message: change.message };
  if (change.environment !== undefined) out.environment = change.environment;
  if (change.before !== undefined) out.before = change.before;
  if (change.after !== undefined) out.after = change.after;
  return out;
}

export interface ContractMarkdownOptions {
  /** The section must fit in it (default: a whole comment or PR body). */
  budget?: TextBudget;
  /** Heading level of the section title (default 3: `###`). */
  headingLevel?: number;
  /** Words after the title, e.g. `against main` (escaped here). */
  against?: string;
}

/**
 * The "Contract changes" section of the sticky comment and the deployment PR body. Every path
 * and message is a code span (the one escaping helper), so nothing a Dockfile says can become a
 * link, a mention or HTML; rows that do not fit the budget are counted in a closing note.
 */
export function contractDiffMarkdown(diff: ContractDiff, options: ContractMarkdownOptions = {}): string {
  const budget = options.budget ?? bodyBudget;
  const hashes = '#'.repeat(Math.min(6, Math.max(1, options.headingLevel ?? 3)));
  const against = options.against ? ` against ${codeSpan(options.against)}` : '';
  const title = `${hashes} Contract changes${against}\n\n`;
  if (isEmptyDiff(diff)) return `${title}No contract changes.\n`;

  const head = `${title}${contractDiffSummary(diff)}.\n\n`;
  // One row per change (a class's heading rides on its first), so what is left out is counted
  // in changes, and the most serious ones are kept.
  const rows: string[] = [];
  for (const kind of CHANGE_CLASSES) {
    diff[kind].forEach((change, i) => {
      const heading =
        i === 0
          ? `${rows.length > 0 ? '\n' : ''}**${TITLES[kind]}** (${diff[kind].length}): ${MEANINGS[kind]}\n\n`
          : '';
      rows.push(`${heading}- ${markdownChange(change)}`);
    });
  }
  return fitRowsWithNote(
    head,
    rows,
    (omitted) =>
      `\n\n…and ${omitted} more change${omitted === 1 ? '' : 's'} left out to fit; \`dockrion diff\` prints them all.\n`,
    budget,
  );
}

/**
 * `path`: message, each a code span, so no user value escapes. A per-environment change names
 * its environment in the path or the message already.
 */
function markdownChange(change: ContractChange): string {
  const message = oneLine(change.message);
  const rest = message.startsWith(`${change.path}: `) ? message.slice(change.path.length + 2) : message;
  return `${codeSpan(change.path)}: ${codeSpan(rest)}`;
}

function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

/**
 * Control characters from the Dockfile (a property name with ESC in it) shown as `\u001b`, so
 * they cannot drive the terminal or a CI log.
 */
function terminalSafe(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    out += control ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}
