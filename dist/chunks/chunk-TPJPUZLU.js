import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  DEFAULT_IDENTITY,
  Git,
  redactUrl
} from "./chunk-4P7MY5G4.js";
import {
  createOctokit,
  httpStatus,
  labelNames,
  syncLabels
} from "./chunk-NYL7GI5H.js";
import {
  GitOpsError,
  UsageError
} from "./chunk-NQESISYT.js";

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
function groupBranch(environment) {
  return `dockrion/${checkSegment("environment", environment)}/_all`;
}
function groupPushedRecordRef(environment) {
  return `refs/dockrion/pushed/${checkSegment("environment", environment)}/_all`;
}
var RECORD_FILE = "dockrion.json";
var CONTRACT_FILE = "contract.json";
function checkRelativePath(path) {
  const parts = path.split("/");
  if (path.length === 0 || path.startsWith("/") || path.includes("\\") || parts.some((p) => p === "" || p === "." || p === ".." || p === ".git")) {
    throw new GitOpsError(
      `rendered file path '${path}' is not a plain relative path inside the agent folder`
    );
  }
  return path;
}

// action/gitops/cache.ts
import { createHash } from "node:crypto";
import { copyFile, link, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
function defaultCacheDir(env) {
  const explicit = env.DOCKRION_CACHE_DIR;
  if (explicit !== void 0) return explicit === "" || explicit === "off" ? null : explicit;
  if (env.GITHUB_ACTIONS === "true" && env.RUNNER_TOOL_CACHE) return join(env.RUNNER_TOOL_CACHE, "dockrion");
  const xdg = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(xdg, "dockrion");
}
var PACK_PARTS = [".pack", ".rev", ".promisor", ".idx"];
var STALE_LOCK_MS = 10 * 60 * 1e3;
async function linkOrCopy(from, to) {
  try {
    await link(from, to);
  } catch (e) {
    const code = e.code;
    if (code === "EEXIST") return;
    if (code === "EXDEV" || code === "EPERM" || code === "ENOTSUP") await copyFile(from, to);
    else throw e;
  }
}
async function completePacks(packDir) {
  let names;
  try {
    names = await readdir(packDir);
  } catch {
    return [];
  }
  const set = new Set(names);
  return names.filter((n) => n.endsWith(".idx")).map((n) => n.slice(0, -4)).filter((base) => set.has(`${base}.pack`));
}
async function linkPacks(fromPackDir, toPackDir) {
  await mkdir(toPackDir, { recursive: true });
  const have = new Set(await completePacks(toPackDir));
  let linked = 0;
  for (const base of await completePacks(fromPackDir)) {
    if (have.has(base)) continue;
    try {
      for (const ext of PACK_PARTS) {
        const from = join(fromPackDir, `${base}${ext}`);
        if (ext !== ".pack" && ext !== ".idx" && !await exists(from)) continue;
        await linkOrCopy(from, join(toPackDir, `${base}${ext}`));
      }
      linked++;
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      await Promise.all(PACK_PARTS.map((ext) => rm(join(toPackDir, `${base}${ext}`), { force: true })));
    }
  }
  return linked;
}
async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
function partialCloneConfig(url) {
  return [
    ["core.repositoryformatversion", "1"],
    ["extensions.partialClone", "origin"],
    ["remote.origin.url", url],
    ["remote.origin.promisor", "true"],
    ["remote.origin.partialclonefilter", "blob:none"]
  ];
}
var MirrorCache = class {
  constructor(root, url) {
    this.url = url;
    const key = createHash("sha256").update(redactUrl(url)).digest("hex").slice(0, 24);
    this.dir = join(root, "environments", `${key}.git`);
    this.lockDir = `${this.dir}.lock`;
  }
  url;
  dir;
  lockDir;
  get packDir() {
    return join(this.dir, "objects", "pack");
  }
  /**
   * Copies the mirror's packs, refs and commit-graph into the run's repository. Returns false when
   * there is no usable mirror (absent, or not a repository).
   */
  async seed(git) {
    if (!await exists(join(this.dir, "HEAD"))) return false;
    const linked = await linkPacks(this.packDir, join(git.gitDir, "objects", "pack"));
    if (linked === 0) return false;
    const mirror = git.at(this.dir);
    const refs = await mirror.run(["for-each-ref", "--format=%(objectname) %(refname)"], {
      allowFailure: true
    });
    if (refs.code !== 0) throw new Error(`the cached mirror is unreadable: ${refs.stderr.trim()}`);
    const updates = refs.stdout.split("\n").filter(Boolean).map((line) => {
      const [id, ref] = line.split(" ");
      return `update ${ref} ${id}
`;
    }).join("");
    if (updates) await git.run(["update-ref", "--stdin"], { input: updates });
    await this.linkCommitGraph(git.gitDir);
    return true;
  }
  async linkCommitGraph(gitDir) {
    const from = join(this.dir, "objects", "info", "commit-graphs");
    const to = join(gitDir, "objects", "info", "commit-graphs");
    let names;
    try {
      names = await readdir(from);
    } catch {
      return;
    }
    if (!names.includes("commit-graph-chain")) return;
    await mkdir(to, { recursive: true });
    try {
      for (const name of names.filter((n) => n.endsWith(".graph")))
        await linkOrCopy(join(from, name), join(to, name));
      await copyFile(join(from, "commit-graph-chain"), join(to, "commit-graph-chain"));
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      await rm(to, { recursive: true, force: true });
    }
  }
  /**
   * Hands the run's packs and refs to the mirror and refreshes its commit-graph (unless `graph`
   * is false), then links that graph into the run's repository. Skipped (false) while another run holds the mirror's lock:
   * nobody waits for a cache.
   */
  async update(git, refs, options = { graph: true, create: true }) {
    if (!options.create && !await exists(join(this.dir, "HEAD"))) return false;
    if (!await this.lock()) return false;
    try {
      const mirror = git.at(this.dir);
      if (!await exists(join(this.dir, "HEAD"))) {
        await mkdir(this.dir, { recursive: true });
        await mirror.run(["init", "--bare", "--quiet", this.dir]);
        for (const [key, value] of partialCloneConfig(redactUrl(this.url)))
          await mirror.run(["config", key, value]);
      }
      await linkPacks(join(git.gitDir, "objects", "pack"), this.packDir);
      if (refs.length > 0) await this.syncRefs(git, mirror, refs);
      if ((await completePacks(this.packDir)).length > 32) {
        await mirror.run(["repack", "-a", "-d", "-q"]);
      }
      await mirror.run([
        "commit-graph",
        "write",
        "--reachable",
        "--changed-paths",
        "--split",
        "--no-progress"
      ]);
    } finally {
      await rm(this.lockDir, { recursive: true, force: true });
    }
    await this.linkCommitGraph(git.gitDir);
    return true;
  }
  /** The mirror's refs under `refs` become exactly the run's (they are hints, never trusted). */
  async syncRefs(git, mirror, refs) {
    const listed = await git.run(["for-each-ref", "--format=%(objectname) %(refname)", ...refs]);
    const wanted = new Map(
      listed.stdout.split("\n").filter(Boolean).map((l) => l.split(" ")).map(([id, ref]) => [ref, id])
    );
    const current = await mirror.run(["for-each-ref", "--format=%(refname)", ...refs]);
    const commands = [
      ...current.stdout.split("\n").filter((ref) => ref && !wanted.has(ref)).map((ref) => `delete ${ref}
`),
      ...[...wanted].map(([ref, id]) => `update ${ref} ${id}
`)
    ];
    if (commands.length) await mirror.run(["update-ref", "--stdin"], { input: commands.join("") });
  }
  /** Moves an unusable mirror out of the way (the next run builds a new one). */
  async discard() {
    const aside = `${this.dir}.broken-${process.pid}-${Date.now()}`;
    try {
      await rename(this.dir, aside);
    } catch {
      return;
    }
    await rm(aside, { recursive: true, force: true });
  }
  async lock() {
    await mkdir(join(this.dir, ".."), { recursive: true });
    try {
      await mkdir(this.lockDir);
      return true;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    try {
      const { mtimeMs } = await stat(this.lockDir);
      if (Date.now() - mtimeMs < STALE_LOCK_MS) return false;
      await rm(this.lockDir, { recursive: true, force: true });
      await mkdir(this.lockDir);
      return true;
    } catch {
      return false;
    }
  }
};

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
  try {
    const current = input.labels.length > 0 ? labelNames(
      (await client.rest.issues.addLabels({
        owner,
        repo,
        issue_number: pr.number,
        labels: [...input.labels]
      })).data
    ) : void 0;
    if ((input.removeLabels ?? []).length > 0) {
      await syncLabels(
        client,
        { owner, repo, issueNumber: pr.number },
        { add: [], remove: input.removeLabels ?? [] },
        current
      );
    }
  } catch (e) {
    logger.warn(`could not label PR #${pr.number}: ${messageOf(e)}`);
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
import { mkdir as mkdir2, mkdtemp, rm as rm2, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join as join2 } from "node:path";
function isRemoteUrl(url) {
  return /^(https?|ssh|git):\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url);
}
function hasUserinfo(url) {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(url);
}
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
  /**
   * A blob-less partial clone (`--filter=blob:none`): history and trees come at once, the few
   * blobs an operation reads (one agent folder) on demand.
   */
  partial;
  cache;
  fetched = false;
  constructor(git, source, dir, ownsDir, partial, cache) {
    this.git = git;
    this.source = source;
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.partial = partial;
    this.cache = cache;
  }
  static async open(options) {
    const ownsDir = options.dir === void 0;
    const dir = options.dir ?? await mkdtemp(join2(tmpdir(), "dockrion-envrepo-"));
    const gitDir = join2(dir, "repo.git");
    await mkdir2(gitDir, { recursive: true });
    const git = new Git({ exec: options.exec, gitDir, token: options.token, baseEnv: options.baseEnv });
    const partial = ownsDir && isRemoteUrl(options.url) && !hasUserinfo(options.url);
    const cache = partial && options.cacheDir ? new MirrorCache(options.cacheDir, options.url) : null;
    await _EnvironmentsRepo.init(git, partial ? options.url : null);
    return new _EnvironmentsRepo(
      git,
      { url: options.url, token: options.token ?? null, base: options.base },
      dir,
      ownsDir,
      partial,
      cache
    );
  }
  static async init(git, partialUrl) {
    await git.run(["init", "--bare", "--quiet", git.gitDir]);
    if (partialUrl)
      for (const [key, value] of partialCloneConfig(partialUrl)) await git.run(["config", key, value]);
  }
  async close() {
    if (this.cache && this.fetched) {
      await this.cache.update(this.git, [], { graph: false, create: false }).catch(() => false);
    }
    if (this.ownsDir) await rm2(this.dir, { recursive: true, force: true });
  }
  /**
   * Fetches the base branch, the tool's branches (`dockrion/*`) and its records of what it pushed
   * there (`refs/dockrion/*`, mirrored as they are). Returns the base tip, or null for an empty
   * repository.
   */
  async fetch() {
    if (this.fetched || !this.cache) return this.fetchRefs();
    this.fetched = true;
    const cache = this.cache;
    try {
      await cache.seed(this.git);
      const tip = await this.fetchRefs();
      await cache.update(this.git, ["refs/remotes/", "refs/dockrion/"]);
      return tip;
    } catch (first) {
      await rm2(this.git.gitDir, { recursive: true, force: true });
      await mkdir2(this.git.gitDir, { recursive: true });
      await _EnvironmentsRepo.init(this.git, this.source.url);
      const tip = await this.fetchRefs().catch((second) => {
        throw first instanceof GitOpsError ? first : second;
      });
      await cache.discard();
      return tip;
    }
  }
  /** What to name the remote in a fetch: the configured promisor remote of a partial clone. */
  get remote() {
    return this.partial ? "origin" : this.source.url;
  }
  async fetchRefs() {
    const { base, url } = this.source;
    const branches = `+refs/heads/dockrion/*:${trackingRef("dockrion/*")}`;
    const records = "+refs/dockrion/*:refs/dockrion/*";
    const filter = this.partial ? ["--filter=blob:none"] : [];
    const args = ["fetch", "--quiet", "--prune", "--no-tags", ...filter, "--", this.remote];
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
  /**
   * Fetches only the base branch (after a rejected push: the objects of the few commits that
   * landed meanwhile). Returns its tip, or null when the remote has no such branch.
   */
  async fetchBase() {
    const { base, url } = this.source;
    const result = await this.git.run(
      [
        "fetch",
        "--quiet",
        "--no-tags",
        ...this.partial ? ["--filter=blob:none"] : [],
        "--",
        this.remote,
        `+refs/heads/${base}:${trackingRef(base)}`
      ],
      { allowFailure: true }
    );
    if (result.code !== 0) {
      if (/couldn't find remote ref/i.test(result.stderr)) return null;
      throw remoteError("fetch", url, result.stderr);
    }
    return this.baseTip();
  }
  /**
   * Fetches the blobs an operation is about to read, in one request instead of one lazy fetch per
   * object. Nothing to do in a full clone; no request when all of them are here already (git
   * checks that before it connects).
   */
  async prefetchBlobs(ids) {
    if (!this.partial) return;
    const wanted = [...new Set(ids)].filter((id) => /^[0-9a-f]{40,64}$/.test(id));
    if (wanted.length === 0) return;
    const result = await this.git.run(
      [
        "-c",
        "fetch.negotiationAlgorithm=noop",
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-write-fetch-head",
        "--filter=blob:none",
        "--stdin",
        "origin"
      ],
      { input: `${wanted.join("\n")}
`, allowFailure: true }
    );
    if (result.code !== 0) throw remoteError("fetch", this.source.url, result.stderr);
  }
  /** Blob ids of every file in `dir` at each of `commits` (to prefetch them together). */
  async folderBlobs(commits, dir) {
    const ids = [];
    for (const commit of commits) {
      if (!commit) continue;
      const out = await this.git.run(["ls-tree", "-r", "-z", commit, "--", `${dir}/`], {
        allowFailure: true
      });
      for (const entry of out.stdout.split("\0")) {
        const [meta = ""] = entry.split("	");
        const [, type, id] = meta.split(" ");
        if (type === "blob" && id) ids.push(id);
      }
    }
    return ids;
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
    if (parent) {
      const spliced = await this.spliceFolder(parent, dir, content);
      if (spliced) return spliced;
    }
    return this.buildTreeInIndex(parent, dir, content);
  }
  /**
   * `buildTree` on a parent without reading the parent's whole tree into an index (hundreds of
   * agent folders): the folder's tree is built alone, then each tree on the path from it to the
   * root is rewritten with `mktree`, so the cost does not grow with the number of folders. Null when
   * a folder above `dir` is missing or not a folder at `parent` (the index handles those cases).
   */
  async spliceFolder(parent, dir, content) {
    let child;
    if ("remove" in content) child = null;
    else if ("tree" in content) {
      const listed = await this.git.text(["ls-tree", "-z", content.tree]);
      child = listed ? content.tree : null;
    } else child = await this.subtree(await this.buildTreeInIndex(null, dir, content), dir);
    const segments = dir.split("/");
    for (let depth = segments.length - 1; depth >= 0; depth--) {
      const name = segments[depth] ?? "";
      const above = segments.slice(0, depth).join("/");
      const listed = await this.git.run(["ls-tree", "-z", above ? `${parent}:${above}` : parent], {
        allowFailure: true
      });
      if (listed.code !== 0) return null;
      const entries = listed.stdout.split("\0").filter(Boolean);
      const kept = [];
      for (const entry of entries) {
        const tab = entry.indexOf("	");
        if (entry.slice(tab + 1) !== name) {
          kept.push(entry);
          continue;
        }
        if (entry.split(" ")[1] !== "tree") return null;
      }
      if (child) kept.push(`040000 tree ${child}	${name}`);
      if (kept.length === 0 && depth > 0) {
        child = null;
        continue;
      }
      child = await this.git.text(["mktree", "-z", "--missing"], {
        input: kept.map((e) => `${e}\0`).join("")
      });
    }
    return child;
  }
  async buildTreeInIndex(parent, dir, content) {
    const scratch = join2(this.dir, `scratch-${process.pid}-${++this.scratchCounter}`);
    await mkdir2(scratch, { recursive: true });
    const env = { GIT_INDEX_FILE: join2(scratch, "index") };
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
          const onDisk = join2(scratch, "files", rel);
          await mkdir2(dirname(onDisk), { recursive: true });
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
      return await this.git.text(["write-tree", "--missing-ok"], { env });
    } finally {
      await rm2(scratch, { recursive: true, force: true });
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
  async diff(from, to, dir, stat2) {
    const empty = await this.git.text(["hash-object", "-t", "tree", "--stdin"], { input: "" });
    const args = ["diff", "--no-color", "--no-ext-diff", stat2 ? "--name-status" : "--unified=2"];
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
  groupBranch,
  groupPushedRecordRef,
  RECORD_FILE,
  CONTRACT_FILE,
  serializeRecord,
  parseRecord,
  shortDigest,
  defaultCacheDir,
  TOKEN_HINT,
  closePullRequest,
  ensurePullRequest,
  EnvironmentsRepo,
  resolveTarget
};
