import { isAbsolute, relative, resolve } from 'node:path';
import { httpStatus } from '../adapters/octokit.ts';
import { loadDockfile } from '../dockfile/index.ts';
import type { ValidationResult } from '../dockfile/types.ts';
import { diagnosticLine, diagnosticsLine, failureLine } from '../report/failure.ts';
import { toJsonReport } from '../report/json.ts';
import { summaryBudget, utf8Bytes } from '../report/limits.ts';
import { formatMarkdown, type MarkdownOptions, staleReportMarkdown } from '../report/markdown.ts';
import {
  commentBudget,
  StaleCommentError,
  upsertStickyComment,
  validationMarker,
} from '../report/sticky-comment.ts';
import { annotationMessage, annotationTitle } from '../report/workflow-commands.ts';
import type { ModeContext, ModeOutcome } from './context.ts';
import { type ContractChanges, contractChanges } from './contract-review.ts';

/**
 * GitHub shows at most 10 error and 10 warning annotations per step and drops the rest; the rest
 * go to the log as plain lines instead, with one notice saying where the full list is.
 */
const ANNOTATIONS_PER_SEVERITY = 10;

/** Why the sticky comment could not be written; the result is still in annotations and the summary. */
const readOnlyNotice =
  'the token cannot comment on this pull request (read-only, e.g. a fork); the validation result is in the annotations and the job summary';

/**
 * Validates the Dockfile of a pull request: annotations on the exact lines, a job summary, one
 * sticky PR comment kept up to date, and the `valid` / `errors-json` outputs.
 */
export async function run(ctx: ModeContext): Promise<ModeOutcome> {
  const { inputs, run: runContext } = ctx;
  const workspace = runContext.workspace;
  const repoRelative = (file: string) => {
    const rel = relative(workspace, resolve(workspace, file));
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
  };
  const dockfile = repoRelative(inputs.dockfile);

  const loaded = await loadDockfile(dockfile, {
    cwd: workspace,
    root: workspace,
    processEnv: ctx.env,
    strict: inputs.strict,
    exec: ctx.exec,
  });
  const result: ValidationResult = {
    ...loaded,
    errors: loaded.errors.map((d) => ({ ...d, file: repoRelative(d.file) })),
    warnings: loaded.warnings.map((d) => ({ ...d, file: repoRelative(d.file) })),
  };

  annotateAll(ctx, result);
  const contract = await contractChanges(ctx, dockfile, result.valid ? (result.spec ?? null) : null);
  const headSha = runContext.pullRequest?.headSha ?? runContext.sha;
  const tableOptions: MarkdownOptions = {
    blobUrl:
      runContext.repository && headSha
        ? (file, line) =>
            `${runContext.serverUrl}/${runContext.repository}/blob/${headSha}/${encodeURI(file)}#L${line}`
        : undefined,
  };
  const section = contract ? `\n${contract.markdown}` : '';
  await ctx.io.appendSummary(
    formatMarkdown(result, {
      ...tableOptions,
      budget: summaryBudget(utf8Bytes(section)),
      fullListAt: "this step's `errors-json` output (the same as `dockrion validate --format json`)",
    }) + section,
  );
  ctx.io.setOutput('valid', String(result.valid));
  ctx.io.setOutput('errors-json', JSON.stringify(toJsonReport(result)));

  const commentFailure = inputs.comment ? await comment(ctx, result, dockfile, tableOptions, contract) : null;

  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  if (!result.valid) {
    ctx.logger.info(`${dockfile} is invalid (${counts})`);
    // The Dockfile's first error is the step's failure; a stuck comment is one more error line.
    if (commentFailure) ctx.logger.error(commentFailure);
    return { ok: false, failure: diagnosticsLine(result.errors, 'the annotations and the job summary') };
  }
  ctx.logger.info(`${dockfile} is valid (${counts})`);
  const failure = contract?.failure ?? commentFailure;
  if (contract?.failure && commentFailure) ctx.logger.error(commentFailure);
  return failure ? { ok: false, failure } : { ok: true };
}

function annotateAll(ctx: ModeContext, result: ValidationResult): void {
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
          column: d.column,
        });
      } else {
        left++;
        ctx.logger.info(`${d.severity}: ${diagnosticLine(d)}`);
      }
    }
  }
  if (left > 0) {
    ctx.io.annotate({
      severity: 'notice',
      message: `${left} more problem(s) are not annotated (GitHub shows ${ANNOTATIONS_PER_SEVERITY} errors and ${ANNOTATIONS_PER_SEVERITY} warnings per step): they are in the log above, the job summary and the errors-json output`,
    });
  }
}

/**
 * Keeps the sticky comment current. Resolves to a failure line when our comment exists but could
 * be neither updated nor marked out of date (it would go on showing an earlier result), else null.
 */
async function comment(
  ctx: ModeContext,
  result: ValidationResult,
  dockfile: string,
  tableOptions: MarkdownOptions,
  contract: ContractChanges | null,
): Promise<string | null> {
  const pr = ctx.run.pullRequest;
  if (!pr) {
    ctx.logger.info('not a pull request event: no PR comment');
    return null;
  }
  if (pr.isFork && ctx.run.eventName === 'pull_request') {
    ctx.logger.warn(`pull request from a fork: ${readOnlyNotice}`);
    return null;
  }
  if (ctx.inputs.githubToken === '') {
    ctx.logger.warn(`no github-token: ${readOnlyNotice}`);
    return null;
  }
  const { serverUrl, repository, runId } = ctx.run;
  const runUrl = repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : null;
  const summary = runUrl ? `the [job summary](${runUrl})` : 'the job summary';
  const marker = validationMarker(dockfile);
  const section = contract ? `\n${contract.markdown}` : '';
  const budget = commentBudget(marker);
  const markdown =
    formatMarkdown(result, {
      ...tableOptions,
      budget: { ...budget, max: budget.max - budget.measure(section) },
      fullListAt: `${summary} and the \`errors-json\` output`,
    }) + section;
  const hasFindings = result.errors.length + result.warnings.length > 0 || contract?.worthAComment === true;
  try {
    const outcome = await upsertStickyComment(
      ctx.github(),
      { owner: ctx.run.owner, repo: ctx.run.repo, issueNumber: pr.number, marker },
      markdown,
      {
        createIfMissing: hasFindings,
        staleBody: staleReportMarkdown(dockfile, 'GitHub refused the update', `${summary} of the latest run`),
      },
    );
    if (outcome.action === 'marked-stale') {
      ctx.logger.warn(
        `GitHub refused the report for the PR comment (HTTP ${outcome.status ?? '?'}); the comment now says it is out of date: ${outcome.url}`,
      );
    } else if (outcome.action !== 'skipped') {
      ctx.logger.info(`PR comment ${outcome.action}: ${outcome.url}`);
    }
    return null;
  } catch (e: unknown) {
    if (e instanceof StaleCommentError) return failureLine(e);
    const status = httpStatus(e);
    if (status === 403 || status === 404) {
      ctx.logger.warn(readOnlyNotice);
      return null;
    }
    // No comment of ours was found or created: the annotations and summary carry the result.
    ctx.logger.warn(
      `could not write the PR comment (${status ?? 'network error'}); the result is in the annotations and the job summary`,
    );
    return null;
  }
}
