import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  cacheFlags,
  registryCredentials
} from "./chunk-3QDCO27J.js";
import {
  findRepositoryRoot,
  resolveDockfileArg
} from "./chunk-E7USMKWW.js";
import {
  TARGET_HELP,
  TARGET_OPTIONS,
  formatOf,
  requireString,
  targetFrom
} from "./chunk-PF4O7LNR.js";
import {
  parseCommandArgs,
  parsePlatforms,
  parseProvenanceFlag
} from "./chunk-L6BWES6E.js";
import {
  runDeployPipeline
} from "./chunk-64UEXQEB.js";
import {
  parseReference,
  registryHostOf
} from "./chunk-P25WTLRW.js";
import {
  Docker
} from "./chunk-PPMIE3MS.js";
import {
  contractDiffText,
  isEmptyDiff
} from "./chunk-S62WSDRY.js";
import {
  UsageError
} from "./chunk-NQESISYT.js";

// action/commands/deploy.ts
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
var deployUsage = `usage: dockrion deploy [PATH=Dockfile.yaml] --env ENV --environments-repo R [options]

validate \u2192 secrets check \u2192 build and push (or --image) \u2192 render \u2192 commit and deployment PR.
Prints one result: image, digest, commit, pr_url, operation (created | updated | pushed | direct |
unchanged | superseded | built).

options:
  --env ENV                  the environment (deploy.environments.<env>) (required)
  --registry HOST[/NS]       where the image goes (required unless --image)
  --push                     build and push; without it the image is only built and nothing is
                             deployed (operation "built")
  --image REF                deploy an existing build (repo:tag@sha256:\u2026): no build, the digest
                             must exist in the registry (promotion: staging \u2192 production)
  --base-image IMG           override the base image
  --platform P               target platform (repeatable; default linux/amd64)
  --provenance auto|max|min|false
  --builder NAME             buildx builder (default: the current one)
  --cache-from SPEC          import a build cache, buildx syntax (repeatable; none: no import)
  --cache-to SPEC            export the build cache (none: no export); default as dockrion build
  --direct                   commit to the base branch instead of opening a PR
  --force                    deploy a digest that was rolled back; re-encrypt the secrets
                             (secrets.env.age, secret.sops.yaml, sealedsecret.yaml): how a
                             value rotated in GitHub Secrets reaches the cluster
  --draft                    open the PR as a draft
  --reviewer LOGIN           request a review (repeatable; org/team for teams)
  --auto-merge               enable GitHub auto-merge on the PR
  --secrets-json FILE        GitHub-provider secret values as a JSON object (default
                             $DOCKRION_SECRETS_JSON, else the process environment)
  --sealed-secrets-cert FILE the Sealed Secrets controller's certificate (kubeseal --fetch-cert),
                             for secrets.delivery sealed-secrets; wins over the Dockfile's
${TARGET_HELP}

The version is metadata.version, else 0.0.0-g<sha7> of the source commit. Registry login:
DOCKRION_REGISTRY_USERNAME/DOCKRION_REGISTRY_PASSWORD (GHCR: GITHUB_ACTOR/GITHUB_TOKEN).
`;
async function run(argv, ctx) {
  const { values, positionals } = parseCommandArgs(
    "deploy",
    argv,
    {
      ...TARGET_OPTIONS,
      env: { type: "string" },
      registry: { type: "string" },
      push: { type: "boolean" },
      image: { type: "string" },
      "base-image": { type: "string" },
      platform: { type: "string", multiple: true },
      provenance: { type: "string" },
      builder: { type: "string" },
      "cache-from": { type: "string", multiple: true },
      "cache-to": { type: "string", multiple: true },
      direct: { type: "boolean" },
      force: { type: "boolean" },
      draft: { type: "boolean" },
      reviewer: { type: "string", multiple: true },
      "auto-merge": { type: "boolean" },
      "secrets-json": { type: "string" },
      "sealed-secrets-cert": { type: "string" }
    },
    true
  );
  if (values.help) {
    ctx.stdout(deployUsage);
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`deploy takes one Dockfile path, got ${positionals.length}`);
  const format = formatOf(values.format);
  const environment = requireString("deploy", values.env, "--env");
  const dockfilePath = resolveDockfileArg(ctx.cwd, positionals[0] ?? "Dockfile.yaml");
  const provenance = parseProvenanceFlag(values.provenance);
  const target = targetFrom("deploy", values, ctx);
  const secretsFile = values["secrets-json"];
  const githubSecretsJson = secretsFile ? readFileSync(resolve(ctx.cwd, secretsFile), "utf8") : ctx.env.DOCKRION_SECRETS_JSON;
  const registryHost = values.image ? parseReference(values.image).host : values.registry ? registryHostOf(values.registry) : null;
  const result = await runDeployPipeline(
    {
      dockfilePath,
      root: findRepositoryRoot(dirname(dockfilePath)),
      environment,
      target,
      build: {
        registry: values.registry ?? null,
        push: values.push ?? false,
        platforms: parsePlatforms(values.platform),
        baseImage: values["base-image"] ?? null,
        provenance,
        builder: values.builder,
        cache: cacheFlags(values["cache-from"], values["cache-to"]),
        credentials: registryHost ? registryCredentials(registryHost, ctx.env) : void 0
      },
      image: values.image ?? null,
      direct: values.direct ?? false,
      force: values.force ?? false,
      pullRequest: { draft: values.draft, reviewers: values.reviewer, autoMerge: values["auto-merge"] },
      githubSecretsJson,
      githubSecretsLabel: secretsFile ? `--secrets-json ${secretsFile}` : "DOCKRION_SECRETS_JSON",
      sealingCertificate: readSealingCertificate(values["sealed-secrets-cert"], ctx.cwd)
    },
    {
      exec: ctx.exec,
      docker: new Docker({ exec: ctx.exec, env: ctx.env }),
      logger: ctx.logger,
      env: ctx.env,
      now: () => Date.now(),
      fetch
    }
  );
  if (format === "json") ctx.stdout(`${JSON.stringify(result, null, 2)}
`);
  else {
    const where = result.pr_url ?? (result.commit ? `${result.branch} ${result.commit.slice(0, 12)}` : result.branch);
    ctx.stdout(
      `${result.operation}: ${result.environment}/${result.agent} ${result.version} ${result.image} (${where})
`
    );
    const contract = result.contract_changes;
    if (contract) {
      ctx.stdout(
        contract.changes && !isEmptyDiff(contract.changes) ? `
${contractDiffText(contract.changes).replace(/^.*\n/, `Contract changes: ${contract.summary}
`)}` : `contract: ${contract.summary}
`
      );
    }
  }
  return 0;
}
function readSealingCertificate(file, cwd) {
  if (file === void 0) return null;
  try {
    return { pem: readFileSync(resolve(cwd, file), "utf8"), source: `--sealed-secrets-cert ${file}` };
  } catch (e) {
    const code = e.code ?? "unreadable";
    throw new UsageError(
      `--sealed-secrets-cert ${file}: cannot read it (${code})`,
      "pass the PEM file `kubeseal --fetch-cert` wrote"
    );
  }
}

export {
  deployUsage,
  run,
  readSealingCertificate
};
