import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseEnvFile } from '../../generators/env-file.ts';
import { RUNTIME_DEFAULTS } from '../../schemas/runtime-defaults.ts';
import { loadDockfile, normalizeDockfile } from '../dockfile/index.ts';
import { DockrionError, UsageError } from '../errors.ts';
import { locateRuntimeDir } from '../image/runtime-dir.ts';
import { parseCommandArgs, parseEnvAssignments } from './args.ts';
import type { CliContext } from './context.ts';
import { findRepositoryRoot, formatDockfileText } from './dockfile-loading.ts';

export const runUsage = `usage: dockrion run [PATH=Dockfile.yaml] [options]

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

interface RunArgs {
  path: string;
  port: number | undefined;
  host: string;
  envFiles: string[];
  env: Record<string, string>;
}

export function parseRunArgs(argv: string[]): RunArgs | 'help' {
  const { values, positionals } = parseCommandArgs(
    'run',
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'env-file': { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return 'help';
  if (positionals.length > 1) {
    throw new UsageError(
      `run takes one Dockfile path, got ${positionals.length}`,
      "run 'dockrion run --help'",
    );
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
      throw new UsageError(`--port must be an integer from 1 to 65535, got '${values.port}'`);
    }
  }
  return {
    path: positionals[0] ?? 'Dockfile.yaml',
    port,
    host: values.host ?? '127.0.0.1',
    envFiles: values['env-file'] ?? [],
    env: parseEnvAssignments(values.env),
  };
}

/** An `--env-file`: the dotenv grammar of generators/env-file.ts; a bad line is an error naming it. */
export function envFileValues(text: string, file: string): Record<string, string> {
  const { values, problems } = parseEnvFile(text);
  const [problem] = problems;
  if (problem) throw new UsageError(`${file}:${problem.line}: ${problem.message}`);
  return Object.fromEntries(values);
}

const FRAMEWORK_EXTRAS: Record<string, string> = { langgraph: 'langgraph', langchain: 'langchain' };

function venvPython(venv: string): string {
  return process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

async function hasRuntime(ctx: CliContext, python: string): Promise<boolean> {
  const probe = await ctx.exec.run(python, ['-c', 'import dockrion_runtime'], { allowFailure: true });
  return probe.code === 0;
}

interface PythonChoice {
  python: string;
  how: string;
}

/** Which interpreter serves the agent, installing the runtime when the chosen place lacks it. */
async function preparePython(
  ctx: CliContext,
  runtimeDir: string,
  framework: string,
  requirements: string | undefined,
): Promise<PythonChoice> {
  const extra = FRAMEWORK_EXTRAS[framework];
  const runtimeSpec = extra ? `${runtimeDir}[${extra}]` : runtimeDir;
  // A relative path means relative to where the user typed the command, not to the agent's folder
  // the runtime is started in.
  const explicit = ctx.env.DOCKRION_PYTHON?.includes('/')
    ? resolve(ctx.cwd, ctx.env.DOCKRION_PYTHON)
    : ctx.env.DOCKRION_PYTHON;
  if (explicit) {
    if (!(await hasRuntime(ctx, explicit))) {
      throw new DockrionError(`DOCKRION_PYTHON=${explicit} cannot import dockrion_runtime`, {
        code: 'runtime-missing',
        hint: `install it there: ${explicit} -m pip install '${runtimeSpec}'`,
      });
    }
    return { python: explicit, how: 'DOCKRION_PYTHON' };
  }
  const active = ctx.env.VIRTUAL_ENV;
  if (active && existsSync(venvPython(active))) {
    const python = venvPython(active);
    if (!(await hasRuntime(ctx, python))) {
      ctx.logger.info(`installing the dockrion runtime into the active virtualenv ${active}`);
      await pipInstall(ctx, python, [runtimeSpec]);
    }
    return { python, how: `active virtualenv ${active}` };
  }

  const hash = createHash('sha256');
  hash.update(readFileSync(join(runtimeDir, 'pyproject.toml')));
  hash.update(`\0${extra ?? ''}\0`);
  if (requirements) hash.update(readFileSync(requirements));
  const cacheRoot = ctx.env.XDG_CACHE_HOME || join(ctx.env.HOME || homedir(), '.cache');
  const venv = join(cacheRoot, 'dockrion', `venv-${hash.digest('hex').slice(0, 16)}`);
  const stamp = join(venv, '.dockrion-ready');
  if (!existsSync(stamp)) {
    // A venv without the stamp is a half-finished earlier attempt: start again.
    rmSync(venv, { recursive: true, force: true });
    mkdirSync(dirname(venv), { recursive: true });
    const base = ctx.env.DOCKRION_PYTHON_BASE || 'python3';
    ctx.logger.info(`preparing a virtualenv for the runtime in ${venv} (once per runtime version)`);
    await ctx.exec.run(base, ['-m', 'venv', venv], { stream: (s) => ctx.stderr(s) });
    const python = venvPython(venv);
    await pipInstall(ctx, python, ['--upgrade', 'pip']);
    await pipInstall(ctx, python, requirements ? [runtimeSpec, '-r', requirements] : [runtimeSpec]);
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }
  return { python: venvPython(venv), how: `cached virtualenv ${venv}` };
}

async function pipInstall(ctx: CliContext, python: string, args: string[]): Promise<void> {
  await ctx.exec.run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', ...args], {
    stream: (s) => ctx.stderr(s),
  });
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const signals: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9, SIGHUP: 1 };
  return 128 + (signal ? (signals[signal] ?? 1) : 1);
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseRunArgs(argv);
  if (args === 'help') {
    ctx.stdout(runUsage);
    return 0;
  }
  const dockfile = resolve(ctx.cwd, args.path);
  if (!existsSync(dockfile) || !statSync(dockfile).isFile()) {
    throw new UsageError(
      `${args.path}: no such file`,
      'pass the path of your Dockfile: dockrion run path/to/Dockfile.yaml',
    );
  }
  const fileEnv: Record<string, string> = {};
  for (const file of args.envFiles) {
    const path = resolve(ctx.cwd, file);
    if (!existsSync(path)) throw new UsageError(`--env-file ${file}: no such file`);
    Object.assign(fileEnv, envFileValues(readFileSync(path, 'utf8'), file));
  }
  // The process environment wins over files, like docker compose's env_file.
  const childEnv: NodeJS.ProcessEnv = { ...fileEnv, ...ctx.env };
  delete childEnv.DOCKRION_CONFIG; // it would override the config written below

  const result = await loadDockfile(args.path, {
    cwd: ctx.cwd,
    env: args.env,
    processEnv: childEnv,
    root: findRepositoryRoot(dirname(dockfile)),
    exec: ctx.exec,
  });
  if (!result.valid || !result.spec) {
    ctx.stderr(formatDockfileText(result, ctx.cwd));
    return 1;
  }
  const config = normalizeDockfile(result.spec);
  const appDir = dirname(dockfile);
  const agent = config.agent as { name: string; framework?: string; handler?: string };
  const framework = agent.framework ?? 'custom';
  const requirementsName =
    (config as { build?: { requirements?: string } }).build?.requirements ?? 'requirements.txt';
  const requirementsPath = resolve(appDir, requirementsName);
  const requirements = existsSync(requirementsPath) ? requirementsPath : undefined;

  const runtimeDir = locateRuntimeDir(ctx.env);
  const { python, how } = await preparePython(ctx, runtimeDir, framework, requirements);

  const workDir = mkdtempSync(join(tmpdir(), 'dockrion-run-'));
  try {
    const configPath = join(workDir, 'dockrion.json');
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    const expose = config.expose as { port?: number };
    const port = args.port ?? expose.port ?? RUNTIME_DEFAULTS.expose.port;
    const runtimeArgs = ['-m', 'dockrion_runtime', '--config', configPath, '--app-dir', appDir];
    runtimeArgs.push('--host', args.host, '--port', String(port));
    ctx.logger.info(
      `serving ${agent.name} on http://${args.host}:${port} (docs: /docs) with ${how}; Ctrl-C stops it`,
    );
    return await serve(ctx, python, runtimeArgs, childEnv, appDir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs the runtime until it exits; SIGINT/SIGTERM become one graceful SIGTERM for it. */
function serve(
  ctx: CliContext,
  python: string,
  runtimeArgs: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(python, runtimeArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Its logs are progress for the developer: stderr, so our stdout stays for results.
    child.stdout?.on('data', (chunk: Buffer) => ctx.stderr(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => ctx.stderr(chunk.toString()));
    let stopping = false;
    // A terminal's Ctrl-C reaches the runtime too (same process group). Forwarding it as SIGTERM,
    // not a second SIGINT, keeps the stop graceful: uvicorn treats a repeated SIGINT as "force".
    const stop = () => {
      if (stopping) return;
      stopping = true;
      child.kill('SIGTERM');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const cleanup = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    child.on('error', (e) => {
      cleanup();
      reject(new DockrionError(`cannot start ${python}: ${e.message}`, { code: 'runtime-start' }));
    });
    child.on('exit', (code, signal) => {
      cleanup();
      resolvePromise(exitCodeOf(code, signal));
    });
  });
}
