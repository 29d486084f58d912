/**
 * What kind of failure an error is: stable, printed at the front of a failure line and in JSON.
 * A Dockfile diagnostic's code is its number (`'4012'`, docs/dockfile-validation.md).
 */
export type ErrorCode =
  | 'usage'
  | 'dockfile'
  | 'secrets'
  | 'image'
  | 'render'
  | 'gitops'
  | 'github'
  | 'exec'
  | 'runtime-missing'
  | 'runtime-start'
  | `${number}`;

/**
 * The error hierarchy every library throws. Front doors print `message` and `hint` and never a
 * stack trace; `exitCode` is what the CLI exits with.
 */
export class DockrionError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | null;
  readonly exitCode: number;

  constructor(
    message: string,
    options: { code: ErrorCode; hint?: string | null; exitCode?: number; cause?: unknown },
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

export type Severity = 'error' | 'warning';

/** One problem in a Dockfile, in the shape `--format json` prints (docs/dockfile-validation.md). */
export interface Diagnostic {
  code: number;
  name: string;
  /** JSON path, e.g. `auth.jwt.secret_key`; empty for the document itself. */
  path: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  hint: string | null;
  severity: Severity;
}

/** The Dockfile a command was given does not validate; carries every error diagnostic. */
export class DockfileInvalidError extends DockrionError {
  readonly diagnostics: Diagnostic[];
  constructor(file: string, diagnostics: Diagnostic[]) {
    const lines = diagnostics
      .slice(0, 20)
      .map(
        (d) =>
          `  ${d.file}:${d.line}:${d.column} ${d.code} ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`,
      );
    super(`${file} is invalid (${diagnostics.length} error(s)):\n${lines.join('\n')}`, { code: 'dockfile' });
    this.diagnostics = diagnostics;
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

/**
 * Code 4012 (docs/dockfile-validation.md) found while resolving an environment for the
 * generators: a setting valid on its own that does not fit with the rest.
 */
export class DeployConfigError extends RenderError {
  override readonly code = '4012';
  readonly numericCode = 4012;
  /** JSON path in the Dockfile, e.g. `deploy.environments.prod.resources.requests.cpu`. */
  readonly path: string;

  constructor(path: string, message: string, hint?: string | null) {
    super(`${path}: ${message}`, hint);
    this.path = path;
  }
}

/** A message safe to show a user for any thrown value; never a stack trace. */
export function describeError(e: unknown): string {
  if (e instanceof DockrionError) return e.hint ? `${e.message}\n  hint: ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
