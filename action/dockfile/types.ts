import type { DockSpec } from '../../schemas/dock-spec.ts';
import type { Diagnostic } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';

export type * from '../../schemas/dock-spec.ts';

export type { Diagnostic, Severity } from '../../shared/errors.ts';

export interface LoadOptions {
  /** Base for a relative Dockfile path; defaults to the process's working directory. */
  cwd?: string;
  /** `--env KEY=VAL` values; they win over the process environment and `.env`. */
  env?: Readonly<Record<string, string>>;
  /** The process environment (injected so tests and the Action control it). */
  processEnv?: Readonly<Record<string, string | undefined>>;
  /** Repository root: includes may not leave it. Defaults to the Dockfile's directory. */
  root?: string;
  /** `--check-imports`: check that the entrypoint/handler module and callable exist (4003). */
  checkImports?: boolean;
  /**
   * `false`: inline io_schemas are checked against the meta-schema but not compiled, so a `$ref`
   * that does not resolve is not reported. Only for a Dockfile that is compared and not deployed:
   * a PR's base, read for its contract (action/contract `loadDockfilesAtRevision`). Default true.
   */
  compileIoSchemas?: boolean;
  /** Warnings become errors. */
  strict?: boolean;
  /** Python used by the import check (`checkImports`); `null` disables it. */
  python?: string | null;
  /** Runs python for the regex and import checks; defaults to a real child process. */
  exec?: Exec;
}

export interface ValidationResult {
  valid: boolean;
  file: string;
  /** Present when `valid`. */
  spec?: DockSpec;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /**
   * Files (as diagnostics name them) whose lines a report may quote: those that parsed as YAML.
   * A file that did not (a `.env`, an INI file, a binary) may hold credentials and is never quoted.
   */
  quotable?: string[];
}
