import { nodeExec } from '../../action/adapters/exec.ts';
import { type Logger, silentLogger } from '../../action/adapters/logger.ts';
import type { GitOpsContext } from '../../action/gitops/index.ts';
import { GitOpsError } from '../../shared/errors.ts';

/** A context with a controllable clock and a logger that keeps what it was told. */
export function context(
  startSeconds = 1_800_000_000,
): GitOpsContext & { lines: string[]; tick(s: number): void } {
  let now = startSeconds * 1000;
  const lines: string[] = [];
  const base = silentLogger();
  const logger: Logger = {
    ...base,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  return {
    exec: nodeExec(),
    logger,
    now: () => now,
    lines,
    tick(s: number) {
      now += s * 1000;
    },
  };
}

/** The GitOpsError a promise rejects with; anything else (or success) fails the test. */
export async function gitOpsFailure(promise: Promise<unknown>): Promise<GitOpsError> {
  try {
    await promise;
  } catch (e: unknown) {
    if (e instanceof GitOpsError) return e;
    throw e;
  }
  throw new Error('expected a GitOpsError, but the operation succeeded');
}
