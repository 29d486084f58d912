import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import { UsageError } from '../../shared/errors.ts';
import type { LoadOptions, ValidationResult } from '../dockfile/types.ts';
import { validateDockfileText } from '../dockfile/validate.ts';
import type { Git } from '../gitops/git.ts';

/** A Dockfile as it is in a commit: `origin/main:agents/a/Dockfile.yaml`. */
export interface RevisionPath {
  rev: string;
  /** Relative to the repository's top level, `/`-separated. */
  path: string;
}

/** The most files (the Dockfile and its `!include`s) read from one commit; the loader's own limits apply after. */
const MAX_FILES = 64;

/**
 * `<rev>:<path>` as git writes it, or null when `arg` is not of that form. The caller decides
 * first whether `arg` names a file on disk (a file name may hold a colon).
 */
export function parseRevisionPath(arg: string): RevisionPath | null {
  const colon = arg.indexOf(':');
  if (colon <= 0 || colon === arg.length - 1) return null;
  const rev = arg.slice(0, colon);
  const path = arg.slice(colon + 1);
  // A rev never holds whitespace or `..`-only nonsense; `-x` would read as an option to git.
  if (/\s/.test(rev) || rev.startsWith('-')) return null;
  return { rev, path };
}

export interface RevisionLoadOptions extends Omit<LoadOptions, 'cwd' | 'root' | 'checkImports'> {
  /**
   * Where a `./` or `../` path is relative to, as a directory inside the repository relative to
   * its top level (git's `<rev>:./path`); paths without it are relative to the top level.
   */
  prefix?: string;
}

/** A Dockfile loaded from a commit, plus its text and those of its includes (for source excerpts). */
export interface RevisionDockfile {
  result: ValidationResult;
  /** Display name (`rev:path`) → text, for every file read from the commit. */
  sources: Map<string, string>;
}

/**
 * Loads and validates a Dockfile as it is in commit `rev`, with `git cat-file` (no checkout):
 * the Dockfile and every file it `!include`s, transitively, are read from the commit into a
 * private temporary directory, validated there with the repository as the include boundary, and
 * the directory is removed. Diagnostics name files as `rev:path`. A `.env` file is not read from
 * the commit: `${VAR}`s take their values from `processEnv`/`env`, as for the working tree.
 *
 * Throws `UsageError` when the revision or the path does not exist.
 */
export async function loadDockfileAtRevision(
  git: Git,
  target: RevisionPath,
  options: RevisionLoadOptions = {},
): Promise<RevisionDockfile> {
  const commit = await git.resolve(`${target.rev}^{commit}`);
  if (commit === null) {
    throw new UsageError(`${target.rev}: no such revision`, 'fetch it first, e.g. git fetch origin main');
  }
  const mainPath = repositoryPath(target.path, options.prefix ?? '');
  if (mainPath === null) {
    throw new UsageError(`${target.rev}:${target.path} points outside the repository`);
  }
  const label = (path: string) => `${target.rev}:${path}`;
  const main = await readBlob(git, commit, mainPath);
  if (main.kind !== 'file') {
    throw new UsageError(
      `${label(mainPath)}: ${main.kind === 'missing' ? 'no such file in that revision' : `is a ${main.kind}, not a file`}`,
      main.kind === 'missing' ? `list the files with: git ls-tree -r --name-only ${target.rev}` : null,
    );
  }

  const root = mkdtempSync(join(tmpdir(), 'dockrion-rev-'));
  try {
    const texts = new Map<string, string>([[mainPath, main.text]]);
    const queue: string[] = [mainPath];
    while (queue.length > 0 && texts.size < MAX_FILES) {
      const from = queue.shift() as string;
      for (const include of includeTargets(texts.get(from) ?? '')) {
        const path = repositoryPath(posix.join(posix.dirname(from), include), '');
        // Outside the repository or already read: the loader reports or reuses it.
        if (path === null || texts.has(path)) continue;
        const blob = await readBlob(git, commit, path);
        // Missing files and symlinks are left out: the loader then reports them at the `!include`.
        if (blob.kind !== 'file') continue;
        texts.set(path, blob.text);
        queue.push(path);
        if (texts.size >= MAX_FILES) break;
      }
    }
    for (const [path, text] of texts) {
      const file = join(root, ...path.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const { prefix: _prefix, ...load } = options;
    const result = await validateDockfileText(main.text, mainPath, { ...load, cwd: root, root });
    const relabel = <T extends { file: string }>(d: T): T => ({ ...d, file: label(d.file) });
    const relabelled: ValidationResult = {
      ...result,
      file: label(result.file),
      errors: result.errors.map(relabel),
      warnings: result.warnings.map(relabel),
    };
    if (result.quotable) relabelled.quotable = result.quotable.map(label);
    const sources = new Map([...texts].map(([path, text]) => [label(path), text]));
    return { result: relabelled, sources };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `path` normalized against `prefix` when it starts with `./` or `../`; null when it leaves the top level. */
function repositoryPath(path: string, prefix: string): string | null {
  const relativeToPrefix = path === '.' || path === '..' || path.startsWith('./') || path.startsWith('../');
  const joined = posix.normalize(relativeToPrefix ? posix.join(prefix, path) : path).replace(/^\/+/, '');
  if (joined === '..' || joined.startsWith('../') || joined === '.' || joined === '') return null;
  return joined;
}

type Blob = { kind: 'file'; text: string } | { kind: 'missing' | 'directory' | 'symlink' | 'submodule' };

/** A regular file of the commit, or what stands there instead. */
async function readBlob(git: Git, commit: string, path: string): Promise<Blob> {
  const listed = await git.run(['ls-tree', '-z', '--full-tree', commit, '--', path], { allowFailure: true });
  // `<mode> <type> <oid>\t<path>\0`; ls-tree lists the entry itself (not a directory's content).
  const entry = listed.stdout.split('\0').find((line) => line.endsWith(`\t${path}`));
  if (listed.code !== 0 || entry === undefined) return { kind: 'missing' };
  const [mode, type, oid] = entry.slice(0, entry.indexOf('\t')).split(' ');
  if (type === 'tree') return { kind: 'directory' };
  if (type === 'commit') return { kind: 'submodule' };
  if (mode === '120000') return { kind: 'symlink' };
  const { stdout } = await git.run(['cat-file', 'blob', oid ?? '']);
  return { kind: 'file', text: stdout };
}

/** The targets of the `!include` tags in a YAML text; none when it does not parse (the loader reports it). */
function includeTargets(text: string): string[] {
  const targets: string[] = [];
  try {
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false, version: '1.2' });
    visit(document, (_key, node) => {
      if (isScalar(node) && node.tag === '!include' && typeof node.value === 'string') {
        targets.push(node.value);
      }
    });
  } catch {
    return [];
  }
  return targets.filter((t) => t.trim() !== '' && !posix.isAbsolute(t));
}
