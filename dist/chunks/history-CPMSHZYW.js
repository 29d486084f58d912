import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  agentName,
  environmentsTarget,
  gitOpsContext
} from "./chunk-GHWADMPP.js";
import {
  readEnvironmentHistory,
  readHistory
} from "./chunk-OXDUWI3C.js";
import {
  shortDigest
} from "./chunk-7TIOAEZ4.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-V2TZJOJW.js";
import "./chunk-3ANLHX4D.js";
import "./chunk-FZB2N3GG.js";
import {
  codeBlock,
  codeSpan,
  fitRowsWithNote,
  summaryBudget
} from "./chunk-S62WSDRY.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import {
  failureLine
} from "./chunk-Z76OGNZQ.js";
import "./chunk-6HIQH4YF.js";
import "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/modes/history.ts
var code = (text) => text ? codeSpan(text, { table: true }) : "\u2013";
function row(e) {
  const agent = "agent" in e ? `| ${code(e.agent)} ` : "";
  const source = e.source?.repository && e.source.commit ? `${codeSpan(e.source.repository, { table: true })}@${code(e.source.commit.slice(0, 7))}` : code(e.source?.repository);
  const undoes = e.undoes ? ` (undoes ${code(e.undoes.slice(0, 12))})` : "";
  return `${agent}| ${code(e.commit.slice(0, 12))} | ${codeSpan(e.date, { table: true })} | ${e.kind}${undoes} | ${e.unreadable ? "(unreadable `dockrion.json`)" : code(e.version)} | ${e.digest ? code(shortDigest(e.digest)) : "\u2013"} | ${source} |`;
}
function historyMarkdown(report, budget) {
  const title = `### dockrion history: ${code(report.agent)} in ${code(report.environment)}

`;
  if (report.deployments.length === 0) {
    return `${title}No deployments of ${code(report.agent)} in ${code(report.environment)} yet.
`;
  }
  const head = `${title}| commit | date | kind | version | digest | source |
|---|---|---|---|---|---|
`;
  const rows = report.deployments.map(row);
  const note = (omitted) => `

_${omitted} older ${omitted === 1 ? "entry is" : "entries are"} not shown here; the \`history-json\` output has all ${rows.length}._
`;
  return fitRowsWithNote(head, rows, note, budget);
}
function environmentHistoryMarkdown(report, budget) {
  const title = `### dockrion history: every agent in ${code(report.environment)}

`;
  if (report.deployments.length === 0) return `${title}No deployments in ${code(report.environment)} yet.
`;
  const head = `${title}| agent | commit | date | kind | version | digest | source |
|---|---|---|---|---|---|---|
`;
  const rows = report.deployments.map(row);
  const note = (omitted) => `

_${omitted} more ${omitted === 1 ? "agent is" : "agents are"} not shown here; the \`history-json\` output has all ${rows.length}._
`;
  return fitRowsWithNote(head, rows, note, budget);
}
async function runEnvironment(ctx, environment) {
  const target = environmentsTarget(ctx);
  try {
    const report = await readEnvironmentHistory({ target, environment, all: false }, gitOpsContext(ctx));
    ctx.io.setOutput("history-json", JSON.stringify(report));
    await ctx.io.appendSummary(environmentHistoryMarkdown(report, summaryBudget()));
    ctx.logger.info(`${report.deployments.length} agent(s) deployed in ${environment}`);
    return { ok: true };
  } catch (e) {
    const line = failureLine(e);
    await ctx.io.appendSummary(
      `### dockrion history of ${codeSpan(environment)} failed

${codeBlock(line)}
`
    );
    return { ok: false, failure: line };
  }
}
async function run(ctx) {
  const environment = ctx.inputs.environment ?? "";
  if (ctx.inputs.agent === "*") return runEnvironment(ctx, environment);
  const agent = await agentName(ctx);
  const target = environmentsTarget(ctx);
  try {
    const deployments = await readHistory({ target, environment, agent }, gitOpsContext(ctx));
    const report = { environment, agent, deployments };
    ctx.io.setOutput("history-json", JSON.stringify(report));
    await ctx.io.appendSummary(historyMarkdown(report, summaryBudget()));
    ctx.logger.info(`${deployments.length} deployment(s) of ${agent} in ${environment}`);
    return { ok: true };
  } catch (e) {
    const line = failureLine(e);
    await ctx.io.appendSummary(
      `### dockrion history of ${codeSpan(agent)} in ${codeSpan(environment)} failed

${codeBlock(line)}
`
    );
    return { ok: false, failure: line };
  }
}
export {
  environmentHistoryMarkdown,
  historyMarkdown,
  run
};
