import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  annotationMessage,
  annotationTitle
} from "./chunk-7U3S66EW.js";
import {
  toJsonReport
} from "./chunk-AO7ZYZQ4.js";
import {
  loadDockfile
} from "./chunk-Z44K7NLS.js";
import "./chunk-G2HOTOFI.js";
import "./chunk-PDFGJ37W.js";

// action/modes/validate.ts
import { isAbsolute, relative, resolve } from "node:path";

// action/report/markdown.ts
function cell(text) {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, "<br>");
}
function code(text) {
  return text === "" ? "" : `<code>${cell(text)}</code>`;
}
function row(d, options) {
  const where = `${d.file}:${d.line}:${d.column}`;
  const location = options.blobUrl ? `[${cell(where)}](${options.blobUrl(d.file, d.line)})` : cell(where);
  const hint = d.hint ? `<br>hint: ${cell(d.hint)}` : "";
  const severity = d.severity === "error" ? "\u274C error" : "\u26A0\uFE0F warning";
  return `| ${severity} | ${d.code} ${d.name} | ${code(d.path)} | ${location} | ${cell(d.message)}${hint} |`;
}
function formatMarkdown(result, options = {}) {
  const status = result.valid ? `\u2705 **${cell(result.file)} is valid**` : `\u274C **${cell(result.file)} is invalid**`;
  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  const diagnostics = [...result.errors, ...result.warnings];
  if (diagnostics.length === 0)
    return `### Dockrion: Dockfile validation

${status} \u2014 no problems found.
`;
  const table = [
    "| | code | path | location | problem |",
    "|---|---|---|---|---|",
    ...diagnostics.map((d) => row(d, options))
  ].join("\n");
  return `### Dockrion: Dockfile validation

${status} \u2014 ${counts}.

${table}
`;
}

// action/report/sticky-comment.ts
function validationMarker(dockfilePath) {
  return `<!-- dockrion:validate:${dockfilePath.replace(/--/g, "-\u2010")} -->`;
}
function httpStatus(e) {
  const status = e?.status;
  return typeof status === "number" ? status : void 0;
}
async function tokenIdentity(client) {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (e) {
    const status = httpStatus(e);
    if (status === 403 || status === 401 || status === 404) return null;
    throw e;
  }
}
async function upsertStickyComment(client, target, body, options) {
  const identity = await tokenIdentity(client);
  const fullBody = `${target.marker}
${body}`;
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100
  });
  const ours = comments.find((c) => {
    if (!c.body?.includes(target.marker)) return false;
    const login = c.user?.login;
    return identity !== null ? login === identity : login === "github-actions[bot]" || c.user?.type === "Bot";
  });
  if (ours) {
    if (ours.body === fullBody) return { action: "unchanged", id: ours.id, url: ours.html_url };
    const { data: data2 } = await client.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: ours.id,
      body: fullBody
    });
    return { action: "updated", id: data2.id, url: data2.html_url };
  }
  if (!options.createIfMissing) return { action: "skipped", id: null, url: null };
  const { data } = await client.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    body: fullBody
  });
  return { action: "created", id: data.id, url: data.html_url };
}

// action/modes/validate.ts
var readOnlyNotice = "the token cannot comment on this pull request (read-only, e.g. a fork); the validation result is in the annotations and the job summary";
async function run(ctx) {
  const { inputs, run: runContext } = ctx;
  const workspace = runContext.workspace;
  const repoRelative = (file) => {
    const rel = relative(workspace, resolve(workspace, file));
    return rel.startsWith("..") || isAbsolute(rel) ? file : rel.split("\\").join("/");
  };
  const dockfile = repoRelative(inputs.dockfile);
  const loaded = await loadDockfile(dockfile, {
    cwd: workspace,
    root: workspace,
    processEnv: ctx.env,
    strict: inputs.strict,
    exec: ctx.exec
  });
  const result = {
    ...loaded,
    errors: loaded.errors.map((d) => ({ ...d, file: repoRelative(d.file) })),
    warnings: loaded.warnings.map((d) => ({ ...d, file: repoRelative(d.file) }))
  };
  for (const diagnostic of [...result.errors, ...result.warnings]) annotate(ctx, diagnostic);
  const headSha = runContext.pullRequest?.headSha ?? runContext.sha;
  const markdown = formatMarkdown(result, {
    blobUrl: runContext.repository && headSha ? (file, line) => `${runContext.serverUrl}/${runContext.repository}/blob/${headSha}/${encodeURI(file)}#L${line}` : void 0
  });
  await ctx.io.appendSummary(markdown);
  ctx.io.setOutput("valid", String(result.valid));
  ctx.io.setOutput("errors-json", JSON.stringify(toJsonReport(result)));
  if (inputs.comment) await comment(ctx, result, dockfile, markdown);
  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  if (result.valid) {
    ctx.logger.info(`${dockfile} is valid (${counts})`);
    return { ok: true };
  }
  return { ok: false, failure: `${dockfile} is invalid: ${counts}` };
}
function annotate(ctx, d) {
  ctx.io.annotate({
    severity: d.severity,
    title: annotationTitle(d),
    message: annotationMessage(d),
    file: d.file,
    line: d.line,
    column: d.column
  });
}
async function comment(ctx, result, dockfile, markdown) {
  const pr = ctx.run.pullRequest;
  if (!pr) {
    ctx.logger.info("not a pull request event: no PR comment");
    return;
  }
  if (pr.isFork && ctx.run.eventName === "pull_request") {
    ctx.logger.warn(`pull request from a fork: ${readOnlyNotice}`);
    return;
  }
  if (ctx.inputs.githubToken === "") {
    ctx.logger.warn(`no github-token: ${readOnlyNotice}`);
    return;
  }
  const hasFindings = result.errors.length + result.warnings.length > 0;
  try {
    const outcome = await upsertStickyComment(
      ctx.github(),
      {
        owner: ctx.run.owner,
        repo: ctx.run.repo,
        issueNumber: pr.number,
        marker: validationMarker(dockfile)
      },
      markdown,
      { createIfMissing: hasFindings }
    );
    if (outcome.action !== "skipped") ctx.logger.info(`PR comment ${outcome.action}: ${outcome.url}`);
  } catch (e) {
    const status = httpStatus(e);
    if (status === 403 || status === 404) {
      ctx.logger.warn(readOnlyNotice);
      return;
    }
    ctx.logger.warn(
      `could not update the PR comment (${status ?? "network error"}); the result is in the annotations and the job summary`
    );
  }
}
export {
  run
};
