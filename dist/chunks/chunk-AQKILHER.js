import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  DEFAULT_IDENTITY,
  Git,
  redactUrl
} from "./chunk-NMO7QV5W.js";
import {
  createOctokit,
  httpStatus
} from "./chunk-BA5ZBKVE.js";
import {
  GitOpsError,
  UsageError
} from "./chunk-LEVTJ2NN.js";

// action/gitops/record.ts
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value).sort().map((k) => [k, sortKeys(value[k])])
    );
  }
  return value;
}
function serializeRecord(record) {
  return `${JSON.stringify(sortKeys(record), null, 2)}
`;
}
function parseRecord(text, where) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new GitOpsError(`${where} is not valid JSON`, null, e);
  }
  const r = data;
  if (!r || typeof r.agent !== "string" || typeof r.version !== "string" || typeof r.digest !== "string") {
    throw new GitOpsError(`${where} lacks agent, version or digest`);
  }
  return {
    agent: r.agent,
    environment: typeof r.environment === "string" ? r.environment : "",
    version: r.version,
    image: typeof r.image === "string" ? r.image : "",
    digest: r.digest,
    source: {
      repository: r.source?.repository ?? null,
      commit: r.source?.commit ?? null
    },
    dockfile_sha256: r.dockfile_sha256 ?? null
  };
}
function shortDigest(digest) {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}

// action/gitops/layout.ts
var SEGMENT = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
function checkSegment(kind, value) {
  if (!SEGMENT.test(value) || value.includes("..")) {
    throw new GitOpsError(
      `invalid ${kind} name '${value}'`,
      "use lowercase letters, digits and dashes (a DNS label), e.g. staging or invoice-copilot"
    );
  }
  return value;
}
function agentDir(environment, agent) {
  return `${checkSegment("environment", environment)}/${checkSegment("agent", agent)}`;
}
function deployBranch(environment, agent) {
  return `dockrion/${agentDir(environment, agent)}`;
}
function pushedRecordRef(environment, agent) {
  return `refs/dockrion/pushed/${agentDir(environment, agent)}`;
}
var RECORD_FILE = "dockrion.json";
function checkRelativePath(path) {
  const parts = path.split("/");
  if (path.length === 0 || path.startsWith("/") || path.includes("\\") || parts.some((p) => p === "" || p === "." || p === ".." || p === ".git")) {
    throw new GitOpsError(
      `rendered file path '${path}' is not a plain relative path inside the agent folder`
    );
  }
  return path;
}

// action/gitops/remote-errors.ts
var TOKEN_HINT = "the environments repo needs its own token with contents:write and pull-requests:write: set the `environments-token` input (CLI: --environments-token or DOCKRION_ENVIRONMENTS_TOKEN) to a fine-grained PAT or a GitHub App installation token; the workflow's GITHUB_TOKEN cannot write to another repository";
function remoteError(operation, url, stderr, cause) {
  const where = redactUrl(url);
  const text = stderr.replaceAll(url, where);
  const tail = gitComplaint(text);
  if (/returned error: 403|403 Forbidden|Permission to .* denied|permission denied/i.test(text)) {
    return new GitOpsError(`${operation} to ${where} was refused (HTTP 403): ${tail}`, TOKEN_HINT, cause);
  }
  if (/returned error: 401|could not read Username|Authentication failed|invalid credentials/i.test(text)) {
    return new GitOpsError(`${operation} ${where}: authentication failed (HTTP 401)`, TOKEN_HINT, cause);
  }
  if (/returned error: 404|Repository not found|not found/i.test(text) && /^https?:/i.test(url)) {
    return new GitOpsError(
      `${operation} ${where}: repository not found (HTTP 404; GitHub answers 404 when the token cannot see a private repo)`,
      TOKEN_HINT,
      cause
    );
  }
  return new GitOpsError(`git ${operation} ${where} failed: ${tail}`, null, cause);
}
function gitComplaint(stderr) {
  const lines = stderr.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
  const verdicts = lines.filter((line) => /^(fatal|error|remote: error):/i.test(line));
  return (verdicts.length > 0 ? verdicts : lines).slice(-3).join(" | ");
}

// action/gitops/pull-request.ts
function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}
function apiError(action, e) {
  const status = httpStatus(e);
  const hint = status === 401 || status === 403 || status === 404 ? TOKEN_HINT : null;
  return new GitOpsError(
    `GitHub API: ${action} failed${status ? ` (HTTP ${status})` : ""}: ${messageOf(e)}`,
    hint,
    e
  );
}
async function findOpen(gh, head, base) {
  const { data } = await gh.client.rest.pulls.list({
    owner: gh.owner,
    repo: gh.repo,
    state: "open",
    head: `${gh.owner}:${head}`,
    base,
    per_page: 10
  });
  return data.find((p) => p.head.ref === head) ?? null;
}
async function closePullRequest(gh, head, base, logger) {
  try {
    const pr = await findOpen(gh, head, base);
    if (!pr) return null;
    await gh.client.rest.pulls.update({
      owner: gh.owner,
      repo: gh.repo,
      pull_number: pr.number,
      state: "closed"
    });
    return { number: pr.number, url: pr.html_url };
  } catch (e) {
    logger.warn(`could not close the stale PR for ${head}: ${messageOf(e)}`);
    return null;
  }
}
async function ensurePullRequest(gh, input, logger) {
  const { owner, repo, client } = gh;
  let pr;
  let created = false;
  const describe = (number) => client.rest.pulls.update({ owner, repo, pull_number: number, title: input.title, body: input.body });
  try {
    pr = await findOpen(gh, input.head, input.base);
    if (pr) {
      await describe(pr.number);
    } else {
      try {
        const { data } = await client.rest.pulls.create({
          owner,
          repo,
          head: input.head,
          base: input.base,
          title: input.title,
          body: input.body,
          draft: input.draft ?? false
        });
        pr = data;
        created = true;
      } catch (e) {
        if (httpStatus(e) !== 422) throw e;
        pr = await findOpen(gh, input.head, input.base);
        if (!pr) throw e;
        await describe(pr.number);
      }
    }
  } catch (e) {
    if (e instanceof GitOpsError) throw e;
    throw apiError(`opening the deployment PR for ${input.head}`, e);
  }
  if (input.labels.length > 0) {
    try {
      await client.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels: [...input.labels] });
    } catch (e) {
      logger.warn(`could not label PR #${pr.number}: ${messageOf(e)}`);
    }
  }
  const reviewers = (input.reviewers ?? []).filter((r) => r.trim().length > 0);
  if (reviewers.length > 0) {
    const teams = reviewers.filter((r) => r.includes("/")).map((r) => r.split("/").pop());
    const users = reviewers.filter((r) => !r.includes("/"));
    try {
      await client.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: pr.number,
        reviewers: users,
        team_reviewers: teams
      });
    } catch (e) {
      logger.warn(`could not request reviewers ${reviewers.join(", ")} on PR #${pr.number}: ${messageOf(e)}`);
    }
  }
  let autoMerge = "off";
  if (input.autoMerge) autoMerge = await enableAutoMerge(gh, pr, input, logger);
  return { number: pr.number, url: pr.html_url, created, autoMerge };
}
async function enableAutoMerge(gh, pr, input, logger) {
  if (input.draft || pr.draft) {
    logger.warn(`auto-merge is not enabled on PR #${pr.number}: GitHub does not auto-merge draft PRs`);
    return "unavailable";
  }
  try {
    const { data: repository } = await gh.client.rest.repos.get({ owner: gh.owner, repo: gh.repo });
    if (repository.allow_auto_merge === false) {
      logger.warn(
        `auto-merge is not allowed in ${gh.owner}/${gh.repo}; PR #${pr.number} needs a manual merge (enable "Allow auto-merge" in the repository settings)`
      );
      return "unavailable";
    }
    await gh.client.graphql(
      `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod) {
        enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $mergeMethod}) {
          pullRequest { number autoMergeRequest { enabledAt } }
        }
      }`,
      { id: pr.node_id, mergeMethod: input.mergeMethod ?? "SQUASH" }
    );
    return "enabled";
  } catch (e) {
    logger.warn(`could not enable auto-merge on PR #${pr.number}: ${messageOf(e)}`);
    return "unavailable";
  }
}
function githubRepoFromUrl(url, host = "github.com") {
  const escaped = host.replace(/\./g, "\\.");
  const m = new RegExp(`^https?://(?:[^@/]+@)?${escaped}/([^/]+)/([^/]+?)(?:\\.git)?/?$`, "i").exec(url) ?? new RegExp(`^(?:ssh://)?git@${escaped}[:/]([^/]+)/([^/]+?)(?:\\.git)?/?$`, "i").exec(url);
  return m?.[1] && m[2] ? { owner: m[1], repo: m[2] } : null;
}

// action/gitops/repo.ts
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
var ZERO = "0000000000000000000000000000000000000000";
function trackingRef(branch) {
  return `refs/remotes/origin/${branch}`;
}
var EnvironmentsRepo = class _EnvironmentsRepo {
  git;
  source;
  ownsDir;
  dir;
  scratchCounter = 0;
  constructor(git, source, dir, ownsDir) {
    this.git = git;
    this.source = source;
    this.dir = dir;
    this.ownsDir = ownsDir;
  }
  static async open(options) {
    const ownsDir = options.dir === void 0;
    const dir = options.dir ?? await mkdtemp(join(tmpdir(), "dockrion-envrepo-"));
    const gitDir = join(dir, "repo.git");
    await mkdir(gitDir, { recursive: true });
    const git = new Git({ exec: options.exec, gitDir, token: options.token, baseEnv: options.baseEnv });
    await git.run(["init", "--bare", "--quiet", gitDir]);
    return new _EnvironmentsRepo(
      git,
      { url: options.url, token: options.token ?? null, base: options.base },
      dir,
      ownsDir
    );
  }
  async close() {
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }
  /**
   * Fetches the base branch, the tool's branches (`dockrion/*`) and its records of what it pushed
   * there (`refs/dockrion/*`, mirrored as they are). Returns the base tip, or null for an empty
   * repository.
   */
  async fetch() {
    const { base, url } = this.source;
    const branches = `+refs/heads/dockrion/*:${trackingRef("dockrion/*")}`;
    const records = "+refs/dockrion/*:refs/dockrion/*";
    const args = ["fetch", "--quiet", "--prune", "--no-tags", "--", url];
    const result = await this.git.run(
      [...args, `+refs/heads/${base}:${trackingRef(base)}`, branches, records],
      { allowFailure: true }
    );
    if (result.code !== 0) {
      if (!/couldn't find remote ref/i.test(result.stderr)) throw remoteError("fetch", url, result.stderr);
      const retry = await this.git.run([...args, branches, records], { allowFailure: true });
      if (retry.code !== 0) throw remoteError("fetch", url, retry.stderr);
      await this.git.run(["update-ref", "-d", trackingRef(base)], { allowFailure: true });
    }
    return this.git.resolve(trackingRef(base));
  }
  /** Asks the remote for its branches: proves it answers and accepts the token, without fetching objects. */
  async probe() {
    const { url } = this.source;
    const result = await this.git.run(["ls-remote", "--heads", "--", url], { allowFailure: true });
    if (result.code !== 0) throw remoteError("fetch", url, result.stderr);
  }
  baseTip() {
    return this.git.resolve(trackingRef(this.source.base));
  }
  branchTip(branch) {
    return this.git.resolve(trackingRef(branch));
  }
  /** What a `refs/dockrion/…` record held at the last fetch (or push), or null when there is none. */
  recorded(ref) {
    return this.git.resolve(ref);
  }
  /** The tree id of `path` at `commit`, or null when it does not exist there. */
  async subtree(commit, path) {
    if (!commit) return null;
    return this.git.resolve(`${commit}:${path}`);
  }
  async readFile(commit, path) {
    const result = await this.git.run(["cat-file", "blob", `${commit}:${path}`], { allowFailure: true });
    return result.code === 0 ? result.stdout : null;
  }
  /** The root tree of `parent` with exactly `dir` replaced by `content`; nothing else changes. */
  async buildTree(parent, dir, content) {
    const scratch = join(this.dir, `scratch-${process.pid}-${++this.scratchCounter}`);
    await mkdir(scratch, { recursive: true });
    const env = { GIT_INDEX_FILE: join(scratch, "index") };
    try {
      await this.git.run(parent ? ["read-tree", parent] : ["read-tree", "--empty"], { env });
      const old = parent ? (await this.git.run(["ls-tree", "-r", "-z", "--name-only", parent, "--", `${dir}/`])).stdout.split("\0").filter(Boolean) : [];
      const lines = old.map((p) => `0 ${ZERO}	${p}`);
      if ("files" in content) {
        const seen = /* @__PURE__ */ new Set();
        const staged = [];
        for (const file of content.files) {
          const rel = checkRelativePath(file.path);
          if (seen.has(rel)) throw new GitOpsError(`rendered file '${rel}' appears twice`);
          seen.add(rel);
          if ("blob" in file) {
            lines.push(`100644 ${file.blob}	${dir}/${rel}`);
            continue;
          }
          const onDisk = join(scratch, "files", rel);
          await mkdir(dirname(onDisk), { recursive: true });
          await writeFile(onDisk, file.content);
          staged.push({ rel, onDisk });
        }
        const ids = staged.length ? (await this.git.run(["hash-object", "-w", "--no-filters", "--stdin-paths"], {
          input: `${staged.map((f) => f.onDisk).join("\n")}
`
        })).stdout.trim().split("\n") : [];
        staged.forEach((f, i) => {
          lines.push(`100644 ${ids[i]}	${dir}/${f.rel}`);
        });
      }
      if ("tree" in content) {
        const entries = (await this.git.run(["ls-tree", "-r", "-z", content.tree])).stdout.split("\0").filter(Boolean);
        for (const entry of entries) {
          const [meta = "", path = ""] = entry.split("	");
          const [mode, , id] = meta.split(" ");
          lines.push(`${mode} ${id}	${dir}/${path}`);
        }
      }
      if (lines.length)
        await this.git.run(["update-index", "--index-info"], { env, input: `${lines.join("\n")}
` });
      return await this.git.text(["write-tree"], { env });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  async treeOf(commit) {
    return this.git.text(["rev-parse", `${commit}^{tree}`]);
  }
  async commit(input) {
    const who = input.identity ?? DEFAULT_IDENTITY;
    const date = `${input.time} +0000`;
    const args = ["commit-tree", input.tree, ...input.parent ? ["-p", input.parent] : [], "-F", "-"];
    return this.git.text(args, {
      input: input.message,
      env: {
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date
      }
    });
  }
  /**
   * Pushes `commit` to `branch`. `expected` is the remote tip this was built on (null: the branch
   * must not exist); `force` replaces the tool's own earlier commit, guarded by that lease, so a
   * commit someone else pushed meanwhile is never overwritten.
   */
  async push(commit, branch, expected, force, record) {
    const { url } = this.source;
    const ref = `refs/heads/${branch}`;
    const args = ["push", "--porcelain", "--no-verify"];
    if (force) args.push(`--force-with-lease=${ref}:${expected ?? ""}`);
    if (record) args.push("--atomic", `--force-with-lease=${record.ref}:${record.expected ?? ""}`);
    args.push("--", url, `${commit}:${ref}`);
    if (record) args.push(`${commit}:${record.ref}`);
    const result = await this.git.run(args, { allowFailure: true });
    if (result.code === 0) {
      await this.git.run(["update-ref", trackingRef(branch), commit]);
      if (record) await this.git.run(["update-ref", record.ref, commit]);
      return { ok: true };
    }
    const statuses = result.stdout.split("\n").filter((l) => l.startsWith("!")).map((l) => l.split("	").pop() ?? l);
    const raced = /\[rejected\]|stale info|fetch first|non-fast-forward|failed to update ref|cannot lock ref|incorrect old value|failed to lock/;
    const collateral = /atomic (transaction|push) failed/;
    const reasons = statuses.filter((st) => !collateral.test(st));
    const racedStatus = reasons.find((st) => raced.test(st));
    if (racedStatus || statuses.length > 0 && reasons.length === 0) {
      return { ok: false, rejected: true, detail: racedStatus ?? statuses[0] ?? "rejected" };
    }
    const status = reasons[0];
    if (status && /\[remote rejected\]/.test(status)) {
      throw new GitOpsError(
        `push to ${branch} was rejected by the remote: ${status}`,
        "a protected branch needs `direct: false` (deployment PRs) or a token allowed to bypass the protection"
      );
    }
    throw remoteError("push", url, `${result.stderr}
${result.stdout}`);
  }
  /** Deletes `branch` on the remote if it still points at `expected`. */
  async deleteBranch(branch, expected) {
    const { url } = this.source;
    const ref = `refs/heads/${branch}`;
    const result = await this.git.run(
      ["push", "--porcelain", "--no-verify", `--force-with-lease=${ref}:${expected}`, "--", url, `:${ref}`],
      { allowFailure: true }
    );
    if (result.code === 0) {
      await this.git.run(["update-ref", "-d", trackingRef(branch)], { allowFailure: true });
      return { ok: true };
    }
    const status = result.stdout.split("\n").find((l) => l.startsWith("!"));
    if (status) return { ok: false, rejected: true, detail: status.split("	").pop() ?? status };
    throw remoteError("push", url, `${result.stderr}
${result.stdout}`);
  }
  /** Commits reachable from `tip` and not from `base` (oldest first). */
  async commitsBetween(base, tip) {
    const range = base ? [`${base}..${tip}`] : [tip];
    const out = await this.git.text(["rev-list", "--reverse", ...range]);
    return out ? out.split("\n") : [];
  }
  async message(commit) {
    return this.git.text(["show", "-s", "--format=%B", commit]);
  }
  /** Author/committer epoch seconds of a commit. */
  async commitTime(commit) {
    return Number(await this.git.text(["show", "-s", "--format=%ct", commit]));
  }
  /** `git diff` of one folder between two trees/commits (for the PR body). */
  async diff(from, to, dir, stat) {
    const empty = await this.git.text(["hash-object", "-t", "tree", "--stdin"], { input: "" });
    const args = ["diff", "--no-color", "--no-ext-diff", stat ? "--name-status" : "--unified=2"];
    return (await this.git.run([...args, from ?? empty, to, "--", `${dir}/`])).stdout;
  }
};

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
    client: createOctokit({
      token: input.token,
      baseUrl: input.apiUrl ?? "https://api.github.com",
      ...input.logger ? { logger: input.logger } : {}
    })
  } : null;
  return { url, token: input.token ?? null, base: input.base ?? "main", github, serverUrl };
}

export {
  checkSegment,
  agentDir,
  deployBranch,
  pushedRecordRef,
  RECORD_FILE,
  serializeRecord,
  parseRecord,
  shortDigest,
  TOKEN_HINT,
  closePullRequest,
  ensurePullRequest,
  EnvironmentsRepo,
  resolveTarget
};
