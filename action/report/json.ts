import type { Diagnostic, ValidationResult } from '../dockfile/types.ts';

/** A `Diagnostic` as the JSON report carries it: everything but `severity` (the list it is in says that). */
export type JsonDiagnostic = Omit<Diagnostic, 'severity'>;

export interface JsonReport {
  valid: boolean;
  file: string;
  errors: JsonDiagnostic[];
  warnings: JsonDiagnostic[];
}

function toJson(d: Diagnostic): JsonDiagnostic {
  return {
    code: d.code,
    name: d.name,
    path: d.path,
    file: d.file,
    line: d.line,
    column: d.column,
    message: d.message,
    hint: d.hint,
  };
}

/** The `--format json` document and the Action's `errors-json` output: a stable, public shape. */
export function toJsonReport(result: ValidationResult): JsonReport {
  return {
    valid: result.valid,
    file: result.file,
    errors: result.errors.map(toJson),
    warnings: result.warnings.map(toJson),
  };
}

export function formatJson(result: ValidationResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
