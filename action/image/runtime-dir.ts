import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImageError } from '../../shared/errors.ts';

/**
 * The `runtime/` directory shipped with this tool, for `dockrion run` and for image builds:
 * `$DOCKRION_RUNTIME_DIR` when set, else found by walking up from this module (a checkout:
 * action/image → ../../runtime; the bundle: dist/cli.js → ../runtime, dist/chunks/*.js → ../../runtime).
 */
export function locateRuntimeDir(
  env: Readonly<Record<string, string | undefined>> = {},
  from: string = dirname(fileURLToPath(import.meta.url)),
): string {
  const override = env.DOCKRION_RUNTIME_DIR;
  if (override) {
    if (!existsSync(join(override, 'pyproject.toml'))) {
      throw new ImageError(`DOCKRION_RUNTIME_DIR=${override} has no pyproject.toml`);
    }
    return override;
  }
  let dir = from;
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, 'runtime');
    if (existsSync(join(candidate, 'pyproject.toml')) && existsSync(join(candidate, 'dockrion_runtime'))) {
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ImageError(
    'cannot find the dockrion runtime package next to this tool',
    'reinstall @dockrion/deploy, or set DOCKRION_RUNTIME_DIR to its runtime/ folder',
  );
}
