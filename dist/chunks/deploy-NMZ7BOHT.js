import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  contractChangesResult,
  prepareDeploy,
  runDeployPipeline
} from "./chunk-64UEXQEB.js";
import {
  githubOidcTokenFetcher
} from "./chunk-ROGAJDNL.js";
import "./chunk-ZONKLWJV.js";
import "./chunk-P25WTLRW.js";
import {
  Docker
} from "./chunk-PPMIE3MS.js";
import "./chunk-ZKWIVB52.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-TOWHEZ4A.js";
import "./chunk-C77GWBV5.js";
import {
  prefixedLogger
} from "./chunk-265EZI3G.js";
import {
  selectAgents
} from "./chunk-4O4R2DA6.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import {
  summaryTable
} from "./chunk-WKSSTWJS.js";
import {
  environmentsTarget,
  gitOpsContext
} from "./chunk-GHWADMPP.js";
import {
  deployEnvironmentGroup
} from "./chunk-OXDUWI3C.js";
import {
  shortDigest
} from "./chunk-7TIOAEZ4.js";
import "./chunk-2IDWO3FM.js";
import {
  mapLimit,
  parallelLimit,
  parseDockfileInput
} from "./chunk-V2TZJOJW.js";
import "./chunk-3ANLHX4D.js";
import "./chunk-FZB2N3GG.js";
import {
  codeBlock,
  codeSpan,
  contractDiffMarkdown,
  fitLines,
  isEmptyDiff,
  linkDestination,
  summaryBudget,
  utf8Bytes
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
import {
  UsageError,
  describeError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/modes/deploy.ts
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
function summaryMarkdown(result, environmentsRepo) {
  const cell = (text) => codeSpan(text, { table: true });
  const rows = [
    ["Operation", cell(result.operation)],
    ["Agent", cell(result.agent)],
    ["Environment", cell(result.environment)],
    ["Version", cell(result.version)],
    ["Image", cell(result.image)],
    ["Digest", cell(shortDigest(result.digest))],
    ["Built", result.built ? "yes" : "no (promoted)"],
    ["Environments repo", cell(environmentsRepo)],
    ["Commit", result.commit ? `${cell(result.commit.slice(0, 12))} on ${cell(result.branch)}` : "\u2013"],
    ["Pull request", result.pr_url ? `[#${result.pr_number}](${linkDestination(result.pr_url)})` : "\u2013"],
    ["Contract changes", result.contract_changes ? cell(result.contract_changes.summary) : "\u2013"]
  ];
  const stages = Object.entries(result.timings).map(([stage, ms]) => `${stage} ${(ms / 1e3).toFixed(1)} s`).join(" \xB7 ");
  const head = summaryTable(
    `### dockrion deploy: ${codeSpan(result.agent)} \u2192 ${codeSpan(result.environment)}`,
    rows
  );
  const changes = result.contract_changes?.changes;
  const section = changes && !isEmptyDiff(changes) ? `
${contractDiffMarkdown(changes, { budget: { max: 2e4, measure: utf8Bytes }, headingLevel: 4 })}` : "";
  const tail = `${section}
<sub>${stages}</sub>
`;
  if (result.changed_files.length === 0) return `${head}${tail}`;
  const budget = summaryBudget();
  const more = (n) => `- \u2026 and ${n} more (the commit in the environments repo has them all)
`;
  const room = budget.max - budget.measure(head + tail) - budget.measure(`Changed files:


${more(result.changed_files.length)}`);
  const fitted = fitLines(
    result.changed_files.map((f) => `- ${codeSpan(f)}`),
    room,
    budget
  );
  const list = `${fitted.lines.join("\n")}
${fitted.omitted > 0 ? more(fitted.omitted) : ""}`;
  return `${head}
Changed files:

${list}${tail}`;
}
async function run(ctx) {
  const selection = parseDockfileInput(ctx.inputs.dockfile);
  return selection.kind === "single" ? deploySingle(ctx, selection.path) : deployMany(ctx, selection.patterns);
}
async function deploySingle(ctx, dockfile) {
  if (ctx.inputs.pullRequest === "per-environment") {
    throw new UsageError(
      "input 'pull-request: per-environment' groups several agents, but 'dockfile' names one",
      "name the agents' Dockfiles with a glob or a list, e.g. dockfile: agents/*/Dockfile.yaml"
    );
  }
  const { runContext, environment, target } = {
    runContext: ctx.run,
    environment: ctx.inputs.environment ?? "",
    target: environmentsTarget(ctx)
  };
  try {
    const result = await runDeployPipeline(
      pipelineInput(ctx, dockfile, target),
      pipelineDeps(ctx, ctx.logger)
    );
    ctx.io.setOutput("image", result.image);
    ctx.io.setOutput("digest", result.digest);
    ctx.io.setOutput("version", result.version);
    ctx.io.setOutput("operation", result.operation);
    ctx.io.setOutput("pr-url", result.pr_url ?? "");
    ctx.io.setOutput("pr-number", result.pr_number === null ? "" : String(result.pr_number));
    ctx.io.setOutput("commit", result.commit ?? "");
    await ctx.io.appendSummary(summaryMarkdown(result, redactUrl(target.url)));
    return { ok: true };
  } catch (e) {
    const message = describeError(e);
    await ctx.io.appendSummary(
      `### dockrion deploy to ${codeSpan(environment)} failed

${codeBlock(message)}
`
    );
    return { ok: false, failure: deployFailureLine(e, dockfile, runContext.workspace) };
  }
}
function deployFailureLine(e, dockfile, workspace) {
  const workspaceRelative = (file) => {
    const rel = relative(workspace, file);
    return rel.startsWith("..") || isAbsolute(rel) ? file : rel.split(sep).join("/");
  };
  return failureLine(e, { file: dockfile, relative: workspaceRelative, where: "the job summary" });
}
async function deployMany(ctx, patterns) {
  const { inputs, run: runContext } = ctx;
  if (inputs.image) {
    throw new UsageError(
      "input 'image' promotes one agent's existing image, but 'dockfile' names several Dockfiles",
      "name that agent's Dockfile alone in 'dockfile' (a matrix job per agent promotes each one)"
    );
  }
  if (inputs.pullRequest === "per-environment" && inputs.direct) {
    throw new UsageError(
      "input 'pull-request: per-environment' groups agents into one PR, but 'direct: true' opens none",
      "drop one of the two: direct commits each agent to the base branch"
    );
  }
  const environment = inputs.environment ?? "";
  const workspace = runContext.workspace;
  const selected = await selectAgents(ctx, patterns, "deploying");
  const target = environmentsTarget(ctx);
  const limit = parallelLimit();
  if (selected.changed.length > 1) {
    ctx.logger.info(`deploying ${selected.changed.length} agents, at most ${limit} at a time`);
  }
  const agentDeps = (agent) => pipelineDeps(ctx, prefixedLogger(ctx.logger, agent.name ?? agent.dockfile));
  const deployed = [];
  const failed = [];
  if (inputs.pullRequest === "per-environment") {
    const settled = await mapLimit(
      selected.changed,
      limit,
      (agent) => prepareDeploy(pipelineInput(ctx, agent.dockfile, target), agentDeps(agent))
    );
    const ready = [];
    settled.forEach((outcome, i) => {
      const agent = selected.changed[i];
      if (outcome.status === "rejected") failed.push({ agent, error: outcome.reason });
      else if ("record" in outcome.value) ready.push({ agent, prepared: outcome.value });
      else deployed.push(outcome.value);
    });
    if (ready.length > 0) {
      try {
        deployed.push(...await deployGroup(ctx, target, environment, ready));
      } catch (error) {
        for (const { agent } of ready) failed.push({ agent, error });
      }
    }
  } else {
    const settled = await mapLimit(
      selected.changed,
      limit,
      (agent) => runDeployPipeline(pipelineInput(ctx, agent.dockfile, target), agentDeps(agent))
    );
    settled.forEach((outcome, i) => {
      const agent = selected.changed[i];
      if (outcome.status === "fulfilled") deployed.push(outcome.value);
      else failed.push({ agent, error: outcome.reason });
    });
  }
  deployed.sort((a, b) => a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0);
  const byAgent = (pick) => JSON.stringify(Object.fromEntries(deployed.map((r) => [r.agent, pick(r)])));
  ctx.io.setOutput("agents", JSON.stringify(deployed.map((r) => r.agent)));
  const outputsByAgent = [
    ["images", (r) => r.image],
    ["digests", (r) => r.digest],
    ["versions", (r) => r.version],
    ["operations", (r) => r.operation],
    ["pr-urls", (r) => r.pr_url ?? ""],
    ["pr-numbers", (r) => r.pr_number],
    ["commits", (r) => r.commit ?? ""]
  ];
  for (const [name, pick] of outputsByAgent) ctx.io.setOutput(name, byAgent(pick));
  if (failed.length > 0)
    ctx.io.setOutput("failed-agents", JSON.stringify(failed.map((f) => f.agent.name ?? f.agent.dockfile)));
  await ctx.io.appendSummary(
    manySummaryMarkdown(deployed, failed, environment, selected.all.length, redactUrl(target.url))
  );
  if (failed.length === 0) return { ok: true };
  for (const f of failed) ctx.logger.error(deployFailureLine(f.error, f.agent.dockfile, workspace));
  const first = failed[0];
  const others = failed.length > 1 ? ` (${failed.length} of ${selected.changed.length} agents failed; see the job summary)` : "";
  return {
    ok: false,
    failure: `${deployFailureLine(first.error, first.agent.dockfile, workspace)}${others}`
  };
}
async function deployGroup(ctx, target, environment, ready) {
  const outcome = await ctx.logger.group(
    `Commit ${ready.length} agent(s) to the environments repo (one PR for ${environment})`,
    () => deployEnvironmentGroup(
      {
        target,
        environment,
        members: ready.map(({ prepared }) => ({
          record: prepared.record,
          contract: prepared.contract,
          files: prepared.files,
          volatileFiles: prepared.volatileFiles,
          ...prepared.renderFiles ? { renderFiles: prepared.renderFiles } : {}
        })),
        force: ctx.inputs.force,
        pullRequest: {
          draft: ctx.inputs.draft,
          reviewers: ctx.inputs.reviewers,
          autoMerge: ctx.inputs.autoMerge
        }
      },
      gitOpsContext(ctx)
    )
  );
  if (outcome.carried.length > 0) {
    ctx.logger.info(`kept in the PR from earlier runs: ${outcome.carried.join(", ")}`);
  }
  ctx.logger.info(
    `${outcome.operation}: ${outcome.branch}${outcome.pullRequest ? ` (${outcome.pullRequest.url})` : ""}`
  );
  return ready.map(({ prepared }) => {
    const mine = outcome.agents.find((a) => a.agent === prepared.record.agent);
    return {
      ...prepared.deployed,
      commit: mine?.commit ?? null,
      branch: outcome.branch,
      pr_url: outcome.pullRequest?.url ?? null,
      pr_number: outcome.pullRequest?.number ?? null,
      operation: mine?.state === "changed" ? outcome.operation : "unchanged",
      built: prepared.built,
      changed_files: (mine?.changedFiles ?? []).map((f) => f.path),
      contract_changes: contractChangesResult(mine?.contractChanges ?? null),
      timings: prepared.timings
    };
  });
}
function manySummaryMarkdown(deployed, failed, environment, matched, environmentsRepo) {
  const cell = (text) => codeSpan(text, { table: true });
  const handled = deployed.length + failed.length;
  let out = `### dockrion deploy \u2192 ${codeSpan(environment)}: ${handled} of ${matched} agent(s) changed

`;
  if (handled === 0) return `${out}No agent is touched by this push: nothing was built or deployed.
`;
  out += `Environments repo: ${codeSpan(environmentsRepo)}

| Agent | Operation | Version | Digest | Pull request | Contract changes |
|---|---|---|---|---|---|
`;
  for (const r of deployed) {
    const pr = r.pr_url ? `[#${r.pr_number}](${linkDestination(r.pr_url)})` : "\u2013";
    const contract = r.contract_changes ? cell(r.contract_changes.summary) : "\u2013";
    out += `| ${cell(r.agent)} | ${cell(r.operation)} | ${cell(r.version)} | ${cell(shortDigest(r.digest))} | ${pr} | ${contract} |
`;
  }
  for (const f of failed)
    out += `| ${cell(f.agent.name ?? f.agent.dockfile)} | \u274C failed | \u2013 | \u2013 | \u2013 | \u2013 |
`;
  for (const f of failed) {
    out += `
#### ${codeSpan(f.agent.dockfile)} failed

${codeBlock(describeError(f.error))}
`;
  }
  return out;
}
function pipelineDeps(ctx, logger) {
  const env = ctx.env;
  return {
    exec: ctx.exec,
    docker: new Docker({ exec: ctx.exec, env }),
    logger,
    env,
    now: () => Date.now(),
    fetch
  };
}
function pipelineInput(ctx, dockfile, target) {
  const { inputs, run: runContext } = ctx;
  const registry = inputs.imageNamespace ? `${inputs.registry}/${inputs.imageNamespace}` : inputs.registry;
  return {
    dockfilePath: resolve(runContext.workspace, dockfile),
    root: runContext.workspace,
    environment: inputs.environment ?? "",
    target,
    build: {
      registry,
      push: inputs.push,
      platforms: inputs.platforms,
      baseImage: inputs.baseImage,
      provenance: inputs.provenance ? "auto" : false,
      sbom: inputs.sbom,
      cache: {
        ...inputs.cacheFrom ? { from: inputs.cacheFrom } : {},
        ...inputs.cacheTo ? { to: inputs.cacheTo } : {}
      },
      credentials: inputs.registryUsername ? { username: inputs.registryUsername, password: inputs.registryPassword } : void 0
    },
    image: inputs.image,
    direct: inputs.direct,
    force: inputs.force,
    pullRequest: { draft: inputs.draft, reviewers: inputs.reviewers, autoMerge: inputs.autoMerge },
    githubSecrets: inputs.secrets,
    githubSecretsLabel: "action input 'secrets'",
    sealingCertificate: inputs.sealedSecretsCert ? inputs.sealedSecretsCert.includes("-----BEGIN") ? { pem: inputs.sealedSecretsCert, source: "action input 'sealed-secrets-cert'" } : readSealingCertificateFile(
      resolve(runContext.workspace, inputs.sealedSecretsCert),
      inputs.sealedSecretsCert
    ) : null,
    getIdToken: githubOidcTokenFetcher(ctx.env)
  };
}
function readSealingCertificateFile(file, input) {
  try {
    return { pem: readFileSync(file, "utf8"), source: `action input 'sealed-secrets-cert' (${input})` };
  } catch (e) {
    const code = e.code ?? "unreadable";
    throw new UsageError(
      `input 'sealed-secrets-cert': cannot read ${input} (${code})`,
      "pass the PEM text, or a path relative to the workspace (check out the repository first)"
    );
  }
}
export {
  manySummaryMarkdown,
  run,
  summaryMarkdown
};
