import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  TARGET_HELP,
  TARGET_OPTIONS,
  formatOf,
  gitOpsContextOf,
  requireString,
  targetFrom
} from "./chunk-PF4O7LNR.js";
import {
  parseCommandArgs
} from "./chunk-L6BWES6E.js";
import {
  readEnvironmentHistory,
  readHistory
} from "./chunk-OXDUWI3C.js";
import {
  shortDigest
} from "./chunk-7TIOAEZ4.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-FZB2N3GG.js";
import "./chunk-S62WSDRY.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import "./chunk-6HIQH4YF.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/history.ts
var historyUsage = `usage: dockrion history --environments-repo R --env ENV [--agent NAME | --all] [options]

Lists deployments from the base branch's git log: deploys, rollbacks, and plain \`git revert\`s
of deploy commits. With --agent, that agent's deployments in the environment, newest first.
Without it, the latest deployment of every agent deployed there now, by agent name; with --all,
every deployment of every agent, newest first (one pass over the log either way).

options:
  --env ENV                  the environment folder (required)
  --agent NAME               one agent folder
  --all                      every deployment of every agent (not with --agent)
${TARGET_HELP}
`;
function table(entries) {
  const withAgent = entries.some((e) => "agent" in e);
  const rows = entries.map((e) => [
    ...withAgent ? ["agent" in e ? e.agent : "-"] : [],
    e.commit.slice(0, 12),
    e.date,
    e.kind,
    e.unreadable ? "(unreadable dockrion.json)" : e.version ?? "-",
    e.digest ? shortDigest(e.digest) : "-",
    e.source?.repository && e.source.commit ? `${e.source.repository}@${e.source.commit.slice(0, 7)}` : e.source?.repository ?? "-"
  ]);
  const header = [...withAgent ? ["AGENT"] : [], "COMMIT", "DATE", "KIND", "VERSION", "DIGEST", "SOURCE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows].map(
    (r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  ).join("\n");
}
async function run(argv, ctx) {
  const { values } = parseCommandArgs("history", argv, {
    ...TARGET_OPTIONS,
    env: { type: "string" },
    agent: { type: "string" },
    all: { type: "boolean" }
  });
  if (values.help) {
    ctx.stdout(historyUsage);
    return 0;
  }
  const format = formatOf(values.format);
  const environment = requireString("history", values.env, "--env");
  if (values.agent === void 0) {
    const target2 = targetFrom("history", values, ctx);
    const all = values.all ?? false;
    const report = await readEnvironmentHistory({ target: target2, environment, all }, gitOpsContextOf(ctx));
    if (format === "json") ctx.stdout(`${JSON.stringify(report, null, 2)}
`);
    else if (report.deployments.length === 0) ctx.stderr(`no deployments in ${environment}
`);
    else ctx.stdout(`${table(report.deployments)}
`);
    return 0;
  }
  if (values.all) {
    throw new UsageError(
      "--all lists every agent, so it does not go with --agent",
      "drop --agent to list the whole environment, or --all to list one agent"
    );
  }
  const agent = requireString("history", values.agent, "--agent");
  const target = targetFrom("history", values, ctx);
  const entries = await readHistory({ target, environment, agent }, gitOpsContextOf(ctx));
  if (format === "json") {
    const report = { environment, agent, deployments: entries };
    ctx.stdout(`${JSON.stringify(report, null, 2)}
`);
  } else if (entries.length === 0) {
    ctx.stderr(`no deployments of ${agent} in ${environment}
`);
  } else {
    ctx.stdout(`${table(entries)}
`);
  }
  return 0;
}
export {
  historyUsage,
  run
};
