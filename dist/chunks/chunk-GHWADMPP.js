import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  TOKEN_HINT,
  resolveTarget
} from "./chunk-7TIOAEZ4.js";
import {
  parseDockfileInput
} from "./chunk-V2TZJOJW.js";
import {
  require_dist
} from "./chunk-Y7HVPOHU.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";
import {
  __toESM
} from "./chunk-TC6B22LF.js";

// action/modes/environments.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
function environmentsTarget(ctx) {
  const { inputs, run } = ctx;
  const environmentsRepo = inputs.environmentsRepo ?? run.repository;
  const token = inputs.environmentsToken ?? inputs.githubToken;
  if (!inputs.environmentsToken && environmentsRepo !== run.repository) {
    ctx.logger.warn(
      `environments-token is not set, so ${environmentsRepo} is written with github-token; ${TOKEN_HINT}`
    );
  }
  return resolveTarget({
    repo: `${run.serverUrl}/${environmentsRepo}.git`,
    githubRepo: environmentsRepo,
    token,
    base: inputs.environmentsBase,
    apiUrl: inputs.githubApiUrl,
    serverUrl: run.serverUrl,
    cwd: run.workspace,
    logger: ctx.logger
  });
}
async function agentName(ctx) {
  if (ctx.inputs.agent) return ctx.inputs.agent;
  const selection = parseDockfileInput(ctx.inputs.dockfile);
  if (selection.kind === "many") {
    throw new UsageError(
      "input 'agent' is not set and 'dockfile' names several Dockfiles",
      "set agent: <agent.name>, e.g. agent: invoice-copilot"
    );
  }
  const dockfile = selection.path;
  const missing = (why) => new UsageError(
    `input 'agent' is not set and ${why}`,
    "set agent: <agent.name>, e.g. agent: invoice-copilot"
  );
  let text;
  try {
    text = await readFile(resolve(ctx.run.workspace, dockfile), "utf8");
  } catch {
    throw missing(`${dockfile} does not exist (check out the repository first)`);
  }
  let name;
  try {
    name = (0, import_yaml.parse)(text, { maxAliasCount: 100 })?.agent?.name;
  } catch {
    throw missing(`${dockfile} is not valid YAML`);
  }
  if (typeof name !== "string" || name.trim() === "") throw missing(`${dockfile} has no agent.name`);
  ctx.logger.info(`agent ${name.trim()} (agent.name in ${dockfile})`);
  return name.trim();
}
function gitOpsContext(ctx) {
  return { exec: ctx.exec, logger: ctx.logger, now: () => Date.now(), baseEnv: ctx.env };
}

export {
  environmentsTarget,
  agentName,
  gitOpsContext
};
