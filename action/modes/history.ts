import {
  type AgentDeployment,
  type Deployment,
  type EnvironmentHistoryReport,
  type HistoryReport,
  readEnvironmentHistory,
  readHistory,
  shortDigest,
} from '../gitops/index.ts';
import { failureLine } from '../report/failure.ts';
import { fitRowsWithNote, summaryBudget, type TextBudget } from '../report/limits.ts';
import { codeBlock, codeSpan } from '../report/markdown-escape.ts';
import type { ModeContext, ModeOutcome } from './context.ts';
import { agentName, environmentsTarget, gitOpsContext } from './environments.ts';

const code = (text: string | null | undefined) => (text ? codeSpan(text, { table: true }) : '–');

function row(e: Deployment | AgentDeployment): string {
  const agent = 'agent' in e ? `| ${code(e.agent)} ` : '';
  const source =
    e.source?.repository && e.source.commit
      ? `${codeSpan(e.source.repository, { table: true })}@${code(e.source.commit.slice(0, 7))}`
      : code(e.source?.repository);
  const undoes = e.undoes ? ` (undoes ${code(e.undoes.slice(0, 12))})` : '';
  return `${agent}| ${code(e.commit.slice(0, 12))} | ${codeSpan(e.date, { table: true })} | ${e.kind}${undoes} | ${e.unreadable ? '(unreadable `dockrion.json`)' : code(e.version)} | ${e.digest ? code(shortDigest(e.digest)) : '–'} | ${source} |`;
}

/**
 * The history as a job-summary table, newest first. Past the summary's size limit the oldest rows
 * are left out, and the table says how many and that `history-json` has them all.
 */
export function historyMarkdown(report: HistoryReport, budget: TextBudget): string {
  const title = `### dockrion history: ${code(report.agent)} in ${code(report.environment)}\n\n`;
  if (report.deployments.length === 0) {
    return `${title}No deployments of ${code(report.agent)} in ${code(report.environment)} yet.\n`;
  }
  const head = `${title}| commit | date | kind | version | digest | source |\n|---|---|---|---|---|---|\n`;
  const rows = report.deployments.map(row);
  const note = (omitted: number) =>
    `\n\n_${omitted} older ${omitted === 1 ? 'entry is' : 'entries are'} not shown here; the \`history-json\` output has all ${rows.length}._\n`;
  return fitRowsWithNote(head, rows, note, budget);
}

/** The latest deployment of every agent in the environment (`agent: '*'`), as a summary table. */
export function environmentHistoryMarkdown(report: EnvironmentHistoryReport, budget: TextBudget): string {
  const title = `### dockrion history: every agent in ${code(report.environment)}\n\n`;
  if (report.deployments.length === 0) return `${title}No deployments in ${code(report.environment)} yet.\n`;
  const head = `${title}| agent | commit | date | kind | version | digest | source |\n|---|---|---|---|---|---|---|\n`;
  const rows = report.deployments.map(row);
  const note = (omitted: number) =>
    `\n\n_${omitted} more ${omitted === 1 ? 'agent is' : 'agents are'} not shown here; the \`history-json\` output has all ${rows.length}._\n`;
  return fitRowsWithNote(head, rows, note, budget);
}

/** `agent: '*'`: the whole environment, one row per agent deployed there now. */
async function runEnvironment(ctx: ModeContext, environment: string): Promise<ModeOutcome> {
  const target = environmentsTarget(ctx);
  try {
    const report = await readEnvironmentHistory({ target, environment, all: false }, gitOpsContext(ctx));
    ctx.io.setOutput('history-json', JSON.stringify(report));
    await ctx.io.appendSummary(environmentHistoryMarkdown(report, summaryBudget()));
    ctx.logger.info(`${report.deployments.length} agent(s) deployed in ${environment}`);
    return { ok: true };
  } catch (e: unknown) {
    const line = failureLine(e);
    await ctx.io.appendSummary(
      `### dockrion history of ${codeSpan(environment)} failed\n\n${codeBlock(line)}\n`,
    );
    return { ok: false, failure: line };
  }
}

/**
 * History on any event: the same library call as `dockrion history`, as a job-summary table and
 * the `history-json` output (the `dockrion history --format json` document). `agent: '*'` lists
 * the latest deployment of every agent (`dockrion history --env E` without `--agent`).
 */
export async function run(ctx: ModeContext): Promise<ModeOutcome> {
  const environment = ctx.inputs.environment ?? '';
  if (ctx.inputs.agent === '*') return runEnvironment(ctx, environment);
  const agent = await agentName(ctx);
  const target = environmentsTarget(ctx);
  try {
    const deployments = await readHistory({ target, environment, agent }, gitOpsContext(ctx));
    const report: HistoryReport = { environment, agent, deployments };
    ctx.io.setOutput('history-json', JSON.stringify(report));
    await ctx.io.appendSummary(historyMarkdown(report, summaryBudget()));
    ctx.logger.info(`${deployments.length} deployment(s) of ${agent} in ${environment}`);
    return { ok: true };
  } catch (e: unknown) {
    const line = failureLine(e);
    await ctx.io.appendSummary(
      `### dockrion history of ${codeSpan(agent)} in ${codeSpan(environment)} failed\n\n${codeBlock(line)}\n`,
    );
    return { ok: false, failure: line };
  }
}
