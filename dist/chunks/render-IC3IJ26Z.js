import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  readSealingCertificate
} from "./chunk-54FUFIOR.js";
import "./chunk-3QDCO27J.js";
import {
  formatDockfileText,
  loadLocatedDockfile,
  locateDockfile
} from "./chunk-E7USMKWW.js";
import "./chunk-PF4O7LNR.js";
import {
  parseCommandArgs
} from "./chunk-L6BWES6E.js";
import {
  formatJson
} from "./chunk-AO7ZYZQ4.js";
import "./chunk-64UEXQEB.js";
import {
  buildSecretManifest,
  declaredSecrets,
  githubOidcTokenFetcher,
  resolveSecrets,
  secretsDelivery
} from "./chunk-ROGAJDNL.js";
import {
  SECRETS_ENV_AGE_FILE,
  renderManifests
} from "./chunk-ZONKLWJV.js";
import "./chunk-P25WTLRW.js";
import "./chunk-PPMIE3MS.js";
import "./chunk-ZKWIVB52.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-TOWHEZ4A.js";
import "./chunk-C77GWBV5.js";
import "./chunk-265EZI3G.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import "./chunk-OXDUWI3C.js";
import "./chunk-7TIOAEZ4.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-3ANLHX4D.js";
import "./chunk-FZB2N3GG.js";
import "./chunk-S62WSDRY.js";
import "./chunk-4P7MY5G4.js";
import "./chunk-CJK7HBET.js";
import {
  parseImageRef,
  resolveEnvironment
} from "./chunk-Y7HVPOHU.js";
import "./chunk-6HIQH4YF.js";
import {
  RenderError,
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/render.ts
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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
  --secrets-json FILE       GitHub-provider values as a JSON object, for an environment with
                            secrets.delivery sops | sealed-secrets: render encrypts them into
                            secret.sops.yaml / sealedsecret.yaml (default $DOCKRION_SECRETS_JSON,
                            then each secret's own environment variable)
  --sealed-secrets-cert FILE
                            the Sealed Secrets controller's certificate (wins over the Dockfile's)
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
    "secrets-json": { type: "string" },
    "sealed-secrets-cert": { type: "string" },
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
    secretsJson: values["secrets-json"],
    sealedSecretsCert: values["sealed-secrets-cert"],
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
  const resolved = resolveEnvironment(result.spec, args.environment);
  const target = args.target ?? resolved.target;
  const environment = { ...resolved, target };
  const delivery = secretsDelivery(environment);
  const manifest = delivery.manifest !== null && target === "kubernetes" && declaredSecrets(result.spec).length > 0 ? await encryptedSecret(
    result.spec,
    environment,
    dockfile,
    args,
    ctx,
    delivery.manifest,
    delivery.recipients
  ) : null;
  const rendered = renderManifests({
    spec: result.spec,
    environment: resolved,
    image: image.reference,
    version,
    ...args.target ? { target: args.target } : {},
    ...args.secretVersions ? { secretVersions: args.secretVersions } : {},
    ...manifest ? { encryptedSecret: manifest.file } : {}
  });
  const written = manifest ? [...rendered.files, { path: manifest.file.path, content: manifest.content }].sort(
    (a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0
  ) : rendered.files;
  const deliveryLine = describeDelivery(environment, manifest?.file.path ?? null);
  for (const file of written) {
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
  const files = written.map((f) => f.path);
  if (args.format === "json") {
    ctx.stdout(
      `${JSON.stringify({ target: rendered.target, environment: args.environment, out, files, secrets: deliveryLine.json }, null, 2)}
`
    );
  } else {
    ctx.stderr(
      `rendered ${rendered.target} manifests for ${result.spec.agent.name} (${args.environment}) into ${out}
`
    );
    ctx.stderr(`secrets: ${deliveryLine.text}
`);
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
async function encryptedSecret(spec, environment, dockfile, args, ctx, delivery, recipients) {
  const fromFile = args.secretsJson ? {
    json: readFileSync(resolve(ctx.cwd, args.secretsJson), "utf8"),
    label: `--secrets-json ${args.secretsJson}`
  } : ctx.env.DOCKRION_SECRETS_JSON ? { json: ctx.env.DOCKRION_SECRETS_JSON, label: "DOCKRION_SECRETS_JSON" } : {};
  const baseDir = dirname(resolve(ctx.cwd, dockfile));
  const set = await resolveSecrets({
    spec,
    environment,
    env: ctx.env,
    githubSecretsJson: fromFile.json,
    githubSecretsJsonLabel: fromFile.label,
    getIdToken: githubOidcTokenFetcher(ctx.env),
    logger: ctx.logger,
    baseDir
  });
  return buildSecretManifest({
    spec,
    environment,
    delivery,
    values: set.values,
    recipients,
    sealingCertificate: readSealingCertificate(args.sealedSecretsCert, ctx.cwd),
    baseDir,
    now: /* @__PURE__ */ new Date()
  });
}
function describeDelivery(environment, manifestPath) {
  const { profile, required, optional } = environment.secrets;
  const delivery = secretsDelivery(environment);
  if (required.length + optional.length === 0)
    return { text: "none declared", json: { delivery: "none", file: null } };
  if (manifestPath !== null && delivery.manifest !== null) {
    const how = delivery.manifest === "sops" ? `SOPS-encrypted to ${delivery.recipients.length} age recipient(s); Flux decrypts it` : "sealed for the Sealed Secrets controller (strict scope)";
    return {
      text: `${delivery.manifest} \u2192 ${manifestPath} (${how})`,
      json: { delivery: delivery.manifest, file: manifestPath }
    };
  }
  if (environment.target === "kubernetes" && delivery.externalSecret) {
    return {
      text: `ExternalSecret (values stay in ${profile.provider}; the External Secrets operator reads them)`,
      json: { delivery: "external-secret", file: null }
    };
  }
  return {
    text: `age-file \u2192 ${SECRETS_ENV_AGE_FILE} (written by deploy or \`dockrion secrets encrypt\`, not by render)`,
    json: { delivery: "age-file", file: null }
  };
}
export {
  parseRenderArgs,
  renderUsage,
  run
};
