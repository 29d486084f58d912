/**
 * A conservative scan for regexes that a backtracking engine runs in super-linear time, because
 * the pattern can match one text in many ways:
 * - a group repeated more than once whose body has an unbounded repetition that can also match
 *   what follows it, inside the body or at the start of the next round: `(a+)+`, `(.*)*`,
 *   `(\w+\s?)*`, `(.*a){20}`, `(.*,){12}x` (but not `([ -]\d+)*`: the separator tells rounds apart);
 * - an unboundedly repeated group whose alternatives can start alike: `(a|ab)*`, `(\d|\w)+`;
 * - two unbounded repetitions of overlapping characters with only optional items between them:
 *   `\d+[ -]?\d+`, `\s*\s*$`, `a*a*b`;
 * - a backreference (RE2 rejects it anyway).
 * dockrion runs patterns on RE2, which stays linear regardless; the warning says the pattern is
 * ambiguous (slow under any backtracking engine, and usually not what was meant). It reports
 * likely problems; it does not prove their absence.
 */

type CharTest = (ch: string) => boolean;

interface Node {
  kind: 'char' | 'group' | 'empty' | 'backref';
  /** Characters one round of this node can start with (for 'char': the character class). */
  first: CharTest;
  nullable: boolean;
  /** For groups: the alternatives, each a sequence of items. */
  alternatives?: Item[][];
}

interface Item {
  node: Node;
  min: number;
  max: number; // Infinity when unbounded
}

const never: CharTest = () => false;
const union =
  (a: CharTest, b: CharTest): CharTest =>
  (c) =>
    a(c) || b(c);

const isDigit = (c: string) => c >= '0' && c <= '9';
const isWord = (c: string) => /^[A-Za-z0-9_]$/.test(c);
const isSpace = (c: string) => /^[ \t\n\r\f\v]$/.test(c);
const isLetterOrDigit = (c: string) => /^[\p{L}\p{N}]$/u.test(c);

const escapeClasses: Record<string, CharTest> = {
  d: isDigit,
  D: (c) => !isDigit(c),
  w: isWord,
  W: (c) => !isWord(c),
  s: isSpace,
  S: (c) => !isSpace(c),
};
const zeroWidthEscapes = new Set(['b', 'B', 'A', 'z', 'Z', 'G']);
const posixClasses: Record<string, CharTest> = {
  alpha: (c) => /^[A-Za-z]$/.test(c),
  digit: isDigit,
  alnum: (c) => /^[A-Za-z0-9]$/.test(c),
  space: isSpace,
  word: isWord,
  upper: (c) => /^[A-Z]$/.test(c),
  lower: (c) => /^[a-z]$/.test(c),
  punct: (c) => /^[!-/:-@[-`{-~]$/.test(c),
};

/** The characters overlap tests are evaluated on: typical ones plus every literal in the pattern. */
const sampleAlphabet = [...'abzAZ019_ \t\n-,.@/xé'];

class Parser {
  i = 0;
  readonly literals = new Set<string>();
  constructor(readonly p: string) {}

  parseAlternation(): Item[][] {
    const alternatives: Item[][] = [this.parseSequence()];
    while (this.p[this.i] === '|') {
      this.i++;
      alternatives.push(this.parseSequence());
    }
    return alternatives;
  }

  parseSequence(): Item[] {
    const items: Item[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const node = this.parseAtom();
      if (!node) continue;
      const [min, max] = this.parseQuantifier();
      items.push({ node, min, max });
    }
    return items;
  }

  parseQuantifier(): [number, number] {
    const ch = this.p[this.i];
    let bounds: [number, number] | undefined;
    if (ch === '*') bounds = [0, Infinity];
    else if (ch === '+') bounds = [1, Infinity];
    else if (ch === '?') bounds = [0, 1];
    if (bounds) this.i++;
    else if (ch === '{') {
      const match = /^\{(\d*)(,?)(\d*)\}/.exec(this.p.slice(this.i));
      if (!match || (match[1] === '' && match[3] === '')) return [1, 1];
      const min = Number(match[1] || 0);
      const max = match[2] === '' ? min : match[3] === '' ? Infinity : Number(match[3]);
      bounds = [min, max];
      this.i += match[0].length;
    } else return [1, 1];
    if (this.p[this.i] === '?' || this.p[this.i] === '+') this.i++; // lazy (possessive is an RE2 error)
    return bounds;
  }

  parseAtom(): Node | undefined {
    const ch = this.p[this.i] as string;
    if (ch === '(') return this.parseGroup();
    if (ch === '[') return this.charNode(this.parseClass());
    if (ch === '^' || ch === '$') {
      this.i++;
      return { kind: 'empty', first: never, nullable: true };
    }
    if (ch === '.') {
      this.i++;
      return this.charNode((c) => c !== '\n');
    }
    if (ch === '\\') return this.parseEscape();
    this.i++;
    return this.literal(ch);
  }

  parseGroup(): Node {
    this.i++; // (
    if (this.p[this.i] === '?') {
      // (?: (?i) (?i: (?P<name> (?<name> (?= (?! (?<= (?<! — lookarounds are RE2 errors; parsed as groups.
      const close = /^\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|[A-Za-z-]*:|[A-Za-z-]*\)|<?[=!]|)/.exec(
        this.p.slice(this.i),
      );
      const prefix = close?.[0] ?? '?';
      this.i += prefix.length;
      if (prefix.endsWith(')')) return { kind: 'empty', first: never, nullable: true }; // inline flags
    }
    const alternatives = this.parseAlternation();
    if (this.p[this.i] === ')') this.i++;
    return {
      kind: 'group',
      alternatives,
      first: alternatives.map(sequenceFirst).reduce(union, never),
      nullable: alternatives.some(sequenceNullable),
    };
  }

  parseEscape(): Node {
    const next = this.p[this.i + 1] ?? '';
    this.i += 2;
    const cls = escapeClasses[next];
    if (cls) return this.charNode(cls);
    if (zeroWidthEscapes.has(next)) return { kind: 'empty', first: never, nullable: true };
    if (/[1-9]/.test(next)) return { kind: 'backref', first: () => true, nullable: true };
    if (next === 'p' || next === 'P') {
      if (this.p[this.i] === '{') this.i = this.p.indexOf('}', this.i) + 1 || this.p.length;
      else this.i++;
      return this.charNode(next === 'p' ? isLetterOrDigit : (c) => !isLetterOrDigit(c));
    }
    if (next === 'x') {
      const hex = /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{2}))/.exec(this.p.slice(this.i));
      if (hex) {
        this.i += hex[0].length;
        return this.literal(String.fromCodePoint(Number.parseInt(hex[1] ?? hex[2] ?? '0', 16)));
      }
    }
    if (next === 'Q') {
      const end = this.p.indexOf('\\E', this.i);
      const text = this.p.slice(this.i, end < 0 ? this.p.length : end);
      this.i = end < 0 ? this.p.length : end + 2;
      const firstChar = text[0];
      for (const c of text) this.literals.add(c);
      return firstChar === undefined
        ? { kind: 'empty', first: never, nullable: true }
        : { kind: 'char', first: (c) => c === firstChar, nullable: false };
    }
    const named: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };
    return this.literal(named[next] ?? next);
  }

  /** A `[...]` class as a character test; `this.i` is at `[`. */
  parseClass(): CharTest {
    this.i++;
    const negated = this.p[this.i] === '^';
    if (negated) this.i++;
    const tests: CharTest[] = [];
    let first = true;
    while (this.i < this.p.length && (this.p[this.i] !== ']' || first)) {
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
      if (posix) {
        const test = posixClasses[posix[2] ?? ''] ?? (() => true);
        tests.push(posix[1] ? (c) => !test(c) : test);
        this.i += posix[0].length;
        continue;
      }
      let low = this.p[this.i] as string;
      if (low === '\\') {
        const next = this.p[this.i + 1] ?? '';
        this.i += 2;
        const cls = escapeClasses[next];
        if (cls) {
          tests.push(cls);
          continue;
        }
        if (next === 'p' || next === 'P') {
          if (this.p[this.i] === '{') this.i = this.p.indexOf('}', this.i) + 1 || this.p.length;
          else this.i++;
          tests.push(next === 'p' ? isLetterOrDigit : (c) => !isLetterOrDigit(c));
          continue;
        }
        low = next;
      } else this.i++;
      this.literals.add(low);
      if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.i + 1 < this.p.length) {
        let high = this.p[this.i + 1] as string;
        this.i += 2;
        if (high === '\\') {
          high = this.p[this.i] ?? high;
          this.i++;
        }
        this.literals.add(high);
        const [from, to] = [low, high];
        tests.push((c) => c >= from && c <= to);
      } else {
        const only = low;
        tests.push((c) => c === only);
      }
    }
    this.i++; // ]
    const inClass = (c: string) => tests.some((t) => t(c));
    return negated ? (c) => !inClass(c) : inClass;
  }

  charNode(first: CharTest): Node {
    return { kind: 'char', first, nullable: false };
  }

  literal(ch: string): Node {
    this.literals.add(ch);
    return this.charNode((c) => c === ch);
  }
}

function sequenceFirst(items: Item[]): CharTest {
  let first = never;
  for (const item of items) {
    first = union(first, item.node.first);
    if (!itemNullable(item)) break;
  }
  return first;
}

const itemNullable = (item: Item) => item.min === 0 || item.node.nullable;
const sequenceNullable = (items: Item[]) => items.every(itemNullable);

export function backtrackingRisk(pattern: string): string | undefined {
  const parser = new Parser(pattern);
  const alternatives = parser.parseAlternation();
  const alphabet = [...new Set([...sampleAlphabet, ...parser.literals])];
  const overlap = (a: CharTest, b: CharTest) => alphabet.some((c) => a(c) && b(c));
  return checkAlternatives(alternatives, overlap);
}

function checkAlternatives(
  alternatives: Item[][],
  overlap: (a: CharTest, b: CharTest) => boolean,
): string | undefined {
  for (const items of alternatives) {
    const risk = checkSequence(items, overlap);
    if (risk) return risk;
  }
  return undefined;
}

function checkSequence(items: Item[], overlap: (a: CharTest, b: CharTest) => boolean): string | undefined {
  for (const [index, item] of items.entries()) {
    const { node } = item;
    if (node.kind === 'backref') return 'it uses a backreference';
    if (node.kind === 'group' && node.alternatives) {
      const inner = checkAlternatives(node.alternatives, overlap);
      if (inner) return inner;
      if (item.max > 1 && repeatsAmbiguously(node.alternatives, node.first, overlap)) {
        return 'a repeated group contains a repetition that can also match what follows it';
      }
      if (item.max === Infinity && alternativesOverlap(node.alternatives, overlap)) {
        return 'a repeated group has alternatives that can match the same text';
      }
    }
    if (item.max === Infinity) {
      for (const later of items.slice(index + 1)) {
        if (later.max === Infinity && overlap(node.first, later.node.first)) {
          return 'two repetitions with only optional items between them can match the same text';
        }
        if (!itemNullable(later)) break;
      }
    }
  }
  return undefined;
}

/** Inside a group repeated more than once: an unbounded repetition whose characters can also
 * start what follows it (the rest of the body, or the next round when the rest can be empty). */
function repeatsAmbiguously(
  alternatives: Item[][],
  nextRound: CharTest,
  overlap: (a: CharTest, b: CharTest) => boolean,
): boolean {
  return alternatives.some((items) =>
    items.some((item, index) => {
      const rest = items.slice(index + 1);
      const follow = sequenceNullable(rest) ? union(sequenceFirst(rest), nextRound) : sequenceFirst(rest);
      if (item.max === Infinity && (item.node.kind !== 'group' || !item.node.nullable)) {
        if (overlap(item.node.first, follow)) return true;
      }
      // A nested group carries its own unbounded repetition into every round: `((a+)b?)+`.
      return (
        item.node.kind === 'group' &&
        item.node.alternatives !== undefined &&
        repeatsAmbiguously(item.node.alternatives, follow, overlap)
      );
    }),
  );
}

function alternativesOverlap(
  alternatives: Item[][],
  overlap: (a: CharTest, b: CharTest) => boolean,
): boolean {
  if (alternatives.length < 2) return false;
  const firsts = alternatives.map((items) => ({
    first: sequenceFirst(items),
    empty: sequenceNullable(items),
  }));
  for (let a = 0; a < firsts.length; a++) {
    for (let b = a + 1; b < firsts.length; b++) {
      const x = firsts[a];
      const y = firsts[b];
      if (!x || !y) continue;
      if (x.empty || y.empty || overlap(x.first, y.first)) return true;
    }
  }
  return false;
}
