import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  DockrionError
} from "./chunk-NQESISYT.js";

// action/report/failure.ts
function flat(text) {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
function withFix(text, hint) {
  return hint ? `${text} \u2014 fix: ${flat(hint)}` : text;
}
function diagnosticLine(d) {
  const message = flat(d.message);
  const path = d.path && !message.startsWith(d.path) ? ` ${d.path}:` : "";
  return withFix(`${d.file}:${d.line}:${d.column} ${d.code}${path} ${message}`, d.hint);
}
function diagnosticsLine(errors, where) {
  const [first] = errors;
  if (!first) return "";
  const more = errors.length - 1;
  return more > 0 ? `${diagnosticLine(first)} (+${more} more ${more === 1 ? "error" : "errors"} in ${where})` : diagnosticLine(first);
}
function hasDiagnostics(e) {
  const list = e?.diagnostics;
  return Array.isArray(list) && list.length > 0;
}
function failureLine(e, context = {}) {
  const relative = context.relative ?? ((file) => file);
  if (hasDiagnostics(e)) {
    const errors = e.diagnostics.map((d) => ({ ...d, file: relative(d.file) }));
    return diagnosticsLine(errors, context.where ?? "the log");
  }
  if (e instanceof DockrionError) {
    const located = e;
    const path = typeof located.path === "string" && located.path ? ` ${located.path}:` : ":";
    let where = "";
    if (typeof located.file === "string" && typeof located.line === "number") {
      where = `${relative(located.file)}:${located.line}:${typeof located.column === "number" ? located.column : 1} `;
    } else if (context.file && path !== ":") {
      where = `${context.file} `;
    }
    const message = flat(e.message);
    const text = path !== ":" && message.startsWith(`${located.path}:`) ? `${where}${e.code} ${message}` : `${where}${e.code}${path} ${message}`;
    return withFix(text, e.hint);
  }
  if (e instanceof Error) return flat(e.message) || e.name;
  return flat(String(e));
}

export {
  diagnosticLine,
  diagnosticsLine,
  failureLine
};
