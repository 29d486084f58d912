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
  rollbackEnvironment,
  rollbackReport
} from "./chunk-OXDUWI3C.js";
import "./chunk-7TIOAEZ4.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-FZB2N3GG.js";
import "./chunk-S62WSDRY.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import "./chunk-6HIQH4YF.js";
import "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/rollback.ts
var rollbackUsage = `usage: dockrion rollback --environments-repo R --env ENV --agent NAME --to VERSION|COMMIT [options]

Restores what an earlier deploy put in <env>/<agent>/ in a new commit
("rollback(<agent>): <env> <from> \u2192 <to>", trailer Dockrion-Rollback-Of), through a deployment
PR on dockrion/<env>/<agent>, or straight on the base branch with --direct. The restored tree is
exactly the target deploy's. Deploying the rolled-back digest again afterwards needs --force.

options:
  --env ENV                  the environment folder (required)
  --agent NAME               the agent folder (required)
  --to VERSION|COMMIT        a version or commit from 'dockrion history' (required)
  --direct                   commit to the base branch instead of opening a PR
  --draft                    open the PR as a draft
  --reviewer LOGIN           request a review (repeatable; org/team for teams)
  --auto-merge               enable GitHub auto-merge on the PR
${TARGET_HELP}
`;
async function run(argv, ctx) {
  const { values } = parseCommandArgs("rollback", argv, {
    ...TARGET_OPTIONS,
    env: { type: "string" },
    agent: { type: "string" },
    to: { type: "string" },
    direct: { type: "boolean" },
    draft: { type: "boolean" },
    reviewer: { type: "string", multiple: true },
    "auto-merge": { type: "boolean" }
  });
  if (values.help) {
    ctx.stdout(rollbackUsage);
    return 0;
  }
  const format = formatOf(values.format);
  const environment = requireString("rollback", values.env, "--env");
  const agent = requireString("rollback", values.agent, "--agent");
  const to = requireString("rollback", values.to, "--to");
  const target = targetFrom("rollback", values, ctx);
  const started = Date.now();
  const out = await rollbackEnvironment(
    {
      target,
      environment,
      agent,
      to,
      direct: values.direct ?? false,
      pullRequest: { draft: values.draft, reviewers: values.reviewer, autoMerge: values["auto-merge"] }
    },
    gitOpsContextOf(ctx)
  );
  const result = { ...rollbackReport(out), duration_ms: Date.now() - started };
  if (format === "json") ctx.stdout(`${JSON.stringify(result, null, 2)}
`);
  else {
    const where = out.pullRequest ? `PR ${out.pullRequest.url}` : out.branch;
    ctx.stdout(
      out.operation === "unchanged" ? `${environment}/${agent} already holds ${out.to.version}; nothing to roll back
` : `rollback ${environment}/${agent} ${out.from?.version ?? "none"} \u2192 ${out.to.version}: ${out.operation} (${where}, ${out.commit?.slice(0, 12)})
`
    );
  }
  return 0;
}
export {
  rollbackUsage,
  run
};
