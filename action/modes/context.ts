import type { ActionsIO } from '../adapters/actions-logger.ts';
import type { Exec } from '../adapters/exec.ts';
import type { Logger } from '../adapters/logger.ts';
import type { GitHubClient } from '../adapters/octokit.ts';
import type { ActionInputs, RunContext } from '../inputs.ts';

/**
 * What action/main.ts hands a mode. Each mode is `action/modes/<command>.ts` exporting
 * `run: ModeRunner`; a new mode is one more line in main.ts's MODES table and one more command
 * in inputs.ts RUN_COMMANDS.
 */
export interface ModeContext {
  inputs: ActionInputs;
  run: RunContext;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  io: ActionsIO;
  exec: Exec;
  /** An Octokit for inputs.githubToken against inputs.githubApiUrl. */
  github: () => GitHubClient;
}

export interface ModeOutcome {
  ok: boolean;
  /** The step's failure, one line (`core.setFailed`): where, error code, problem, fix. */
  failure?: string;
}

export type ModeRunner = (ctx: ModeContext) => Promise<ModeOutcome>;
