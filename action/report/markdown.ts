import type { Diagnostic, ValidationResult } from '../dockfile/types.ts';
import { fitRowsWithNote, type TextBudget } from './limits.ts';
import { codeLines, codeSpan, linkDestination } from './markdown-escape.ts';

export interface MarkdownOptions {
  /** Makes `file:line` a link to the blob at the PR head. */
  blobUrl?: (file: string, line: number) => string;
  /**
   * The most the report may take (a PR comment, a job summary). Past it the table keeps the first
   * rows (errors come first), says how many are left out, and points at `fullListAt`.
   */
  budget?: TextBudget;
  /** Markdown naming where the complete list is, e.g. "the job summary and the `errors-json` output". */
  fullListAt?: string;
}

// Paths, file names, messages and hints carry user text (unknown keys, values): they are shown as
// code, so `@team`, `[x](url)` or `![x](img)` in a Dockfile stay inert text in the PR comment.
function row(d: Diagnostic, options: MarkdownOptions): string {
  const where = codeSpan(`${d.file}:${d.line}:${d.column}`, { table: true });
  const location = options.blobUrl
    ? `[${where}](${linkDestination(options.blobUrl(d.file, d.line))})`
    : where;
  const hint = d.hint ? `<br>hint: ${codeLines(d.hint)}` : '';
  const severity = d.severity === 'error' ? '❌ error' : '⚠️ warning';
  return `| ${severity} | ${d.code} ${d.name} | ${codeSpan(d.path, { table: true })} | ${location} | ${codeLines(d.message)}${hint} |`;
}

/** The validation result as Markdown: the job summary and the body of the sticky PR comment. */
export function formatMarkdown(result: ValidationResult, options: MarkdownOptions = {}): string {
  const file = codeSpan(result.file);
  const status = result.valid ? `✅ ${file} **is valid**` : `❌ ${file} **is invalid**`;
  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  const diagnostics = [...result.errors, ...result.warnings];
  if (diagnostics.length === 0)
    return `### Dockrion: Dockfile validation\n\n${status} — no problems found.\n`;
  const head = `### Dockrion: Dockfile validation\n\n${status} — ${counts}.\n\n| | code | path | location | problem |\n|---|---|---|---|---|\n`;
  const rows = diagnostics.map((d) => row(d, options));
  const { budget } = options;
  if (!budget) return `${head}${rows.join('\n')}\n`;
  const note = (omitted: number) =>
    `\n\n**${omitted} of ${rows.length} problems are not shown here** (the table lists the first ${rows.length - omitted}). ` +
    `The full list is in ${options.fullListAt ?? 'the `errors-json` output'}.\n`;
  return fitRowsWithNote(head, rows, note, budget);
}

/**
 * What the sticky comment says when the current report could not be written into it: an old
 * result (possibly a ✅) must not stand as if it were current.
 */
export function staleReportMarkdown(file: string, why: string, latestAt: string): string {
  return `### Dockrion: Dockfile validation\n\n⚠️ **This report is out of date.** The latest validation of ${codeSpan(file)} could not be written into this comment (${codeSpan(why)}). Its result is in ${latestAt}.\n`;
}
