import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { ErrorCode } from './codes.ts';
import type { DiagnosticSink, DocPath, SourceMap } from './diagnostics.ts';
import { limits } from './limits.ts';
import { nestingExceeds, tokensExceed } from './nesting.ts';
import { readSourceText } from './source-text.ts';

const INCLUDE_TAG = '!include';
const allowedCoreTags = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/** Stops the walk of a document once a limit is hit, so a bomb costs no more than the limit. */
class LimitExceeded extends Error {}

interface SourceFile {
  /** Absolute, symlinks resolved. */
  realPath: string;
  /** What users see in diagnostics. */
  displayPath: string;
  /** Filled in when the text is parsed. */
  lines?: LineIndex;
}

/**
 * Line and column (1-based, in UTF-16 units) of an offset, from the text itself. The parser's own
 * counter only learns the line breaks it lexes, so after a syntax error (an INI file, say) it put
 * later errors on the wrong line and column.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  /** `text` with CR-only line breaks already turned into LF (`normalizeLineBreaks`). */
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }
}

/**
 * YAML 1.2 counts a lone CR as a line break (classic Mac files); the parser does not. One character
 * for another, so every offset stays where it was.
 */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export interface TreeOptions {
  /** Absolute repository root; includes must stay inside it. */
  root: string;
  sourceMap: SourceMap;
  sink: DiagnosticSink;
}

export interface Tree {
  /** `undefined` when the main file could not be read or parsed, or a hard limit was hit. */
  value: unknown;
  /** Values that failed (a bad include, a forbidden tag) and were left out; already reported. */
  failedPaths: DocPath[];
  /**
   * Files (as diagnostics name them) that parsed as YAML, the main one as a map: only their lines
   * may be quoted in reports. A file that is not YAML (a `.env`, an INI file, a binary) is never
   * quoted: it may hold credentials.
   */
  quotable: string[];
}

/**
 * Reads a Dockfile and its `!include`s into plain JSON values, recording the source position of
 * every value in the source map. Problems are reported to the sink; the result is `undefined`
 * when the main file could not be read or parsed at all.
 */
export function readDockfileTree(
  absolutePath: string,
  displayPath: string,
  options: TreeOptions,
  text?: string,
): Tree {
  const builder = new TreeBuilder(options, absolutePath, displayPath);
  const value = builder.buildMain(text);
  return { value, failedPaths: builder.failedPaths, quotable: builder.quotable };
}

class TreeBuilder {
  private nodeCount = 0;
  readonly failedPaths: DocPath[] = [];
  readonly quotable: string[] = [];
  private readonly rootReal: string;
  private readonly mainDir: string;
  private readonly mainDisplayDir: string;

  constructor(
    private readonly options: TreeOptions,
    private readonly mainPath: string,
    private readonly mainDisplay: string,
  ) {
    this.rootReal = safeRealpath(options.root) ?? resolve(options.root);
    this.mainDir = dirname(mainPath);
    this.mainDisplayDir = dirname(mainDisplay);
  }

  buildMain(text?: string): unknown {
    const position = { file: this.mainDisplay, line: 1, column: 1 };
    const realPath = safeRealpath(this.mainPath) ?? resolve(this.mainPath);
    if (text === undefined) {
      // The same boundary as `!include`: a Dockfile symlinked to /proc/self/environ or .git/config
      // would otherwise print the environment or a persisted token into a PR comment.
      const outside = this.boundaryProblem(
        this.mainPath,
        safeRealpath(this.mainPath),
        resolve(this.options.root),
      );
      if (outside) {
        this.options.sink.report(ErrorCode.YamlSyntax, [], `${this.mainDisplay} ${outside}`, {
          position,
          hint: 'the Dockfile must be a regular file inside the repository (not in .git)',
        });
        return undefined;
      }
    }
    const source = text === undefined ? this.readSource(this.mainPath, this.mainDisplay, [], position) : text;
    if (source === undefined) return undefined;
    try {
      return this.buildDocument(source, { realPath, displayPath: this.mainDisplay }, [], [realPath]);
    } catch (e: unknown) {
      // A hard limit anywhere (main file or include) stops the whole load: it was reported.
      if (e instanceof LimitExceeded) return undefined;
      if (e instanceof RangeError) {
        this.options.sink.report(ErrorCode.YamlSyntax, [], `${this.mainDisplay} is nested too deeply`, {
          position,
        });
        return undefined;
      }
      throw e;
    }
  }

  /**
   * Why a file may not be read, or undefined when it may: it must lie inside the repository both
   * as named (`lexicalRoot` is the root as given) and after resolving symlinks, and not in `.git`.
   */
  private boundaryProblem(
    lexical: string,
    real: string | undefined,
    lexicalRoot: string = this.rootReal,
  ): string | undefined {
    if (!isInside(lexicalRoot, lexical) && !isInside(this.rootReal, lexical))
      return 'points outside the repository';
    if (real === undefined) return undefined;
    if (!isInside(this.rootReal, real)) return 'resolves (through a symlink) outside the repository';
    if (relative(this.rootReal, real).split(sep).includes('.git'))
      return "is inside the repository's .git directory";
    return undefined;
  }

  markFailed(docPath: DocPath): void {
    this.failedPaths.push(docPath);
  }

  private readSource(
    path: string,
    display: string,
    docPath: DocPath,
    position: { file: string; line: number; column: number },
    missingCode: number = ErrorCode.YamlSyntax,
  ): string | undefined {
    return readSourceText(path, display, missingCode, (code, message, hint, at) =>
      this.options.sink.report(code, docPath, message, {
        // A position inside the file itself applies only when the report points at that file (the
        // main Dockfile); an included file's problem stays at its `!include` line.
        position: at && position.file === display ? { ...position, ...at } : position,
        hint: hint ?? null,
      }),
    );
  }

  private buildDocument(
    rawText: string,
    file: SourceFile,
    docPath: DocPath,
    includeChain: string[],
  ): unknown {
    const sink = this.options.sink;
    const text = normalizeLineBreaks(rawText);
    const lines = new LineIndex(text);
    file.lines = lines;
    const at = (offset: number) => ({ file: file.displayPath, ...lines.position(offset) });
    if (text.length > limits.maxFileBytes) {
      sink.report(ErrorCode.YamlSyntax, docPath, `${file.displayPath} is larger than 1 MiB`, {
        position: { file: file.displayPath, line: 1, column: 1 },
      });
      return undefined;
    }
    const tooDeep = nestingExceeds(text, limits.maxParseDepth);
    if (tooDeep) {
      sink.report(
        ErrorCode.YamlSyntax,
        docPath,
        `${file.displayPath} is nested more than ${limits.maxParseDepth} levels deep`,
        { position: { file: file.displayPath, ...tooDeep }, hint: 'flatten the structure' },
      );
      return undefined;
    }
    const tooMany = tokensExceed(text, limits.maxTokens);
    if (tooMany !== undefined) {
      sink.report(
        ErrorCode.YamlSyntax,
        docPath,
        `${file.displayPath} has more than ${limits.maxTokens} YAML tokens (at most ${limits.maxNodes} values are allowed)`,
        { position: at(tooMany), hint: 'split the file, or move large data out of the Dockfile' },
      );
      return undefined;
    }
    let document: ReturnType<typeof parseDocument>;
    try {
      document = parseDocument(text, {
        prettyErrors: false,
        // The parser's own check compares every key with every earlier one (90 000 keys took five
        // minutes); the walker checks with a set, and only up to the value limit.
        uniqueKeys: false,
        merge: false,
        version: '1.2',
        schema: 'core',
      });
    } catch (e: unknown) {
      // The parser recurses on nested flow collections; absurd nesting overflows the stack.
      const reason = e instanceof RangeError ? 'is nested too deeply to parse' : 'could not be parsed';
      sink.report(ErrorCode.YamlSyntax, docPath, `${file.displayPath} ${reason}`, {
        position: { file: file.displayPath, line: 1, column: 1 },
      });
      return undefined;
    }
    if (document.errors.length > 0) {
      for (const error of document.errors.slice(0, 20)) {
        const message =
          error.code === 'RESOURCE_EXHAUSTION'
            ? 'the document is too large or too deeply nested to parse'
            : parserMessage(error.message);
        sink.report(ErrorCode.YamlSyntax, docPath, message, { position: at(error.pos[0]) });
      }
      return undefined;
    }
    if (docPath.length > 0 || isMap(document.contents)) this.quotable.push(file.displayPath);
    if (document.contents === null) return null;
    const walker = new DocumentWalker(this, document, text, file, includeChain);
    // Depth continues across includes: an included file nests below the key that includes it.
    const value = walker.walk(document.contents as Node, docPath, docPath.length);
    // A duplicate key is a syntax error: the document means nothing certain.
    return walker.foundDuplicateKey ? undefined : value;
  }

  countNode(docPath: DocPath, position: { file: string; line: number; column: number }): void {
    this.nodeCount++;
    if (this.nodeCount > limits.maxNodes) {
      this.options.sink.report(
        ErrorCode.YamlSyntax,
        docPath,
        `the document expands to more than ${limits.maxNodes} values (aliases and includes count each time they are used)`,
        { position, hint: 'remove repeated aliases or split the file' },
      );
      throw new LimitExceeded();
    }
  }

  include(
    target: unknown,
    docPath: DocPath,
    position: { file: string; line: number; column: number },
    fromFile: SourceFile,
    includeChain: string[],
  ): unknown {
    const sink = this.options.sink;
    const fail = (message: string, hint?: string) => {
      sink.report(ErrorCode.IncludeCycle, docPath, message, { position, hint: hint ?? null });
      this.markFailed(docPath);
      return undefined;
    };
    if (typeof target !== 'string' || target.trim() === '') {
      return fail('!include needs a relative file path, e.g. `!include policies.yaml`');
    }
    if (isAbsolute(target))
      return fail(`!include ${target}: the path must be relative to the including file`);
    if (includeChain.length > limits.maxIncludeDepth) {
      return fail(`!include ${target}: includes are nested more than ${limits.maxIncludeDepth} levels deep`);
    }
    const fromDir = dirname(fromFile.realPath);
    const lexical = resolve(fromDir, target);
    if (!isInside(this.rootReal, lexical)) {
      return fail(
        `!include ${target} points outside the repository`,
        'include only files inside the repository',
      );
    }
    const real = safeRealpath(lexical);
    const display = this.displayFor(real ?? lexical);
    if (real === undefined) return fail(`!include ${target}: ${display} does not exist`);
    const outside = this.boundaryProblem(lexical, real);
    if (outside) return fail(`!include ${target} ${outside}`, 'include only files inside the repository');
    if (includeChain.includes(real)) {
      const cycle = [...includeChain.slice(includeChain.indexOf(real)), real].map((p) => this.displayFor(p));
      return fail(`!include cycle: ${cycle.join(' → ')}`);
    }
    const text = this.readSource(real, display, docPath, position, ErrorCode.IncludeCycle);
    const value =
      text === undefined
        ? undefined
        : this.buildDocument(text, { realPath: real, displayPath: display }, docPath, [
            ...includeChain,
            real,
          ]);
    if (value === undefined) this.markFailed(docPath);
    return value;
  }

  /** Included files are shown relative to the same base the user named the Dockfile with. */
  private displayFor(absolutePath: string): string {
    const mainDirReal = safeRealpath(this.mainDir) ?? this.mainDir;
    const rel = relative(mainDirReal, absolutePath);
    return this.mainDisplayDir === '.' ? rel : join(this.mainDisplayDir, rel);
  }

  get sourceMap(): SourceMap {
    return this.options.sourceMap;
  }

  get sink(): DiagnosticSink {
    return this.options.sink;
  }
}

class DocumentWalker {
  private aliasCount = 0;
  private depthReported = false;
  foundDuplicateKey = false;
  private readonly lines: LineIndex;

  constructor(
    private readonly builder: TreeBuilder,
    private readonly document: ReturnType<typeof parseDocument>,
    private readonly text: string,
    private readonly file: SourceFile,
    private readonly includeChain: string[],
  ) {
    this.lines = file.lines ?? new LineIndex(text);
  }

  private position(node: { range?: [number, number, number] | null }): {
    file: string;
    line: number;
    column: number;
  } {
    const offset = node.range?.[0] ?? 0;
    return { file: this.file.displayPath, ...this.lines.position(offset) };
  }

  /**
   * Where the node's tag is written (`!include x` is reported at `!include`): the node's range
   * starts after the tag, so look back on the same or the previous line.
   */
  private tagPosition(node: { range?: [number, number, number] | null }): {
    file: string;
    line: number;
    column: number;
  } {
    const start = node.range?.[0] ?? 0;
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const searchFrom = lineStart > 0 ? this.text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
    let bang = this.text.lastIndexOf('!', start - 1);
    while (bang > 0 && this.text[bang - 1] === '!') bang--;
    if (bang < searchFrom || bang < 0) return this.position(node);
    return { file: this.file.displayPath, ...this.lines.position(bang) };
  }

  walk(node: Node, docPath: DocPath, depth: number): unknown {
    const position = this.position(node);
    this.builder.countNode(docPath, position);
    if (depth > limits.maxDepth) {
      if (!this.depthReported) {
        this.depthReported = true;
        this.builder.sink.report(
          ErrorCode.YamlSyntax,
          docPath,
          `values are nested more than ${limits.maxDepth} levels deep`,
          { position },
        );
      }
      throw new LimitExceeded();
    }
    if (isAlias(node)) {
      this.aliasCount++;
      if (this.aliasCount > limits.maxAliasCount) {
        this.builder.sink.report(
          ErrorCode.YamlSyntax,
          docPath,
          `more than ${limits.maxAliasCount} alias references (*name) in ${this.file.displayPath}`,
          { position, hint: 'write the values out, or use !include for shared parts' },
        );
        throw new LimitExceeded();
      }
      const target = node.resolve(this.document);
      if (!target) {
        this.builder.sink.report(ErrorCode.YamlSyntax, docPath, `unknown alias *${node.source}`, {
          position,
        });
        return undefined;
      }
      return this.walk(target as Node, docPath, depth + 1);
    }
    const tag = (node as { tag?: string }).tag;
    if (tag === INCLUDE_TAG) {
      const target = isScalar(node) ? node.value : undefined;
      return this.builder.include(target, docPath, this.tagPosition(node), this.file, this.includeChain);
    }
    if (tag !== undefined && !allowedCoreTags.has(tag)) {
      this.builder.sink.report(ErrorCode.YamlSyntax, docPath, `unsupported YAML tag ${tag}`, {
        position: this.tagPosition(node),
        hint: 'only !include is allowed; remove the tag',
      });
      this.builder.markFailed(docPath);
      return undefined;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const keys = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        if (!isScalar(keyNode) || (typeof keyNode.value === 'object' && keyNode.value !== null)) {
          const keyPosition = keyNode ? this.position(keyNode) : position;
          this.builder.sink.report(ErrorCode.YamlSyntax, docPath, 'map keys must be plain strings', {
            position: keyPosition,
          });
          this.builder.markFailed(docPath);
          continue;
        }
        const key = keyNode.value === null ? '' : String(keyNode.value);
        const childPath = [...docPath, key];
        const keyPosition = this.position(keyNode);
        if (keys.has(key)) {
          this.builder.sink.report(
            ErrorCode.YamlSyntax,
            docPath,
            'duplicate key: each key may appear only once in a map',
            { position: keyPosition },
          );
          this.foundDuplicateKey = true;
          continue;
        }
        keys.add(key);
        const valueNode = pair.value as Node | null;
        const valuePosition = valueNode ? this.position(valueNode) : keyPosition;
        this.builder.sourceMap.set(childPath, {
          ...valuePosition,
          keyLine: keyPosition.line,
          keyColumn: keyPosition.column,
        });
        // Own data property even for "__proto__", so no key can reach the prototype.
        // An entry without a value is still a value (null): 90 000 bare keys must meet the limit too.
        if (!valueNode) this.builder.countNode(childPath, keyPosition);
        Object.defineProperty(out, key, {
          value: valueNode ? this.walk(valueNode, childPath, depth + 1) : null,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, index) => {
        const childPath = [...docPath, index];
        const itemNode = item as Node | null;
        if (itemNode) this.builder.sourceMap.set(childPath, this.position(itemNode));
        else this.builder.countNode(childPath, position);
        out.push(itemNode ? this.walk(itemNode, childPath, depth + 1) : null);
      });
      return out;
    }
    if (isScalar(node)) {
      const value = node.value;
      if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
      if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
      return String(value);
    }
    return undefined;
  }
}

/**
 * The parser's message without the source text it sometimes quotes (`Unexpected scalar token in
 * YAML stream: "<the line>"`, a block scalar header, a tag): a file that is not YAML may be a
 * credentials file, and this message reaches PR comments.
 */
export function parserMessage(message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  const quoting =
    /^(Unexpected \S+ token in YAML stream|Block scalar header includes extra characters|Unresolved tag|Invalid escape sequence)\b/.exec(
      first,
    );
  if (quoting?.[1]) return quoting[1];
  return first.replace(/"(?:[^"\\]|\\.)*"/g, '…').slice(0, 160);
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
