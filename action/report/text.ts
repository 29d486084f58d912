import type { Diagnostic, ValidationResult } from '../dockfile/types.ts';

/** Returns the lines of a file named in a diagnostic, or undefined when it cannot be read. */
export type SourceReader = (file: string) => readonly string[] | undefined;

const maxExcerptWidth = 160;

/**
 * Compiler-style output: `file:line:col: error 4002 InvalidSchemaError at agent.name: message`,
 * the source line with a caret under the column, then `hint:`.
 */
export function formatText(result: ValidationResult, readSource: SourceReader): string {
  const blocks = [...result.errors, ...result.warnings].map((d) => formatDiagnostic(d, readSource));
  const counts = `${result.errors.length} error${result.errors.length === 1 ? '' : 's'}, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}`;
  const verdict = result.valid ? `${result.file}: valid (${counts})` : `${result.file}: invalid (${counts})`;
  return `${[...blocks, verdict].join('\n')}\n`;
}

export function formatDiagnostic(d: Diagnostic, readSource: SourceReader): string {
  const at = d.path ? ` at ${d.path}` : '';
  const lines = [`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.name}${at}: ${d.message}`];
  const source = readSource(d.file)?.[d.line - 1];
  if (source !== undefined) {
    const text = source.replace(/\t/g, ' ').replace(/\r$/, '');
    const gutter = `${String(d.line).padStart(4)} | `;
    lines.push(`${gutter}${text.length > maxExcerptWidth ? `${text.slice(0, maxExcerptWidth)}…` : text}`);
    lines.push(`${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.min(d.column - 1, maxExcerptWidth))}^`);
  }
  if (d.hint) lines.push(`  hint: ${d.hint.replace(/\n/g, '\n        ')}`);
  return lines.join('\n');
}
