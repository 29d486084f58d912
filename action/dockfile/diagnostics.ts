import { codeName, isWarningCode } from './codes.ts';
import { concealIn, type Substitution } from './conceal.ts';
import type { Diagnostic } from './types.ts';

/** A path into the document: keys and array indexes, e.g. ['auth', 'roles', 0, 'name']. */
export type DocPath = readonly (string | number)[];

export interface NodeLocation {
  file: string;
  line: number;
  column: number;
  /** Where the key of this value is written, when it is a map entry. */
  keyLine?: number;
  keyColumn?: number;
}

/** `auth.roles[0].name`: the notation users see in messages. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** JSON Pointer (RFC 6901), the key ajv reports instance paths with. */
export function toPointer(path: DocPath): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON Pointer as a document path: segments that index a list become numbers. */
export function pathFromPointer(pointer: string, doc: unknown): DocPath {
  const path: (string | number)[] = [];
  let node: unknown = doc;
  for (const segment of fromPointer(pointer)) {
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index];
    } else {
      path.push(segment);
      node =
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/** Where every value of the loaded document came from (including `!include`d files). */
export class SourceMap {
  private readonly locations = new Map<string, NodeLocation>();

  constructor(private readonly fallbackFile: string) {}

  set(path: DocPath, location: NodeLocation): void {
    this.locations.set(toPointer(path), location);
  }

  get(path: DocPath): NodeLocation | undefined {
    return this.locations.get(toPointer(path));
  }

  /** The nearest recorded location: the value itself, else its closest written ancestor. */
  locate(path: DocPath, at: 'key' | 'value' = 'value'): { file: string; line: number; column: number } {
    for (let length = path.length; length >= 0; length--) {
      const location = this.locations.get(toPointer(path.slice(0, length)));
      if (!location) continue;
      // A missing child is best shown at its parent's key, where the user would add it.
      const preferKey = at === 'key' || length < path.length;
      if (preferKey && location.keyLine !== undefined && location.keyColumn !== undefined) {
        return { file: location.file, line: location.keyLine, column: location.keyColumn };
      }
      return { file: location.file, line: location.line, column: location.column };
    }
    return { file: this.fallbackFile, line: 1, column: 1 };
  }
}

export interface ReportOptions {
  hint?: string | null;
  /** Point at the key rather than the value (unknown keys). */
  at?: 'key' | 'value';
  /** An explicit position, when the problem is not at a document path (YAML syntax). */
  position?: { file: string; line: number; column: number };
}

/** Collects every problem of one validation run, deduplicated and in a stable order. */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private suppressed: string[] = [];
  /** Values that came from the environment, by path: the text as written, and what was substituted. */
  private readonly interpolated = new Map<string, { template: string; substitutions: Substitution[] }>();
  private readonly substitutions: Substitution[] = [];

  constructor(private readonly sourceMap: SourceMap) {}

  /**
   * Records that the value at `path` (written as `template`) took `substitutions` from the
   * environment. From then on no diagnostic shows those values: each appearance reads `${NAME}`.
   */
  markInterpolated(path: DocPath, template: string, substitutions: readonly Substitution[]): void {
    this.interpolated.set(formatPath(path), { template, substitutions: [...substitutions] });
    for (const substitution of substitutions) {
      const known = this.substitutions.some(
        (s) => s.name === substitution.name && s.value === substitution.value,
      );
      if (!known) this.substitutions.push(substitution);
    }
    // Longest first, so a value that contains another is replaced whole.
    this.substitutions.sort((a, b) => b.value.length - a.value.length);
  }

  isInterpolated(path: DocPath): boolean {
    return this.interpolated.has(formatPath(path));
  }

  /** The value at `path` as written (`${CANARY}`), when it took a value from the environment. */
  templateAt(path: DocPath): string | undefined {
    return this.interpolated.get(formatPath(path))?.template;
  }

  /** `text` with every value taken from the environment replaced by its variable, `${NAME}`. */
  conceal(text: string, path: DocPath = []): string {
    if (this.substitutions.length === 0) return text;
    const at = formatPath(path);
    const nearby: Substitution[] = [];
    for (const [where, { substitutions }] of this.interpolated) {
      if (isWithin(where, at) || isWithin(at, where)) nearby.push(...substitutions);
    }
    return concealIn(text, this.substitutions, nearby);
  }

  /** Later reports at or under these paths are dropped (their cause was already reported). */
  suppressUnder(paths: readonly DocPath[]): void {
    this.suppressed.push(...paths.map(formatPath));
  }

  private isSuppressed(path: string): boolean {
    return this.suppressed.some(
      (prefix) =>
        prefix === '' || path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`),
    );
  }

  report(code: number, path: DocPath, text: string, options: ReportOptions = {}): void {
    if (this.suppressed.length > 0 && this.isSuppressed(formatPath(path))) return;
    // The one door every message passes through: no value from the environment gets past it.
    const message = this.conceal(text, path);
    const hint = options.hint ? this.conceal(options.hint, path) : null;
    const position = options.position ?? this.sourceMap.locate(path, options.at);
    const diagnostic: Diagnostic = {
      code,
      name: codeName(code),
      path: formatPath(path),
      file: position.file,
      line: position.line,
      column: position.column,
      message,
      hint,
      severity: isWarningCode(code) ? 'warning' : 'error',
    };
    const key = `${code}\0${diagnostic.path}\0${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(diagnostic);
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /** Whether an error was reported at `path` or anywhere inside it. */
  hasErrorUnder(path: DocPath): boolean {
    const prefix = formatPath(path);
    return this.items.some(
      (d) =>
        d.severity === 'error' &&
        (d.path === prefix || d.path.startsWith(`${prefix}.`) || d.path.startsWith(`${prefix}[`)),
    );
  }

  /** Sorted by file, line, column, code so output is stable across runs. */
  all(): Diagnostic[] {
    return [...this.items].sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        a.column - b.column ||
        a.code - b.code,
    );
  }
}

/** Whether the formatted path `inner` is `outer` or lies inside it. */
function isWithin(inner: string, outer: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}
