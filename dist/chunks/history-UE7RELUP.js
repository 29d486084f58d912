import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  TARGET_HELP,
  TARGET_OPTIONS,
  formatOf,
  gitOpsContextOf,
  requireString,
  targetFrom
} from "./chunk-BL6OLKQO.js";
import {
  parseCommandArgs
} from "./chunk-2BT7NKZI.js";
import {
  readHistory
} from "./chunk-UQBQVNV2.js";
import {
  shortDigest
} from "./chunk-AQKILHER.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-NMO7QV5W.js";
import "./chunk-7M5QDU2Z.js";
import "./chunk-BA5ZBKVE.js";
import "./chunk-LEVTJ2NN.js";
import "./chunk-TC6B22LF.js";

// action/commands/history.ts
var historyUsage = `usage: dockrion history --environments-repo R --env ENV --agent NAME [options]

Lists the deployments of one agent in one environment from the base branch's git log, newest
first: deploys, rollbacks, and plain \`git revert\`s of deploy commits.

options:
  --env ENV                  the environment folder (required)
  --agent NAME               the agent folder (required)
${TARGET_HELP}
`;
function table(entries) {
  const rows = entries.map((e) => [
    e.commit.slice(0, 12),
    e.date,
    e.kind,
    e.unreadable ? "(unreadable dockrion.json)" : e.version ?? "-",
    e.digest ? shortDigest(e.digest) : "-",
    e.source?.repository && e.source.commit ? `${e.source.repository}@${e.source.commit.slice(0, 7)}` : e.source?.repository ?? "-"
  ]);
  const header = ["COMMIT", "DATE", "KIND", "VERSION", "DIGEST", "SOURCE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows].map(
    (r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  ).join("\n");
}
async function run(argv, ctx) {
  const { values } = parseCommandArgs("history", argv, {
    ...TARGET_OPTIONS,
    env: { type: "string" },
    agent: { type: "string" }
  });
  if (values.help) {
    ctx.stdout(historyUsage);
    return 0;
  }
  const format = formatOf(values.format);
  const environment = requireString("history", values.env, "--env");
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
