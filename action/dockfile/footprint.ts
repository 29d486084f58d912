import { resolve } from 'node:path';
import { DiagnosticSink, SourceMap } from './diagnostics.ts';
import { readDockfileTree } from './yaml-tree.ts';

/**
 * What a Dockfile reaches in the repository, read without validating it (a broken Dockfile still
 * has a footprint: it must be validated when it changes). Used to decide whether a change touches
 * an agent, so it reads only the YAML and its `!include`s: no interpolation, no schema, no python.
 */
export interface DockfileFootprint {
  /** `agent.name` when it is written literally; null when absent or `${…}`-interpolated. */
  name: string | null;
  /** Absolute paths of the Dockfile and of every YAML file it `!include`s (transitively). */
  files: string[];
  /**
   * `build.include` paths as written, relative to the Dockfile's directory. Its `patterns` are
   * left out: matched inside the agent directory only, they name nothing the directory does not.
   */
  buildInclude: { directories: string[]; files: string[] };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** `root` is the repository boundary, as for loading: includes outside it are not read. */
export function readDockfileFootprint(path: string, options: { root: string }): DockfileFootprint {
  const absolute = resolve(path);
  // Display paths are absolute here, so the included files come back as absolute paths too.
  const sourceMap = new SourceMap(absolute);
  const tree = readDockfileTree(absolute, absolute, {
    root: resolve(options.root),
    sourceMap,
    sink: new DiagnosticSink(sourceMap),
  });
  const name = field(field(tree.value, 'agent'), 'name');
  const include = field(field(tree.value, 'build'), 'include');
  return {
    name: typeof name === 'string' && name.trim() !== '' && !name.includes('${') ? name.trim() : null,
    files: [...new Set([absolute, ...tree.quotable.map((file) => resolve(file))])],
    buildInclude: {
      directories: strings(field(include, 'directories')),
      files: strings(field(include, 'files')),
    },
  };
}
