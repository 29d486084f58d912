import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  formatDockfileText,
  formatText,
  loadLocatedDockfile
} from "./chunk-E7USMKWW.js";
import {
  parseCommandArgs
} from "./chunk-L6BWES6E.js";
import "./chunk-YNYXG3GD.js";
import {
  ANY_ENVIRONMENT,
  contractDiffJson,
  contractDiffText,
  contractOf,
  diffContracts,
  loadDockfileAtRevision,
  parseRevisionPath
} from "./chunk-S62WSDRY.js";
import {
  Git
} from "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/diff.ts
import { existsSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
var diffUsage = `usage: dockrion diff OLD NEW [options]

Compares the contracts of two Dockfiles (io_schema, endpoints, auth, policies, secrets and each
environment's deployment) and classifies every change: breaking (today's callers may be
rejected), widening (security-relevant loosening), operational (needs the operator: a new
required secret, resources, replicas, autoscaling, ingress) or compatible.

OLD and NEW are Dockfile paths (a directory means its Dockfile.yaml), or <rev>:<path> for a
Dockfile as it is in a git commit, read with git (no checkout), e.g.
  dockrion diff origin/main:Dockfile.yaml Dockfile.yaml
<path> is relative to the repository's top level, or to the current directory with ./ or ../ .
\${VAR}s are interpolated from the environment, as for dockrion validate.

options:
  --format text|json  output format (default text; json prints one document on stdout:
                      {summary, breaking, widening, operational, compatible}, each change
                      with its path and message)
  --env ENV           only this environment's deployment changes (deploy.environments.ENV)
  -h, --help          show this help

exit status: 0 compared (whatever changed), 1 a Dockfile is invalid (its diagnostics go to
stderr, nothing to stdout), 2 usage error
`;
var formats = ["text", "json"];
function parseDiffArgs(argv) {
  const { values, positionals } = parseCommandArgs(
    "diff",
    argv,
    {
      format: { type: "string" },
      env: { type: "string" },
      help: { type: "boolean", short: "h" }
    },
    true
  );
  if (values.help) return "help";
  if (positionals.length !== 2) {
    throw new UsageError(
      `diff takes two Dockfiles (OLD and NEW), got ${positionals.length}`,
      "e.g. dockrion diff origin/main:Dockfile.yaml Dockfile.yaml; run 'dockrion diff --help'"
    );
  }
  const format = values.format ?? "text";
  if (!formats.includes(format)) {
    throw new UsageError(`--format must be one of ${formats.join(", ")}, got '${format}'`);
  }
  if (values.env !== void 0 && values.env.trim() === "")
    throw new UsageError("--env needs an environment name");
  return {
    old: positionals[0],
    new: positionals[1],
    format,
    environment: values.env
  };
}
async function loadSide(arg, ctx) {
  const onDisk = resolve(ctx.cwd, arg);
  if (existsSync(onDisk)) {
    const absolute = statSync(onDisk).isDirectory() ? join(onDisk, "Dockfile.yaml") : onDisk;
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      throw new UsageError(`${arg} is not a Dockfile`, "pass a Dockfile path or <rev>:<path>");
    }
    const result2 = await loadLocatedDockfile(ctx.cwd, absolute, { processEnv: ctx.env, exec: ctx.exec });
    return { result: result2, report: () => formatDockfileText(result2, ctx.cwd) };
  }
  const target = parseRevisionPath(arg);
  if (target === null) {
    throw new UsageError(
      `${arg}: no such file`,
      "pass a Dockfile path, or <rev>:<path> for one in a git commit"
    );
  }
  const checkout = await Git.forCheckout(ctx.exec, ctx.cwd, ctx.env);
  if (checkout === null) {
    throw new UsageError(
      `${arg}: no such file, and ${ctx.cwd} is not inside a git repository to read ${target.rev} from`
    );
  }
  const cwdReal = realpathSync(ctx.cwd);
  const prefix = relative(checkout.topLevel, cwdReal).split(sep).join("/");
  const { result, sources } = await loadDockfileAtRevision(checkout.git, target, {
    prefix,
    processEnv: ctx.env,
    exec: ctx.exec
  });
  const quotable = new Set(result.quotable ?? []);
  return {
    result,
    report: () => formatText(result, (file) => quotable.has(file) ? sources.get(file)?.split(/\r\n|\r|\n/) : void 0)
  };
}
async function run(argv, ctx) {
  const args = parseDiffArgs(argv);
  if (args === "help") {
    ctx.stdout(diffUsage);
    return 0;
  }
  const sides = [await loadSide(args.old, ctx), await loadSide(args.new, ctx)];
  const invalid = sides.filter((side) => !side.result.valid);
  if (invalid.length > 0) {
    for (const side of invalid) ctx.stderr(side.report());
    return 1;
  }
  const [before, after] = sides.map(
    (side) => contractOf(side.result.spec)
  );
  if (args.environment !== void 0) checkEnvironment(args.environment, before, after);
  const diff = diffContracts(
    before,
    after,
    args.environment === void 0 ? {} : { environment: args.environment }
  );
  ctx.stdout(args.format === "json" ? contractDiffJson(diff) : contractDiffText(diff));
  return 0;
}
function checkEnvironment(environment, before, after) {
  const known = [.../* @__PURE__ */ new Set([...Object.keys(before.environments), ...Object.keys(after.environments)])];
  if (known.includes(environment) || known.includes(ANY_ENVIRONMENT)) return;
  throw new UsageError(
    `--env ${environment}: neither Dockfile defines deploy.environments.${environment}`,
    `use one of: ${known.sort().join(", ")}`
  );
}
export {
  diffUsage,
  parseDiffArgs,
  run
};
