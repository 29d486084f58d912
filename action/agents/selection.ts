import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { globToRegExp } from '../image/build-context/patterns.ts';

/**
 * What the `dockfile` input (or the CLI's file arguments) names:
 * - `single`: one plain path, exactly as before many agents existed (no change detection, the
 *   singular outputs);
 * - `many`: a glob (`agents/*\/Dockfile.yaml`) or a newline-separated list of paths and globs.
 */
export type DockfileSelection = { kind: 'single'; path: string } | { kind: 'many'; patterns: string[] };

const GLOB_CHARS = /[*?[]/;

/** Directories a `**` never descends into: git's own data and dependency trees hold no agents. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

/** Reads the input: one line without glob characters is a single path, anything else a selection. */
export function parseDockfileInput(value: string, field = "input 'dockfile'"): DockfileSelection {
  const lines = value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) {
    throw new UsageError(
      `${field} is empty`,
      'e.g. dockfile: Dockfile.yaml or dockfile: agents/*/Dockfile.yaml',
    );
  }
  const [first] = lines;
  if (lines.length === 1 && first !== undefined && !GLOB_CHARS.test(first))
    return { kind: 'single', path: first };
  return { kind: 'many', patterns: lines };
}

/**
 * A pattern as path segments relative to the workspace, or a usage error naming it when it is
 * absolute or climbs out (`../other-repo/*`): nothing outside the checked-out repository is read.
 */
function workspaceSegments(pattern: string, field: string): string[] {
  const slashed = pattern.replaceAll('\\', '/');
  const normalized = normalize(slashed).split(sep).join('/');
  if (isAbsolute(slashed) || normalized === '..' || normalized.startsWith('../')) {
    throw new UsageError(
      `${field}: '${pattern.slice(0, 120)}' is outside the workspace`,
      'name Dockfiles relative to the repository root, e.g. agents/*/Dockfile.yaml',
    );
  }
  return normalized.split('/').filter((s) => s !== '' && s !== '.');
}

function listDirectory(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Files under `root` matching the glob segments (`**` = any number of directories). */
function expand(root: string, segments: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, rest: readonly string[]): void => {
    const [head, ...tail] = rest;
    if (head === undefined) return;
    if (head === '**') {
      walk(dir, tail);
      for (const entry of listDirectory(dir)) {
        // Hidden directories, as in a shell; symlinked ones are not followed (no loops, no way out).
        if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.'))
          walk(join(dir, entry.name), rest);
      }
      return;
    }
    if (!GLOB_CHARS.test(head)) {
      const path = join(dir, head);
      if (tail.length === 0) {
        if (isFile(path)) found.push(path);
      } else walk(path, tail);
      return;
    }
    // The same glob grammar as build.include.patterns, one segment at a time.
    const matcher = globToRegExp(head);
    // A hidden entry is matched only by a pattern that spells the dot, as in a shell.
    const hiddenOk = head.startsWith('.');
    for (const entry of listDirectory(dir)) {
      if (!matcher.test(entry.name) || (entry.name.startsWith('.') && !hiddenOk)) continue;
      if (entry.name === '.git') continue;
      const path = join(dir, entry.name);
      if (tail.length === 0) {
        if (isFile(path)) found.push(path);
      } else if (entry.isDirectory() || isDirectory(path)) walk(path, tail);
    }
  };
  walk(root, segments);
  return found;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Every Dockfile the patterns name, as sorted workspace-relative paths (`/`-separated), each once.
 * A pattern that matches nothing is an error naming it: a typo must not quietly validate nothing.
 */
export function resolveDockfiles(
  patterns: readonly string[],
  workspace: string,
  field = "input 'dockfile'",
): string[] {
  const root = resolve(workspace);
  const all = new Set<string>();
  for (const pattern of patterns) {
    const segments = workspaceSegments(pattern, field);
    const matches = expand(root, segments);
    if (matches.length === 0) {
      throw new UsageError(
        `${field}: '${pattern.slice(0, 120)}' matches no file in the workspace`,
        'check the pattern (relative to the repository root, e.g. agents/*/Dockfile.yaml) and that the repository is checked out',
      );
    }
    const realRoot = realpathSync(root);
    for (const path of matches) {
      // A symlink may lead out of the checkout; the Dockfile loader would refuse it too.
      const real = relative(realRoot, realpathSync(path));
      if (real.startsWith('..') || isAbsolute(real)) continue;
      all.add(relative(root, path).split(sep).join('/'));
    }
  }
  return [...all].sort();
}
