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
  /**
   * A Dockfile that is not in the commit (a new agent has no base): `throw` (default) a
   * `MissingAtRevisionError`, or `skip` it (it is then absent from the result).
   */
  missing?: 'throw' | 'skip';
}

/** The Dockfile is not in that commit (or is a directory, symlink or submodule there). */
export class MissingAtRevisionError extends UsageError {
  constructor(
    readonly rev: string,
    readonly path: string,
    what: string,
  ) {
    super(
      `${rev}:${path}: ${what === 'missing' ? 'no such file in that revision' : `is a ${what}, not a file`}`,
      what === 'missing' ? `list the files with: git ls-tree -r --name-only ${rev}` : null,
    );
  }
}

/** A Dockfile loaded from a commit, plus its text and those of its includes (for source excerpts). */
export interface RevisionDockfile {
  result: ValidationResult;
  /** Display name (`rev:path`) → text, for every file read from the commit. */
  sources: Map<string, string>;
}

/**
 * Loads and validates a Dockfile as it is in commit `rev`, with git (no checkout): the Dockfile
 * and every file it `!include`s, transitively, are read from the commit into a private temporary
 * directory, validated there with the repository as the include boundary, and the directory is
 * removed. Diagnostics name files as `rev:path`. A `.env` file is not read from the commit:
 * `${VAR}`s take their values from `processEnv`/`env`, as for the working tree. It is loaded to be
 * compared, not deployed: no import check, and inline io_schemas are not compiled (an unresolved
 * `$ref` is not reported; the meta-schema and every other check still apply).
 *
 * Throws `UsageError` when the revision does not exist, and its subclass `MissingAtRevisionError`
 * when the Dockfile is not in that commit (a new agent has no base: tell it by that class).
 */
export async function loadDockfileAtRevision(
  git: Git,
  target: RevisionPath,
  options: RevisionLoadOptions = {},
): Promise<RevisionDockfile> {
  const loaded = await loadDockfilesAtRevision(git, target.rev, [target.path], {
    ...options,
    missing: 'throw',
  });
  return loaded.get(target.path) as RevisionDockfile;
}

/**
 * `loadDockfileAtRevision` for many Dockfiles of one commit (every agent of a repository): the
 * files are read with one `git ls-tree` and one `git cat-file --batch` per level of includes,
 * so fifty agents cost a handful of git processes, not a hundred and fifty. Keyed by the paths
 * as given. A path missing in the commit throws `MissingAtRevisionError`, or with
 * `missing: 'skip'` is left out of the result (new agents, which have no base).
 */
export async function loadDockfilesAtRevision(
  git: Git,
  rev: string,
  paths: readonly string[],
  options: RevisionLoadOptions = {},
): Promise<Map<string, RevisionDockfile>> {
  const commit = await git.resolve(`${rev}^{commit}`);
  if (commit === null) {
    throw new UsageError(`${rev}: no such revision`, 'fetch it first, e.g. git fetch origin main');
  }
  const label = (path: string) => `${rev}:${path}`;
  const mains = paths.map((given) => {
    const path = repositoryPath(given, options.prefix ?? '');
    if (path === null) throw new UsageError(`${label(given)} points outside the repository`);
    return { given, path };
  });
  const reader = new RevisionReader(git, commit);
  const found = await reader.read(mains.map((m) => m.path));
  const present = mains.filter(({ given, path }) => {
    const blob = found.get(path) ?? { kind: 'missing' };
    if (blob.kind === 'file') return true;
    if (options.missing === 'skip') return false;
    throw new MissingAtRevisionError(rev, given, blob.kind);
  });

  // Every file the Dockfiles include, transitively, read a level at a time.
  const texts = new Map<string, string>();
  for (const [path, blob] of found) if (blob.kind === 'file') texts.set(path, blob.text);
  // The files some Dockfile includes: the only ones the loader reads from disk.
  const included = new Set<string>();
  let level = [...texts.keys()];
  while (level.length > 0 && texts.size < MAX_FILES * mains.length) {
    const wanted = new Set<string>();
    for (const from of level) {
      for (const include of includeTargets(texts.get(from) ?? '')) {
        const path = repositoryPath(posix.join(posix.dirname(from), include), '');
        if (path !== null) included.add(path);
        // Outside the repository or already read: the loader reports or reuses it.
        if (path !== null && !texts.has(path)) wanted.add(path);
      }
    }
    const blobs = await reader.read([...wanted]);
    level = [];
    for (const [path, blob] of blobs) {
      // Missing files and symlinks are left out: the loader then reports them at the `!include`.
      if (blob.kind !== 'file') continue;
      texts.set(path, blob.text);
      level.push(path);
    }
  }

  const root = mkdtempSync(join(tmpdir(), 'dockrion-rev-'));
  try {
    // A Dockfile itself is validated from its text; writing (and removing) fifty of them cost
    // more than validating them on a busy disk. Only included files are written.
    for (const [path, text] of texts) {
      if (!included.has(path)) continue;
      const file = join(root, ...path.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const { prefix: _prefix, missing: _missing, ...load } = options;
    const sources = new Map([...texts].map(([path, text]) => [label(path), text]));
    const out = new Map<string, RevisionDockfile>();
    for (const { given, path } of present) {
      const result = await validateDockfileText(texts.get(path) as string, path, {
        ...load,
        cwd: root,
        root,
        // Never the base's Python: only the working tree's code may run (and it is not here).
        checkImports: false,
        // The diff compares the schemas (an unresolved `$ref` as written); compiling them is
        // most of a load and decides nothing here.
        compileIoSchemas: false,
      });
      const relabel = <T extends { file: string }>(d: T): T => ({ ...d, file: label(d.file) });
      const relabelled: ValidationResult = {
        ...result,
        file: label(result.file),
        errors: result.errors.map(relabel),
        warnings: result.warnings.map(relabel),
      };
      if (result.quotable) relabelled.quotable = result.quotable.map(label);
      out.set(given, { result: relabelled, sources });
    }
    return out;
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

/** Reads files of one commit in batches: one `ls-tree` for their entries, one `cat-file --batch` for their text. */
class RevisionReader {
  constructor(
    private readonly git: Git,
    private readonly commit: string,
  ) {}

  async read(paths: readonly string[]): Promise<Map<string, Blob>> {
    const out = new Map<string, Blob>(paths.map((path) => [path, { kind: 'missing' }]));
    if (paths.length === 0) return out;
    const listed = await this.git.run(['ls-tree', '-z', '--full-tree', this.commit, '--', ...paths], {
      allowFailure: true,
    });
    const blobs = new Map<string, string>();
    // `<mode> <type> <oid>\t<path>\0`; ls-tree lists each entry itself (not a directory's content).
    for (const entry of listed.code === 0 ? listed.stdout.split('\0') : []) {
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const path = entry.slice(tab + 1);
      if (!out.has(path)) continue;
      const [mode, type, oid] = entry.slice(0, tab).split(' ');
      if (type === 'tree') out.set(path, { kind: 'directory' });
      else if (type === 'commit') out.set(path, { kind: 'submodule' });
      else if (mode === '120000') out.set(path, { kind: 'symlink' });
      else if (oid) blobs.set(path, oid);
    }
    if (blobs.size === 0) return out;
    const texts = await this.catFiles([...new Set(blobs.values())]);
    for (const [path, oid] of blobs) out.set(path, { kind: 'file', text: texts.get(oid) ?? '' });
    return out;
  }

  /**
   * The text of each blob, from one `git cat-file --batch`. Its sizes count bytes and the exec
   * seam hands back UTF-8 text, so each blob is cut by the byte length of its characters. A blob
   * that is not valid UTF-8 throws that count off (its bad bytes arrive as U+FFFD), which the
   * next header shows; then each blob is read on its own.
   */
  private async catFiles(oids: readonly string[]): Promise<Map<string, string>> {
    const { stdout } = await this.git.run(['cat-file', '--batch'], { input: `${oids.join('\n')}\n` });
    const texts = new Map<string, string>();
    let at = 0;
    for (const oid of oids) {
      const newline = stdout.indexOf('\n', at);
      const header = /^([0-9a-f]+) blob (\d+)$/.exec(stdout.slice(at, newline));
      if (newline < 0 || !header || header[1] !== oid) return this.oneByOne(oids);
      let bytes = Number(header[2]);
      let end = newline + 1;
      while (bytes > 0 && end < stdout.length) {
        const code = stdout.codePointAt(end) as number;
        bytes -= code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        end += code >= 0x10000 ? 2 : 1;
      }
      if (bytes !== 0 || stdout[end] !== '\n') return this.oneByOne(oids);
      texts.set(oid, stdout.slice(newline + 1, end));
      at = end + 1;
    }
    return texts;
  }

  private async oneByOne(oids: readonly string[]): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    for (const oid of oids) texts.set(oid, (await this.git.run(['cat-file', 'blob', oid])).stdout);
    return texts;
  }
}

/** The targets of the `!include` tags in a YAML text; none when it does not parse (the loader reports it). */
function includeTargets(text: string): string[] {
  const targets: string[] = [];
  // Most Dockfiles include nothing: no second parse for them.
  if (!text.includes('!include')) return targets;
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
