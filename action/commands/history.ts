import { type Deployment, type HistoryReport, readHistory, shortDigest } from '../gitops/index.ts';
import { parseCommandArgs } from './args.ts';
import type { CliContext } from './context.ts';
import {
  formatOf,
  gitOpsContextOf,
  requireString,
  TARGET_HELP,
  TARGET_OPTIONS,
  targetFrom,
} from './target-options.ts';

export const historyUsage = `usage: dockrion history --environments-repo R --env ENV --agent NAME [options]

Lists the deployments of one agent in one environment from the base branch's git log, newest
first: deploys, rollbacks, and plain \`git revert\`s of deploy commits.

options:
  --env ENV                  the environment folder (required)
  --agent NAME               the agent folder (required)
${TARGET_HELP}
`;

function table(entries: readonly Deployment[]): string {
  const rows = entries.map((e) => [
    e.commit.slice(0, 12),
    e.date,
    e.kind,
    e.unreadable ? '(unreadable dockrion.json)' : (e.version ?? '-'),
    e.digest ? shortDigest(e.digest) : '-',
    e.source?.repository && e.source.commit
      ? `${e.source.repository}@${e.source.commit.slice(0, 7)}`
      : (e.source?.repository ?? '-'),
  ]);
  const header = ['COMMIT', 'DATE', 'KIND', 'VERSION', 'DIGEST', 'SOURCE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('history', argv, {
    ...TARGET_OPTIONS,
    env: { type: 'string' },
    agent: { type: 'string' },
  });
  if (values.help) {
    ctx.stdout(historyUsage);
    return 0;
  }
  const format = formatOf(values.format);
  const environment = requireString('history', values.env, '--env');
  const agent = requireString('history', values.agent, '--agent');
  const target = targetFrom('history', values, ctx);
  const entries = await readHistory({ target, environment, agent }, gitOpsContextOf(ctx));
  if (format === 'json') {
    const report: HistoryReport = { environment, agent, deployments: entries };
    ctx.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else if (entries.length === 0) {
    ctx.stderr(`no deployments of ${agent} in ${environment}\n`);
  } else {
    ctx.stdout(`${table(entries)}\n`);
  }
  return 0;
}
