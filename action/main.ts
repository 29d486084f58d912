/**
 * The GitHub Action's front door: reads inputs once, then hands a typed context to the mode
 * (`action/modes/<command>.ts`). The only module besides inputs.ts and the Actions adapter that
 * touches the runner's environment.
 */
import * as core from '@actions/core';
import { actionsIO, actionsLogger } from './adapters/actions-logger.ts';
import { nodeExec } from './adapters/exec.ts';
import { createOctokit, type GitHubClient } from './adapters/octokit.ts';
import { isEntryPoint } from './entry-point.ts';
import { DockrionError, describeError } from './errors.ts';
import { getInputs, readRunContext, requireDeployInputs, resolveCommand } from './inputs.ts';
import type { ModeContext, ModeRunner } from './modes/context.ts';
import { maskSecretValue } from './secrets/mask.ts';

/**
 * Modes load lazily by name. The template literal lets esbuild bundle every `modes/*.ts` that
 * exists while tsc does not require one: `modes/deploy.ts` (gitops) exports `run: ModeRunner`.
 */
async function loadMode(command: string): Promise<ModeRunner> {
  let module: { run?: ModeRunner };
  try {
    module = (await import(`./modes/${command}.ts`)) as { run?: ModeRunner };
  } catch (e: unknown) {
    throw new DockrionError(`the ${command} mode is not available in this build: ${describeError(e)}`, {
      code: 'usage',
      exitCode: 1,
    });
  }
  if (typeof module.run !== 'function') {
    throw new DockrionError(`action/modes/${command}.ts does not export run()`, { code: 'usage' });
  }
  return module.run;
}

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

    let client: GitHubClient | undefined;
    const ctx: ModeContext = {
      inputs,
      run: runContext,
      env: process.env,
      logger,
      io: actionsIO(),
      exec: nodeExec(),
      github: () => {
        // Failed requests are handled (and explained) by the modes; Octokit's own lines are debug.
        const debug = (message: string) => logger.debug(message);
        client ??= createOctokit({
          token: inputs.githubToken,
          baseUrl: inputs.githubApiUrl,
          log: { debug, info: debug, warn: debug, error: debug },
        });
        return client;
      },
    };
    const mode = await loadMode(command);
    const outcome = await mode(ctx);
    if (outcome.ok) return 0;
    core.error(outcome.failure ?? `${command} failed`);
    return 1;
  } catch (e: unknown) {
    core.error(describeError(e));
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
