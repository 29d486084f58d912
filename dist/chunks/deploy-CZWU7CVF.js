import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  runDeployPipeline
} from "./chunk-3IXYDWSA.js";
import {
  githubOidcTokenFetcher
} from "./chunk-KUJCZP2E.js";
import "./chunk-4Z25LHBJ.js";
import "./chunk-VN3V2KOQ.js";
import {
  Docker
} from "./chunk-VESPB4NJ.js";
import "./chunk-ZKWIVB52.js";
import "./chunk-WM7SSZM3.js";
import "./chunk-DFAXMSQT.js";
import "./chunk-C77GWBV5.js";
import "./chunk-YT4XFZJ2.js";
import "./chunk-YNYXG3GD.js";
import "./chunk-T6GID5YX.js";
import {
  summaryTable
} from "./chunk-WKSSTWJS.js";
import {
  environmentsTarget
} from "./chunk-7A3AR3WF.js";
import "./chunk-WEW2JA5X.js";
import {
  shortDigest
} from "./chunk-NTAR7FOT.js";
import "./chunk-2IDWO3FM.js";
import "./chunk-INVJ2NKH.js";
import {
  codeBlock,
  codeSpan,
  contractDiffMarkdown,
  fitLines,
  isEmptyDiff,
  linkDestination,
  summaryBudget,
  utf8Bytes
} from "./chunk-AXNTCLP2.js";
import {
  redactUrl
} from "./chunk-4P7MY5G4.js";
import "./chunk-N2YKFJ7Y.js";
import "./chunk-6SRZ3OPM.js";
import {
  failureLine
} from "./chunk-Z76OGNZQ.js";
import "./chunk-NYL7GI5H.js";
import {
  UsageError,
  describeError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/modes/deploy.ts
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
function summaryMarkdown(result, environmentsRepo) {
  const cell = (text) => codeSpan(text, { table: true });
  const rows = [
    ["Operation", cell(result.operation)],
    ["Agent", cell(result.agent)],
    ["Environment", cell(result.environment)],
    ["Version", cell(result.version)],
    ["Image", cell(result.image)],
    ["Digest", cell(shortDigest(result.digest))],
    ["Built", result.built ? "yes" : "no (promoted)"],
    ["Environments repo", cell(environmentsRepo)],
    ["Commit", result.commit ? `${cell(result.commit.slice(0, 12))} on ${cell(result.branch)}` : "\u2013"],
    ["Pull request", result.pr_url ? `[#${result.pr_number}](${linkDestination(result.pr_url)})` : "\u2013"],
    ["Contract changes", result.contract_changes ? cell(result.contract_changes.summary) : "\u2013"]
  ];
  const stages = Object.entries(result.timings).map(([stage, ms]) => `${stage} ${(ms / 1e3).toFixed(1)} s`).join(" \xB7 ");
  const head = summaryTable(
    `### dockrion deploy: ${codeSpan(result.agent)} \u2192 ${codeSpan(result.environment)}`,
    rows
  );
  const changes = result.contract_changes?.changes;
  const section = changes && !isEmptyDiff(changes) ? `
${contractDiffMarkdown(changes, { budget: { max: 2e4, measure: utf8Bytes }, headingLevel: 4 })}` : "";
  const tail = `${section}
<sub>${stages}</sub>
`;
  if (result.changed_files.length === 0) return `${head}${tail}`;
  const budget = summaryBudget();
  const more = (n) => `- \u2026 and ${n} more (the commit in the environments repo has them all)
`;
  const room = budget.max - budget.measure(head + tail) - budget.measure(`Changed files:


${more(result.changed_files.length)}`);
  const fitted = fitLines(
    result.changed_files.map((f) => `- ${codeSpan(f)}`),
    room,
    budget
  );
  const list = `${fitted.lines.join("\n")}
${fitted.omitted > 0 ? more(fitted.omitted) : ""}`;
  return `${head}
Changed files:

${list}${tail}`;
}
async function run(ctx) {
  const { inputs, run: runContext } = ctx;
  const environment = inputs.environment ?? "";
  const target = environmentsTarget(ctx);
  const registry = inputs.imageNamespace ? `${inputs.registry}/${inputs.imageNamespace}` : inputs.registry;
  const env = ctx.env;
  try {
    const result = await runDeployPipeline(
      {
        dockfilePath: resolve(runContext.workspace, inputs.dockfile),
        root: runContext.workspace,
        environment,
        target,
        build: {
          registry,
          push: inputs.push,
          platforms: inputs.platforms,
          baseImage: inputs.baseImage,
          provenance: inputs.provenance ? "auto" : false,
          sbom: inputs.sbom,
          cache: {
            ...inputs.cacheFrom ? { from: inputs.cacheFrom } : {},
            ...inputs.cacheTo ? { to: inputs.cacheTo } : {}
          },
          credentials: inputs.registryUsername ? { username: inputs.registryUsername, password: inputs.registryPassword } : void 0
        },
        image: inputs.image,
        direct: inputs.direct,
        force: inputs.force,
        pullRequest: { draft: inputs.draft, reviewers: inputs.reviewers, autoMerge: inputs.autoMerge },
        githubSecrets: inputs.secrets,
        githubSecretsLabel: "action input 'secrets'",
        sealingCertificate: inputs.sealedSecretsCert ? inputs.sealedSecretsCert.includes("-----BEGIN") ? { pem: inputs.sealedSecretsCert, source: "action input 'sealed-secrets-cert'" } : readSealingCertificateFile(
          resolve(runContext.workspace, inputs.sealedSecretsCert),
          inputs.sealedSecretsCert
        ) : null,
        getIdToken: githubOidcTokenFetcher(env)
      },
      {
        exec: ctx.exec,
        docker: new Docker({ exec: ctx.exec, env }),
        logger: ctx.logger,
        env,
        now: () => Date.now(),
        fetch
      }
    );
    ctx.io.setOutput("image", result.image);
    ctx.io.setOutput("digest", result.digest);
    ctx.io.setOutput("version", result.version);
    ctx.io.setOutput("operation", result.operation);
    ctx.io.setOutput("pr-url", result.pr_url ?? "");
    ctx.io.setOutput("pr-number", result.pr_number === null ? "" : String(result.pr_number));
    ctx.io.setOutput("commit", result.commit ?? "");
    await ctx.io.appendSummary(summaryMarkdown(result, redactUrl(target.url)));
    return { ok: true };
  } catch (e) {
    const message = describeError(e);
    await ctx.io.appendSummary(
      `### dockrion deploy to ${codeSpan(environment)} failed

${codeBlock(message)}
`
    );
    const workspaceRelative = (file) => {
      const rel = relative(runContext.workspace, file);
      return rel.startsWith("..") || isAbsolute(rel) ? file : rel.split(sep).join("/");
    };
    return {
      ok: false,
      failure: failureLine(e, {
        file: inputs.dockfile,
        relative: workspaceRelative,
        where: "the job summary"
      })
    };
  }
}
function readSealingCertificateFile(file, input) {
  try {
    return { pem: readFileSync(file, "utf8"), source: `action input 'sealed-secrets-cert' (${input})` };
  } catch (e) {
    const code = e.code ?? "unreadable";
    throw new UsageError(
      `input 'sealed-secrets-cert': cannot read ${input} (${code})`,
      "pass the PEM text, or a path relative to the workspace (check out the repository first)"
    );
  }
}
export {
  run,
  summaryMarkdown
};
