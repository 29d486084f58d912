import { isAbsolute, relative, resolve } from 'node:path';
import { loadDockfile } from '../dockfile/index.ts';
import type { Diagnostic, ValidationResult } from '../dockfile/types.ts';
import { toJsonReport } from '../report/json.ts';
import { formatMarkdown } from '../report/markdown.ts';
import { httpStatus, upsertStickyComment, validationMarker } from '../report/sticky-comment.ts';
import { annotationMessage, annotationTitle } from '../report/workflow-commands.ts';
import type { ModeContext, ModeOutcome } from './context.ts';

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

  for (const diagnostic of [...result.errors, ...result.warnings]) annotate(ctx, diagnostic);
  const headSha = runContext.pullRequest?.headSha ?? runContext.sha;
  const markdown = formatMarkdown(result, {
    blobUrl:
      runContext.repository && headSha
        ? (file, line) =>
            `${runContext.serverUrl}/${runContext.repository}/blob/${headSha}/${encodeURI(file)}#L${line}`
        : undefined,
  });
  await ctx.io.appendSummary(markdown);
  ctx.io.setOutput('valid', String(result.valid));
  ctx.io.setOutput('errors-json', JSON.stringify(toJsonReport(result)));

  if (inputs.comment) await comment(ctx, result, dockfile, markdown);

  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  if (result.valid) {
    ctx.logger.info(`${dockfile} is valid (${counts})`);
    return { ok: true };
  }
  return { ok: false, failure: `${dockfile} is invalid: ${counts}` };
}

function annotate(ctx: ModeContext, d: Diagnostic): void {
  ctx.io.annotate({
    severity: d.severity,
    title: annotationTitle(d),
    message: annotationMessage(d),
    file: d.file,
    line: d.line,
    column: d.column,
  });
}

async function comment(
  ctx: ModeContext,
  result: ValidationResult,
  dockfile: string,
  markdown: string,
): Promise<void> {
  const pr = ctx.run.pullRequest;
  if (!pr) {
    ctx.logger.info('not a pull request event: no PR comment');
    return;
  }
  if (pr.isFork && ctx.run.eventName === 'pull_request') {
    ctx.logger.warn(`pull request from a fork: ${readOnlyNotice}`);
    return;
  }
  if (ctx.inputs.githubToken === '') {
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
        marker: validationMarker(dockfile),
      },
      markdown,
      { createIfMissing: hasFindings },
    );
    if (outcome.action !== 'skipped') ctx.logger.info(`PR comment ${outcome.action}: ${outcome.url}`);
  } catch (e: unknown) {
    const status = httpStatus(e);
    if (status === 403 || status === 404) {
      ctx.logger.warn(readOnlyNotice);
      return;
    }
    // A comment is a convenience: the annotations and summary already carry the result.
    ctx.logger.warn(
      `could not update the PR comment (${status ?? 'network error'}); the result is in the annotations and the job summary`,
    );
  }
}
