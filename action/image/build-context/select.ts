import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ImageError } from '../../../shared/errors.ts';
import { compileRules, isExcluded, matchesAny, type PathRule, parseDockerignore } from './patterns.ts';

/**
 * Never copied into an image, whatever the Dockfile or `.dockerignore` say: secret material
 * (`.env` files, decrypted or encrypted secret files), VCS and tool state, caches.
 */
export const ALWAYS_EXCLUDED: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/*.env.age',
  '**/secrets.env',
  '**/.git',
  '**/.venv',
  '**/venv',
  '**/node_modules',
  '**/__pycache__',
  '**/*.pyc',
  '**/.pytest_cache',
  '**/.mypy_cache',
  '**/.ruff_cache',
  '.dockerignore',
  '.dockrion',
];

/** Directories never descended into, for speed; all are in ALWAYS_EXCLUDED. */
const PRUNED_DIRECTORIES = new Set(['.git', '.venv', 'venv', 'node_modules', '__pycache__', '.dockrion']);

export interface AgentSelection {
  /** `build.include`, `build.exclude` as written in the Dockfile. */
  include?: { directories?: readonly string[]; files?: readonly string[]; patterns?: readonly string[] };
  exclude?: readonly string[];
  /** `agent.entrypoint` or `agent.handler`: its top-level module is always included. */
  entry: string;
  /** Relative paths never copied as agent code (the Dockfile itself). */
  alsoExclude?: readonly string[];
  /** Absolute paths of directories to skip entirely (the context output dir). */
  skipDirectories?: readonly string[];
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function listFiles(root: string, skip: ReadonlySet<string>): string[] {
  const rootReal = realpathSync(root);
  const out: string[] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const rel = toPosix(relative(root, full));
      if (entry.isDirectory()) {
        if (PRUNED_DIRECTORIES.has(entry.name) || skip.has(full)) continue;
        visit(full);
      } else if (entry.isFile()) {
        out.push(rel);
      } else if (entry.isSymbolicLink()) {
        if (PRUNED_DIRECTORIES.has(entry.name)) continue;
        const target = realpathSync(full);
        if (!target.startsWith(rootReal + sep) || !statSync(target).isFile()) {
          throw new ImageError(
            `${rel} is a symbolic link to ${statSync(target).isDirectory() ? 'a directory' : 'a path outside the agent directory'}`,
            'the image gets file contents only: replace the link with the file, or exclude it in build.exclude',
          );
        }
        out.push(rel);
      }
    }
  };
  visit(root);
  return out;
}

/** The top-level module of `pkg.sub.mod:factory` as a path: `pkg` (a package) or `pkg.py`. */
export function entryModuleRoots(entry: string): string[] {
  const moduleName = entry.split(':')[0] ?? '';
  const top = moduleName.split('.')[0] ?? '';
  return top ? [top, `${top}.py`] : [];
}

/**
 * The agent files that go into the image, relative to the agent directory, sorted. Without
 * `build.include` that is every file; with it, only what it names plus the entry module. Then
 * `.dockerignore`, `build.exclude` and ALWAYS_EXCLUDED remove files (ALWAYS_EXCLUDED cannot be
 * re-included with `!`).
 */
export function selectAgentFiles(agentDir: string, selection: AgentSelection): string[] {
  const all = listFiles(agentDir, new Set(selection.skipDirectories ?? []));
  const present = new Set(all);
  const isDirectory = (rel: string) => all.some((f) => f.startsWith(`${rel}/`));

  let included: (path: string) => boolean = () => true;
  const include = selection.include;
  const includeGiven =
    include !== undefined &&
    ((include.directories?.length ?? 0) > 0 ||
      (include.files?.length ?? 0) > 0 ||
      (include.patterns?.length ?? 0) > 0);
  if (include && includeGiven) {
    const directories = (include.directories ?? []).map((d) => d.replace(/^\.\/|\/+$/g, ''));
    const files = (include.files ?? []).map((f) => f.replace(/^\.\//, ''));
    for (const d of directories) {
      if (!isDirectory(d))
        throw new ImageError(`build.include.directories: ${d} is not a directory in the agent`);
    }
    for (const f of files) {
      if (!present.has(f)) throw new ImageError(`build.include.files: ${f} is not a file in the agent`);
    }
    const patternRules = compileRules(include.patterns ?? []);
    const roots = entryModuleRoots(selection.entry);
    included = (path) =>
      files.includes(path) ||
      directories.some((d) => d === '' || path.startsWith(`${d}/`)) ||
      roots.some((r) => path === r || path.startsWith(`${r}/`)) ||
      matchesAny(path, patternRules);
  }

  const dockerignorePath = join(agentDir, '.dockerignore');
  const dockerignore: PathRule[] = present.has('.dockerignore')
    ? parseDockerignore(readFileSync(dockerignorePath, 'utf8'))
    : [];
  const userRules = [...dockerignore, ...compileRules(selection.exclude ?? [])];
  const alwaysRules = compileRules([...ALWAYS_EXCLUDED, ...(selection.alsoExclude ?? [])]);

  return all.filter(
    (path) => included(path) && !isExcluded(path, userRules) && !matchesAny(path, alwaysRules),
  );
}
