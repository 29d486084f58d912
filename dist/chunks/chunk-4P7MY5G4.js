import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/gitops/git.ts
var DEFAULT_IDENTITY = {
  name: "dockrion[bot]",
  email: "dockrion-bot@users.noreply.github.com"
};
function gitConfigEnv(entries) {
  const env = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
function basicAuthHeader(token) {
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}
function redactUrl(url) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}
var Git = class _Git {
  gitDir;
  exec;
  env;
  options;
  constructor(options) {
    this.options = options;
    this.exec = options.exec;
    this.gitDir = options.gitDir;
    const config = [
      // Line endings and signing settings of the host must not change what the tool commits.
      ["core.autocrlf", "false"],
      ["commit.gpgsign", "false"],
      ["gc.auto", "0"],
      // A wrong token must fail fast instead of falling back to a stored credential or a prompt.
      ["credential.helper", ""],
      // Fetched objects stay in packs (never exploded into loose objects), so a cache can share them.
      ["fetch.unpackLimit", "1"],
      // A short-lived copy needs no housekeeping after every fetch (it cost ~0.1 s a fetch).
      ["maintenance.auto", "false"]
    ];
    if (options.token) config.push(["http.extraHeader", basicAuthHeader(options.token)]);
    this.env = {
      ...options.baseEnv ?? process.env,
      GIT_DIR: this.gitDir,
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
      LC_ALL: "C",
      ...gitConfigEnv(config)
    };
  }
  /** The same git (exec, token, environment) bound to another repository. */
  at(gitDir) {
    return new _Git({ ...this.options, gitDir });
  }
  async run(args, options = {}) {
    const env = { ...this.env, ...options.env };
    if (options.workTree) env.GIT_WORK_TREE = options.workTree;
    return this.exec.run("git", args, {
      env,
      cwd: options.workTree ?? this.gitDir,
      input: options.input,
      allowFailure: options.allowFailure,
      // A fetch that hangs is stopped with its remote helper (which holds the connection).
      ...options.timeoutMs !== void 0 ? { timeoutMs: options.timeoutMs, processGroup: true } : {}
    });
  }
  /** stdout without the trailing newline. */
  async text(args, options = {}) {
    const { stdout } = await this.run(args, options);
    return stdout.replace(/\n$/, "");
  }
  /**
   * The repository holding `dir` (a checkout, possibly a linked worktree) and its top-level
   * directory, or null when `dir` is not inside one. Commands that read files pass
   * `workTree: topLevel`.
   */
  static async forCheckout(exec, dir, baseEnv) {
    const found = await exec.run("git", ["-C", dir, "rev-parse", "--absolute-git-dir", "--show-toplevel"], {
      allowFailure: true,
      env: { ...baseEnv ?? process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" }
    });
    const [gitDir, topLevel] = found.stdout.trim().split("\n");
    if (found.code !== 0 || !gitDir || !topLevel) return null;
    return { git: new _Git({ exec, gitDir, ...baseEnv ? { baseEnv } : {} }), topLevel };
  }
  /**
   * Makes `sha` a commit of this repository, fetching it from `remote` when it is missing.
   * actions/checkout fetches one commit by default, so a pull request's base is usually absent: it
   * is fetched alone (`--depth=1`) when the clone is shallow, since a full fetch there would pull
   * the whole history. Resolves to null once the commit is present, else to why it is not (the
   * last line of git's error, which names no credential: the token travels in a header). A fetch
   * still running after `timeoutMs` is stopped and counts as failed.
   */
  async ensureCommit(sha, remote = "origin", timeoutMs = 12e4) {
    const commit = `${sha}^{commit}`;
    if (await this.resolve(commit) !== null) return null;
    const shallow = await this.text(["rev-parse", "--is-shallow-repository"]) === "true";
    const fetched = await this.run(
      [
        "fetch",
        "--no-tags",
        "--no-recurse-submodules",
        "--quiet",
        ...shallow ? ["--depth=1"] : [],
        remote,
        sha
      ],
      { allowFailure: true, timeoutMs }
    );
    if (fetched.code === 0 && await this.resolve(commit) !== null) return null;
    const reason = fetched.stderr.trim().split("\n").pop()?.slice(0, 200) || (fetched.code !== 0 ? `no answer within ${Math.round(timeoutMs / 1e3)} s` : "");
    return `commit ${sha.slice(0, 12)} is not in the checkout and could not be fetched from ${remote}${reason ? ` (${reason})` : ""}`;
  }
  /** The text of `path` (repository-relative, `/`-separated) at `commit`, or null when it has none. */
  async readBlob(commit, path) {
    const result = await this.run(["cat-file", "blob", `${commit}:${path}`], { allowFailure: true });
    return result.code === 0 ? result.stdout : null;
  }
  /** The object id `rev` names, or null when it does not exist. */
  async resolve(rev) {
    const spec = rev.includes(":") ? rev : `${rev}^{object}`;
    const result = await this.run(["rev-parse", "--verify", "--quiet", spec], {
      allowFailure: true
    });
    return result.code === 0 ? result.stdout.trim() : null;
  }
};

export {
  DEFAULT_IDENTITY,
  redactUrl,
  Git
};
