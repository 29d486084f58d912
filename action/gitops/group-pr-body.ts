import { bodyBudget, type TextBudget, truncateText } from '../report/limits.ts';
import { codeBlock, codeSpan, linkDestination } from '../report/markdown-escape.ts';
import type { ChangedFile } from './pr-body.ts';

/** One agent of the environment's grouped deployment PR. */
export interface GroupSection {
  agent: string;
  version: string | null;
  previousVersion: string | null;
  image: string | null;
  digest: string | null;
  sourceRepository: string | null;
  sourceUrl: string | null;
  sourceCommit: string | null;
  changedFiles: ChangedFile[];
  rollbackCommand: string | null;
  /** Left pending on the branch by an earlier run (not deployed again by this one). */
  carried: boolean;
}

/**
 * The body of `dockrion/<env>/_all`'s PR: a table with one row per agent, then each agent's
 * changed files and how to roll it back. Every value is user-controlled (versions, repository
 * names, paths) and is shown as code, never as Markdown. Within GitHub's limit (`budget`): past
 * it the per-agent details are cut, the table stays.
 */
export function renderGroupPullRequestBody(
  environment: string,
  sections: readonly GroupSection[],
  budget: TextBudget = bodyBudget,
): string {
  const cell = (text: string | null) => (text === null ? '–' : codeSpan(text, { table: true }));
  const rows = sections.map((s) => {
    const version = `${cell(s.version)}${s.previousVersion ? ` (was ${cell(s.previousVersion)})` : ' (new)'}`;
    const isCommit = /^[0-9a-f]{7,64}$/.test(s.sourceCommit ?? '');
    const commit = s.sourceCommit ? codeSpan(s.sourceCommit.slice(0, 12), { table: true }) : '–';
    const source =
      s.sourceUrl && isCommit
        ? `[${commit}](${linkDestination(`${s.sourceUrl}/commit/${s.sourceCommit}`)})`
        : commit;
    const digest = s.digest ? cell(`${s.digest.slice(0, 19)}…`) : '–';
    return `| ${cell(s.agent)}${s.carried ? ' ¹' : ''} | ${version} | ${digest} | ${source} | ${s.changedFiles.length} |`;
  });
  const head = [
    `## Deploy ${sections.length} agent(s) to ${codeSpan(environment)}`,
    '',
    '| Agent | Version | Digest | Source | Files |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    sections.some((s) => s.carried) ? '¹ pending from an earlier run, kept in this PR.\n' : '',
    `Each agent is one commit on this branch that changes only ${codeSpan(`${environment}/<agent>/`)}. ` +
      'Merge with a merge commit or a rebase so every agent keeps its own deploy commit in the history.',
    '',
  ].join('\n');
  const details = sections
    .map((s) => {
      const files = s.changedFiles.map((f) => `- ${codeSpan(f.status)} ${codeSpan(f.path)}`).join('\n');
      const image = s.image ? `Image: ${codeSpan(s.image)}\n\n` : '';
      const rollback = s.rollbackCommand
        ? `After merging, undo this agent with:\n\n${codeBlock(s.rollbackCommand, 'sh')}\n`
        : `First deploy of ${codeSpan(s.agent)} to ${codeSpan(environment)}: revert its commit to undo it.\n`;
      return `### ${codeSpan(s.agent)}\n\n${image}${files}\n\n${rollback}`;
    })
    .join('\n');
  const tail = '\n<sub>Opened by dockrion. Secrets are committed only encrypted.</sub>\n';
  return truncateText(
    `${head}\n${details}${tail}`.replace(/\n{3,}/g, '\n\n'),
    budget,
    "\n\n_(cut to fit GitHub's size limit; the table above lists every agent)_\n",
  );
}
