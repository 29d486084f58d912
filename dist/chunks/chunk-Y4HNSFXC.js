import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);

// action/report/limits.ts
var STEP_SUMMARY_LIMIT = 1024 * 1024;
function codePoints(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 55296 && unit <= 56319 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 56320 && next <= 57343) i++;
    }
    n++;
  }
  return n;
}
function utf8Bytes(text) {
  return Buffer.byteLength(text, "utf8");
}
var bodyBudget = { max: 6e4, measure: codePoints };
function summaryBudget(alreadyWritten = 0) {
  return { max: Math.max(0, 1e6 - alreadyWritten), measure: utf8Bytes };
}
function fitLines(lines, room, budget, separator = "\n") {
  const separatorSize = budget.measure(separator);
  const kept = [];
  let used = 0;
  for (const line of lines) {
    const size = budget.measure(line) + (kept.length > 0 ? separatorSize : 0);
    if (used + size > room) break;
    kept.push(line);
    used += size;
  }
  return { lines: kept, omitted: lines.length - kept.length };
}
function fitRowsWithNote(head, rows, note, budget) {
  const room = budget.max - budget.measure(head) - budget.measure(note(rows.length));
  const fitted = fitLines(rows, room, budget);
  return `${head}${fitted.lines.join("\n")}${fitted.omitted > 0 ? note(fitted.omitted) : "\n"}`;
}
function truncateText(text, budget, suffix) {
  if (budget.measure(text) <= budget.max) return text;
  const room = budget.max - budget.measure(suffix);
  if (room <= 0) return "";
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (budget.measure(text.slice(0, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  let end = low;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 55296 && last <= 56319) end--;
  return `${text.slice(0, end)}${suffix}`;
}

// action/report/markdown-escape.ts
function longestBacktickRun(text) {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}
function escapePipes(text) {
  return text.replace(/(\\*)\|/g, (_match, run) => `${run}${run.length % 2 === 1 ? "\\" : ""}\\|`);
}
function codeSpan(text, options = {}) {
  if (text === "") return "";
  let content = text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ");
  const fence = "`".repeat(longestBacktickRun(content) + 1);
  if (content.startsWith("`") || content.endsWith("`") || content.startsWith(" ") && content.endsWith(" ")) {
    content = ` ${content} `;
  }
  if (options.table) content = escapePipes(content);
  return `${fence}${content}${fence}`;
}
function codeLines(text) {
  return text.split(/\r\n|[\r\n\u2028\u2029]/).filter((line) => line !== "").map((line) => codeSpan(line, { table: true })).join("<br>");
}
function codeFence(text) {
  return "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
}
function codeBlock(text, info = "") {
  const fence = codeFence(text);
  return `${fence}${info}
${text.replace(/\n+$/, "")}
${fence}`;
}
function linkDestination(url) {
  return url.replace(
    /[\s()<>"'\\`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`
  );
}

export {
  bodyBudget,
  summaryBudget,
  fitLines,
  fitRowsWithNote,
  truncateText,
  codeSpan,
  codeLines,
  codeBlock,
  linkDestination
};
