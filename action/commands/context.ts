import type { Exec } from '../adapters/exec.ts';
import type { Logger } from '../adapters/logger.ts';

/** What a CLI command may touch. Tests build one with captured stdout/stderr. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Results only (`--format json` documents, tables). */
  stdout: (text: string) => void;
  /** Progress, warnings, errors. */
  stderr: (text: string) => void;
  logger: Logger;
  exec: Exec;
}

export type CommandRunner = (argv: string[], ctx: CliContext) => Promise<number>;
