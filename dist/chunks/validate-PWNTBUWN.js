import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  findRepositoryRoot,
  formatDockfileText
} from "./chunk-JWTD35DG.js";
import {
  parseCommandArgs,
  parseEnvAssignments
} from "./chunk-L6BWES6E.js";
import {
  formatWorkflowCommands
} from "./chunk-7U3S66EW.js";
import {
  formatJson
} from "./chunk-AO7ZYZQ4.js";
import "./chunk-YNYXG3GD.js";
import {
  loadDockfile
} from "./chunk-N2YKFJ7Y.js";
import "./chunk-6SRZ3OPM.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/validate.ts
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
var validateUsage = `usage: dockrion validate [PATH=Dockfile.yaml] [options]

Checks a Dockfile against the v1 schema and its semantic rules, reporting every problem.

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
  if (positionals.length > 1) {
    throw new UsageError(
      `validate takes one Dockfile path, got ${positionals.length}`,
      "run 'dockrion validate --help'"
    );
  }
  const format = values.format ?? "text";
  if (!formats.includes(format)) {
    throw new UsageError(`--format must be one of ${formats.join(", ")}, got '${format}'`);
  }
  return {
    path: positionals[0] ?? "Dockfile.yaml",
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
  const absolute = resolve(ctx.cwd, args.path);
  if (!existsSync(absolute)) {
    const yml = args.path.endsWith(".yaml") ? `${args.path.slice(0, -5)}.yml` : void 0;
    const hint = yml && existsSync(resolve(ctx.cwd, yml)) ? `did you mean ${yml}? run: dockrion validate ${yml}` : "pass the path of your Dockfile: dockrion validate path/to/Dockfile.yaml";
    throw new UsageError(`${args.path}: no such file`, hint);
  }
  const stat = statSync(absolute);
  if (stat.isDirectory()) {
    throw new UsageError(
      `${args.path} is a directory`,
      `pass the Dockfile inside it: dockrion validate ${join(args.path, "Dockfile.yaml")}`
    );
  }
  if (!stat.isFile()) {
    throw new UsageError(
      `${args.path} is not a regular file (it is a device, pipe or socket)`,
      "pass the path of your Dockfile: dockrion validate path/to/Dockfile.yaml"
    );
  }
  const result = await loadDockfile(args.path, {
    cwd: ctx.cwd,
    env: args.env,
    processEnv: ctx.env,
    root: findRepositoryRoot(dirname(absolute)),
    strict: args.strict,
    checkImports: args.checkImports,
    exec: ctx.exec
  });
  switch (args.format) {
    case "json":
      ctx.stdout(formatJson(result));
      break;
    case "github":
      ctx.stdout(formatWorkflowCommands([...result.errors, ...result.warnings]));
      break;
    default:
      ctx.stderr(formatDockfileText(result, ctx.cwd));
  }
  return result.valid ? 0 : 1;
}
export {
  parseValidateArgs,
  run,
  validateUsage
};
