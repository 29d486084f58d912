import { nodeExec } from '../../action/adapters/exec.ts';
import { consoleLogger, silentLogger } from '../../action/adapters/logger.ts';
import { main } from '../../action/cli.ts';
import type { CliContext } from '../../action/commands/context.ts';

export interface CliCapture {
  ctx: CliContext;
  /** `main(argv, ctx)`: the exit code. */
  run(argv: string[]): Promise<number>;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far, logger lines included. */
  stderr(): string;
}

/**
 * A `CliContext` for driving `dockrion` in-process: real exec, stdout and stderr captured, the
 * logger writing into stderr (`logger: 'silent'` drops its lines). `mirror` also receives every
 * stderr chunk (and stdout's with `mirrorStdout`), e.g. a log shared by several calls.
 */
export function captureCli(options: {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logger?: 'console' | 'silent';
  mirror?: (s: string) => void;
  mirrorStdout?: boolean;
}): CliCapture {
  const out: string[] = [];
  const err: string[] = [];
  const { mirror } = options;
  const toStderr = (s: string) => {
    err.push(s);
    mirror?.(s);
  };
  const ctx: CliContext = {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: (s) => {
      out.push(s);
      if (options.mirrorStdout) mirror?.(s);
    },
    stderr: toStderr,
    logger: options.logger === 'silent' ? silentLogger() : consoleLogger({ write: toStderr }),
    exec: nodeExec(),
  };
  return {
    ctx,
    run: (argv) => main(argv, ctx),
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
