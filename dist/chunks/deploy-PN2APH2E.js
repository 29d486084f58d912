import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  runDeployPipeline
} from "./chunk-BHKI54VR.js";
import {
  githubOidcTokenFetcher
} from "./chunk-LWA4EXBY.js";
import "./chunk-7VLYRG2H.js";
import "./chunk-7YXJAZBN.js";
import "./chunk-DWKWGFPV.js";
import "./chunk-AG5BIGJG.js";
import "./chunk-7O3O2U4G.js";
import "./chunk-IUSHEBUE.js";
import {
  TOKEN_HINT,
  redactUrl,
  shortDigest
} from "./chunk-KKGWGJIS.js";
import {
  createOctokit
} from "./chunk-WDK2ETMO.js";
import "./chunk-MGLOGXNV.js";
import {
  describeError
} from "./chunk-NSHGOOXV.js";
import "./chunk-Z44K7NLS.js";
import "./chunk-G2HOTOFI.js";
import "./chunk-PDFGJ37W.js";

// action/modes/deploy.ts
import { resolve } from "node:path";
function summaryMarkdown(result, environmentsRepo) {
  const rows = [
    ["Operation", `\`${result.operation}\``],
    ["Agent", `\`${result.agent}\``],
    ["Environment", `\`${result.environment}\``],
    ["Version", `\`${result.version}\``],
    ["Image", `\`${result.image}\``],
    ["Digest", `\`${shortDigest(result.digest)}\``],
    ["Built", result.built ? "yes" : "no (promoted)"],
    ["Environments repo", `\`${environmentsRepo}\``],
    ["Commit", result.commit ? `\`${result.commit.slice(0, 12)}\` on \`${result.branch}\`` : "\u2013"],
    ["Pull request", result.pr_url ? `[#${result.pr_number}](${result.pr_url})` : "\u2013"]
  ];
  const stages = Object.entries(result.timings).map(([stage, ms]) => `${stage} ${(ms / 1e3).toFixed(1)} s`).join(" \xB7 ");
  return [
    `### dockrion deploy: \`${result.agent}\` \u2192 \`${result.environment}\``,
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
    ...result.changed_files.length ? ["Changed files:", "", ...result.changed_files.map((f) => `- \`${f}\``), ""] : [],
    `<sub>${stages}</sub>`,
    ""
  ].join("\n");
}
async function run(ctx) {
  const { inputs, run: runContext } = ctx;
  const environment = inputs.environment ?? "";
  const environmentsRepo = inputs.environmentsRepo ?? runContext.repository;
  const [owner = "", repo = ""] = environmentsRepo.split("/");
  const token = inputs.environmentsToken ?? inputs.githubToken;
  if (!inputs.environmentsToken && environmentsRepo !== runContext.repository) {
    ctx.logger.warn(
      `environments-token is not set, so ${environmentsRepo} is written with github-token; ${TOKEN_HINT}`
    );
  }
  const url = `${runContext.serverUrl}/${environmentsRepo}.git`;
  const registry = inputs.imageNamespace ? `${inputs.registry}/${inputs.imageNamespace}` : inputs.registry;
  const env = ctx.env;
  try {
    const result = await runDeployPipeline(
      {
        dockfilePath: resolve(runContext.workspace, inputs.dockfile),
        root: runContext.workspace,
        environment,
        target: {
          url,
          token,
          base: inputs.environmentsBase,
          github: { client: createOctokit({ token, baseUrl: inputs.githubApiUrl }), owner, repo },
          serverUrl: runContext.serverUrl
        },
        build: {
          registry,
          push: inputs.push,
          platforms: inputs.platforms,
          baseImage: inputs.baseImage,
          provenance: inputs.provenance ? "auto" : false,
          sbom: inputs.sbom,
          credentials: inputs.registryUsername ? { username: inputs.registryUsername, password: inputs.registryPassword } : void 0
        },
        image: inputs.image,
        direct: inputs.direct,
        force: inputs.force,
        pullRequest: { draft: inputs.draft, reviewers: inputs.reviewers, autoMerge: inputs.autoMerge },
        githubSecrets: inputs.secrets,
        githubSecretsLabel: "action input 'secrets'",
        getIdToken: githubOidcTokenFetcher(env)
      },
      { exec: ctx.exec, logger: ctx.logger, env, now: () => Date.now(), fetch }
    );
    ctx.io.setOutput("image", result.image);
    ctx.io.setOutput("digest", result.digest);
    ctx.io.setOutput("version", result.version);
    ctx.io.setOutput("operation", result.operation);
    ctx.io.setOutput("pr-url", result.pr_url ?? "");
    ctx.io.setOutput("pr-number", result.pr_number === null ? "" : String(result.pr_number));
    ctx.io.setOutput("commit", result.commit ?? "");
    await ctx.io.appendSummary(summaryMarkdown(result, redactUrl(url)));
    return { ok: true };
  } catch (e) {
    const message = describeError(e);
    await ctx.io.appendSummary(
      `### dockrion deploy to \`${environment}\` failed

\`\`\`
${message}
\`\`\`
`
    );
    return { ok: false, failure: message };
  }
}
export {
  run
};
