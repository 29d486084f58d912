/**
 * The error hierarchy every library throws. Front doors print `message` and `hint` and never a
 * stack trace; `exitCode` is what the CLI exits with.
 */
export class DockrionError extends Error {
  readonly code: string;
  readonly hint: string | null;
  readonly exitCode: number;

  constructor(
    message: string,
    options: { code: string; hint?: string | null; exitCode?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.hint = options.hint ?? null;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Wrong command line or action input: exit 2. */
export class UsageError extends DockrionError {
  constructor(message: string, hint?: string | null) {
    super(message, { code: 'usage', hint, exitCode: 2 });
  }
}

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One problem in a Dockfile, at a position. Codes are the stable table in docs/dockfile-validation.md. */
export class DockfileError extends DockrionError {
  readonly numericCode: number;
  readonly path: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(
    numericCode: number,
    message: string,
    where: { path: string } & SourcePosition,
    hint?: string | null,
  ) {
    super(message, { code: String(numericCode), hint });
    this.numericCode = numericCode;
    this.path = where.path;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

export class SecretsError extends DockrionError {
  constructor(message: string, hint?: string | null, cause?: unknown) {
    super(message, { code: 'secrets', hint, cause });
  }
}

export class ImageError extends DockrionError {
  constructor(message: string, hint?: string | null, cause?: unknown) {
    super(message, { code: 'image', hint, cause });
  }
}

export class RenderError extends DockrionError {
  constructor(message: string, hint?: string | null, cause?: unknown) {
    super(message, { code: 'render', hint, cause });
  }
}

export class GitOpsError extends DockrionError {
  constructor(message: string, hint?: string | null, cause?: unknown) {
    super(message, { code: 'gitops', hint, cause });
  }
}

/** A message safe to show a user for any thrown value; never a stack trace. */
export function describeError(e: unknown): string {
  if (e instanceof DockrionError) return e.hint ? `${e.message}\n  hint: ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
