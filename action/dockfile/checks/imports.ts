import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { closest } from '../../../shared/suggest.ts';
import type { Exec } from '../../adapters/exec.ts';
import { ErrorCode, WarningCode } from '../codes.ts';
import type { DiagnosticSink, DocPath } from '../diagnostics.ts';
import { runPythonJson } from './python.ts';
import { asRecord, asString, type Doc } from './values.ts';

export interface ImportCheckOptions {
  /** Directory module paths are relative to: the Dockfile's directory. */
  appDir: string;
  python: string | null;
  exec: Exec;
}

interface Reference {
  path: DocPath;
  module: string;
  name: string;
  code: number;
  what: string;
}

// Top-level names a module binds: defs, classes, assignments and imports.
const namesScript = `
import ast
out = {}
for path in json.load(sys.stdin):
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read(), filename=path)
    except SyntaxError as e:
        out[path] = {"error": "SyntaxError: %s (line %s)" % (e.msg, e.lineno)}
        continue
    except Exception as e:
        out[path] = {"error": type(e).__name__}
        continue
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        names.append(n.id)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                names.append((a.asname or a.name).split(".")[0])
    out[path] = {"names": names}
__result = out
`;

/** `--check-imports`: the entrypoint/handler module exists and binds the callable (4003); same for io classes (4004). */
export async function checkImports(
  doc: Doc,
  sink: DiagnosticSink,
  options: ImportCheckOptions,
): Promise<void> {
  const references = collectReferences(doc);
  const files = new Map<Reference, string>();
  for (const reference of references) {
    const relative = reference.module.split('.');
    const candidates = [
      `${join(options.appDir, ...relative)}.py`,
      join(options.appDir, ...relative, '__init__.py'),
    ];
    const file = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (!file) {
      sink.report(reference.code, reference.path, `${reference.what}: module ${reference.module} not found`, {
        hint: `expected ${relative.join('/')}.py or ${relative.join('/')}/__init__.py next to the Dockfile`,
      });
      continue;
    }
    files.set(reference, file);
  }
  if (files.size === 0) return;
  const unique = [...new Set(files.values())];
  let parsed = options.python === null ? null : await namesWithPython(unique, options.python, options.exec);
  if (parsed === null) {
    sink.report(
      WarningCode.ImportCheckApproximate,
      ['agent'],
      'python3 is not available: imports were checked with a regex scan',
    );
    parsed = Object.fromEntries(unique.map((f) => [f, namesWithRegex(f)]));
  }
  for (const [reference, file] of files) {
    const result = parsed[file];
    if (result?.error) {
      sink.report(
        reference.code,
        reference.path,
        `${reference.what}: ${reference.module} does not parse: ${result.error}`,
      );
    } else if (!result?.names?.includes(reference.name)) {
      sink.report(
        reference.code,
        reference.path,
        `${reference.what}: ${reference.module} does not define ${reference.name}`,
        {
          hint: importHint(reference.name, result?.names ?? [], file.slice(options.appDir.length + 1)),
        },
      );
    }
  }
}

function importHint(name: string, defined: readonly string[], file: string): string {
  const guess = closest(name, defined);
  return guess
    ? `did you mean ${guess}? It is defined in ${file}`
    : `define a top-level def/class/assignment named ${name} in ${file}`;
}

function collectReferences(doc: Doc): Reference[] {
  const out: Reference[] = [];
  const agent = asRecord(doc.agent);
  for (const key of ['entrypoint', 'handler'] as const) {
    const value = asString(agent?.[key]);
    const split = value ? splitReference(value, ':') : undefined;
    if (split)
      out.push({ path: ['agent', key], ...split, code: ErrorCode.EntrypointNotFound, what: `agent.${key}` });
  }
  const io = asRecord(doc.io_schema);
  for (const key of ['input_class', 'output_class'] as const) {
    const value = asString(io?.[key]);
    const split = value ? splitReference(value, value.includes(':') ? ':' : '.') : undefined;
    if (split)
      out.push({
        path: ['io_schema', key],
        ...split,
        code: ErrorCode.InvalidIOSchema,
        what: `io_schema.${key}`,
      });
  }
  return out;
}

function splitReference(value: string, separator: string): { module: string; name: string } | undefined {
  const at = value.lastIndexOf(separator);
  if (at <= 0) return undefined;
  const module = value.slice(0, at);
  const name = value.slice(at + 1);
  if (
    !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(module) ||
    !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
  ) {
    return undefined;
  }
  return { module, name };
}

type NameResult = { names?: string[]; error?: string };

async function namesWithPython(
  files: string[],
  python: string,
  exec: Exec,
): Promise<Record<string, NameResult> | null> {
  const result = await runPythonJson(python, namesScript, files, exec);
  return result !== null && typeof result === 'object' ? (result as Record<string, NameResult>) : null;
}

function namesWithRegex(file: string): NameResult {
  const names: string[] = [];
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/^(?:async\s+def|def|class)\s+([A-Za-z_][A-Za-z0-9_]*)/gm))
    names.push(match[1] ?? '');
  for (const match of text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=\n]*)?=(?!=)/gm))
    names.push(match[1] ?? '');
  for (const match of text.matchAll(/^from\s+\S+\s+import\s+(.+)$/gm)) {
    for (const part of (match[1] ?? '').replace(/[()]/g, '').split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) names.push(name);
    }
  }
  return { names };
}
