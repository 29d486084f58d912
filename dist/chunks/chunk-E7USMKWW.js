import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  loadDockfile
} from "./chunk-CJK7HBET.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";

// action/report/text.ts
var maxExcerptWidth = 160;
function formatText(result, readSource) {
  const blocks = [...result.errors, ...result.warnings].map((d) => formatDiagnostic(d, readSource));
  const counts = `${result.errors.length} error${result.errors.length === 1 ? "" : "s"}, ${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"}`;
  const verdict = result.valid ? `${result.file}: valid (${counts})` : `${result.file}: invalid (${counts})`;
  return `${[...blocks, verdict].join("\n")}
`;
}
function formatDiagnostic(d, readSource) {
  const at = d.path ? ` at ${d.path}` : "";
  const lines = [`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.name}${at}: ${d.message}`];
  const source = readSource(d.file)?.[d.line - 1];
  if (source !== void 0) {
    const text = source.replace(/\t/g, " ").replace(/\r$/, "");
    const gutter = `${String(d.line).padStart(4)} | `;
    lines.push(`${gutter}${text.length > maxExcerptWidth ? `${text.slice(0, maxExcerptWidth)}\u2026` : text}`);
    lines.push(`${" ".repeat(gutter.length - 2)}| ${" ".repeat(Math.min(d.column - 1, maxExcerptWidth))}^`);
  }
  if (d.hint) lines.push(`  hint: ${d.hint.replace(/\n/g, "\n        ")}`);
  return lines.join("\n");
}

// action/commands/dockfile-loading.ts
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
function readSourceLines(path) {
  try {
    if (statSync(path).size > 1024 * 1024) return void 0;
    return readFileSync(path, "utf8").split(/\r\n|\r|\n/);
  } catch {
    return void 0;
  }
}
function sourceReader(cwd) {
  return (file) => readSourceLines(resolve(cwd, file));
}
function formatDockfileText(result, cwd) {
  const read = sourceReader(cwd);
  const quotable = new Set(result.quotable ?? []);
  return formatText(result, (file) => quotable.has(file) ? read(file) : void 0);
}
function resolveDockfileArg(cwd, path) {
  let dockfilePath = resolve(cwd, path);
  if (existsSync(dockfilePath) && statSync(dockfilePath).isDirectory())
    dockfilePath = join(dockfilePath, "Dockfile.yaml");
  if (!existsSync(dockfilePath)) throw new UsageError(`${path}: no such Dockfile`);
  return dockfilePath;
}
function locateDockfile(cwd, path, hint) {
  let absolute = resolve(cwd, path);
  const isDirectory = existsSync(absolute) && statSync(absolute).isDirectory();
  if (isDirectory) absolute = join(absolute, "Dockfile.yaml");
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new UsageError(
      isDirectory ? `${path} is a directory without a Dockfile.yaml` : `${path}: no such file`,
      hint
    );
  }
  return absolute;
}
function findRepositoryRoot(startDir) {
  let dir = startDir;
  for (; ; ) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return startDir;
    dir = parent;
  }
}
function loadLocatedDockfile(cwd, absolute, options) {
  return loadDockfile(relative(cwd, absolute) || absolute, {
    cwd,
    root: findRepositoryRoot(dirname(absolute)),
    ...options
  });
}

export {
  formatText,
  formatDockfileText,
  resolveDockfileArg,
  locateDockfile,
  findRepositoryRoot,
  loadLocatedDockfile
};
