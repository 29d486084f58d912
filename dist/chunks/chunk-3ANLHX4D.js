import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/image/build-context/patterns.ts
function escapeRegex(c) {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
function globToRegExp(glob) {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      if (glob[i + 2] === "/") {
        out += "(?:.*/)?";
        i += 3;
      } else {
        out += ".*";
        i += 2;
      }
    } else if (c === "*") {
      out += "[^/]*";
      i += 1;
    } else if (c === "?") {
      out += "[^/]";
      i += 1;
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
        i += 1;
      } else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith("!") || body.startsWith("^")) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end + 1;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1]);
      i += 2;
    } else {
      out += escapeRegex(c);
      i += 1;
    }
  }
  return new RegExp(`^${out}$`);
}
function cleanPattern(pattern) {
  const parts = [];
  for (const part of pattern.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}
function compileRules(patterns) {
  const rules = [];
  for (const raw of patterns) {
    let text = raw.trim();
    if (text === "" || text.startsWith("#")) continue;
    const negated = text.startsWith("!");
    if (negated) text = text.slice(1).trim();
    const cleaned = cleanPattern(text);
    if (cleaned === "") continue;
    rules.push({ regex: globToRegExp(cleaned), negated, source: raw });
  }
  return rules;
}
function parseDockerignore(text) {
  return compileRules(text.split(/\r?\n/));
}
function selfAndParents(path) {
  const parts = path.split("/");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}
function isExcluded(path, rules) {
  const candidates = selfAndParents(path);
  let excluded = false;
  for (const rule of rules) {
    if (candidates.some((p) => rule.regex.test(p))) excluded = !rule.negated;
  }
  return excluded;
}
function matchesAny(path, rules) {
  const candidates = selfAndParents(path);
  return rules.some((rule) => !rule.negated && candidates.some((p) => rule.regex.test(p)));
}

export {
  globToRegExp,
  compileRules,
  parseDockerignore,
  isExcluded,
  matchesAny
};
