import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  globToRegExp
} from "./chunk-3ANLHX4D.js";
import {
  Git
} from "./chunk-4P7MY5G4.js";
import {
  DiagnosticSink,
  SourceMap,
  readDockfileTree
} from "./chunk-CJK7HBET.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";

// action/agents/parallel.ts
import { availableParallelism } from "node:os";
function parallelLimit(cores = availableParallelism()) {
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await fn(items[index], index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

// action/agents/selection.ts
import { readdirSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
var GLOB_CHARS = /[*?[]/;
var SKIPPED_DIRECTORIES = /* @__PURE__ */ new Set([".git", "node_modules"]);
function parseDockfileInput(value, field2 = "input 'dockfile'") {
  const lines = value.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  if (lines.length === 0) {
    throw new UsageError(
      `${field2} is empty`,
      "e.g. dockfile: Dockfile.yaml or dockfile: agents/*/Dockfile.yaml"
    );
  }
  const [first] = lines;
  if (lines.length === 1 && first !== void 0 && !GLOB_CHARS.test(first))
    return { kind: "single", path: first };
  return { kind: "many", patterns: lines };
}
function workspaceSegments(pattern, field2) {
  const slashed = pattern.replaceAll("\\", "/");
  const normalized = normalize(slashed).split(sep).join("/");
  if (isAbsolute(slashed) || normalized === ".." || normalized.startsWith("../")) {
    throw new UsageError(
      `${field2}: '${pattern.slice(0, 120)}' is outside the workspace`,
      "name Dockfiles relative to the repository root, e.g. agents/*/Dockfile.yaml"
    );
  }
  return normalized.split("/").filter((s) => s !== "" && s !== ".");
}
function listDirectory(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
function expand(root, segments) {
  const found = [];
  const walk = (dir, rest) => {
    const [head, ...tail] = rest;
    if (head === void 0) return;
    if (head === "**") {
      walk(dir, tail);
      for (const entry of listDirectory(dir)) {
        if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith("."))
          walk(join(dir, entry.name), rest);
      }
      return;
    }
    if (!GLOB_CHARS.test(head)) {
      const path = join(dir, head);
      if (tail.length === 0) {
        if (isFile(path)) found.push(path);
      } else walk(path, tail);
      return;
    }
    const matcher = globToRegExp(head);
    const hiddenOk = head.startsWith(".");
    for (const entry of listDirectory(dir)) {
      if (!matcher.test(entry.name) || entry.name.startsWith(".") && !hiddenOk) continue;
      if (entry.name === ".git") continue;
      const path = join(dir, entry.name);
      if (tail.length === 0) {
        if (isFile(path)) found.push(path);
      } else if (entry.isDirectory() || isDirectory(path)) walk(path, tail);
    }
  };
  walk(root, segments);
  return found;
}
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
function resolveDockfiles(patterns, workspace, field2 = "input 'dockfile'") {
  const root = resolve(workspace);
  const all = /* @__PURE__ */ new Set();
  for (const pattern of patterns) {
    const segments = workspaceSegments(pattern, field2);
    const matches = expand(root, segments);
    if (matches.length === 0) {
      throw new UsageError(
        `${field2}: '${pattern.slice(0, 120)}' matches no file in the workspace`,
        "check the pattern (relative to the repository root, e.g. agents/*/Dockfile.yaml) and that the repository is checked out"
      );
    }
    const realRoot = realpathSync(root);
    for (const path of matches) {
      const real = relative(realRoot, realpathSync(path));
      if (real.startsWith("..") || isAbsolute(real)) continue;
      all.add(relative(root, path).split(sep).join("/"));
    }
  }
  return [...all].sort();
}

// action/agents/changes.ts
import { dirname, isAbsolute as isAbsolute2, relative as relative2, resolve as resolve3, sep as sep2 } from "node:path";

// action/dockfile/footprint.ts
import { resolve as resolve2 } from "node:path";
var strings = (value) => Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
function field(value, key) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value[key] : void 0;
}
function readDockfileFootprint(path, options) {
  const absolute = resolve2(path);
  const sourceMap = new SourceMap(absolute);
  const tree = readDockfileTree(absolute, absolute, {
    root: resolve2(options.root),
    sourceMap,
    sink: new DiagnosticSink(sourceMap)
  });
  const name = field(field(tree.value, "agent"), "name");
  const include = field(field(tree.value, "build"), "include");
  return {
    name: typeof name === "string" && name.trim() !== "" && !name.includes("${") ? name.trim() : null,
    files: [.../* @__PURE__ */ new Set([absolute, ...tree.quotable.map((file) => resolve2(file))])],
    buildInclude: {
      directories: strings(field(include, "directories")),
      files: strings(field(include, "files"))
    }
  };
}

// action/agents/changes.ts
var ZERO_SHA = /^0+$/;
function get(value, ...keys) {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return void 0;
    current = current[key];
  }
  return current;
}
function changeBaseOf(eventName, payload) {
  const sha = (value) => typeof value === "string" && /^[0-9a-f]{40,64}$/.test(value) ? value : null;
  if (eventName === "pull_request" || eventName === "pull_request_target") {
    const base = sha(get(payload, "pull_request", "base", "sha"));
    return base ? { kind: "commit", sha: base, what: "the pull request base" } : { kind: "everything", why: "the event payload has no pull_request.base.sha" };
  }
  if (eventName === "merge_group") {
    const base = sha(get(payload, "merge_group", "base_sha"));
    return base ? { kind: "commit", sha: base, what: "the merge queue base" } : { kind: "everything", why: "the event payload has no merge_group.base_sha" };
  }
  if (eventName === "push") {
    const before = get(payload, "before");
    if (typeof before === "string" && ZERO_SHA.test(before))
      return { kind: "everything", why: "the push created the branch (no previous commit)" };
    if (get(payload, "forced") === true)
      return { kind: "everything", why: "a force push (the previous tip is not an ancestor)" };
    const base = sha(before);
    return base ? { kind: "commit", sha: base, what: "the previous tip of the branch" } : { kind: "everything", why: "the event payload has no `before` commit" };
  }
  return { kind: "everything", why: `a ${eventName || "manual"} run has no base commit to compare with` };
}
function workspacePath(workspace, path) {
  const rel = relative2(workspace, path);
  if (rel.startsWith("..") || isAbsolute2(rel)) return null;
  return rel.split(sep2).join("/");
}
var cleanRelative = (path) => path.replace(/^\.\//, "").replace(/\/+$/, "");
function describeAgents(workspace, dockfiles) {
  const root = resolve3(workspace);
  const entries = dockfiles.map((dockfile) => {
    const absolute = resolve3(root, dockfile);
    const footprint = readDockfileFootprint(absolute, { root });
    const dir = workspacePath(root, dirname(absolute)) ?? "";
    const outsideAgentDir = (path) => path !== null && path !== dockfile && !(dir === "" || path.startsWith(`${dir}/`));
    const agentRelative = (p) => workspacePath(root, resolve3(dirname(absolute), cleanRelative(p)));
    return {
      dockfile,
      dir,
      name: footprint.name,
      files: [
        ...footprint.files.map((file) => workspacePath(root, file)),
        ...footprint.buildInclude.files.map(agentRelative)
      ].filter(outsideAgentDir),
      directories: footprint.buildInclude.directories.map(agentRelative).filter(outsideAgentDir)
    };
  });
  const byName = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    if (entry.name === null) continue;
    const other = byName.get(entry.name);
    if (other !== void 0) {
      throw new UsageError(
        `two Dockfiles name the same agent '${entry.name}': ${other} and ${entry.dockfile}`,
        "agent.name decides the image and the environments-repo folder; give each agent its own name"
      );
    }
    byName.set(entry.name, entry.dockfile);
  }
  return entries;
}
function touchesAgent(agent, path) {
  if (path === agent.dockfile || agent.dir === "" || path.startsWith(`${agent.dir}/`)) return true;
  if (agent.files.includes(path)) return true;
  return agent.directories.some((d) => d === "" || path === d || path.startsWith(`${d}/`));
}
async function changedPaths(options) {
  const found = await Git.forCheckout(options.exec, options.workspace, options.env);
  if (!found) return { paths: null, why: "the workspace is not a git checkout" };
  const { git, topLevel } = found;
  const commit = `${options.base}^{commit}`;
  if (await git.resolve(commit) === null) {
    const shallow = await git.text(["rev-parse", "--is-shallow-repository"]) === "true";
    const fetched = await git.run(
      [
        "fetch",
        "--no-tags",
        "--no-recurse-submodules",
        "--quiet",
        ...shallow ? ["--depth=1"] : [],
        "origin",
        options.base
      ],
      { allowFailure: true }
    );
    if (fetched.code !== 0 || await git.resolve(commit) === null) {
      const reason = fetched.stderr.trim().split("\n").pop()?.slice(0, 200) ?? "";
      return {
        paths: null,
        why: `the base commit ${options.base.slice(0, 12)} is not in the checkout and could not be fetched from origin${reason ? ` (${reason})` : ""}`
      };
    }
  }
  const out = await git.text(["diff", "--name-only", "-z", "--no-renames", options.base, "HEAD"]);
  const prefix = workspacePath(topLevel, resolve3(options.workspace)) ?? "";
  const paths = out.split("\0").filter(Boolean).map(
    (path) => prefix === "" ? path : path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : null
  ).filter((path) => path !== null);
  return { paths };
}
async function selectChangedAgents(options) {
  const all = describeAgents(options.workspace, options.dockfiles);
  if (options.base.kind === "everything") return { all, changed: all, everythingBecause: options.base.why };
  const diff = await changedPaths({ ...options, base: options.base.sha });
  if (diff.paths === null) return { all, changed: all, everythingBecause: diff.why };
  const paths = diff.paths;
  const changed = all.filter((agent) => paths.some((path) => touchesAgent(agent, path)));
  return { all, changed, everythingBecause: null };
}

export {
  changeBaseOf,
  selectChangedAgents,
  parallelLimit,
  mapLimit,
  parseDockfileInput,
  resolveDockfiles
};
