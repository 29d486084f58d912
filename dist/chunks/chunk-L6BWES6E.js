import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-NQESISYT.js";

// action/commands/args.ts
import { parseArgs } from "node:util";
function argumentProblem(argv, options, allowPositionals) {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (!allowPositionals) {
        return `unexpected argument '${token.value}': this command takes no positional arguments`;
      }
    } else if (token.kind === "option") {
      const spec = options[token.name];
      if (!spec) return `unknown option '${token.rawName}'`;
      if (spec.type === "string" && token.value === void 0)
        return `option '${token.rawName}' needs a value`;
      if (spec.type === "boolean" && token.value !== void 0) {
        return `option '${token.rawName}' does not take a value`;
      }
    }
  }
  return null;
}
function parseCommandArgs(command, argv, options, allowPositionals = false) {
  const problem = argumentProblem(argv, options, allowPositionals);
  if (problem) throw new UsageError(problem, `run 'dockrion ${command} --help'`);
  return parseArgs({ args: argv, options, allowPositionals, strict: true });
}
function parseEnvAssignments(pairs) {
  const env = {};
  for (const pair of pairs ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!match?.[1]) throw envPairError(pair);
    env[match[1]] = match[2] ?? "";
  }
  return env;
}
function parseProvenanceFlag(value) {
  const provenance = value ?? "auto";
  if (!["auto", "max", "min", "false"].includes(provenance)) {
    throw new UsageError(`--provenance must be auto, max, min or false, got '${provenance}'`);
  }
  return provenance === "false" ? false : provenance;
}
function parsePlatforms(values) {
  return (values ?? []).flatMap((p) => p.split(",")).filter(Boolean);
}
function envPairError(pair) {
  const equals = pair.indexOf("=");
  if (equals < 0) {
    return new UsageError(
      `--env expects KEY=VALUE; an argument (${pair.length} characters) has no '='`,
      "pass --env NAME=value, e.g. --env OPENAI_BASE_URL=https://proxy.example.com"
    );
  }
  const name = pair.slice(0, equals);
  if (name === "") return new UsageError("--env expects KEY=VALUE; an argument starts with '=' (no KEY)");
  const shown = name.length > 40 ? `${name.slice(0, 40)}\u2026` : name;
  return new UsageError(
    `--env expects KEY=VALUE; '${shown}' is not a variable name`,
    "names are letters, digits and underscores, not starting with a digit"
  );
}

export {
  parseCommandArgs,
  parseEnvAssignments,
  parseProvenanceFlag,
  parsePlatforms
};
