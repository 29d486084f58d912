import type { Diagnostic } from '../dockfile/types.ts';

/** Escaping of the runner's command data, as in @actions/core `escapeData`. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of command properties, as in @actions/core `escapeProperty`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotationTitle(d: Diagnostic): string {
  return `${d.code} ${d.name}${d.path ? ` at ${d.path}` : ''}`;
}

export function annotationMessage(d: Diagnostic): string {
  return d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
}

/** `--format github`: one `::error`/`::warning` workflow command per diagnostic. */
export function formatWorkflowCommands(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const command = d.severity === 'error' ? 'error' : 'warning';
      const properties = [
        `file=${escapeProperty(d.file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `title=${escapeProperty(annotationTitle(d))}`,
      ].join(',');
      return `::${command} ${properties}::${escapeData(annotationMessage(d))}\n`;
    })
    .join('');
}
