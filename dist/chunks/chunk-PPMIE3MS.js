import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  ExecError,
  ImageError
} from "./chunk-NQESISYT.js";

// action/adapters/docker.ts
function buildxArgs(invocation) {
  const args = ["buildx", "build"];
  if (invocation.builder) args.push("--builder", invocation.builder);
  args.push("--progress", "plain", "--file", `${invocation.contextDir}/Dockerfile`);
  args.push("--platform", invocation.platforms.join(","));
  for (const tag of invocation.tags) args.push("--tag", tag);
  if (invocation.baseImage) args.push("--build-arg", `BASE_IMAGE=${invocation.baseImage}`);
  args.push(`--provenance=${invocation.provenance === false ? "false" : `mode=${invocation.provenance}`}`);
  args.push(`--sbom=${invocation.sbom ? "true" : "false"}`);
  if (invocation.noCache) args.push("--no-cache");
  for (const spec of invocation.cacheFrom ?? []) args.push("--cache-from", spec);
  for (const spec of invocation.cacheTo ?? []) args.push("--cache-to", spec);
  args.push("--metadata-file", invocation.metadataFile);
  args.push("--output", `type=${invocation.push ? "registry" : "docker"},rewrite-timestamp=true`);
  args.push(invocation.contextDir);
  return args;
}
var SBOM_SCANNER_IMAGE = "docker/buildkit-syft-scanner";
function sbomScannerFailure(stderr) {
  const line = stderr.split("\n").reverse().find((l) => l.includes(SBOM_SCANNER_IMAGE) && /error|failed|not found|denied|refused|timeout/i.test(l));
  if (!line) return void 0;
  const image = new RegExp(`(?:[\\w.:-]+/)?${SBOM_SCANNER_IMAGE}(?::[\\w.-]+)?`).exec(line)?.[0] ?? SBOM_SCANNER_IMAGE;
  return {
    image,
    line: line.replace(/^#\d+\s+/, "").trim().slice(0, 400)
  };
}
function lastLines(text, count) {
  return text.trim().split("\n").slice(-count).join("\n");
}
var ENGINE_DOWN = /Cannot connect to the Docker daemon|docker daemon is not running/i;
var PROBE_TIMEOUT_MS = 3e4;
var Docker = class {
  exec;
  env;
  constructor(options) {
    this.exec = options.exec;
    this.env = options.env;
  }
  /** The one call to the exec seam: a non-zero exit comes back as a result, never as a throw. */
  run(args, options = {}) {
    const env = options.env ? { ...this.env ?? process.env, ...options.env } : this.env;
    return this.exec.run("docker", args, {
      allowFailure: true,
      ...env ? { env } : {},
      ...options.input === void 0 ? {} : { input: options.input },
      ...options.stream ? { stream: options.stream } : {},
      ...options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}
    }).catch((e) => {
      if (e?.code === "ENOENT") {
        throw new ImageError(
          `docker is not installed or not on PATH (needed for docker ${args[0] ?? ""})`,
          "install the Docker CLI with the buildx and compose plugins, or add it to PATH",
          e
        );
      }
      throw e;
    });
  }
  /**
   * The one place a failed docker call becomes a typed error. The ExecError is kept as `cause`,
   * with every secret of the call blanked out of its output; an engine that does not answer gets
   * the same hint whatever the command was.
   */
  failure(args, result, message, hint, secrets = []) {
    const scrub = (text) => secrets.reduce((t, s) => s ? t.split(s).join("***") : t, text);
    const cause = new ExecError("docker", args, {
      code: result.code,
      stdout: scrub(result.stdout),
      stderr: scrub(result.stderr)
    });
    const engineDown = ENGINE_DOWN.test(result.stderr);
    return new ImageError(
      scrub(message),
      engineDown ? "start the Docker engine, or point DOCKER_HOST at a running one" : hint,
      cause
    );
  }
  // -- the engine ---------------------------------------------------------------------------
  /** The engine's version (`docker version`), or null with what docker said when it does not answer. */
  async engineVersion() {
    const result = await this.run(["version", "--format", "{{.Server.Version}}"], {
      timeoutMs: PROBE_TIMEOUT_MS
    });
    const version = result.stdout.trim();
    if (result.code === 0 && version !== "") return { version };
    return {
      version: null,
      detail: lastLines(`${result.stdout}
${result.stderr}`, 2) || `docker exited ${result.code}`
    };
  }
  /** The Compose plugin's version (`docker compose version --short`), or null without the plugin. */
  async composeVersion() {
    const result = await this.run(["compose", "version", "--short"], { timeoutMs: PROBE_TIMEOUT_MS });
    const version = result.stdout.trim();
    return result.code === 0 && version !== "" ? version : null;
  }
  /** Whether the engine keeps images in containerd (its `docker` builder can then attach attestations). */
  async containerdImageStore() {
    const result = await this.run(["info", "--format", "{{json .DriverStatus}}"]);
    return result.stdout.includes("io.containerd.snapshotter");
  }
  // -- buildx and the registry --------------------------------------------------------------
  /** The driver of a buildx builder (default: the current one): `docker`, `docker-container`, `remote` … */
  async builderDriver(builder) {
    const args = ["buildx", "inspect", ...builder ? [builder] : []];
    const result = await this.run(args);
    if (result.code !== 0) {
      throw this.failure(
        args,
        result,
        `docker buildx is not usable: ${result.stderr.trim().split("\n").pop() ?? ""}`,
        "install the buildx plugin (docker-buildx) and start the Docker engine"
      );
    }
    return /^Driver:[ \t]*(\S+)/m.exec(result.stdout)?.[1] ?? "unknown";
  }
  /** `docker login` into `login.configDir`, the password on stdin. */
  async login(login) {
    const args = ["--config", login.configDir, "login", login.host, "--username", login.username];
    args.push("--password-stdin");
    const result = await this.run(args, { input: login.password });
    if (result.code !== 0) {
      throw this.failure(
        args,
        result,
        `docker login ${login.host} failed: ${result.stderr.trim().split("\n").pop() ?? ""}`,
        login.host === "ghcr.io" ? "the workflow needs `permissions: packages: write`" : null,
        [login.password]
      );
    }
  }
  /** `docker buildx build`; its log streams to `run.stream`, and a failure names the failing line. */
  async buildxBuild(invocation, run) {
    const args = buildxArgs(invocation);
    const env = { SOURCE_DATE_EPOCH: String(run.sourceDateEpoch) };
    if (run.configDir) env.DOCKER_CONFIG = run.configDir;
    const result = await this.run(args, { env, stream: run.stream });
    if (result.code === 0) return;
    const scanner = invocation.sbom ? sbomScannerFailure(result.stderr) : void 0;
    if (scanner) {
      throw this.failure(
        args,
        result,
        `the builder cannot fetch the SBOM scanner image ${scanner.image}: ${scanner.line}`,
        `let the builder pull ${scanner.image} (or a mirror of it), or build with sbom: false`
      );
    }
    const lastError = result.stderr.trim().split("\n").reverse().find((line) => /error/i.test(line));
    throw this.failure(
      args,
      result,
      `docker buildx build failed (exit ${result.code})${lastError ? `: ${lastError.trim()}` : ""}`,
      "the build log above shows the step that failed"
    );
  }
  // -- Compose and containers ----------------------------------------------------------------
  /** `docker compose up --detach --wait`: returns when every service is healthy, or at the timeout. */
  async composeUp(project, waitTimeoutSeconds) {
    const result = await this.run(
      [
        "compose",
        "--project-name",
        project.name,
        "--project-directory",
        project.dir,
        "--file",
        `${project.dir}/compose.yaml`,
        "up",
        "--detach",
        "--wait",
        "--wait-timeout",
        String(waitTimeoutSeconds),
        "--remove-orphans",
        "--quiet-pull"
      ],
      // Past the wait, pulls may still be running: Compose gets five more minutes before it is killed.
      { timeoutMs: (waitTimeoutSeconds + 300) * 1e3 }
    );
    return { ok: result.code === 0, output: `${result.stdout}
${result.stderr}` };
  }
  /** `docker compose down` of a project, its volumes and orphans included. */
  async composeDown(projectName) {
    const result = await this.run([
      "compose",
      "--project-name",
      projectName,
      "down",
      "--volumes",
      "--remove-orphans"
    ]);
    return { ok: result.code === 0, output: `${result.stdout}
${result.stderr}` };
  }
  /** The ids of a Compose project's containers, stopped ones included; `error` when docker failed. */
  async projectContainerIds(projectName) {
    const result = await this.run(["ps", "--all", "--quiet", "--filter", projectLabel(projectName)]);
    if (result.code !== 0) return { ids: [], error: result.stderr.trim() };
    return { ids: result.stdout.split("\n").filter(Boolean), error: null };
  }
  /** Each container's state and health (`docker inspect`), or what docker said when it failed. */
  async containerStates(ids) {
    const result = await this.run([
      "inspect",
      "--format",
      "{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}",
      ...ids
    ]);
    if (result.code !== 0) return { states: null, error: result.stderr.trim() };
    const states = result.stdout.split("\n").filter(Boolean).map((line) => {
      const [name = "", status = "", health = ""] = line.trim().split(" ");
      return { name: name.replace(/^\//, ""), status, health };
    });
    return { states, error: null };
  }
  /** `name: status` of each container of a Compose project, one a line (for a failure report). */
  async projectStatus(projectName) {
    const result = await this.run([
      "ps",
      "--all",
      "--filter",
      projectLabel(projectName),
      "--format",
      "{{.Names}}: {{.Status}}"
    ]);
    return result.stdout.trim();
  }
};
function projectLabel(projectName) {
  return `label=com.docker.compose.project=${projectName}`;
}

export {
  lastLines,
  Docker
};
