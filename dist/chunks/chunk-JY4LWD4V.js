import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  githubRepoFromUrl
} from "./chunk-IZ6OGQ3Y.js";
import {
  createOctokit
} from "./chunk-SQMGOSH5.js";
import {
  UsageError
} from "./chunk-NSHGOOXV.js";

// action/gitops/target.ts
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
var OWNER_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
function resolveTarget(input) {
  const serverUrl = (input.serverUrl ?? "https://github.com").replace(/\/+$/, "");
  let url;
  const local = isAbsolute(input.repo) ? input.repo : resolve(input.cwd, input.repo);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.repo) || /^[^/]+@[^/]+:/.test(input.repo)) url = input.repo;
  else if (existsSync(local)) url = local;
  else if (OWNER_NAME.test(input.repo)) url = `${serverUrl}/${input.repo}.git`;
  else {
    throw new UsageError(
      `environments repo '${input.repo}' is not a URL, an existing path, or owner/name`,
      "e.g. --environments-repo acme/environments or --environments-repo ./environments.git"
    );
  }
  let owner = null;
  if (input.githubRepo) {
    if (!OWNER_NAME.test(input.githubRepo)) throw new UsageError(`--github-repo must be owner/name`);
    const [o = "", r = ""] = input.githubRepo.split("/");
    owner = { owner: o, repo: r };
  } else {
    owner = githubRepoFromUrl(url, new URL(serverUrl).host);
  }
  const github = owner && input.token ? {
    ...owner,
    client: createOctokit({ token: input.token, baseUrl: input.apiUrl ?? "https://api.github.com" })
  } : null;
  return { url, token: input.token ?? null, base: input.base ?? "main", github, serverUrl };
}

// action/gitops/cli-options.ts
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
    throw new UsageError(`dockrion ${command}: ${flag} is required`, `run 'dockrion ${command} --help'`);
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
    cwd
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
