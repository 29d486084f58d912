import { spawn } from 'node:child_process';
import { DockrionError } from '../../shared/errors.ts';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then stdin is closed. */
  input?: string | Buffer;
  /** Called with each chunk of output as it arrives (build logs). */
  stream?: (chunk: string) => void;
  /** When false (default), a non-zero exit rejects with ExecError. */
  allowFailure?: boolean;
  timeoutMs?: number;
  /**
   * Run the child as the leader of its own process group, so a timeout kills what it started too
   * (git's remote helper holds the connection and the pipes). Not for interactive commands: a
   * terminal's Ctrl-C no longer reaches the group.
   */
  processGroup?: boolean;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Exec {
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

/** A program the exec seam ran exited non-zero (and the caller did not allow it). */
export class ExecError extends DockrionError {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly result: ExecResult,
  ) {
    const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
    super(`${command} ${args[0] ?? ''} exited with ${result.code}${tail ? `: ${tail}` : ''}`, {
      code: 'exec',
    });
  }
}

export function nodeExec(): Exec {
  return {
    run(command, args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
          cwd: options.cwd,
          env: options.env ?? process.env,
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: options.processGroup === true,
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let timer: NodeJS.Timeout | undefined;
        let timedOut = false;
        if (options.timeoutMs) {
          timer = setTimeout(() => {
            timedOut = true;
            try {
              if (options.processGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
              else child.kill('SIGKILL');
            } catch {
              child.kill('SIGKILL');
            }
          }, options.timeoutMs);
        }
        child.on('exit', () => {
          // Whatever still holds the pipes after the kill must not keep the run waiting.
          if (timedOut) {
            child.stdout.destroy();
            child.stderr.destroy();
          }
        });
        child.stdout.on('data', (b: Buffer) => {
          out.push(b);
          options.stream?.(b.toString('utf8'));
        });
        child.stderr.on('data', (b: Buffer) => {
          err.push(b);
          options.stream?.(b.toString('utf8'));
        });
        child.on('error', (e) => {
          if (timer) clearTimeout(timer);
          reject(e);
        });
        child.on('close', (code, signal) => {
          if (timer) clearTimeout(timer);
          const result = {
            code: code ?? (signal ? 128 : 1),
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          };
          if (result.code !== 0 && !options.allowFailure) reject(new ExecError(command, args, result));
          else resolve(result);
        });
        if (options.input !== undefined) child.stdin.end(options.input);
        else child.stdin.end();
      });
    },
  };
}
