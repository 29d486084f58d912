import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseEnvFile } from '../../generators/env-file.ts';
import { RUNTIME_DEFAULTS } from '../../schemas/runtime-defaults.ts';
import { UsageError } from '../../shared/errors.ts';
import { loadDockfile, normalizeDockfile } from '../dockfile/index.ts';
import { locateRuntimeDir } from '../image/runtime-dir.ts';
import { parseCommandArgs, parseEnvAssignments } from './args.ts';
import type { CliContext } from './context.ts';
import { findRepositoryRoot, formatDockfileText } from './dockfile-loading.ts';
import { serve } from './run-process.ts';
import { preparePython } from './run-python.ts';

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
