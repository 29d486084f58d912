import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImageError } from '../errors.ts';

/**
 * The `runtime/` directory shipped with this tool: next to `dist/` in the published Action and
 * package, two levels up from this file in a checkout. Found by walking up from this module.
 */
export function locateRuntimeDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'runtime');
    if (existsSync(join(candidate, 'pyproject.toml'))) return candidate;
    dir = dirname(dir);
  }
  throw new ImageError('cannot find the dockrion runtime/ directory next to this tool');
}
