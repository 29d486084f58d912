import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  formatDockfileText,
  loadLocatedDockfile,
  locateDockfile
} from "./chunk-E7USMKWW.js";
import {
  parseCommandArgs
} from "./chunk-L6BWES6E.js";
import {
  checkSecrets,
  githubOidcTokenFetcher,
  resolveSecrets
} from "./chunk-ROGAJDNL.js";
import {
  SECRETS_ENV_AGE_FILE,
  encryptSecretsEnv
} from "./chunk-ZONKLWJV.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-TOWHEZ4A.js";
import "./chunk-265EZI3G.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import "./chunk-CJK7HBET.js";
import {
  resolveEnvironment
} from "./chunk-Y7HVPOHU.js";
import {
  SecretsError,
  UsageError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/commands/secrets.ts
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
var secretsUsage = `usage: dockrion secrets check   [PATH=Dockfile.yaml] --env ENV [--format text|json]
       dockrion secrets encrypt [PATH=Dockfile.yaml] --env ENV --out FILE [--recipient age1\u2026]

check    resolves every declared secret for ENV and prints its name, provider and
         present | missing | defaulted \u2014 never a value. Exit 1 when a required one is missing.
encrypt  resolves them and writes the age-encrypted env file (secrets.env.age) for ENV,
         encrypted to deploy.environments.ENV.secrets.age_recipients (and any --recipient).

options:
  --env ENV              the environment (deploy.environments.ENV)
  --format text|json     check output (json: one document on stdout)
  --out FILE             encrypt: where to write the encrypted file
  --recipient age1\u2026      encrypt: an extra age recipient (repeatable)
  --secrets-json FILE    GitHub-provider values as a JSON object (default: $DOCKRION_SECRETS_JSON,
                         then each secret's own environment variable)
  -h, --help             show this help

Provider settings come from the Dockfile profile plus the environment: VAULT_TOKEN (or the
profile's token_env / secret_id_env), VAULT_NAMESPACE, AWS_REGION, AWS_ACCESS_KEY_ID\u2026 or the
default AWS credential chain, AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL.
`;
function parseSecretsArgs(argv) {
  const { values, positionals } = parseCommandArgs(
    "secrets",
    argv,
    {
      env: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      recipient: { type: "string", multiple: true },
      "secrets-json": { type: "string" },
      help: { type: "boolean", short: "h" }
    },
    true
  );
  if (values.help) return "help";
  const [action, path, ...extra] = positionals;
  if (action !== "check" && action !== "encrypt") {
    throw new UsageError(
      action === void 0 ? "secrets needs a subcommand" : `unknown secrets subcommand '${action}'`,
      "use `dockrion secrets check` or `dockrion secrets encrypt`"
    );
  }
  if (extra.length > 0)
    throw new UsageError(`secrets ${action} takes one Dockfile path, got ${extra.length + 1}`);
  if (!values.env) throw new UsageError(`secrets ${action} needs --env ENV`);
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`--format must be text or json, got '${format}'`);
  }
  if (action === "encrypt" && !values.out) throw new UsageError("secrets encrypt needs --out FILE");
  if (action === "check" && values.out) throw new UsageError("--out is for secrets encrypt");
  return {
    action,
    path: path ?? "Dockfile.yaml",
    environment: values.env,
    format,
    out: values.out,
    recipients: values.recipient ?? [],
    secretsJsonFile: values["secrets-json"]
  };
}
async function loadSpec(args, ctx) {
  const absolute = locateDockfile(
    ctx.cwd,
    args.path,
    "pass the path of your Dockfile: dockrion secrets check path/to/Dockfile.yaml --env ENV"
  );
  const result = await loadLocatedDockfile(ctx.cwd, absolute, {
    processEnv: ctx.env,
    // Regex policies are `dockrion validate`'s business; secrets need only the declarations.
    python: null
  });
  if (!result.valid || !result.spec) return { invalid: formatDockfileText(result, ctx.cwd) };
  return { spec: result.spec, baseDir: dirname(absolute) };
}
function githubInput(args, ctx) {
  if (args.secretsJsonFile) {
    const file = resolve(ctx.cwd, args.secretsJsonFile);
    try {
      return { json: readFileSync(file, "utf8"), label: `--secrets-json ${args.secretsJsonFile}` };
    } catch (e) {
      const code = e.code ?? "unreadable";
      throw new UsageError(`cannot read --secrets-json ${args.secretsJsonFile} (${code})`);
    }
  }
  const fromEnv = ctx.env.DOCKRION_SECRETS_JSON;
  return fromEnv ? { json: fromEnv, label: "DOCKRION_SECRETS_JSON" } : {};
}
function reportAsJson(environment, report) {
  return `${JSON.stringify(
    {
      environment,
      provider: report.provider,
      location: report.location,
      ok: report.missingRequired.length === 0,
      versionsHash: report.versionsHash,
      secrets: report.entries.map((e) => ({
        name: e.name,
        provider: report.provider,
        status: e.status,
        required: e.required,
        remoteKey: e.remoteKey,
        remoteVersion: e.remoteVersion ?? null
      })),
      missing: report.missingRequired,
      hint: report.missingHint
    },
    null,
    2
  )}
`;
}
function reportAsText(environment, report) {
  const header = `secrets for '${environment}' from ${report.location}`;
  if (report.entries.length === 0) return `${header}: none declared
`;
  const width = Math.max(...report.entries.map((e) => e.name.length));
  const rows = report.entries.map((e) => {
    const kind = e.required ? "required" : "optional";
    const remote = e.remoteKey === e.name ? "" : `  (as ${e.remoteKey})`;
    return `  ${e.name.padEnd(width)}  ${report.provider.padEnd(6)}  ${e.status.padEnd(9)}  ${kind}${remote}`;
  });
  return `${header}
${rows.join("\n")}
`;
}
async function run(argv, ctx) {
  const args = parseSecretsArgs(argv);
  if (args === "help") {
    ctx.stdout(secretsUsage);
    return 0;
  }
  const loaded = await loadSpec(args, ctx);
  if ("invalid" in loaded) {
    ctx.stderr(loaded.invalid);
    return 1;
  }
  const input = githubInput(args, ctx);
  const environment = resolveEnvironment(loaded.spec, args.environment);
  const options = {
    spec: loaded.spec,
    environment,
    env: ctx.env,
    githubSecretsJson: input.json,
    githubSecretsJsonLabel: input.label,
    getIdToken: githubOidcTokenFetcher(ctx.env),
    logger: ctx.logger,
    baseDir: loaded.baseDir
  };
  if (args.action === "check") {
    const report = await checkSecrets(options);
    if (args.format === "json") ctx.stdout(reportAsJson(args.environment, report));
    else ctx.stdout(reportAsText(args.environment, report));
    if (report.missingRequired.length > 0) {
      ctx.stderr(`missing required: ${report.missingRequired.join(", ")}
`);
      if (report.missingHint) ctx.stderr(`  hint: ${report.missingHint}
`);
      return 1;
    }
    return 0;
  }
  const { profile } = environment.secrets;
  const recipients = [.../* @__PURE__ */ new Set([...profile.age_recipients ?? [], ...args.recipients])];
  const out = resolve(ctx.cwd, args.out ?? "");
  checkWritableFile(out, args.out ?? "");
  const set = await resolveSecrets(options);
  const encrypted = await encryptSecretsEnv(set.values, recipients);
  try {
    writeFileSync(out, encrypted);
  } catch (e) {
    const code = e.code ?? "write failed";
    throw new SecretsError(`cannot write --out ${args.out} (${code})`);
  }
  ctx.stderr(
    `wrote ${args.out} (${set.values.size} secret${set.values.size === 1 ? "" : "s"} from ${set.location}, encrypted to ${recipients.length} age recipient${recipients.length === 1 ? "" : "s"})
`
  );
  return 0;
}
function checkWritableFile(out, label) {
  let isDirectory = false;
  try {
    isDirectory = statSync(out).isDirectory();
  } catch {
  }
  if (isDirectory) {
    throw new UsageError(
      `--out ${label} is a directory`,
      `name the file to write, e.g. --out ${join(label, SECRETS_ENV_AGE_FILE)}`
    );
  }
  let parentIsDirectory = false;
  try {
    parentIsDirectory = statSync(dirname(out)).isDirectory();
  } catch {
  }
  if (!parentIsDirectory) {
    throw new UsageError(`--out ${label}: ${dirname(out)} is not an existing directory`, "create it first");
  }
}
export {
  run,
  secretsUsage
};
