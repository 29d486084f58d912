import { type ChildProcess, spawn } from 'node:child_process';
import { DockrionError } from '../../shared/errors.ts';
import type { CliContext } from './context.ts';

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const signals: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9, SIGHUP: 1 };
  return 128 + (signal ? (signals[signal] ?? 1) : 1);
}

/** Runs the runtime until it exits; SIGINT/SIGTERM become one graceful SIGTERM for it. */
export function serve(
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
