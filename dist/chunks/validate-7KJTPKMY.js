import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);
import {
  annotationMessage,
  annotationTitle
} from "./chunk-7U3S66EW.js";
import {
  toJsonReport
} from "./chunk-AO7ZYZQ4.js";
import {
  selectAgents
} from "./chunk-4O4R2DA6.js";
import "./chunk-YNYXG3GD.js";
import {
  parseDockfileInput
} from "./chunk-V2TZJOJW.js";
import "./chunk-3ANLHX4D.js";
import {
  noContractReview,
  reviewContract
} from "./chunk-FZB2N3GG.js";
import {
  bodyBudget,
  codeLines,
  codePoints,
  codeSpan,
  contractOf,
  fitRowsWithNote,
  linkDestination,
  loadDockfileAtRevision,
  summaryBudget,
  truncateText,
  utf8Bytes
} from "./chunk-S62WSDRY.js";
import {
  Git
} from "./chunk-4P7MY5G4.js";
import {
  loadDockfile
} from "./chunk-CJK7HBET.js";
import "./chunk-Y7HVPOHU.js";
import {
  diagnosticLine,
  diagnosticsLine,
  failureLine
} from "./chunk-Z76OGNZQ.js";
import {
  httpStatus,
  syncLabels,
  unionOfLabelChanges
} from "./chunk-6HIQH4YF.js";
import {
  DockrionError,
  describeError
} from "./chunk-NQESISYT.js";
import "./chunk-TC6B22LF.js";

// action/modes/validate.ts
import { isAbsolute as isAbsolute2, relative as relative2, resolve as resolve2 } from "node:path";

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

// action/review/base-dockfile.ts
import { isAbsolute, relative, resolve, sep } from "node:path";
async function readDockfileAtBase(request) {
  if (request.base === null || !/^[0-9a-f]{40,64}$/.test(request.base)) {
    return { kind: "unavailable", why: "the event names no base commit to compare with" };
  }
  const found = await Git.forCheckout(request.exec, request.workspace, request.env);
  if (!found) return { kind: "unavailable", why: "the workspace is not a git checkout" };
  const { git, topLevel } = found;
  const path = relative(topLevel, resolve(request.workspace, request.dockfile));
  if (path.startsWith("..") || isAbsolute(path)) {
    return { kind: "unavailable", why: "the Dockfile is outside the checkout", detail: request.dockfile };
  }
  const repoPath = path.split(sep).join("/");
  const missing = await git.ensureCommit(request.base);
  if (missing !== null) {
    return {
      kind: "unavailable",
      why: "the base commit could not be read (check out with `fetch-depth: 2` so it is present)",
      detail: missing
    };
  }
  return await git.resolve(`${request.base}:${repoPath}`) === null ? { kind: "absent", commit: request.base, path: repoPath } : { kind: "found", git, commit: request.base, path: repoPath };
}

// action/review/pull-request.ts
async function reviewPullRequestContract(request) {
  if (request.head === null) return noContractReview({ why: "Not compared: this Dockfile is invalid" });
  const after = contractOrWhy(request.head, "Not compared: the contract of this Dockfile could not be read");
  if (!("format" in after)) return noContractReview(after);
  return reviewContract(await baseline(request), after, { budget: request.budget });
}
function contractOrWhy(spec, why) {
  try {
    return contractOf(spec);
  } catch (e) {
    return { why, detail: describeError(e) };
  }
}
async function baseline(request) {
  const base = await readDockfileAtBase({
    exec: request.exec,
    workspace: request.workspace,
    dockfile: request.dockfile,
    base: request.base.sha,
    env: request.processEnv
  });
  if (base.kind === "unavailable") {
    return { kind: "none", why: `No contract to compare: ${base.why}`, ...optionalDetail(base.detail) };
  }
  if (base.kind === "absent") return { kind: "none", why: "First version: no contract to compare" };
  const sha = base.commit.slice(0, 12);
  const { result: loaded } = await loadDockfileAtRevision(
    base.git,
    { rev: sha, path: base.path },
    { processEnv: request.processEnv, exec: request.exec }
  );
  if (!loaded.valid || !loaded.spec) {
    return {
      kind: "none",
      why: "No contract to compare: the Dockfile at the base is invalid",
      detail: diagnosticsLine(loaded.errors, "that version")
    };
  }
  const contract = contractOrWhy(
    loaded.spec,
    "No contract to compare: the contract at the base could not be read"
  );
  if (!("format" in contract)) return { kind: "none", ...contract };
  return { kind: "contract", contract, label: request.base.ref ? `${request.base.ref} (${sha})` : sha };
}
function optionalDetail(detail) {
  return detail === void 0 ? {} : { detail };
}

// action/modes/contract-review.ts
var SECTION_BUDGET = { max: 2e4, measure: codePoints };
var readOnlyNotice = "the token cannot label this pull request (read-only, e.g. a fork); the contract changes are in the job summary";
async function contractChanges(ctx, dockfile, head, labels = "sync") {
  const pr = ctx.run.pullRequest;
  if (!pr) return null;
  const review = await reviewPullRequestContract({
    exec: ctx.exec,
    processEnv: ctx.env,
    workspace: ctx.run.workspace,
    dockfile,
    head,
    base: { sha: pr.baseSha, ref: pr.baseRef },
    budget: SECTION_BUDGET
  });
  ctx.logger.info(`contract changes of ${dockfile}: ${review.summary}`);
  if (review.diff !== null) {
    if (labels === "sync") await updateLabels(ctx, pr.number, review.labels);
    else labels.push(review.labels);
  }
  const breaking = review.diff?.breaking ?? [];
  const acknowledged = pr.labels.includes(ctx.inputs.breakingChangesAckLabel);
  let failure = null;
  if (breaking.length > 0 && ctx.inputs.breakingChanges === "fail") {
    if (acknowledged) {
      ctx.logger.info(
        `${breaking.length} breaking contract change(s) acknowledged by the label ${ctx.inputs.breakingChangesAckLabel}`
      );
    } else {
      const [first] = breaking;
      const more = breaking.length > 1 ? ` (+${breaking.length - 1} more in the job summary)` : "";
      failure = `${dockfile}: ${breaking.length} breaking contract change(s): ${first?.message ?? ""}${more} \u2014 fix: keep today's callers working, or add the label '${ctx.inputs.breakingChangesAckLabel}' to the pull request to acknowledge them`;
    }
  }
  const changed = review.diff !== null && Object.values(review.diff).some((list) => list.length > 0);
  return { markdown: review.markdown, worthAComment: changed, failure };
}
async function syncCollectedLabels(ctx, collected) {
  const pr = ctx.run.pullRequest;
  if (!pr || collected.length === 0) return;
  await updateLabels(ctx, pr.number, unionOfLabelChanges(collected));
}
async function updateLabels(ctx, issueNumber, labels) {
  const pr = ctx.run.pullRequest;
  if (pr?.isFork && ctx.run.eventName === "pull_request") {
    if (labels.add.length > 0) ctx.logger.warn(`pull request from a fork: ${readOnlyNotice}`);
    return;
  }
  if (ctx.inputs.githubToken === "") {
    if (labels.add.length > 0) ctx.logger.warn(`no github-token: ${readOnlyNotice}`);
    return;
  }
  try {
    const { added, removed } = await syncLabels(
      ctx.github(),
      { owner: ctx.run.owner, repo: ctx.run.repo, issueNumber },
      labels
    );
    if (added.length > 0) ctx.logger.info(`labelled the pull request: ${added.join(", ")}`);
    if (removed.length > 0) ctx.logger.info(`removed label(s) no longer called for: ${removed.join(", ")}`);
  } catch (e) {
    const status = httpStatus(e);
    if (status === 403 || status === 404) {
      ctx.logger.warn(readOnlyNotice);
      return;
    }
    ctx.logger.warn(
      `could not update the pull request's labels (${status ?? "network error"}); the contract changes are in the job summary`
    );
  }
}

// action/modes/validate.ts
var ANNOTATIONS_PER_SEVERITY = 10;
var readOnlyNotice2 = "the token cannot comment on this pull request (read-only, e.g. a fork); the validation result is in the annotations and the job summary";
async function run(ctx) {
  const selection = parseDockfileInput(ctx.inputs.dockfile);
  if (selection.kind === "single") {
    const checked2 = await validateAgent(
      ctx,
      repoRelativeTo(ctx.run.workspace)(selection.path),
      validationStep("errors-json")
    );
    ctx.io.setOutput("valid", String(checked2.result.valid));
    ctx.io.setOutput("errors-json", JSON.stringify(toJsonReport(checked2.result)));
    return outcomeOf([checked2]);
  }
  const selected = await selectAgents(ctx, selection.patterns, "validating");
  const checked = [];
  const step = validationStep("reports-json");
  for (const agent of selected.changed) {
    checked.push(await validateAgent(ctx, agent.dockfile, step, agent.name));
  }
  if (step.labels !== "sync") await syncCollectedLabels(ctx, step.labels);
  if (checked.length === 0) {
    await ctx.io.appendSummary(
      `### Dockrion: Dockfile validation

No agent is touched by this change (${selected.all.length} Dockfile(s) matched): nothing to validate.
`
    );
  }
  ctx.io.setOutput("agents", JSON.stringify(checked.map((c) => c.agent)));
  ctx.io.setOutput("valid", String(checked.every((c) => c.result.valid)));
  ctx.io.setOutput(
    "reports-json",
    JSON.stringify(Object.fromEntries(checked.map((c) => [c.agent, toJsonReport(c.result)])))
  );
  return outcomeOf(checked);
}
function outcomeOf(checked) {
  const invalid = checked.filter((c) => !c.result.valid);
  const contractFailures = checked.flatMap((c) => c.contractFailure ? [c.contractFailure] : []);
  const commentFailures = checked.flatMap((c) => c.commentFailure ? [c.commentFailure] : []);
  if (invalid.length > 0) {
    const first = invalid[0];
    const others = invalid.length > 1 ? ` (and ${invalid.length - 1} more invalid Dockfile(s))` : "";
    return {
      ok: false,
      failure: `${diagnosticsLine(first.result.errors, "the annotations and the job summary")}${others}`
    };
  }
  const failure = contractFailures[0] ?? commentFailures[0];
  return failure ? { ok: false, failure } : { ok: true };
}
function repoRelativeTo(workspace) {
  return (file) => {
    const rel = relative2(workspace, resolve2(workspace, file));
    return rel.startsWith("..") || isAbsolute2(rel) ? file : rel.split("\\").join("/");
  };
}
async function validateAgent(ctx, dockfile, step, knownName = null) {
  const { inputs, run: runContext } = ctx;
  const workspace = runContext.workspace;
  const repoRelative = repoRelativeTo(workspace);
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
  annotateAll(ctx, result, step);
  const contract = await contractChanges(
    ctx,
    dockfile,
    result.valid ? result.spec ?? null : null,
    step.labels
  );
  const headSha = runContext.pullRequest?.headSha ?? runContext.sha;
  const tableOptions = {
    blobUrl: runContext.repository && headSha ? (file, line) => `${runContext.serverUrl}/${runContext.repository}/blob/${headSha}/${encodeURI(file)}#L${line}` : void 0
  };
  const section = contract ? `
${contract.markdown}` : "";
  await ctx.io.appendSummary(
    formatMarkdown(result, {
      ...tableOptions,
      budget: summaryBudget(utf8Bytes(section)),
      fullListAt: `this step's \`${step.reportOutput}\` output (the same as \`dockrion validate --format json\`)`
    }) + section
  );
  const commentFailure = inputs.comment ? await comment(ctx, result, dockfile, tableOptions, step, contract) : null;
  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  ctx.logger.info(`${dockfile} is ${result.valid ? "valid" : "invalid"} (${counts})`);
  const contractFailure = result.valid ? contract?.failure ?? null : null;
  if ((!result.valid || contractFailure) && commentFailure) ctx.logger.error(commentFailure);
  return {
    dockfile,
    agent: result.spec?.agent.name ?? knownName ?? dockfile,
    result,
    commentFailure,
    contractFailure
  };
}
function validationStep(reportOutput) {
  return {
    annotationsLeft: { error: ANNOTATIONS_PER_SEVERITY, warning: ANNOTATIONS_PER_SEVERITY },
    reportOutput,
    labels: reportOutput === "errors-json" ? "sync" : []
  };
}
function annotateAll(ctx, result, budget) {
  let left = 0;
  for (const list of [result.errors, result.warnings]) {
    for (const d of list) {
      if (budget.annotationsLeft[d.severity] > 0) {
        budget.annotationsLeft[d.severity]--;
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
      message: `${left} more problem(s)${budget.reportOutput === "reports-json" ? ` of ${result.file}` : ""} are not annotated (GitHub shows ${ANNOTATIONS_PER_SEVERITY} errors and ${ANNOTATIONS_PER_SEVERITY} warnings per step): they are in the log above, the job summary and the ${budget.reportOutput} output`
    });
  }
}
async function comment(ctx, result, dockfile, tableOptions, step, contract) {
  const pr = ctx.run.pullRequest;
  if (!pr) {
    ctx.logger.info("not a pull request event: no PR comment");
    return null;
  }
  if (pr.isFork && ctx.run.eventName === "pull_request") {
    ctx.logger.warn(`pull request from a fork: ${readOnlyNotice2}`);
    return null;
  }
  if (ctx.inputs.githubToken === "") {
    ctx.logger.warn(`no github-token: ${readOnlyNotice2}`);
    return null;
  }
  const { serverUrl, repository, runId } = ctx.run;
  const runUrl = repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : null;
  const summary = runUrl ? `the [job summary](${runUrl})` : "the job summary";
  const marker = validationMarker(dockfile);
  const section = contract ? `
${contract.markdown}` : "";
  const budget = commentBudget(marker);
  const markdown = formatMarkdown(result, {
    ...tableOptions,
    budget: { ...budget, max: budget.max - budget.measure(section) },
    fullListAt: `${summary} and the \`${step.reportOutput}\` output`
  }) + section;
  const hasFindings = result.errors.length + result.warnings.length > 0 || contract?.worthAComment === true;
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
      ctx.logger.warn(readOnlyNotice2);
      return null;
    }
    ctx.logger.warn(
      `could not write the PR comment (${status ?? "network error"}); the result is in the annotations and the job summary`
    );
    return null;
  }
}
export {
  run,
  validateAgent
};
