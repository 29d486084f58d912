/**
 * A conservative scan for regexes that can backtrack exponentially: a group repeated without
 * bound whose body also repeats without bound (`(a+)+`, `(.*)*`, `(\w+\s?)*`), or whose
 * alternatives can match the same text (`(a|ab)*`, `(\d|\w)+`). It reports likely problems;
 * it does not prove their absence.
 */
export function backtrackingRisk(pattern: string): string | undefined {
  interface Group {
    unboundedInside: boolean;
    alternatives: string[];
    current: string;
  }
  const stack: Group[] = [{ unboundedInside: false, alternatives: [], current: '' }];
  let i = 0;
  let lastAtomWasGroup: Group | undefined;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    const top = stack[stack.length - 1] as Group;
    if (ch === '\\') {
      top.current += pattern.slice(i, i + 2);
      lastAtomWasGroup = undefined;
      i += 2;
      continue;
    }
    if (ch === '[') {
      const end = classEnd(pattern, i);
      top.current += pattern.slice(i, end);
      lastAtomWasGroup = undefined;
      i = end;
      continue;
    }
    if (ch === '(') {
      // Skip the group's modifier, e.g. (?: (?P<name> (?=.
      let j = i + 1;
      if (pattern[j] === '?') {
        j++;
        if (pattern[j] === 'P' && pattern[j + 1] === '<') j = pattern.indexOf('>', j) + 1 || j;
        else if (pattern[j] === '<' && pattern[j + 1] !== '=' && pattern[j + 1] !== '!')
          j = pattern.indexOf('>', j) + 1 || j;
        else if (pattern[j] === ':' || pattern[j] === '=' || pattern[j] === '!' || pattern[j] === '>') j++;
        else if (pattern[j] === '<') j += 2;
      }
      stack.push({ unboundedInside: false, alternatives: [], current: '' });
      lastAtomWasGroup = undefined;
      i = j;
      continue;
    }
    if (ch === ')' && stack.length > 1) {
      const group = stack.pop() as Group;
      group.alternatives.push(group.current);
      const parent = stack[stack.length - 1] as Group;
      parent.current += `(${group.alternatives.join('|')})`;
      if (group.unboundedInside) parent.unboundedInside = true;
      lastAtomWasGroup = group;
      i++;
      continue;
    }
    if (ch === '|') {
      top.alternatives.push(top.current);
      top.current = '';
      lastAtomWasGroup = undefined;
      i++;
      continue;
    }
    const quantifier = unboundedQuantifierAt(pattern, i);
    if (quantifier > 0) {
      if (lastAtomWasGroup) {
        if (lastAtomWasGroup.unboundedInside) return 'a repeated group contains another unbounded repetition';
        if (overlappingAlternatives(lastAtomWasGroup.alternatives)) {
          return 'a repeated group has alternatives that can match the same text';
        }
      }
      top.unboundedInside = true;
      top.current += pattern.slice(i, i + quantifier);
      lastAtomWasGroup = undefined;
      i += quantifier;
      continue;
    }
    top.current += ch;
    if (ch !== '?' && ch !== '{') lastAtomWasGroup = undefined;
    i++;
  }
  return undefined;
}

function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, pattern.length);
}

/** Length of `+`, `*`, `{n,}` (with an optional lazy/possessive suffix) at i, or 0. */
function unboundedQuantifierAt(pattern: string, i: number): number {
  const ch = pattern[i];
  let length = 0;
  if (ch === '+' || ch === '*') length = 1;
  else if (ch === '{') {
    const match = /^\{\d*,\}/.exec(pattern.slice(i));
    if (match) length = match[0].length;
  }
  if (length > 0 && (pattern[i + length] === '?' || pattern[i + length] === '+')) length++;
  return length;
}

const broadClasses = new Set(['.', '\\w', '\\W', '\\S', '\\s', '\\d', '\\D']);

function firstAtom(alternative: string): string {
  if (alternative.startsWith('\\')) return alternative.slice(0, 2);
  if (alternative.startsWith('[')) return alternative.slice(0, classEnd(alternative, 0));
  return alternative.slice(0, 1);
}

function overlappingAlternatives(alternatives: string[]): boolean {
  if (alternatives.length < 2) return false;
  const firsts = alternatives.map(firstAtom);
  for (let a = 0; a < firsts.length; a++) {
    for (let b = a + 1; b < firsts.length; b++) {
      const x = firsts[a] as string;
      const y = firsts[b] as string;
      if (x === '' || y === '') return true;
      if (x === y) return true;
      if (x === '.' || y === '.') return true;
      if ((x === '\\w' && /^[A-Za-z0-9_]$|^\\d$/.test(y)) || (y === '\\w' && /^[A-Za-z0-9_]$|^\\d$/.test(x)))
        return true;
      if ((x === '\\d' && /^[0-9]$/.test(y)) || (y === '\\d' && /^[0-9]$/.test(x))) return true;
      if (
        (x === '\\S' && !broadClasses.has(y) && y !== ' ') ||
        (y === '\\S' && !broadClasses.has(x) && x !== ' ')
      )
        return true;
    }
  }
  return false;
}
