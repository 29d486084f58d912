import type { Diagnostic, ValidationResult } from '../dockfile/types.ts';

/** Table cells must not break the table or inject markup. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '<br>');
}

function code(text: string): string {
  return text === '' ? '' : `<code>${cell(text)}</code>`;
}

export interface MarkdownOptions {
  /** Makes `file:line` a link to the blob at the PR head. */
  blobUrl?: (file: string, line: number) => string;
}

function row(d: Diagnostic, options: MarkdownOptions): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const location = options.blobUrl ? `[${cell(where)}](${options.blobUrl(d.file, d.line)})` : cell(where);
  const hint = d.hint ? `<br>hint: ${cell(d.hint)}` : '';
  const severity = d.severity === 'error' ? '❌ error' : '⚠️ warning';
  return `| ${severity} | ${d.code} ${d.name} | ${code(d.path)} | ${location} | ${cell(d.message)}${hint} |`;
}

/** The validation result as Markdown: the job summary and the body of the sticky PR comment. */
export function formatMarkdown(result: ValidationResult, options: MarkdownOptions = {}): string {
  const status = result.valid
    ? `✅ **${cell(result.file)} is valid**`
    : `❌ **${cell(result.file)} is invalid**`;
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
