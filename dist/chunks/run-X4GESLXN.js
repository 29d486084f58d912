import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  findRepositoryRoot,
  formatDockfileText
} from "./chunk-E7USMKWW.js";
import {
  parseCommandArgs,
  parseEnvAssignments
} from "./chunk-L6BWES6E.js";
import {
  locateRuntimeDir
} from "./chunk-ZKWIVB52.js";
import "./chunk-YNYXG3GD.js";
import {
  loadDockfile,
  normalizeDockfile
} from "./chunk-CJK7HBET.js";
import {
  RUNTIME_DEFAULTS,
  parseEnvFile
} from "./chunk-Y7HVPOHU.js";
import {
  DockrionError,
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/run.ts
import { existsSync as existsSync2, mkdtempSync, readFileSync as readFileSync2, rmSync as rmSync2, statSync, writeFileSync as writeFileSync2 } from "node:fs";
import { tmpdir } from "node:os";
import { dirname as dirname2, join as join2, resolve as resolve2 } from "node:path";

// action/commands/run-process.ts
import { spawn } from "node:child_process";
function exitCodeOf(code, signal) {
  if (code !== null) return code;
  const signals = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9, SIGHUP: 1 };
  return 128 + (signal ? signals[signal] ?? 1 : 1);
}
function serve(ctx, python, runtimeArgs, env, cwd) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, runtimeArgs, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk) => ctx.stderr(chunk.toString()));
    child.stderr?.on("data", (chunk) => ctx.stderr(chunk.toString()));
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      child.kill("SIGTERM");
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const cleanup = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    };
    child.on("error", (e) => {
      cleanup();
      reject(new DockrionError(`cannot start ${python}: ${e.message}`, { code: "runtime-start" }));
    });
    child.on("exit", (code, signal) => {
      cleanup();
      resolvePromise(exitCodeOf(code, signal));
    });
  });
}

// action/commands/run-python.ts
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
var FRAMEWORK_EXTRAS = { langgraph: "langgraph", langchain: "langchain" };
function venvPython(venv) {
  return process.platform === "win32" ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
}
async function hasRuntime(ctx, python) {
  const probe = await ctx.exec.run(python, ["-c", "import dockrion_runtime"], { allowFailure: true });
  return probe.code === 0;
}
async function preparePython(ctx, runtimeDir, framework, requirements) {
  const extra = FRAMEWORK_EXTRAS[framework];
  const runtimeSpec = extra ? `${runtimeDir}[${extra}]` : runtimeDir;
  const explicit = ctx.env.DOCKRION_PYTHON?.includes("/") ? resolve(ctx.cwd, ctx.env.DOCKRION_PYTHON) : ctx.env.DOCKRION_PYTHON;
  if (explicit) {
    if (!await hasRuntime(ctx, explicit)) {
      throw new DockrionError(`DOCKRION_PYTHON=${explicit} cannot import dockrion_runtime`, {
        code: "runtime-missing",
        hint: `install it there: ${explicit} -m pip install '${runtimeSpec}'`
      });
    }
    return { python: explicit, how: "DOCKRION_PYTHON" };
  }
  const active = ctx.env.VIRTUAL_ENV;
  if (active && existsSync(venvPython(active))) {
    const python = venvPython(active);
    if (!await hasRuntime(ctx, python)) {
      ctx.logger.info(`installing the dockrion runtime into the active virtualenv ${active}`);
      await pipInstall(ctx, python, [runtimeSpec]);
    }
    return { python, how: `active virtualenv ${active}` };
  }
  const hash = createHash("sha256");
  hash.update(readFileSync(join(runtimeDir, "pyproject.toml")));
  hash.update(`\0${extra ?? ""}\0`);
  if (requirements) hash.update(readFileSync(requirements));
  const cacheRoot = ctx.env.XDG_CACHE_HOME || join(ctx.env.HOME || homedir(), ".cache");
  const venv = join(cacheRoot, "dockrion", `venv-${hash.digest("hex").slice(0, 16)}`);
  const stamp = join(venv, ".dockrion-ready");
  if (!existsSync(stamp)) {
    rmSync(venv, { recursive: true, force: true });
    mkdirSync(dirname(venv), { recursive: true });
    const base = ctx.env.DOCKRION_PYTHON_BASE || "python3";
    ctx.logger.info(`preparing a virtualenv for the runtime in ${venv} (once per runtime version)`);
    await ctx.exec.run(base, ["-m", "venv", venv], { stream: (s) => ctx.stderr(s) });
    const python = venvPython(venv);
    await pipInstall(ctx, python, ["--upgrade", "pip"]);
    await pipInstall(ctx, python, requirements ? [runtimeSpec, "-r", requirements] : [runtimeSpec]);
    writeFileSync(stamp, `${(/* @__PURE__ */ new Date()).toISOString()}
`);
  }
  return { python: venvPython(venv), how: `cached virtualenv ${venv}` };
}
async function pipInstall(ctx, python, args) {
  await ctx.exec.run(python, ["-m", "pip", "install", "--disable-pip-version-check", "-q", ...args], {
    stream: (s) => ctx.stderr(s)
  });
}

// action/commands/run.ts
var runUsage = `usage: dockrion run [PATH=Dockfile.yaml] [options]

Serves the agent from the working tree with the dockrion runtime: no Docker, Ctrl-C stops it.
The Dockfile is validated, normalized into a temporary dockrion.json, and served by
\`python -m dockrion_runtime\` from the Dockfile's directory.

options:
  --port N          port to listen on (default: expose.port, else 8080)
  --host H          address to bind (default 127.0.0.1: the dev loop is local)
  --env-file F      KEY=VALUE lines with secret values and other variables (repeatable;
                    later files win; the process environment wins over all files)
  --env KEY=VAL     a variable for \${KEY} interpolation in the Dockfile (repeatable)
  -h, --help        show this help

Python: $DOCKRION_PYTHON if set (must already have dockrion_runtime), else the active virtualenv
($VIRTUAL_ENV; the runtime is installed into it when missing), else a cached virtualenv in
$XDG_CACHE_HOME/dockrion/venv-<hash> built once per runtime version, framework and requirements.

exit status: the runtime's (0 after a clean stop, 78 for a missing secret), 1 invalid Dockfile,
2 usage error
`;
function parseRunArgs(argv) {
  const { values, positionals } = parseCommandArgs(
    "run",
    argv,
    {
      port: { type: "string" },
      host: { type: "string" },
      "env-file": { type: "string", multiple: true },
      env: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" }
    },
    true
  );
  if (values.help) return "help";
  if (positionals.length > 1) {
    throw new UsageError(
      `run takes one Dockfile path, got ${positionals.length}`,
      "run 'dockrion run --help'"
    );
  }
  let port;
  if (values.port !== void 0) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
      throw new UsageError(`--port must be an integer from 1 to 65535, got '${values.port}'`);
    }
  }
  return {
    path: positionals[0] ?? "Dockfile.yaml",
    port,
    host: values.host ?? "127.0.0.1",
    envFiles: values["env-file"] ?? [],
    env: parseEnvAssignments(values.env)
  };
}
function envFileValues(text, file) {
  const { values, problems } = parseEnvFile(text);
  const [problem] = problems;
  if (problem) throw new UsageError(`${file}:${problem.line}: ${problem.message}`);
  return Object.fromEntries(values);
}
async function run(argv, ctx) {
  const args = parseRunArgs(argv);
  if (args === "help") {
    ctx.stdout(runUsage);
    return 0;
  }
  const dockfile = resolve2(ctx.cwd, args.path);
  if (!existsSync2(dockfile) || !statSync(dockfile).isFile()) {
    throw new UsageError(
      `${args.path}: no such file`,
      "pass the path of your Dockfile: dockrion run path/to/Dockfile.yaml"
    );
  }
  const fileEnv = {};
  for (const file of args.envFiles) {
    const path = resolve2(ctx.cwd, file);
    if (!existsSync2(path)) throw new UsageError(`--env-file ${file}: no such file`);
    Object.assign(fileEnv, envFileValues(readFileSync2(path, "utf8"), file));
  }
  const childEnv = { ...fileEnv, ...ctx.env };
  delete childEnv.DOCKRION_CONFIG;
  const result = await loadDockfile(args.path, {
    cwd: ctx.cwd,
    env: args.env,
    processEnv: childEnv,
    root: findRepositoryRoot(dirname2(dockfile)),
    exec: ctx.exec
  });
  if (!result.valid || !result.spec) {
    ctx.stderr(formatDockfileText(result, ctx.cwd));
    return 1;
  }
  const config = normalizeDockfile(result.spec);
  const appDir = dirname2(dockfile);
  const agent = config.agent;
  const framework = agent.framework ?? "custom";
  const requirementsName = config.build?.requirements ?? "requirements.txt";
  const requirementsPath = resolve2(appDir, requirementsName);
  const requirements = existsSync2(requirementsPath) ? requirementsPath : void 0;
  const runtimeDir = locateRuntimeDir(ctx.env);
  const { python, how } = await preparePython(ctx, runtimeDir, framework, requirements);
  const workDir = mkdtempSync(join2(tmpdir(), "dockrion-run-"));
  try {
    const configPath = join2(workDir, "dockrion.json");
    writeFileSync2(configPath, `${JSON.stringify(config, null, 2)}
`, { mode: 384 });
    const expose = config.expose;
    const port = args.port ?? expose.port ?? RUNTIME_DEFAULTS.expose.port;
    const runtimeArgs = ["-m", "dockrion_runtime", "--config", configPath, "--app-dir", appDir];
    runtimeArgs.push("--host", args.host, "--port", String(port));
    ctx.logger.info(
      `serving ${agent.name} on http://${args.host}:${port} (docs: /docs) with ${how}; Ctrl-C stops it`
    );
    return await serve(ctx, python, runtimeArgs, childEnv, appDir);
  } finally {
    rmSync2(workDir, { recursive: true, force: true });
  }
}
export {
  envFileValues,
  parseRunArgs,
  run,
  runUsage
};
