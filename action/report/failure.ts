import { DockrionError } from '../../shared/errors.ts';
import type { Diagnostic } from '../dockfile/types.ts';

/**
 * The one line a failed step shows at the top of the run (`core.setFailed`): where, the error
 * code, what is wrong and the fix, e.g.
 * `Dockfile.yaml:12:5 4002 deploy.image: must be pinned by digest — fix: add @sha256:…`.
 */

function flat(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function withFix(text: string, hint: string | null | undefined): string {
  return hint ? `${text} — fix: ${flat(hint)}` : text;
}

/** `file:line:col code path: message — fix: hint`. */
export function diagnosticLine(d: Diagnostic): string {
  const message = flat(d.message);
  // Most messages already start with their path (`agent.name must be …`): say it once.
  const path = d.path && !message.startsWith(d.path) ? ` ${d.path}:` : '';
  return withFix(`${d.file}:${d.line}:${d.column} ${d.code}${path} ${message}`, d.hint);
}

/** The first error as one line, plus how many more there are and where to find them. */
export function diagnosticsLine(errors: readonly Diagnostic[], where: string): string {
  const [first] = errors;
  if (!first) return '';
  const more = errors.length - 1;
  return more > 0
    ? `${diagnosticLine(first)} (+${more} more ${more === 1 ? 'error' : 'errors'} in ${where})`
    : diagnosticLine(first);
}

interface WithDiagnostics {
  diagnostics: readonly Diagnostic[];
}

function hasDiagnostics(e: unknown): e is WithDiagnostics {
  const list = (e as Partial<WithDiagnostics> | null)?.diagnostics;
  return Array.isArray(list) && list.length > 0;
}

/**
 * Any thrown value as the step's failure line. `file` names the Dockfile for errors that carry a
 * Dockfile path (e.g. 4012 from the generators) but not the file.
 */
export function failureLine(
  e: unknown,
  context: { file?: string; where?: string; relative?: (file: string) => string } = {},
): string {
  const relative = context.relative ?? ((file: string) => file);
  if (hasDiagnostics(e)) {
    const errors = e.diagnostics.map((d) => ({ ...d, file: relative(d.file) }));
    return diagnosticsLine(errors, context.where ?? 'the log');
  }
  if (e instanceof DockrionError) {
    const located = e as DockrionError & { file?: unknown; line?: unknown; column?: unknown; path?: unknown };
    const path = typeof located.path === 'string' && located.path ? ` ${located.path}:` : ':';
    let where = '';
    if (typeof located.file === 'string' && typeof located.line === 'number') {
      where = `${relative(located.file)}:${located.line}:${typeof located.column === 'number' ? located.column : 1} `;
    } else if (context.file && path !== ':') {
      where = `${context.file} `;
    }
    const message = flat(e.message);
    // A path already at the front of the message (`deploy.x: …`) is not repeated.
    const text =
      path !== ':' && message.startsWith(`${located.path}:`)
        ? `${where}${e.code} ${message}`
        : `${where}${e.code}${path} ${message}`;
    return withFix(text, e.hint);
  }
  if (e instanceof Error) return flat(e.message) || e.name;
  return flat(String(e));
}
