import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  resolveTarget
} from "./chunk-TPJPUZLU.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";

// action/commands/target-options.ts
var TARGET_OPTIONS = {
  "environments-repo": { type: "string" },
  repo: { type: "string" },
  "environments-token": { type: "string" },
  "environments-base": { type: "string" },
  "github-repo": { type: "string" },
  "github-api-url": { type: "string" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" }
};
var TARGET_HELP = `  --environments-repo R      the environments repo: a local path, a git URL, or owner/name on GitHub
                             (alias --repo)
  --environments-token T     token that can push to it and open PRs (a fine-grained PAT or GitHub App
                             token; default $DOCKRION_ENVIRONMENTS_TOKEN). The workflow's GITHUB_TOKEN
                             cannot write to another repository. Sent as an HTTP header, never stored.
  --environments-base B      base branch (default main)
  --github-repo OWNER/NAME   where PRs are opened when the URL does not say (GitHub Enterprise, mirrors)
  --github-api-url URL       REST API base (default $GITHUB_API_URL or https://api.github.com)
  --format text|json         json prints one document on stdout
  -h, --help                 show this help`;
function requireString(command, value, flag) {
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`${flag} is required`, `run 'dockrion ${command} --help'`);
  }
  return value.trim();
}
function formatOf(value) {
  if (value === void 0 || value === "text") return "text";
  if (value === "json") return "json";
  throw new UsageError(`--format must be text or json, got '${String(value)}'`);
}
function targetFrom(command, values, ctx) {
  const { env, cwd } = ctx;
  const repo = values["environments-repo"] ?? values.repo;
  const str = (v) => typeof v === "string" && v.trim() !== "" ? v.trim() : null;
  const target = resolveTarget({
    repo: requireString(command, repo, "--environments-repo"),
    token: str(values["environments-token"]) ?? str(env.DOCKRION_ENVIRONMENTS_TOKEN),
    base: str(values["environments-base"]),
    githubRepo: str(values["github-repo"]),
    apiUrl: str(values["github-api-url"]) ?? str(env.GITHUB_API_URL),
    serverUrl: str(env.GITHUB_SERVER_URL),
    cwd,
    logger: ctx.logger
  });
  if (target.token) ctx.logger.setSecret(target.token);
  return target;
}
function gitOpsContextOf(ctx) {
  return { exec: ctx.exec, logger: ctx.logger, now: () => Date.now(), baseEnv: ctx.env };
}

export {
  TARGET_OPTIONS,
  TARGET_HELP,
  requireString,
  formatOf,
  targetFrom,
  gitOpsContextOf
};
