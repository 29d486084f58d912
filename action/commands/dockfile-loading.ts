import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { type LoadOptions, loadDockfile, type ValidationResult } from '../dockfile/index.ts';
import { formatText, type SourceReader } from '../report/text.ts';

/** The lines of a Dockfile (or included file) for source excerpts; none above 1 MiB or when unreadable. */
export function readSourceLines(path: string): string[] | undefined {
  try {
    if (statSync(path).size > 1024 * 1024) return undefined;
    return readFileSync(path, 'utf8').split(/\r\n|\r|\n/);
  } catch {
    return undefined;
  }
}

/** Reads the files diagnostics name, relative to the command's working directory. */
export function sourceReader(cwd: string): SourceReader {
  return (file) => readSourceLines(resolve(cwd, file));
}

/**
 * `formatText` of a load result with source excerpts, for stderr. Only files that parsed as YAML
 * are quoted: a file that did not may be a credentials file.
 */
export function formatDockfileText(result: ValidationResult, cwd: string): string {
  const read = sourceReader(cwd);
  const quotable = new Set(result.quotable ?? []);
  return formatText(result, (file) => (quotable.has(file) ? read(file) : undefined));
}

/**
 * `dockrion build`/`deploy`: the Dockfile a PATH argument names (a directory means its
 * Dockfile.yaml), absolute; a missing one is a usage error.
 */
export function resolveDockfileArg(cwd: string, path: string): string {
  let dockfilePath = resolve(cwd, path);
  if (existsSync(dockfilePath) && statSync(dockfilePath).isDirectory())
    dockfilePath = join(dockfilePath, 'Dockfile.yaml');
  if (!existsSync(dockfilePath)) throw new UsageError(`${path}: no such Dockfile`);
  return dockfilePath;
}

/**
 * `dockrion render`/`secrets`: the Dockfile a PATH argument names (a directory means its
 * Dockfile.yaml), absolute; a missing one is a usage error with `hint`.
 */
export function locateDockfile(cwd: string, path: string, hint: string): string {
  let absolute = resolve(cwd, path);
  const isDirectory = existsSync(absolute) && statSync(absolute).isDirectory();
  if (isDirectory) absolute = join(absolute, 'Dockfile.yaml');
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new UsageError(
      isDirectory ? `${path} is a directory without a Dockfile.yaml` : `${path}: no such file`,
      hint,
    );
  }
  return absolute;
}

/** The repository root bounds `!include`: the nearest ancestor with `.git`, else the Dockfile's directory. */
export function findRepositoryRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return startDir;
    dir = parent;
  }
}

/**
 * `loadDockfile` of a Dockfile `locateDockfile` found, reported as the user named it (relative to
 * `cwd`), with the repository as the `!include` boundary.
 */
export function loadLocatedDockfile(
  cwd: string,
  absolute: string,
  options: Omit<LoadOptions, 'cwd' | 'root'>,
): Promise<ValidationResult> {
  return loadDockfile(relative(cwd, absolute) || absolute, {
    cwd,
    root: findRepositoryRoot(dirname(absolute)),
    ...options,
  });
}
