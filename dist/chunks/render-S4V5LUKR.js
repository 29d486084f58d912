import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  parseImageRef,
  renderManifests
} from "./chunk-7VLYRG2H.js";
import "./chunk-DWKWGFPV.js";
import {
  formatDockfileText,
  loadLocatedDockfile,
  locateDockfile
} from "./chunk-ZGS7O7Q7.js";
import {
  parseCommandArgs
} from "./chunk-D44CWLKA.js";
import {
  RenderError,
  UsageError
} from "./chunk-NSHGOOXV.js";
import {
  formatJson
} from "./chunk-AO7ZYZQ4.js";
import "./chunk-Z44K7NLS.js";
import "./chunk-G2HOTOFI.js";
import "./chunk-PDFGJ37W.js";

// action/commands/render.ts
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
var renderUsage = `usage: dockrion render [PATH=Dockfile.yaml] --env ENV --image REF --out DIR [options]

Validates the Dockfile, then renders the Compose or Kubernetes manifests of one environment.

options:
  --env ENV                 the environment (a key of deploy.environments)
  --image REF               the image, pinned by digest: repo:tag@sha256:<64 hex>
  --out DIR                 where to write the files (created if missing; other files are left alone)
  --target compose|kubernetes
                            override the target the Dockfile gives the environment
  --version VERSION         the deployed version (default: the image tag, else metadata.version)
  --secret-versions HASH    opaque hash of the remote secret versions (rolls pods when it changes)
  --format text|json        json prints {"target","environment","out","files"} on stdout
  -h, --help                show this help

exit status: 0 rendered, 1 invalid Dockfile or render error, 2 usage error
`;
var targets = ["compose", "kubernetes"];
var formats = ["text", "json"];
function parseRenderArgs(argv) {
  const options = {
    env: { type: "string" },
    image: { type: "string" },
    out: { type: "string" },
    target: { type: "string" },
    version: { type: "string" },
    "secret-versions": { type: "string" },
    format: { type: "string" },
    help: { type: "boolean", short: "h" }
  };
  const { values, positionals } = parseCommandArgs("render", argv, options, true);
  if (values.help) return "help";
  if (positionals.length > 1) {
    throw new UsageError(
      `render takes one Dockfile path, got ${positionals.length}`,
      "run 'dockrion render --help'"
    );
  }
  for (const required of ["env", "image", "out"]) {
    if (!values[required]) throw new UsageError(`--${required} is required`, "run 'dockrion render --help'");
  }
  if (values.target !== void 0 && !targets.includes(values.target)) {
    throw new UsageError(`--target must be one of ${targets.join(", ")}, got '${values.target}'`);
  }
  const format = values.format ?? "text";
  if (!formats.includes(format)) {
    throw new UsageError(`--format must be one of ${formats.join(", ")}, got '${format}'`);
  }
  return {
    path: positionals[0] ?? "Dockfile.yaml",
    environment: values.env,
    image: values.image,
    out: values.out,
    target: values.target,
    version: values.version,
    secretVersions: values["secret-versions"],
    format
  };
}
async function run(argv, ctx) {
  const args = parseRenderArgs(argv);
  if (args === "help") {
    ctx.stdout(renderUsage);
    return 0;
  }
  let image;
  try {
    image = parseImageRef(args.image);
  } catch (e) {
    throw new UsageError(
      `--image: ${e instanceof Error ? e.message : String(e)}`,
      "pass repo:tag@sha256:<digest>, e.g. the reference `dockrion build` printed"
    );
  }
  const out = resolve(ctx.cwd, args.out);
  const blocking = firstNonDirectory(out);
  if (blocking !== null) {
    throw new UsageError(
      blocking === out ? `--out ${args.out} is a file, not a directory` : `--out ${args.out}: ${relative(ctx.cwd, blocking) || blocking} is a file, not a directory`,
      "pass a directory for the manifests (it is created if missing)"
    );
  }
  const dockfile = locateDockfile(
    ctx.cwd,
    args.path,
    "pass the path of your Dockfile: dockrion render path/to/Dockfile.yaml"
  );
  const result = await loadLocatedDockfile(ctx.cwd, dockfile, { processEnv: ctx.env, exec: ctx.exec });
  if (!result.valid || !result.spec) {
    if (args.format === "json") ctx.stdout(formatJson(result));
    else ctx.stderr(formatDockfileText(result, ctx.cwd));
    return 1;
  }
  if (result.warnings.length > 0 && args.format === "text") ctx.stderr(formatDockfileText(result, ctx.cwd));
  const version = args.version ?? image.tag ?? result.spec.metadata?.version;
  if (!version) {
    throw new UsageError(
      "no version: the image has no tag and the Dockfile no metadata.version",
      "pass --version"
    );
  }
  const rendered = renderManifests({
    spec: result.spec,
    environment: args.environment,
    image: image.reference,
    version,
    ...args.target ? { target: args.target } : {},
    ...args.secretVersions ? { secretVersions: args.secretVersions } : {}
  });
  for (const file of rendered.files) {
    const destination = join(out, file.path);
    try {
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, file.content);
    } catch (e) {
      const code = e.code ?? (e instanceof Error ? e.message : String(e));
      throw new RenderError(
        `cannot write ${destination} (${code})`,
        "check that --out is a writable directory"
      );
    }
  }
  const files = rendered.files.map((f) => f.path);
  if (args.format === "json") {
    ctx.stdout(
      `${JSON.stringify({ target: rendered.target, environment: args.environment, out, files }, null, 2)}
`
    );
  } else {
    ctx.stderr(
      `rendered ${rendered.target} manifests for ${result.spec.agent.name} (${args.environment}) into ${out}
`
    );
    ctx.stdout(files.map((f) => `${join(out, f)}
`).join(""));
  }
  return 0;
}
function firstNonDirectory(dir) {
  for (let current = dir; ; current = dirname(current)) {
    try {
      return statSync(current).isDirectory() ? null : current;
    } catch {
      if (dirname(current) === current) return null;
    }
  }
}
export {
  parseRenderArgs,
  renderUsage,
  run
};
