/**
 * Path patterns with `.dockerignore` semantics (moby/patternmatcher): paths are relative and
 * `/`-separated, `*` and `?` stay inside one path segment, `**` spans any number of segments,
 * a pattern that matches a directory matches everything below it, `!` re-includes, and the last
 * matching pattern decides. The same globs serve `build.include.patterns` and `build.exclude`.
 */

export interface PathRule {
  regex: RegExp;
  negated: boolean;
  source: string;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

export function globToRegExp(glob: string): RegExp {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 3;
      } else {
        out += '.*';
        i += 2;
      }
    } else if (c === '*') {
      out += '[^/]*';
      i += 1;
    } else if (c === '?') {
      out += '[^/]';
      i += 1;
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
        i += 1;
      } else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end + 1;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1] as string);
      i += 2;
    } else {
      out += escapeRegex(c);
      i += 1;
    }
  }
  return new RegExp(`^${out}$`);
}

/** `a/./b/`, `/a`, `./a` → `a/b`, `a`, `a`: how Docker cleans a pattern before matching. */
export function cleanPattern(pattern: string): string {
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

export function compileRules(patterns: readonly string[]): PathRule[] {
  const rules: PathRule[] = [];
  for (const raw of patterns) {
    let text = raw.trim();
    if (text === '' || text.startsWith('#')) continue;
    const negated = text.startsWith('!');
    if (negated) text = text.slice(1).trim();
    const cleaned = cleanPattern(text);
    if (cleaned === '') continue;
    rules.push({ regex: globToRegExp(cleaned), negated, source: raw });
  }
  return rules;
}

export function parseDockerignore(text: string): PathRule[] {
  return compileRules(text.split(/\r?\n/));
}

/** The path itself and every parent directory: `a/b/c` → `a`, `a/b`, `a/b/c`. */
function selfAndParents(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** True when the rules exclude the path (last matching rule wins; `!` rules re-include). */
export function isExcluded(path: string, rules: readonly PathRule[]): boolean {
  const candidates = selfAndParents(path);
  let excluded = false;
  for (const rule of rules) {
    if (candidates.some((p) => rule.regex.test(p))) excluded = !rule.negated;
  }
  return excluded;
}

/** True when any rule matches the path or one of its parent directories. */
export function matchesAny(path: string, rules: readonly PathRule[]): boolean {
  const candidates = selfAndParents(path);
  return rules.some((rule) => !rule.negated && candidates.some((p) => rule.regex.test(p)));
}
