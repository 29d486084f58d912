import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DockerShimOptions {
  /** What `docker version --format {{.Server.Version}}` prints. */
  engine: string;
  /** What `docker compose version --short` prints. */
  compose: string;
  /**
   * Answer the version questions only the first time each is asked, then hand every call to the
   * real CLI: an engine that passes apply's start-up check and then goes away.
   */
  once?: boolean;
}

/**
 * A `docker` in front of the real one that reports chosen versions. This machine has one Docker
 * Engine (26) and one Compose (2.26), so an engine older than apply's minimums, or one that dies
 * between the version check and `compose up`, cannot be had for real; everything else goes to
 * the real CLI. Returns the PATH to run under.
 */
export function dockerShim(dir: string, options: DockerShimOptions): string {
  const real = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  const bin = join(dir, 'shim-bin');
  mkdirSync(bin, { recursive: true });
  const answered = join(dir, 'shim-answered');
  const answerOnce = (key: string, value: string) =>
    options.once
      ? `if [ ! -e '${answered}-${key}' ]; then : > '${answered}-${key}'; echo '${value}'; exit 0; fi`
      : `echo '${value}'; exit 0`;
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/sh
if [ "$*" = 'version --format {{.Server.Version}}' ]; then ${answerOnce('engine', options.engine)}; fi
if [ "$*" = 'compose version --short' ]; then ${answerOnce('compose', options.compose)}; fi
exec '${real}' "$@"
`,
  );
  chmodSync(join(bin, 'docker'), 0o755);
  return `${bin}:${process.env.PATH ?? ''}`;
}
