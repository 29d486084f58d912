import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  summaryTable
} from "./chunk-WKSSTWJS.js";
import {
  agentName,
  environmentsTarget,
  gitOpsContext
} from "./chunk-GHWADMPP.js";
import {
  rollbackEnvironment
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
  linkDestination
} from "./chunk-S62WSDRY.js";
import {
  redactUrl
} from "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import {
  failureLine
} from "./chunk-Z76OGNZQ.js";
import "./chunk-6HIQH4YF.js";
import "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/modes/rollback.ts
var code = (text) => text ? codeSpan(text, { table: true }) : "\u2013";
function summaryMarkdown(out, agent, environment, repo) {
  const from = out.from ? `${code(out.from.version)} (${code(out.from.commit.slice(0, 12))})` : "\u2013";
  const rows = [
    ["Operation", code(out.operation)],
    ["From", from],
    ["To", `${code(out.to.version)} (restores ${code(out.to.commit.slice(0, 12))})`],
    ["Image", code(out.to.image)],
    ["Digest", out.to.digest ? code(shortDigest(out.to.digest)) : "\u2013"],
    ["Environments repo", code(repo)],
    ["Commit", out.commit ? `${code(out.commit.slice(0, 12))} on ${code(out.branch)}` : "\u2013"],
    [
      "Pull request",
      out.pullRequest ? `[#${out.pullRequest.number}](${linkDestination(out.pullRequest.url)})` : "\u2013"
    ]
  ];
  return summaryTable(`### dockrion rollback: ${codeSpan(agent)} in ${codeSpan(environment)}`, rows);
}
async function run(ctx) {
  const { inputs } = ctx;
  const environment = inputs.environment ?? "";
  const to = inputs.to ?? "";
  const agent = await agentName(ctx);
  const target = environmentsTarget(ctx);
  try {
    const out = await rollbackEnvironment(
      {
        target,
        environment,
        agent,
        to,
        direct: inputs.direct,
        pullRequest: { draft: inputs.draft, reviewers: inputs.reviewers, autoMerge: inputs.autoMerge }
      },
      gitOpsContext(ctx)
    );
    ctx.io.setOutput("operation", out.operation);
    ctx.io.setOutput("commit", out.commit ?? "");
    ctx.io.setOutput("version", out.to.version ?? "");
    ctx.io.setOutput("image", out.to.image ?? "");
    ctx.io.setOutput("digest", out.to.digest ?? "");
    ctx.io.setOutput("pr-url", out.pullRequest?.url ?? "");
    ctx.io.setOutput("pr-number", out.pullRequest ? String(out.pullRequest.number) : "");
    await ctx.io.appendSummary(summaryMarkdown(out, agent, environment, redactUrl(target.url)));
    ctx.logger.info(
      out.operation === "unchanged" ? `${environment}/${agent} already holds ${out.to.version}; nothing to roll back` : `rollback ${environment}/${agent} ${out.from?.version ?? "none"} \u2192 ${out.to.version}: ${out.operation}`
    );
    return { ok: true };
  } catch (e) {
    const line = failureLine(e);
    await ctx.io.appendSummary(
      `### dockrion rollback of ${codeSpan(agent)} in ${codeSpan(environment)} failed

${codeBlock(line)}
`
    );
    return { ok: false, failure: line };
  }
}
export {
  run
};
