#!/usr/bin/env node
import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  isEntryPoint
} from "./chunks/chunk-BVPZ4D6B.js";
import {
  consoleLogger
} from "./chunks/chunk-265EZI3G.js";
import {
  DockrionError,
  describeError,
  nodeExec
} from "./chunks/chunk-NQESISYT.js";
import "./chunks/chunk-TC6B22LF.js";

// action/cli.ts
var commands = {
  validate: { summary: "validate a Dockfile", load: () => import("./chunks/validate-YQPCAUTO.js") },
  diff: {
    summary: "compare two Dockfiles' contracts (breaking, widening, ...)",
    load: () => import("./chunks/diff-3BYLMWQU.js")
  },
  run: { summary: "serve the agent locally from the working tree", load: () => import("./chunks/run-X4GESLXN.js") },
  secrets: {
    summary: "check or encrypt the secrets of an environment",
    load: () => import("./chunks/secrets-AVXAURH3.js")
  },
  render: { summary: "render Compose or Kubernetes manifests", load: () => import("./chunks/render-IC3IJ26Z.js") },
  build: { summary: "build (and push) the runtime image", load: () => import("./chunks/build-3BSWIHZW.js") },
  deploy: {
    summary: "validate, build, render and open a deployment PR",
    load: () => import("./chunks/deploy-CDIXXE5Z.js")
  },
  history: {
    summary: "list deployments from the environments repo",
    load: () => import("./chunks/history-ULKDWYDW.js")
  },
  rollback: { summary: "restore an earlier deployment", load: () => import("./chunks/rollback-4U454IDD.js") },
  apply: { summary: "apply an environment on a Compose host", load: () => import("./chunks/apply-TKZJ7ZSJ.js") }
};
function usage() {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: dockrion <command> [options]

commands:
${lines.join("\n")}

Run 'dockrion <command> --help' for the options of one command.
`;
}
function defaultContext() {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    logger: consoleLogger({ verbose: process.env.DOCKRION_DEBUG === "1" }),
    exec: nodeExec()
  };
}
async function main(argv, ctx = defaultContext()) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    (name === void 0 ? ctx.stderr : ctx.stdout)(usage());
    return name === void 0 ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    ctx.stdout(`${process.env.DOCKRION_VERSION ?? "1.0.0"}
`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    ctx.stderr(`dockrion: unknown command '${name}'

${usage()}`);
    return 2;
  }
  try {
    const { run } = await command.load();
    return await run(rest, ctx);
  } catch (e) {
    ctx.stderr(`dockrion ${name}: ${describeError(e)}
`);
    if (ctx.env.DOCKRION_DEBUG === "1" && e instanceof Error && e.stack) ctx.stderr(`${e.stack}
`);
    return e instanceof DockrionError ? e.exitCode : 1;
  }
}
if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`dockrion: ${describeError(e)}
`);
      process.exitCode = 1;
    }
  );
}
export {
  defaultContext,
  main,
  usage
};
