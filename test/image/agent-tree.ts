import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { DockSpec } from '../../action/dockfile/types.ts';

/** A throwaway directory tree, removed by `dispose()`. */
export interface TempTree {
  root: string;
  write(path: string, content: string): string;
  dispose(): void;
}

export function tempTree(prefix: string): TempTree {
  const root = mkdtempSync(join(tmpdir(), `dockrion-${prefix}-`));
  return {
    root,
    write(path, content) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The Dockfile as the validator would hand it over (tests write only valid ones). */
export function specOf(yamlText: string): DockSpec {
  return Object.freeze(parse(yamlText)) as DockSpec;
}
