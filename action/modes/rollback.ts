import { type RollbackOutcome, redactUrl, rollbackEnvironment, shortDigest } from '../gitops/index.ts';
import { failureLine } from '../report/failure.ts';
import { codeBlock, codeSpan, linkDestination } from '../report/markdown-escape.ts';
import { summaryTable } from '../report/summary-table.ts';
import type { ModeContext, ModeOutcome } from './context.ts';
import { agentName, environmentsTarget, gitOpsContext } from './environments.ts';

const code = (text: string | null | undefined) => (text ? codeSpan(text, { table: true }) : '–');

function summaryMarkdown(out: RollbackOutcome, agent: string, environment: string, repo: string): string {
  const from = out.from ? `${code(out.from.version)} (${code(out.from.commit.slice(0, 12))})` : '–';
  const rows: Array<[string, string]> = [
    ['Operation', code(out.operation)],
    ['From', from],
    ['To', `${code(out.to.version)} (restores ${code(out.to.commit.slice(0, 12))})`],
    ['Image', code(out.to.image)],
    ['Digest', out.to.digest ? code(shortDigest(out.to.digest)) : '–'],
    ['Environments repo', code(repo)],
    ['Commit', out.commit ? `${code(out.commit.slice(0, 12))} on ${code(out.branch)}` : '–'],
    [
      'Pull request',
      out.pullRequest ? `[#${out.pullRequest.number}](${linkDestination(out.pullRequest.url)})` : '–',
    ],
  ];
  return summaryTable(`### dockrion rollback: ${codeSpan(agent)} in ${codeSpan(environment)}`, rows);
}

/**
 * Rollback on workflow_dispatch: the same library call as `dockrion rollback` (restore the
 * `<env>/<agent>/` tree of an earlier deploy in a new commit, through a PR or `direct`), with the
 * Action's inputs, outputs and a job summary.
 */
export async function run(ctx: ModeContext): Promise<ModeOutcome> {
  const { inputs } = ctx;
  const environment = inputs.environment ?? '';
  const to = inputs.to ?? '';
  const agent = await agentName(ctx);
  const target = environmentsTarget(ctx);
  try {
    const out = await rollbackEnvironment(
      {
        target,
        environment,
        agent,
        to,
        direct: inputs.direct,
        pullRequest: { draft: inputs.draft, reviewers: inputs.reviewers, autoMerge: inputs.autoMerge },
      },
      gitOpsContext(ctx),
    );
    ctx.io.setOutput('operation', out.operation);
    ctx.io.setOutput('commit', out.commit ?? '');
    ctx.io.setOutput('version', out.to.version ?? '');
    ctx.io.setOutput('image', out.to.image ?? '');
    ctx.io.setOutput('digest', out.to.digest ?? '');
    ctx.io.setOutput('pr-url', out.pullRequest?.url ?? '');
    ctx.io.setOutput('pr-number', out.pullRequest ? String(out.pullRequest.number) : '');
    await ctx.io.appendSummary(summaryMarkdown(out, agent, environment, redactUrl(target.url)));
    ctx.logger.info(
      out.operation === 'unchanged'
        ? `${environment}/${agent} already holds ${out.to.version}; nothing to roll back`
        : `rollback ${environment}/${agent} ${out.from?.version ?? 'none'} → ${out.to.version}: ${out.operation}`,
    );
    return { ok: true };
  } catch (e: unknown) {
    const line = failureLine(e);
    await ctx.io.appendSummary(
      `### dockrion rollback of ${codeSpan(agent)} in ${codeSpan(environment)} failed\n\n${codeBlock(line)}\n`,
    );
    return { ok: false, failure: line };
  }
}
