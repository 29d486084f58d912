import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  findRepositoryRoot,
  formatDockfileText
} from "./chunk-E7USMKWW.js";
import {
  parseCommandArgs,
  parseEnvAssignments
} from "./chunk-L6BWES6E.js";
import {
  formatWorkflowCommands
} from "./chunk-7U3S66EW.js";
import {
  formatJson,
  toJsonReport
} from "./chunk-AO7ZYZQ4.js";
import "./chunk-YNYXG3GD.js";
import {
  parseDockfileInput,
  resolveDockfiles
} from "./chunk-V2TZJOJW.js";
import "./chunk-3ANLHX4D.js";
import "./chunk-4P7MY5G4.js";
import {
  loadDockfile
} from "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/validate.ts
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
var validateUsage = `usage: dockrion validate [PATH=Dockfile.yaml ...] [options]

Checks a Dockfile against the v1 schema and its semantic rules, reporting every problem.
Several paths, or a quoted glob ('agents/*/Dockfile.yaml'), check each Dockfile; with
--format json the output is then one JSON array of reports.

options:
  --format text|json|github  output format (default text; json prints one document on stdout;
                             github prints workflow-command annotations)
  --strict                   treat warnings (41xx) as errors
  --check-imports            check that the entrypoint/handler module and callable exist
  --env KEY=VAL              set a variable for \${KEY} interpolation (repeatable)
  -h, --help                 show this help

exit status: 0 valid, 1 invalid, 2 usage error
`;
var formats = ["text", "json", "github"];
function parseValidateArgs(argv) {
  const { values, positionals } = parseCommandArgs(
    "validate",
    argv,
    {
      format: { type: "string" },
      strict: { type: "boolean" },
      "check-imports": { type: "boolean" },
      env: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" }
    },
    true
  );
  if (values.help) return "help";
  const format = values.format ?? "text";
  if (!formats.includes(format)) {
    throw new UsageError(`--format must be one of ${formats.join(", ")}, got '${format}'`);
  }
  return {
    paths: positionals.length > 0 ? positionals : ["Dockfile.yaml"],
    format,
    strict: values.strict ?? false,
    checkImports: values["check-imports"] ?? false,
    env: parseEnvAssignments(values.env)
  };
}
async function run(argv, ctx) {
  const args = parseValidateArgs(argv);
  if (args === "help") {
    ctx.stdout(validateUsage);
    return 0;
  }
  const selection = parseDockfileInput(args.paths.join("\n"), "dockrion validate");
  if (selection.kind === "single") {
    const result = await validateFile(selection.path, args, ctx);
    if (args.format === "json") ctx.stdout(formatJson(result));
    else report(result, args.format, ctx);
    return result.valid ? 0 : 1;
  }
  const paths = selection.patterns.flatMap(
    (p) => /[*?[]/.test(p) ? resolveDockfiles([p], ctx.cwd, p) : [p]
  );
  const results = [];
  for (const path of [...new Set(paths)]) results.push(await validateFile(path, args, ctx));
  if (args.format === "json") ctx.stdout(`${JSON.stringify(results.map(toJsonReport), null, 2)}
`);
  else for (const result of results) report(result, args.format, ctx);
  return results.every((r) => r.valid) ? 0 : 1;
}
function report(result, format, ctx) {
  if (format === "github") ctx.stdout(formatWorkflowCommands([...result.errors, ...result.warnings]));
  else ctx.stderr(formatDockfileText(result, ctx.cwd));
}
async function validateFile(path, args, ctx) {
  const absolute = resolve(ctx.cwd, path);
  if (!existsSync(absolute)) {
    const yml = path.endsWith(".yaml") ? `${path.slice(0, -5)}.yml` : void 0;
    const hint = yml && existsSync(resolve(ctx.cwd, yml)) ? `did you mean ${yml}? run: dockrion validate ${yml}` : "pass the path of your Dockfile: dockrion validate path/to/Dockfile.yaml";
    throw new UsageError(`${path}: no such file`, hint);
  }
  const stat = statSync(absolute);
  if (stat.isDirectory()) {
    throw new UsageError(
      `${path} is a directory`,
      `pass the Dockfile inside it: dockrion validate ${join(path, "Dockfile.yaml")}`
    );
  }
  if (!stat.isFile()) {
    throw new UsageError(
      `${path} is not a regular file (it is a device, pipe or socket)`,
      "pass the path of your Dockfile: dockrion validate path/to/Dockfile.yaml"
    );
  }
  return loadDockfile(path, {
    cwd: ctx.cwd,
    env: args.env,
    processEnv: ctx.env,
    root: findRepositoryRoot(dirname(absolute)),
    strict: args.strict,
    checkImports: args.checkImports,
    exec: ctx.exec
  });
}
export {
  parseValidateArgs,
  run,
  validateUsage
};
