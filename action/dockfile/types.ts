import type { DockrionDockfileV1 } from '../../schemas/dockfile.v1.ts';
import type { Exec } from '../adapters/exec.ts';

export type {
  Agent,
  Auth,
  Build,
  Deploy,
  Environment,
  Expose,
  Ingress,
  IoSchema,
  Policies,
  Resources,
  SecretDecl,
  SecretProfile,
  Secrets,
} from '../../schemas/dockfile.v1.ts';

/** The document as written (after includes and interpolation), shaped by the JSON Schema. */
export type Dockfile = DockrionDockfileV1;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A Dockfile that passed validation; frozen so no stage can change what another one sees. */
export type DockSpec = DeepReadonly<Dockfile>;

export type Severity = 'error' | 'warning';

/** One problem, in the shape `--format json` prints (DESIGN §3). */
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
  /** Warnings become errors. */
  strict?: boolean;
  /** Python used to compile redact_patterns; `null` disables it (best-effort JS check). */
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
