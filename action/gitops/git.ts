import type { Exec, ExecResult } from '../adapters/exec.ts';

/** Who the tool's commits are by, unless the caller configures someone else. */
export const DEFAULT_IDENTITY: GitIdentity = {
  name: 'dockrion[bot]',
  email: 'dockrion-bot@users.noreply.github.com',
};

export interface GitIdentity {
  name: string;
  email: string;
}

export interface GitOptions {
  exec: Exec;
  /** The repository's git dir (the tool works in bare repositories: no checkout needed). */
  gitDir: string;
  /** HTTPS token for the remote; sent as a header, never written to a URL or `.git/config`. */
  token?: string | null;
  /** The environment git runs in (defaults to the process environment). */
  baseEnv?: NodeJS.ProcessEnv;
}

export interface GitRunOptions {
  input?: string | Buffer;
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
  /** A work tree for the rare commands that read files (staging a rendered folder). */
  workTree?: string;
  /** Kill git after this long (a fetch from a remote that never answers). */
  timeoutMs?: number;
}

/**
 * Config passed through GIT_CONFIG_* variables rather than `-c` so nothing sensitive shows in a
 * process listing, and so nothing is persisted in the repository's config file.
 */
export function gitConfigEnv(entries: ReadonlyArray<readonly [string, string]>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** The header GitHub expects for a token over HTTPS (PAT or App installation token alike). */
export function basicAuthHeader(token: string): string {
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

/** Drops any userinfo so a URL can be logged or stored. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** A git invocation bound to one repository, with auth and a predictable environment. */
export class Git {
  readonly gitDir: string;
  private readonly exec: Exec;
  private readonly env: NodeJS.ProcessEnv;
  private readonly options: GitOptions;

  constructor(options: GitOptions) {
    this.options = options;
    this.exec = options.exec;
    this.gitDir = options.gitDir;
    const config: Array<[string, string]> = [
      // Line endings and signing settings of the host must not change what the tool commits.
      ['core.autocrlf', 'false'],
      ['commit.gpgsign', 'false'],
      ['gc.auto', '0'],
      // A wrong token must fail fast instead of falling back to a stored credential or a prompt.
      ['credential.helper', ''],
      // Fetched objects stay in packs (never exploded into loose objects), so a cache can share them.
      ['fetch.unpackLimit', '1'],
      // A short-lived copy needs no housekeeping after every fetch (it cost ~0.1 s a fetch).
      ['maintenance.auto', 'false'],
    ];
    if (options.token) config.push(['http.extraHeader', basicAuthHeader(options.token)]);
    this.env = {
      ...(options.baseEnv ?? process.env),
      GIT_DIR: this.gitDir,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      LC_ALL: 'C',
      ...gitConfigEnv(config),
    };
  }

  /** The same git (exec, token, environment) bound to another repository. */
  at(gitDir: string): Git {
    return new Git({ ...this.options, gitDir });
  }

  async run(args: readonly string[], options: GitRunOptions = {}): Promise<ExecResult> {
    const env: NodeJS.ProcessEnv = { ...this.env, ...options.env };
    if (options.workTree) env.GIT_WORK_TREE = options.workTree;
    return this.exec.run('git', args, {
      env,
      cwd: options.workTree ?? this.gitDir,
      input: options.input,
      allowFailure: options.allowFailure,
      // A fetch that hangs is stopped with its remote helper (which holds the connection).
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs, processGroup: true } : {}),
    });
  }

  /** stdout without the trailing newline. */
  async text(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    const { stdout } = await this.run(args, options);
    return stdout.replace(/\n$/, '');
  }

  /**
   * The repository holding `dir` (a checkout, possibly a linked worktree) and its top-level
   * directory, or null when `dir` is not inside one. Commands that read files pass
   * `workTree: topLevel`.
   */
  static async forCheckout(
    exec: Exec,
    dir: string,
    baseEnv?: NodeJS.ProcessEnv,
  ): Promise<{ git: Git; topLevel: string } | null> {
    const found = await exec.run('git', ['-C', dir, 'rev-parse', '--absolute-git-dir', '--show-toplevel'], {
      allowFailure: true,
      env: { ...(baseEnv ?? process.env), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    const [gitDir, topLevel] = found.stdout.trim().split('\n');
    if (found.code !== 0 || !gitDir || !topLevel) return null;
    return { git: new Git({ exec, gitDir, ...(baseEnv ? { baseEnv } : {}) }), topLevel };
  }

  /**
   * Makes `sha` a commit of this repository, fetching it from `remote` when it is missing.
   * actions/checkout fetches one commit by default, so a pull request's base is usually absent: it
   * is fetched alone (`--depth=1`) when the clone is shallow, since a full fetch there would pull
   * the whole history. Resolves to null once the commit is present, else to why it is not (the
   * last line of git's error, which names no credential: the token travels in a header). A fetch
   * still running after `timeoutMs` is stopped and counts as failed.
   */
  async ensureCommit(sha: string, remote = 'origin', timeoutMs = 120_000): Promise<string | null> {
    const commit = `${sha}^{commit}`;
    if ((await this.resolve(commit)) !== null) return null;
    const shallow = (await this.text(['rev-parse', '--is-shallow-repository'])) === 'true';
    const fetched = await this.run(
      [
        'fetch',
        '--no-tags',
        '--no-recurse-submodules',
        '--quiet',
        ...(shallow ? ['--depth=1'] : []),
        remote,
        sha,
      ],
      { allowFailure: true, timeoutMs },
    );
    if (fetched.code === 0 && (await this.resolve(commit)) !== null) return null;
    const reason =
      fetched.stderr.trim().split('\n').pop()?.slice(0, 200) ||
      (fetched.code !== 0 ? `no answer within ${Math.round(timeoutMs / 1000)} s` : '');
    return `commit ${sha.slice(0, 12)} is not in the checkout and could not be fetched from ${remote}${reason ? ` (${reason})` : ''}`;
  }

  /** The text of `path` (repository-relative, `/`-separated) at `commit`, or null when it has none. */
  async readBlob(commit: string, path: string): Promise<string | null> {
    const result = await this.run(['cat-file', 'blob', `${commit}:${path}`], { allowFailure: true });
    return result.code === 0 ? result.stdout : null;
  }

  /** The object id `rev` names, or null when it does not exist. */
  async resolve(rev: string): Promise<string | null> {
    // `<rev>:<path>` would read a `^{object}` suffix as part of the path.
    const spec = rev.includes(':') ? rev : `${rev}^{object}`;
    const result = await this.run(['rev-parse', '--verify', '--quiet', spec], {
      allowFailure: true,
    });
    return result.code === 0 ? result.stdout.trim() : null;
  }
}
