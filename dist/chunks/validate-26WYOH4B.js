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
} from "./chunk-IY3QTVMP.js";
import "./chunk-TGDTHSMF.js";
import "./chunk-3ZQXHXDG.js";
import "./chunk-GHBYYFLJ.js";
import {
  bodyBudget,
  codeLines,
  codeSpan,
  fitRowsWithNote,
  linkDestination,
  summaryBudget,
  truncateText
} from "./chunk-Y4HNSFXC.js";
import {
  diagnosticLine,
  diagnosticsLine,
  failureLine
} from "./chunk-F3TAHQBK.js";
import {
  httpStatus
} from "./chunk-BA5ZBKVE.js";
import {
  DockrionError
} from "./chunk-RK5RNRQP.js";
import "./chunk-TC6B22LF.js";

// action/modes/validate.ts
import { isAbsolute, relative, resolve } from "node:path";

// action/report/markdown.ts
function row(d, options) {
  const where = codeSpan(`${d.file}:${d.line}:${d.column}`, { table: true });
  const location = options.blobUrl ? `[${where}](${linkDestination(options.blobUrl(d.file, d.line))})` : where;
  const hint = d.hint ? `<br>hint: ${codeLines(d.hint)}` : "";
  const severity = d.severity === "error" ? "\u274C error" : "\u26A0\uFE0F warning";
  return `| ${severity} | ${d.code} ${d.name} | ${codeSpan(d.path, { table: true })} | ${location} | ${codeLines(d.message)}${hint} |`;
}
function formatMarkdown(result, options = {}) {
  const file = codeSpan(result.file);
  const status = result.valid ? `\u2705 ${file} **is valid**` : `\u274C ${file} **is invalid**`;
  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  const diagnostics = [...result.errors, ...result.warnings];
  if (diagnostics.length === 0)
    return `### Dockrion: Dockfile validation

${status} \u2014 no problems found.
`;
  const head = `### Dockrion: Dockfile validation

${status} \u2014 ${counts}.

| | code | path | location | problem |
|---|---|---|---|---|
`;
  const rows = diagnostics.map((d) => row(d, options));
  const { budget } = options;
  if (!budget) return `${head}${rows.join("\n")}
`;
  const note = (omitted) => `

**${omitted} of ${rows.length} problems are not shown here** (the table lists the first ${rows.length - omitted}). The full list is in ${options.fullListAt ?? "the `errors-json` output"}.
`;
  return fitRowsWithNote(head, rows, note, budget);
}
function staleReportMarkdown(file, why, latestAt) {
  return `### Dockrion: Dockfile validation

\u26A0\uFE0F **This report is out of date.** The latest validation of ${codeSpan(file)} could not be written into this comment (${codeSpan(why)}). Its result is in ${latestAt}.
`;
}

// action/report/sticky-comment.ts
var StaleCommentError = class extends DockrionError {
  status;
  url;
  constructor(url, status, cause) {
    super(
      `could not update the PR comment ${url} (${status ? `HTTP ${status}` : "network error"}); it still shows an earlier report`,
      {
        code: "github",
        hint: "give the job `pull-requests: write` (the comment is edited with github-token), or delete that comment",
        cause
      }
    );
    this.status = status;
    this.url = url;
  }
};
function commentBudget(marker) {
  return { max: bodyBudget.max - bodyBudget.measure(`${marker}
`), measure: bodyBudget.measure };
}
function validationMarker(dockfilePath) {
  return `<!-- dockrion:validate:${dockfilePath.replace(/--/g, "-\u2010")} -->`;
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
  const fullBody = truncateText(
    `${target.marker}
${body}`,
    bodyBudget,
    "\n\n_(cut to fit GitHub's comment size limit)_\n"
  );
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
    const update = (text) => client.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: ours.id,
      body: text
    });
    try {
      const { data: data2 } = await update(fullBody);
      return { action: "updated", id: data2.id, url: data2.html_url };
    } catch (refused) {
      const status = httpStatus(refused);
      if (options.staleBody !== void 0) {
        try {
          const { data: data2 } = await update(`${target.marker}
${options.staleBody}`);
          return { action: "marked-stale", id: data2.id, url: data2.html_url, status };
        } catch {
        }
      }
      throw new StaleCommentError(ours.html_url, status, refused);
    }
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
var ANNOTATIONS_PER_SEVERITY = 10;
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
  annotateAll(ctx, result);
  const headSha = runContext.pullRequest?.headSha ?? runContext.sha;
  const tableOptions = {
    blobUrl: runContext.repository && headSha ? (file, line) => `${runContext.serverUrl}/${runContext.repository}/blob/${headSha}/${encodeURI(file)}#L${line}` : void 0
  };
  await ctx.io.appendSummary(
    formatMarkdown(result, {
      ...tableOptions,
      budget: summaryBudget(),
      fullListAt: "this step's `errors-json` output (the same as `dockrion validate --format json`)"
    })
  );
  ctx.io.setOutput("valid", String(result.valid));
  ctx.io.setOutput("errors-json", JSON.stringify(toJsonReport(result)));
  const commentFailure = inputs.comment ? await comment(ctx, result, dockfile, tableOptions) : null;
  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  if (!result.valid) {
    ctx.logger.info(`${dockfile} is invalid (${counts})`);
    if (commentFailure) ctx.logger.error(commentFailure);
    return { ok: false, failure: diagnosticsLine(result.errors, "the annotations and the job summary") };
  }
  ctx.logger.info(`${dockfile} is valid (${counts})`);
  return commentFailure ? { ok: false, failure: commentFailure } : { ok: true };
}
function annotateAll(ctx, result) {
  let left = 0;
  for (const list of [result.errors, result.warnings]) {
    for (const [i, d] of list.entries()) {
      if (i < ANNOTATIONS_PER_SEVERITY) {
        ctx.io.annotate({
          severity: d.severity,
          title: annotationTitle(d),
          message: annotationMessage(d),
          file: d.file,
          line: d.line,
          column: d.column
        });
      } else {
        left++;
        ctx.logger.info(`${d.severity}: ${diagnosticLine(d)}`);
      }
    }
  }
  if (left > 0) {
    ctx.io.annotate({
      severity: "notice",
      message: `${left} more problem(s) are not annotated (GitHub shows ${ANNOTATIONS_PER_SEVERITY} errors and ${ANNOTATIONS_PER_SEVERITY} warnings per step): they are in the log above, the job summary and the errors-json output`
    });
  }
}
async function comment(ctx, result, dockfile, tableOptions) {
  const pr = ctx.run.pullRequest;
  if (!pr) {
    ctx.logger.info("not a pull request event: no PR comment");
    return null;
  }
  if (pr.isFork && ctx.run.eventName === "pull_request") {
    ctx.logger.warn(`pull request from a fork: ${readOnlyNotice}`);
    return null;
  }
  if (ctx.inputs.githubToken === "") {
    ctx.logger.warn(`no github-token: ${readOnlyNotice}`);
    return null;
  }
  const { serverUrl, repository, runId } = ctx.run;
  const runUrl = repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : null;
  const summary = runUrl ? `the [job summary](${runUrl})` : "the job summary";
  const marker = validationMarker(dockfile);
  const markdown = formatMarkdown(result, {
    ...tableOptions,
    budget: commentBudget(marker),
    fullListAt: `${summary} and the \`errors-json\` output`
  });
  const hasFindings = result.errors.length + result.warnings.length > 0;
  try {
    const outcome = await upsertStickyComment(
      ctx.github(),
      { owner: ctx.run.owner, repo: ctx.run.repo, issueNumber: pr.number, marker },
      markdown,
      {
        createIfMissing: hasFindings,
        staleBody: staleReportMarkdown(dockfile, "GitHub refused the update", `${summary} of the latest run`)
      }
    );
    if (outcome.action === "marked-stale") {
      ctx.logger.warn(
        `GitHub refused the report for the PR comment (HTTP ${outcome.status ?? "?"}); the comment now says it is out of date: ${outcome.url}`
      );
    } else if (outcome.action !== "skipped") {
      ctx.logger.info(`PR comment ${outcome.action}: ${outcome.url}`);
    }
    return null;
  } catch (e) {
    if (e instanceof StaleCommentError) return failureLine(e);
    const status = httpStatus(e);
    if (status === 403 || status === 404) {
      ctx.logger.warn(readOnlyNotice);
      return null;
    }
    ctx.logger.warn(
      `could not write the PR comment (${status ?? "network error"}); the result is in the annotations and the job summary`
    );
    return null;
  }
}
export {
  run
};
