/**
 * The dependency rule of docs/ARCHITECTURE.md, checked on the real import graph: every .ts file
 * tsconfig.json includes is parsed (Babel's TypeScript parser, a stable API) and every module
 * specifier it names is an edge, type-only imports and re-exports included, so an `import type`
 * cycle counts as much as a runtime one. Not the compiler's own API: TypeScript 7 offers it only as
 * `typescript/unstable/*`, and its stable companion (@typescript/typescript6) installs a TS 6 `tsc`
 * that takes the place of TS 7's in node_modules/.bin.
 *
 *   front doors (action/main.ts + action/modes/, action/cli.ts + action/commands/)
 *     → stages (the rest of action/) → generators/ (pure) → schemas/ and shared/
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from '@babel/parser';
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
  /** The files tsconfig.json includes, repository-relative. */
  files: Set<string>;
  /** Repository-relative file → the lines of its computed `import(x)` calls, which name no module. */
  computed: Map<string, number[]>;
  /** The text of each generators/ file, for the process.env check. */
  texts: Map<string, string>;
}

interface AstNode {
  type: string;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is AstNode =>
  value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';

/** The text of a module specifier, or null when it is computed (`import(name)`, a template with `${}`). */
function literalText(node: unknown): string | null {
  if (!isNode(node)) return null;
  if (node.type === 'StringLiteral') return node.value as string;
  if (node.type === 'TSLiteralType') return literalText(node.literal);
  if (node.type === 'TemplateLiteral' && (node.expressions as unknown[]).length === 0) {
    return ((node.quasis as { value: { cooked: string } }[])[0] as { value: { cooked: string } }).value
      .cooked;
  }
  return null;
}

interface ModuleSpecifiers {
  /** In source order. */
  specifiers: string[];
  /** Lines of `import(x)` calls whose module is computed: an edge neither this check nor grep sees. */
  computed: number[];
}

/**
 * Every module specifier of a TypeScript file: `import` (`import type` too), `export … from` and
 * `export * from`, `import x = require()`, `import()` and `typeof import()`.
 */
function moduleSpecifiers(text: string, file: string): ModuleSpecifiers {
  const program = parse(text, {
    sourceType: 'module',
    sourceFilename: file,
    plugins: ['typescript'],
    createImportExpressions: true,
    errorRecovery: false,
  }).program;
  const found: ModuleSpecifiers = { specifiers: [], computed: [] };
  const take = (specifier: unknown, where: AstNode): void => {
    const value = literalText(specifier);
    if (value !== null) found.specifiers.push(value);
    else found.computed.push((where.loc as { start: { line: number } }).start.line);
  };
  const visit = (node: AstNode): void => {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        take(node.source, node);
        break;
      case 'ExportNamedDeclaration':
        if (node.source) take(node.source, node);
        break;
      case 'TSImportEqualsDeclaration': {
        const reference = node.moduleReference as AstNode;
        if (reference.type === 'TSExternalModuleReference') take(reference.expression, node);
        break;
      }
      case 'ImportExpression':
        take(node.source, node);
        break;
      case 'TSImportType':
        take(node.argument, node);
        break;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'loc' || key === 'extra' || key.endsWith('Comments')) continue;
      if (Array.isArray(child)) for (const item of child) isNode(item) && visit(item);
      else if (isNode(child)) visit(child);
    }
  };
  visit(program as unknown as AstNode);
  return found;
}

/** tsconfig.json `include` as a test on repository-relative paths: a directory, `dir/*.ts`, `dir/**\/*.ts`. */
function tsconfigIncludes(): (path: string) => boolean {
  const { include } = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.json'), 'utf8')) as {
    include: string[];
  };
  const patterns = include.map((entry) => {
    if (!entry.includes('*')) return new RegExp(`^${escapeRegExp(entry)}(/|$)`);
    const source = entry
      .split('/')
      .map((part) => (part === '**' ? '(?:[^/]+/)*' : `${part.split('*').map(escapeRegExp).join('[^/]*')}/`))
      .join('');
    return new RegExp(`^${source.slice(0, -1)}$`);
  });
  return (path) => patterns.some((pattern) => pattern.test(path));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NOT_SOURCE = new Set(['node_modules', 'dist', 'runtime', '.venv', '.git']);

/** The repository-relative files tsconfig.json includes, sorted. */
function includedFiles(): string[] {
  const included = tsconfigIncludes();
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!NOT_SOURCE.has(entry.name)) walk(rel);
      } else if (entry.isFile() && rel.endsWith('.ts') && included(rel)) {
        files.push(rel);
      }
    }
  };
  walk('');
  return files.sort();
}

/** The import graph of repository-relative file → text. */
function importsOf(sources: ReadonlyMap<string, string>): RepoImports {
  const graph = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  const texts = new Map<string, string>();
  const computed = new Map<string, number[]>();
  for (const [rel, text] of sources) {
    const local: string[] = [];
    const packages: string[] = [];
    const { specifiers, computed: lines } = moduleSpecifiers(text, rel);
    if (lines.length > 0) computed.set(rel, lines);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.'))
        local.push(relative(repoRoot, resolve(repoRoot, dirname(rel), specifier)));
      else packages.push(specifier);
    }
    graph.set(rel, [...new Set(local)].sort());
    external.set(rel, [...new Set(packages)].sort());
    if (rel.startsWith('generators/')) texts.set(rel, text);
  }
  return { graph, external, files: new Set(sources.keys()), computed, texts };
}

function readRepoImports(): RepoImports {
  return importsOf(new Map(includedFiles().map((rel) => [rel, readFileSync(join(repoRoot, rel), 'utf8')])));
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

describe('reading the imports', () => {
  it('finds every kind of module specifier, type-only ones included, and not those in comments or strings', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import { type C, d } from './c.ts';",
      "import './side-effect.ts';",
      "export { e } from './e.ts';",
      "export type { F } from './f.ts';",
      "export * from './g.ts';",
      "export * as h from './h.ts';",
      "import fs = require('node:fs');",
      "type I = typeof import('./i.ts');",
      "type J = import('./j.ts').J;",
      "const k = await import('./k.ts');",
      'const l = await import(`./l.ts`);',
      'export const local = 1;',
      "// import { m } from './comment.ts';",
      'const n = \'import x from "./string.ts"\';',
    ].join('\n');
    expect(moduleSpecifiers(text, 'fake.ts').computed).toEqual([]);
    expect(moduleSpecifiers(text, 'fake.ts').specifiers).toEqual([
      './a.ts',
      './b.ts',
      './c.ts',
      './side-effect.ts',
      './e.ts',
      './f.ts',
      './g.ts',
      './h.ts',
      'node:fs',
      './i.ts',
      './j.ts',
      './k.ts',
      './l.ts',
    ]);
  });

  it('reports the line of a computed import(), which neither this check nor grep could follow', () => {
    const text = "const name = './x.ts';\nawait import(name);\nawait import(`./${name}.ts`);";
    expect(moduleSpecifiers(text, 'dynamic.ts')).toEqual({ specifiers: [], computed: [2, 3] });
  });

  it('a cycle and an upward edge made only of `import type` and `export type … from` are still found', () => {
    const { graph } = importsOf(
      new Map([
        ['generators/a.ts', "import type { B } from '../action/b.ts';\nexport const a = 1;"],
        ['action/b.ts', "export type { A } from '../generators/a.ts';"],
      ]),
    );
    expect(cyclesOf(graph)).toEqual([['action/b.ts', 'generators/a.ts']]);
    expect(violationsOf(graph)).toEqual(['generators/a.ts (layer 1) imports action/b.ts (layer 2)']);
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

  it('names every module of the layered source literally: no computed import()', () => {
    const layered = [...repo.computed].filter(
      ([file]) => layerOf(file) !== null && !file.endsWith('.test.ts'),
    );
    expect(layered.map(([file, lines]) => `${file}:${lines.join(',')}`)).toEqual([]);
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
