/**
 * The dependency rule of docs/ARCHITECTURE.md, checked on the real import graph: the TypeScript
 * compiler (its API, on tsconfig.json) lists every module specifier of every .ts file, type-only
 * imports and re-exports included, so a `import type` cycle counts as much as a runtime one.
 *
 *   front doors (action/main.ts + action/modes/, action/cli.ts + action/commands/)
 *     → stages (the rest of action/) → generators/ (pure) → schemas/ and shared/
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isStringLiteralLikeNode } from 'typescript/unstable/ast/is';
import { API } from 'typescript/unstable/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/infra.ts';

type Graph = ReadonlyMap<string, readonly string[]>;

/** Every strongly connected component with more than one file, or a file that imports itself. */
function cyclesOf(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) as number, index.get(to) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** The layer a repository-relative path belongs to; lower layers never import higher ones. */
function layerOf(path: string): number | null {
  if (path.startsWith('shared/') || path.startsWith('schemas/')) return 0;
  if (path.startsWith('generators/')) return 1;
  if (path === 'action/main.ts' || path.startsWith('action/modes/')) return 3;
  if (path === 'action/cli.ts' || path.startsWith('action/commands/')) return 3;
  if (path.startsWith('action/')) return 2;
  return null;
}

/** Imports that break the rule: a lower layer importing a higher one, or one front door the other. */
function violationsOf(graph: Graph): string[] {
  const out: string[] = [];
  const door = (p: string) =>
    p === 'action/main.ts' || p.startsWith('action/modes/')
      ? 'action'
      : p === 'action/cli.ts' || p.startsWith('action/commands/')
        ? 'cli'
        : null;
  for (const [from, imports] of graph) {
    const fromLayer = layerOf(from);
    if (fromLayer === null) continue;
    for (const to of imports) {
      const toLayer = layerOf(to);
      if (toLayer === null) {
        out.push(`${from} imports ${to}, which is outside the layered source`);
      } else if (toLayer > fromLayer) {
        out.push(`${from} (layer ${fromLayer}) imports ${to} (layer ${toLayer})`);
      } else if (fromLayer === 3 && toLayer === 3 && door(from) !== door(to)) {
        out.push(`${from} imports ${to}: one front door must not reach into the other`);
      }
    }
  }
  return out.sort();
}

/** Node built-ins that do I/O or read the process: generators/ turns objects into text, nothing else. */
const IMPURE_MODULES = /^node:(fs|fs\/promises|child_process|net|http|https|os|process|worker_threads)$/;

interface RepoImports {
  /** Repository-relative file → the repository files it imports. */
  graph: Map<string, string[]>;
  /** Repository-relative file → its non-relative specifiers (packages, node: built-ins). */
  external: Map<string, string[]>;
  /** The files the program holds, repository-relative. */
  files: Set<string>;
  /** The text of each generators/ file, for the process.env check. */
  texts: Map<string, string>;
}

function readRepoImports(): RepoImports {
  const api = new API({ cwd: repoRoot });
  try {
    const snapshot = api.updateSnapshot({ openProject: join(repoRoot, 'tsconfig.json') });
    const [project] = snapshot.getProjects();
    if (!project) throw new Error('tsconfig.json opened no project');
    const program = project.program;
    const graph = new Map<string, string[]>();
    const external = new Map<string, string[]>();
    const texts = new Map<string, string>();
    const files = new Set<string>();
    for (const fileName of program.getSourceFileNames()) {
      const rel = relative(repoRoot, fileName);
      if (rel.startsWith('..') || rel.startsWith('node_modules/')) continue;
      files.add(rel);
      const sourceFile = program.getSourceFile(fileName);
      if (!sourceFile) throw new Error(`no source file for ${rel}`);
      const local: string[] = [];
      const packages: string[] = [];
      for (const specifier of sourceFile.imports) {
        // A computed `import(x)` would hide an edge from this check and from grep: none may exist.
        if (!isStringLiteralLikeNode(specifier)) throw new Error(`${rel}: an import without a literal path`);
        if (specifier.text.startsWith('.')) {
          local.push(relative(repoRoot, resolve(dirname(fileName), specifier.text)));
        } else {
          packages.push(specifier.text);
        }
      }
      graph.set(rel, [...new Set(local)].sort());
      external.set(rel, [...new Set(packages)].sort());
      if (rel.startsWith('generators/')) texts.set(rel, sourceFile.text);
    }
    return { graph, external, files, texts };
  } finally {
    api.close();
  }
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`);
}

describe('the checks themselves', () => {
  it('finds a cycle, a self-import and an upward import, and passes a clean graph', () => {
    const graph = new Map([
      ['generators/a.ts', ['action/b.ts']],
      ['action/b.ts', ['action/c.ts']],
      ['action/c.ts', ['generators/a.ts']],
      ['shared/d.ts', ['shared/d.ts']],
      ['action/commands/x.ts', ['action/modes/y.ts']],
    ]);
    expect(cyclesOf(graph)).toEqual([['action/b.ts', 'action/c.ts', 'generators/a.ts'], ['shared/d.ts']]);
    expect(violationsOf(graph)).toEqual([
      'action/commands/x.ts imports action/modes/y.ts: one front door must not reach into the other',
      'generators/a.ts (layer 1) imports action/b.ts (layer 2)',
    ]);
    const clean = new Map([
      ['action/cli.ts', ['action/commands/x.ts']],
      ['action/commands/x.ts', ['action/image/build.ts', 'shared/errors.ts']],
      ['action/image/build.ts', ['generators/index.ts']],
      ['generators/index.ts', ['schemas/dock-spec.ts']],
    ]);
    expect(cyclesOf(clean)).toEqual([]);
    expect(violationsOf(clean)).toEqual([]);
  });
});

describe('the repository’s import graph', () => {
  let repo: RepoImports;
  beforeAll(() => {
    repo = readRepoImports();
  });

  it('covers every .ts file of the layered source', () => {
    const missing = ['action', 'generators', 'schemas', 'shared']
      .flatMap(tsFilesUnder)
      .filter((f) => !repo.files.has(f));
    expect(missing).toEqual([]);
    expect(repo.graph.get('action/main.ts')?.length).toBeGreaterThan(0);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cyclesOf(repo.graph)).toEqual([]);
  });

  it('points one way: generators/ never imports action/, stages never import front doors', () => {
    const layered = new Map([...repo.graph].filter(([file]) => !file.endsWith('.test.ts')));
    expect(violationsOf(layered)).toEqual([]);
  });

  it('lets only the Action front door talk to the runner through @actions/core', () => {
    const users = [...repo.external]
      .filter(([file, modules]) => !file.startsWith('test/') && modules.includes('@actions/core'))
      .map(([file]) => file)
      .sort();
    expect(users).toEqual(['action/adapters/actions-logger.ts', 'action/main.ts']);
  });

  it('runs docker only through the Docker seam (action/adapters/docker.ts), as git through Git', () => {
    const spawnsDocker = /\b(?:run|spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*['"`]docker\b/;
    const outside = tsFilesUnder('action')
      .filter((f) => f !== 'action/adapters/docker.ts' && !f.endsWith('.test.ts'))
      .filter((f) => spawnsDocker.test(readFileSync(join(repoRoot, f), 'utf8')));
    expect(outside).toEqual([]);
    expect(spawnsDocker.test(readFileSync(join(repoRoot, 'action/adapters/docker.ts'), 'utf8'))).toBe(true);
  });

  it('keeps generators/ pure: no file system, processes, network or process.env', () => {
    const impure = [...repo.external]
      .filter(([file]) => file.startsWith('generators/'))
      .flatMap(([file, modules]) =>
        modules.filter((m) => IMPURE_MODULES.test(m)).map((m) => `${file}: ${m}`),
      );
    const env = [...repo.texts].filter(([, text]) => /\bprocess\.(env|cwd)\b/.test(text)).map(([f]) => f);
    expect([...impure, ...env]).toEqual([]);
  });
});
