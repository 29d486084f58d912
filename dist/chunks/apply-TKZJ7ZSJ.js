import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  TARGET_HELP,
  TARGET_OPTIONS,
  formatOf,
  requireString,
  targetFrom
} from "./chunk-PF4O7LNR.js";
import {
  parseCommandArgs
} from "./chunk-L6BWES6E.js";
import {
  Decrypter,
  SECRETS_ENV_AGE_FILE
} from "./chunk-ZONKLWJV.js";
import {
  Docker,
  lastLines
} from "./chunk-PPMIE3MS.js";
import {
  composeProjectName
} from "./chunk-WM7SSZM3.js";
import {
  maskSecretValue
} from "./chunk-TOWHEZ4A.js";
import "./chunk-265EZI3G.js";
import {
  EnvironmentsRepo,
  RECORD_FILE,
  checkSegment,
  parseRecord
} from "./chunk-7TIOAEZ4.js";
import {
  redactUrl
} from "./chunk-4P7MY5G4.js";
import "./chunk-Y7HVPOHU.js";
import "./chunk-6HIQH4YF.js";
import {
  GitOpsError,
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/apply.ts
import { homedir } from "node:os";
import { join as join2, resolve } from "node:path";

// action/gitops/apply/applier.ts
import { existsSync } from "node:fs";
import { chmod, mkdir as mkdir2, readFile as readFile3, rename as rename2, rm, writeFile as writeFile2 } from "node:fs/promises";
import { join } from "node:path";

// action/gitops/apply/compose.ts
async function composeUp(docker, project, waitTimeoutSeconds) {
  const result = await docker.composeUp(project, waitTimeoutSeconds);
  const detail = lastLines(result.output, 12);
  if (!result.ok) return { ok: false, detail };
  const unready = await unhealthyContainers(docker, project.name);
  if (unready.length === 0) return { ok: true, detail };
  return {
    ok: false,
    detail: `docker compose up --wait returned, but not every service is healthy:
${unready.join("\n")}`
  };
}
async function unhealthyContainers(docker, name) {
  const { ids, error } = await docker.projectContainerIds(name);
  if (error !== null || ids.length === 0) return [`no containers of project ${name} (${error ?? ""})`];
  const inspected = await docker.containerStates(ids);
  if (inspected.states === null) return [`docker inspect failed: ${inspected.error}`];
  return inspected.states.filter(({ status, health }) => status !== "running" || health !== "healthy" && health !== "none").map(({ name: container, status, health }) => `${container}: ${status} (health: ${health})`);
}
async function composeDown(docker, name) {
  const result = await docker.composeDown(name);
  return { ok: result.ok, detail: lastLines(result.output, 12) };
}
async function engineReachable(docker) {
  return (await docker.engineVersion()).version !== null;
}
function parseVersion(text) {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(text);
  return m?.[1] ? m[1].split(".").map(Number) : null;
}
function atLeast(version, minimum) {
  for (let i = 0; i < Math.max(version.length, minimum.length); i++) {
    const have = version[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}
var ENGINE_MINIMUMS = {
  engine: { version: "25.0", needs: "healthcheck.start_interval" },
  compose: { version: "2.24", needs: "env_file with path/required" }
};
async function checkEngineVersions(docker, logger) {
  const engine = await docker.engineVersion();
  if (engine.version === null) {
    throw new GitOpsError(
      `cannot reach the Docker engine: ${engine.detail}`,
      "start dockerd (or set DOCKER_HOST) and run apply again"
    );
  }
  const compose = await docker.composeVersion();
  if (compose === null) {
    throw new GitOpsError(
      "docker compose is not available on this host",
      `install the Compose plugin ${ENGINE_MINIMUMS.compose.version} or newer (apt-get install docker-compose-plugin)`
    );
  }
  const found = { engine: engine.version, compose };
  const old = [];
  for (const [kind, label] of [
    ["engine", "Docker Engine"],
    ["compose", "Docker Compose"]
  ]) {
    const { version: minimum, needs } = ENGINE_MINIMUMS[kind];
    const parsed = parseVersion(found[kind]);
    if (parsed === null) {
      logger.warn(`cannot read the ${label} version '${found[kind]}'; apply needs ${minimum} or newer`);
    } else if (!atLeast(parsed, parseVersion(minimum) ?? [])) {
      old.push(`${label} ${found[kind]} is older than ${minimum} (needed for ${needs})`);
    }
  }
  if (old.length > 0) {
    throw new GitOpsError(
      `this host cannot run the rendered compose.yaml: ${old.join("; ")}`,
      `dockrion apply needs Docker Engine ${ENGINE_MINIMUMS.engine.version} or newer and Docker Compose ${ENGINE_MINIMUMS.compose.version} or newer; upgrade them and run apply again`
    );
  }
  return found;
}

// action/gitops/apply/secrets-file.ts
import { readFile } from "node:fs/promises";
async function readIdentities(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new GitOpsError(`cannot read the age identity ${file}`, "create one with age-keygen -o FILE", e);
  }
  const keys = text.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("AGE-SECRET-KEY-1"));
  if (keys.length === 0) throw new GitOpsError(`${file} holds no AGE-SECRET-KEY-1\u2026 identity`);
  return keys;
}
async function decryptSecretsEnv(ciphertext, identities, where) {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(ciphertext, "text");
  } catch (e) {
    throw new GitOpsError(
      `cannot decrypt ${where} with this host's identity`,
      "add the host's public key (age-keygen -y KEYFILE) to deploy.environments.<env>.secrets.age_recipients and deploy again",
      e
    );
  }
}

// action/gitops/apply/state.ts
import { mkdir, readFile as readFile2, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
async function loadState(file, environment) {
  let text;
  try {
    text = await readFile2(file, "utf8");
  } catch {
    return { environment, applied: null, failed: null, agents: {} };
  }
  try {
    const state = JSON.parse(text);
    return {
      environment,
      applied: state.applied ?? null,
      failed: state.failed ?? null,
      agents: state.agents ?? {}
    };
  } catch (e) {
    throw new GitOpsError(`${file} is not valid JSON`, "remove it to re-apply everything from scratch", e);
  }
}
async function saveState(file, state) {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}
`, { mode: 384 });
  await rename(temp, file);
}

// action/gitops/apply/applier.ts
var SECRETS_ENV = "secrets.env";
var COMPOSE_FILE = "compose.yaml";
function layoutFor(stateDir, environment) {
  const root = join(stateDir, environment);
  return {
    root,
    mirror: join(root, "mirror"),
    stateFile: join(root, "state.json"),
    run: (agent) => join(root, "run", agent)
  };
}
async function composeAgents(repo, commit, environment) {
  const out = await repo.git.text(["ls-tree", "-d", "--name-only", commit, "--", `${environment}/`]);
  const names = out.split("\n").filter(Boolean).map((p) => p.slice(environment.length + 1));
  const agents = [];
  for (const name of names) {
    const folder = `${environment}/${name}`;
    if (await repo.subtree(commit, `${folder}/${COMPOSE_FILE}`) && await repo.subtree(commit, `${folder}/${RECORD_FILE}`)) {
      agents.push(name);
    }
  }
  return agents;
}
var ComposeApplier = class {
  options;
  layout;
  identities = null;
  constructor(options) {
    this.options = options;
    checkSegment("environment", options.environment);
    this.layout = layoutFor(options.stateDir, options.environment);
  }
  get env() {
    return this.options.env ?? process.env;
  }
  projectName(agent) {
    return composeProjectName(agent, this.options.environment);
  }
  async identitiesFor(where) {
    if (!this.options.identityFile) {
      throw new GitOpsError(
        `${where} needs the host's age identity`,
        "pass --identity FILE (age-keygen -o FILE)"
      );
    }
    this.identities ??= await readIdentities(this.options.identityFile);
    return this.identities;
  }
  /**
   * Writes `<env>/<agent>/` at `commit` to the run folder, with `secrets.env.age` decrypted to
   * `secrets.env` (0600, in a 0700 folder outside the repo) where Compose's env_file expects it.
   */
  async materialize(repo, commit, agent) {
    const dir = this.layout.run(agent);
    const next = `${dir}.next`;
    await rm(next, { recursive: true, force: true });
    await mkdir2(next, { recursive: true, mode: 448 });
    const index = join(this.layout.root, `index-${process.pid}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await repo.git.run(["read-tree", `${commit}:${this.options.environment}/${agent}`], {
        env,
        workTree: next
      });
      await repo.git.run(["checkout-index", "--all", "--force"], { env, workTree: next });
    } finally {
      await rm(index, { force: true });
    }
    const encrypted = join(next, SECRETS_ENV_AGE_FILE);
    if (existsSync(encrypted)) {
      const where = `${this.options.environment}/${agent}/${SECRETS_ENV_AGE_FILE}`;
      const plain = await decryptSecretsEnv(
        await readFile3(encrypted),
        await this.identitiesFor(where),
        where
      );
      for (const line of plain.split("\n")) {
        const [, name, value] = /^([A-Z_][A-Z0-9_]*)="?(.*?)"?$/.exec(line) ?? [];
        if (name && value) maskSecretValue(this.options.logger, value, `secret ${name}`);
      }
      await writeFile2(join(next, SECRETS_ENV), plain, { mode: 384 });
      await chmod(join(next, SECRETS_ENV), 384);
    }
    await rm(dir, { recursive: true, force: true });
    await rename2(next, dir);
    await chmod(dir, 448);
    return dir;
  }
  async recordAt(repo, commit, agent) {
    const text = await repo.readFile(commit, `${this.options.environment}/${agent}/${RECORD_FILE}`);
    if (text === null) return { version: null, digest: null };
    try {
      const record = parseRecord(text, RECORD_FILE);
      return { version: record.version, digest: record.digest };
    } catch {
      return { version: null, digest: null };
    }
  }
  async up(repo, commit, agent) {
    const dir = await this.materialize(repo, commit, agent);
    return composeUp(
      this.options.docker,
      { name: this.projectName(agent), dir },
      this.options.waitTimeoutSeconds
    );
  }
  /** One pass: pull, apply what changed, roll back what fails its health check. */
  async applyOnce() {
    const { environment, logger } = this.options;
    const versions = await checkEngineVersions(this.options.docker, logger);
    logger.debug(`Docker Engine ${versions.engine}, Docker Compose ${versions.compose}`);
    await mkdir2(this.layout.root, { recursive: true, mode: 448 });
    const repo = await EnvironmentsRepo.open({
      url: this.options.target.url,
      token: this.options.target.token ?? null,
      base: this.options.target.base ?? "main",
      exec: this.options.exec,
      dir: this.layout.mirror,
      baseEnv: this.env
    });
    const tip = await repo.fetch();
    if (!tip) throw new GitOpsError(`the environments repo has no branch '${repo.source.base}'`);
    const state = await loadState(this.layout.stateFile, environment);
    const report = {
      environment,
      repository: redactUrl(this.options.target.url),
      commit: tip,
      status: "unchanged",
      agents: []
    };
    if (state.failed?.commit === tip) {
      logger.warn(
        `${tip.slice(0, 12)} failed its health check before (${state.failed.agents.join(", ")}); waiting for a new commit on the base branch`
      );
      report.status = "failed";
      return report;
    }
    const wanted = await composeAgents(repo, tip, environment);
    const failed = [];
    for (const agent of wanted) {
      const started = this.options.now();
      const tree = await repo.subtree(tip, `${environment}/${agent}`) ?? "";
      const before = state.agents[agent];
      const { version, digest } = await this.recordAt(repo, tip, agent);
      if (before?.tree === tree) {
        report.agents.push({
          agent,
          status: "unchanged",
          commit: before.commit,
          version,
          digest,
          durationMs: 0
        });
        continue;
      }
      logger.info(`applying ${environment}/${agent} ${version ?? ""} at ${tip.slice(0, 12)}`);
      const outcome = await this.up(repo, tip, agent);
      if (outcome.ok) {
        state.agents[agent] = { commit: tip, tree, version, digest };
        report.agents.push({
          agent,
          status: "applied",
          commit: tip,
          version,
          digest,
          durationMs: this.options.now() - started
        });
        continue;
      }
      if (!await engineReachable(this.options.docker)) {
        throw new GitOpsError(
          `cannot reach the Docker engine while applying ${environment}/${agent}: ${outcome.detail.split("\n").pop()}`,
          "start dockerd (or set DOCKER_HOST) and run apply again"
        );
      }
      failed.push(agent);
      const status = await this.options.docker.projectStatus(this.projectName(agent));
      const detail = [outcome.detail, status].filter(Boolean).join("\n");
      logger.error(`${environment}/${agent} ${version ?? ""} did not become healthy:
${detail}`);
      if (before) {
        logger.warn(
          `rolling ${environment}/${agent} back to ${before.version ?? before.commit.slice(0, 12)} (${before.commit.slice(0, 12)})`
        );
        const restored = await this.up(repo, before.commit, agent);
        report.agents.push({
          agent,
          status: restored.ok ? "rolled-back" : "failed",
          commit: tip,
          version,
          digest,
          detail: restored.ok ? detail : `${detail}
rollback to ${before.commit.slice(0, 12)} failed too:
${restored.detail}`,
          restored: restored.ok ? before.commit : null,
          durationMs: this.options.now() - started
        });
      } else {
        await composeDown(this.options.docker, this.projectName(agent));
        report.agents.push({
          agent,
          status: "failed",
          commit: tip,
          version,
          digest,
          detail,
          restored: null,
          durationMs: this.options.now() - started
        });
      }
    }
    for (const agent of Object.keys(state.agents).filter((a) => !wanted.includes(a))) {
      const started = this.options.now();
      logger.info(`removing ${environment}/${agent}: its folder is gone from ${tip.slice(0, 12)}`);
      const down = await composeDown(this.options.docker, this.projectName(agent));
      if (!down.ok) logger.warn(`docker compose down for ${agent} failed: ${down.detail}`);
      await rm(this.layout.run(agent), { recursive: true, force: true });
      const before = state.agents[agent];
      delete state.agents[agent];
      report.agents.push({
        agent,
        status: "removed",
        commit: tip,
        version: before?.version ?? null,
        digest: before?.digest ?? null,
        durationMs: this.options.now() - started
      });
    }
    const at = new Date(this.options.now()).toISOString();
    if (failed.length > 0) {
      state.failed = { commit: tip, agents: failed, at };
      report.status = "failed";
    } else {
      state.failed = null;
      if (report.agents.some((a) => a.status !== "unchanged")) report.status = "applied";
      state.applied = { commit: tip, at };
    }
    await saveState(this.layout.stateFile, state);
    return report;
  }
};

// action/commands/apply.ts
var applyUsage = `usage: dockrion apply --environments-repo R --env ENV [--identity FILE] [--once | --interval 30s]

On a Compose host: pulls the base branch, and for each <env>/<agent>/ that changed decrypts
secrets.env.age with the host's age identity to secrets.env (0600, in the state dir, never in the
repo), runs 'docker compose -p <env>-<agent> up -d --wait', and records the applied commit. When a
service does not become healthy in time, the agent's last good commit is applied again and the
command exits 1 with a report. Agent folders removed from the repo are taken down.

options:
  --env ENV                  the environment folder (required)
  --identity FILE            the host's age identity (age-keygen -o FILE); needed for secrets.env.age
  --once                     one pass, then exit (default)
  --interval DURATION        keep applying every DURATION (e.g. 30s, 5m); stops on SIGINT/SIGTERM
  --wait-timeout DURATION    how long services may take to report healthy (default 180s)
  --state-dir DIR            mirror, materialized folders and state.json
                             (default $DOCKRION_STATE_DIR or ~/.local/state/dockrion)
${TARGET_HELP}

Exit codes: 0 applied or unchanged, 1 a health check failed (rolled back) or an error, 2 usage.
`;
var MINIMUM_INTERVAL_SECONDS = 5;
function parseDuration(text, flag, minimumSeconds = 0) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m?.[1]) throw new UsageError(`${flag} must be a duration like 30s, 5m or 1h, got '${text}'`);
  const factor = { ms: 1e-3, s: 1, m: 60, h: 3600 }[m[2] ?? "s"];
  const seconds = Number(m[1]) * factor;
  if (seconds < minimumSeconds) {
    throw new UsageError(`${flag} must be at least ${minimumSeconds}s, got '${text}'`);
  }
  return seconds;
}
function describe(report) {
  const lines = [`${report.environment} @ ${report.commit.slice(0, 12)}: ${report.status}`];
  for (const a of report.agents) {
    lines.push(
      `  ${a.agent}: ${a.status}${a.version ? ` ${a.version}` : ""}${a.restored ? ` (restored ${a.restored.slice(0, 12)})` : ""}`
    );
    if (a.detail) lines.push(...a.detail.split("\n").map((l) => `    ${l}`));
  }
  return `${lines.join("\n")}
`;
}
async function run(argv, ctx) {
  const { values } = parseCommandArgs("apply", argv, {
    ...TARGET_OPTIONS,
    env: { type: "string" },
    identity: { type: "string" },
    once: { type: "boolean" },
    interval: { type: "string" },
    "wait-timeout": { type: "string" },
    "state-dir": { type: "string" }
  });
  if (values.help) {
    ctx.stdout(applyUsage);
    return 0;
  }
  if (values.once && values.interval) throw new UsageError("--once and --interval exclude each other");
  const format = formatOf(values.format);
  const environment = requireString("apply", values.env, "--env");
  const target = targetFrom("apply", values, ctx);
  const stateDir = resolve(
    ctx.cwd,
    values["state-dir"] ?? ctx.env.DOCKRION_STATE_DIR ?? join2(ctx.env.HOME ?? homedir(), ".local", "state", "dockrion")
  );
  const applier = new ComposeApplier({
    target,
    environment,
    identityFile: values.identity ? resolve(ctx.cwd, values.identity) : null,
    stateDir,
    waitTimeoutSeconds: Math.ceil(parseDuration(values["wait-timeout"] ?? "180s", "--wait-timeout", 1)),
    exec: ctx.exec,
    docker: new Docker({ exec: ctx.exec, env: ctx.env }),
    logger: ctx.logger,
    now: () => Date.now(),
    env: ctx.env
  });
  const print = (report) => {
    if (format === "json") ctx.stdout(`${JSON.stringify(report)}
`);
    else ctx.stdout(describe(report));
  };
  if (!values.interval) {
    const report = await applier.applyOnce();
    print(report);
    return report.status === "failed" ? 1 : 0;
  }
  const intervalMs = parseDuration(values.interval, "--interval", MINIMUM_INTERVAL_SECONDS) * 1e3;
  let stopping = false;
  let wake = null;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let lastStatus = 0;
  try {
    while (!stopping) {
      try {
        const report = await applier.applyOnce();
        if (report.status !== "unchanged") print(report);
        lastStatus = report.status === "failed" ? 1 : 0;
      } catch (e) {
        ctx.logger.error(e instanceof Error ? e.message : String(e));
        lastStatus = 1;
      }
      await new Promise((resolveSleep) => {
        const timer = setTimeout(resolveSleep, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolveSleep();
        };
        if (stopping) wake();
      });
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  return lastStatus;
}
export {
  applyUsage,
  parseDuration,
  run
};
