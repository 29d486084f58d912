import { isAbsolute, relative, resolve } from 'node:path';
import { httpStatus } from '../adapters/octokit.ts';
import { parseDockfileInput } from '../agents/index.ts';
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
import { selectAgents } from './agents.ts';
import type { ModeContext, ModeOutcome } from './context.ts';
import {
  type ContractChanges,
  contractChanges,
  type LabelChange,
  syncCollectedLabels,
} from './contract-review.ts';

/**
 * GitHub shows at most 10 error and 10 warning annotations per step and drops the rest; the rest
 * go to the log as plain lines instead, with one notice saying where the full list is.
 */
const ANNOTATIONS_PER_SEVERITY = 10;

/** Why the sticky comment could not be written; the result is still in annotations and the summary. */
const readOnlyNotice =
  'the token cannot comment on this pull request (read-only, e.g. a fork); the validation result is in the annotations and the job summary';

/** One Dockfile's validation, as the step reports it. */
export interface AgentValidation {
  /** Workspace-relative path of the Dockfile. */
  dockfile: string;
  /** `agent.name` (the Dockfile path when the name cannot be read: the key of the JSON outputs). */
  agent: string;
  result: ValidationResult;
  /** Set when our PR comment exists but could be neither updated nor marked out of date. */
  commentFailure: string | null;
  /** Set with `breaking-changes: fail` when breaking contract changes are not acknowledged. */
  contractFailure: string | null;
}

/**
 * Validates the Dockfiles of a pull request: annotations on the exact lines, a job summary, one
 * sticky PR comment per Dockfile kept up to date, and the outputs.
 *
 * `dockfile` naming one path validates it, as always (`valid`, `errors-json`). A glob or a list
 * validates only the Dockfiles the pull request touches (see action/agents) and sets `agents`,
 * `valid` and `reports-json` (a map by agent).
 *
 * Each Dockfile keeps its own sticky comment (the marker names its path), not one combined
 * comment with a section per agent: every report keeps GitHub's whole comment budget instead of
 * sharing it, a repository that moves from one path to a glob keeps its comment, and one agent's
 * comment is rewritten only when that agent changes. A Dockfile the PR no longer touches is not
 * validated, so its comment keeps the report of its last change in this PR.
 */
export async function run(ctx: ModeContext): Promise<ModeOutcome> {
  const selection = parseDockfileInput(ctx.inputs.dockfile);
  if (selection.kind === 'single') {
    const checked = await validateAgent(
      ctx,
      repoRelativeTo(ctx.run.workspace)(selection.path),
      validationStep('errors-json'),
    );
    ctx.io.setOutput('valid', String(checked.result.valid));
    ctx.io.setOutput('errors-json', JSON.stringify(toJsonReport(checked.result)));
    return outcomeOf([checked]);
  }

  const selected = await selectAgents(ctx, selection.patterns, 'validating');

  // One after another: validation takes milliseconds, and the annotations, the summary and the
  // comments then come in the Dockfiles' order.
  const checked: AgentValidation[] = [];
  const step = validationStep('reports-json');
  for (const agent of selected.changed) {
    checked.push(await validateAgent(ctx, agent.dockfile, step, agent.name));
  }
  if (step.labels !== 'sync') await syncCollectedLabels(ctx, step.labels);
  if (checked.length === 0) {
    await ctx.io.appendSummary(
      `### Dockrion: Dockfile validation\n\nNo agent is touched by this change (${selected.all.length} Dockfile(s) matched): nothing to validate.\n`,
    );
  }
  ctx.io.setOutput('agents', JSON.stringify(checked.map((c) => c.agent)));
  ctx.io.setOutput('valid', String(checked.every((c) => c.result.valid)));
  ctx.io.setOutput(
    'reports-json',
    JSON.stringify(Object.fromEntries(checked.map((c) => [c.agent, toJsonReport(c.result)]))),
  );
  return outcomeOf(checked);
}

function outcomeOf(checked: readonly AgentValidation[]): ModeOutcome {
  const invalid = checked.filter((c) => !c.result.valid);
  const contractFailures = checked.flatMap((c) => (c.contractFailure ? [c.contractFailure] : []));
  const commentFailures = checked.flatMap((c) => (c.commentFailure ? [c.commentFailure] : []));
  if (invalid.length > 0) {
    // The first invalid Dockfile's first error is the step's failure; a stuck comment is one more error line.
    const first = invalid[0] as AgentValidation;
    const others = invalid.length > 1 ? ` (and ${invalid.length - 1} more invalid Dockfile(s))` : '';
    return {
      ok: false,
      failure: `${diagnosticsLine(first.result.errors, 'the annotations and the job summary')}${others}`,
    };
  }
  const failure = contractFailures[0] ?? commentFailures[0];
  return failure ? { ok: false, failure } : { ok: true };
}

function repoRelativeTo(workspace: string): (file: string) => string {
  return (file) => {
    const rel = relative(workspace, resolve(workspace, file));
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
  };
}

/**
 * One Dockfile: load and check it, annotate, add its section to the job summary, keep its sticky
 * comment. Everything the PR shows about one agent is built here (a section such as the contract
 * changes against the base belongs next to the report, in this function).
 */
export async function validateAgent(
  ctx: ModeContext,
  dockfile: string,
  step: ValidationStep,
  knownName: string | null = null,
): Promise<AgentValidation> {
  const { inputs, run: runContext } = ctx;
  const workspace = runContext.workspace;
  const repoRelative = repoRelativeTo(workspace);

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

  annotateAll(ctx, result, step);
  // The contract against the PR base: its section goes into this agent's summary and comment.
  const contract = await contractChanges(
    ctx,
    dockfile,
    result.valid ? (result.spec ?? null) : null,
    step.labels,
  );
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
      fullListAt: `this step's \`${step.reportOutput}\` output (the same as \`dockrion validate --format json\`)`,
    }) + section,
  );

  const commentFailure = inputs.comment
    ? await comment(ctx, result, dockfile, tableOptions, step, contract)
    : null;

  const counts = `${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  ctx.logger.info(`${dockfile} is ${result.valid ? 'valid' : 'invalid'} (${counts})`);
  const contractFailure = result.valid ? (contract?.failure ?? null) : null;
  // The step's failure is the Dockfile's first error, or the contract policy; a stuck comment is
  // then one more error line.
  if ((!result.valid || contractFailure) && commentFailure) ctx.logger.error(commentFailure);
  return {
    dockfile,
    agent: result.spec?.agent.name ?? knownName ?? dockfile,
    result,
    commentFailure,
    contractFailure,
  };
}

/** What the Dockfiles of one step share. */
export interface ValidationStep {
  /**
   * GitHub shows at most 10 error and 10 warning annotations per step, for all Dockfiles of the
   * step together: the count is shared.
   */
  annotationsLeft: { error: number; warning: number };
  /** The output holding the complete reports: `errors-json` (one Dockfile) or `reports-json`. */
  reportOutput: 'errors-json' | 'reports-json';
  /**
   * The contract labels (`dockrion:breaking`, …): one Dockfile syncs its own; several collect
   * theirs here and the step writes them once, so agents do not undo each other's labels.
   */
  labels: 'sync' | LabelChange[];
}

function validationStep(reportOutput: ValidationStep['reportOutput']): ValidationStep {
  return {
    annotationsLeft: { error: ANNOTATIONS_PER_SEVERITY, warning: ANNOTATIONS_PER_SEVERITY },
    reportOutput,
    labels: reportOutput === 'errors-json' ? 'sync' : [],
  };
}

function annotateAll(ctx: ModeContext, result: ValidationResult, budget: ValidationStep): void {
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
      message: `${left} more problem(s)${budget.reportOutput === 'reports-json' ? ` of ${result.file}` : ''} are not annotated (GitHub shows ${ANNOTATIONS_PER_SEVERITY} errors and ${ANNOTATIONS_PER_SEVERITY} warnings per step): they are in the log above, the job summary and the ${budget.reportOutput} output`,
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
  step: ValidationStep,
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
      fullListAt: `${summary} and the \`${step.reportOutput}\` output`,
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
