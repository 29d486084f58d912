import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../../shared/errors.ts';
import { parseDockfileInput } from '../agents/index.ts';
import { type EnvironmentsTarget, type GitOpsContext, TOKEN_HINT } from '../gitops/index.ts';
import { resolveTarget } from '../gitops/target.ts';
import type { ModeContext } from './context.ts';

/**
 * The environments repo the Action's inputs name, as every gitops mode (deploy, rollback,
 * history) reaches it: `${GITHUB_SERVER_URL}/<environments-repo>.git`, written with
 * `environments-token` (else `github-token`), PRs through the REST API at `github-api-url`.
 */
export function environmentsTarget(ctx: ModeContext): EnvironmentsTarget {
  const { inputs, run } = ctx;
  const environmentsRepo = inputs.environmentsRepo ?? run.repository;
  const token = inputs.environmentsToken ?? inputs.githubToken;
  if (!inputs.environmentsToken && environmentsRepo !== run.repository) {
    ctx.logger.warn(
      `environments-token is not set, so ${environmentsRepo} is written with github-token; ${TOKEN_HINT}`,
    );
  }
  // The same resolution as the CLI's --environments-repo; the full URL keeps a same-named folder
  // in the workspace from being taken for the repository.
  return resolveTarget({
    repo: `${run.serverUrl}/${environmentsRepo}.git`,
    githubRepo: environmentsRepo,
    token,
    base: inputs.environmentsBase,
    apiUrl: inputs.githubApiUrl,
    serverUrl: run.serverUrl,
    cwd: run.workspace,
    logger: ctx.logger,
  });
}

/**
 * The `agent` input, else `agent.name` of the Dockfile. Only that one field is read, without
 * validating the rest: a rollback must still work while the Dockfile on the branch is broken.
 */
export async function agentName(ctx: ModeContext): Promise<string> {
  if (ctx.inputs.agent) return ctx.inputs.agent;
  const selection = parseDockfileInput(ctx.inputs.dockfile);
  if (selection.kind === 'many') {
    throw new UsageError(
      "input 'agent' is not set and 'dockfile' names several Dockfiles",
      'set agent: <agent.name>, e.g. agent: invoice-copilot',
    );
  }
  const dockfile = selection.path;
  const missing = (why: string) =>
    new UsageError(
      `input 'agent' is not set and ${why}`,
      'set agent: <agent.name>, e.g. agent: invoice-copilot',
    );
  let text: string;
  try {
    text = await readFile(resolve(ctx.run.workspace, dockfile), 'utf8');
  } catch {
    throw missing(`${dockfile} does not exist (check out the repository first)`);
  }
  let name: unknown;
  try {
    name = (parse(text, { maxAliasCount: 100 }) as { agent?: { name?: unknown } } | null)?.agent?.name;
  } catch {
    throw missing(`${dockfile} is not valid YAML`);
  }
  if (typeof name !== 'string' || name.trim() === '') throw missing(`${dockfile} has no agent.name`);
  ctx.logger.info(`agent ${name.trim()} (agent.name in ${dockfile})`);
  return name.trim();
}

/** How gitops operations run inside the Action: the mode's exec and logger, commits dated now. */
export function gitOpsContext(ctx: ModeContext): GitOpsContext {
  return { exec: ctx.exec, logger: ctx.logger, now: () => Date.now(), baseEnv: ctx.env as NodeJS.ProcessEnv };
}
