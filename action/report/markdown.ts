import type { Diagnostic, ValidationResult } from '../dockfile/types.ts';
import { codeLines, codeSpan, linkDestination } from './markdown-escape.ts';

export interface MarkdownOptions {
  /** Makes `file:line` a link to the blob at the PR head. */
  blobUrl?: (file: string, line: number) => string;
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
  const table = [
    '| | code | path | location | problem |',
    '|---|---|---|---|---|',
    ...diagnostics.map((d) => row(d, options)),
  ].join('\n');
  return `### Dockrion: Dockfile validation\n\n${status} — ${counts}.\n\n${table}\n`;
}
