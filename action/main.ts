/**
 * The GitHub Action's front door: reads inputs once, then hands a typed context to the mode
 * (`action/modes/<command>.ts`, listed in MODES). The only module besides inputs.ts and the
 * Actions adapter that touches the runner's environment, and the only one that fails the step.
 */
import * as core from '@actions/core';
import { DockrionError } from '../shared/errors.ts';
import { actionsIO, actionsLogger } from './adapters/actions-logger.ts';
import { nodeExec } from './adapters/exec.ts';
import { createOctokit, type GitHubClient } from './adapters/octokit.ts';
import { isEntryPoint } from './entry-point.ts';
import {
  getInputs,
  type RunCommand,
  readRunContext,
  requireDeployInputs,
  requireEnvironmentsInputs,
  resolveCommand,
} from './inputs.ts';
import type { ModeContext, ModeRunner } from './modes/context.ts';
import { failureLine } from './report/failure.ts';
import { maskSecretValue } from './secrets/mask.ts';

/**
 * Every mode, by command. Each loads on first use (the bundle splits them into chunks), so a
 * validate run never loads the deploy pipeline.
 */
const MODES: Record<RunCommand, () => Promise<ModeRunner>> = {
  validate: async () => (await import('./modes/validate.ts')).run,
  deploy: async () => (await import('./modes/deploy.ts')).run,
  rollback: async () => (await import('./modes/rollback.ts')).run,
  history: async () => (await import('./modes/history.ts')).run,
};

/** Runs the Action; resolves to the process exit code (never throws, never prints a stack). */
export async function run(): Promise<number> {
  const logger = actionsLogger();
  try {
    const inputs = getInputs(process.env);
    for (const value of new Set([
      inputs.githubToken,
      inputs.environmentsToken ?? '',
      inputs.registryPassword,
    ])) {
      if (value) logger.setSecret(value);
    }
    for (const [name, value] of Object.entries(inputs.secrets))
      maskSecretValue(logger, value, `secret ${name}`);

    const runContext = readRunContext(process.env);
    const command = resolveCommand(inputs.command, runContext.eventName);
    if (command === 'deploy') requireDeployInputs(inputs);
    if (command === 'rollback' || command === 'history') requireEnvironmentsInputs(inputs, command);

    let client: GitHubClient | undefined;
    const ctx: ModeContext = {
      inputs,
      run: runContext,
      env: process.env,
      logger,
      io: actionsIO(),
      exec: nodeExec(),
      github: () => {
        client ??= createOctokit({ token: inputs.githubToken, baseUrl: inputs.githubApiUrl, logger });
        return client;
      },
    };
    const mode = await MODES[command]();
    const outcome = await mode(ctx);
    if (outcome.ok) return 0;
    // setFailed (not only the exit code): runners and @github/local-action read the step's result from it.
    core.setFailed(outcome.failure ?? `${command} failed`);
    return 1;
  } catch (e: unknown) {
    core.setFailed(failureLine(e));
    if (process.env.RUNNER_DEBUG === '1' && e instanceof Error && e.stack) core.debug(e.stack);
    return e instanceof DockrionError ? Math.max(1, e.exitCode) : 1;
  }
}

// Runs when this file is the process's entry (dist/main.js on the runner), not when imported.
if (isEntryPoint(import.meta.url)) {
  run().then((code) => {
    process.exitCode = code;
  });
}
