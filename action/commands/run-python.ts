import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DockrionError } from '../../shared/errors.ts';
import type { CliContext } from './context.ts';

/**
 * `dockrion run`'s Python: DOCKRION_PYTHON, else the active virtualenv, else a cached virtualenv
 * per runtime version and requirements, with the runtime package installed into it.
 */

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
export async function preparePython(
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
