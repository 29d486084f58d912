import { CST, Lexer } from 'yaml';

/**
 * The YAML parser recurses once per nesting level and fails unpredictably near the stack limit
 * (even crashing the process inside V8's regex compiler), so absurd nesting is refused by this
 * linear scan before parsing. It over-approximates (brackets in quotes on other lines, block
 * scalar indentation), which is harmless at a limit far above any real Dockfile.
 */
export function nestingExceeds(text: string, limit: number): { line: number; column: number } | undefined {
  const indents: number[] = [];
  let flowDepth = 0;
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - start;
    const blank = i >= end || text[i] === '#' || text[i] === '\r';
    if (!blank && flowDepth === 0) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
    }
    let quote: string | null = null;
    for (; i < end; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === quote) quote = null;
        else if (ch === '\\' && quote === '"') i++;
        continue;
      }
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '#' && (i === start || text[i - 1] === ' ')) break;
      else if (ch === '[' || ch === '{') flowDepth++;
      else if ((ch === ']' || ch === '}') && flowDepth > 0) flowDepth--;
      else if (ch === '-' && (text[i + 1] === ' ' || i + 1 === end)) indents.push(indent + (i - start) + 1);
      if (flowDepth + indents.length > limit) return { line: lineNumber, column: i - start + 1 };
    }
    if (flowDepth + indents.length > limit) return { line: lineNumber, column: 1 };
    start = end + 1;
  }
  return undefined;
}

/** Tokens that carry no value: whitespace, line breaks, comments and the lexer's own markers. */
const trivia = new Set(['space', 'newline', 'comment', 'byte-order-mark', 'doc-mode']);

/**
 * Where a document has more than `limit` YAML tokens (scalars, indicators, tags, anchors, aliases;
 * not whitespace or comments), found by the lexer alone: linear and several times cheaper than
 * parsing. Parsing and walking cost grows with the tokens (with parse errors, a lot per token),
 * so this bounds the time spent before the value limit can be checked.
 */
export function tokensExceed(text: string, limit: number): number | undefined {
  let offset = 0;
  let count = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    // A plain scalar comes as the SCALAR marker (not in the text) followed by its source.
    if (type !== null && !trivia.has(type) && type !== 'flow-error-end') {
      count++;
      if (count > limit) return offset;
    }
    if (
      token !== CST.SCALAR &&
      type !== 'doc-mode' &&
      type !== 'flow-error-end' &&
      type !== 'byte-order-mark'
    )
      offset += token.length;
  }
  return undefined;
}
