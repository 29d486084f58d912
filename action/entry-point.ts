import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `moduleUrl` is the process's entry script (`node dist/main.js`,
 * `dockrion` through a bin symlink), not an import. Pass the caller's own `import.meta.url`:
 * with bundle splitting this module may live in a shared chunk.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
