import { contractDiffSummary } from '../contract/index.ts';
import { bodyBudget, largest, type TextBudget, truncateText } from '../report/limits.ts';
import { codeBlock, codeSpan, linkDestination } from '../report/markdown-escape.ts';
import type { ContractReview } from '../review/contract-section.ts';
import { type ChangedFile, contractSectionBudget } from './pr-body.ts';

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
  /** Its contract.json against the one the base runs (`deployedContractReview`), re-fittable. */
  contract: Pick<ContractReview, 'diff' | 'renderWithin'>;
}

/** Under each agent's `###` heading. */
const CONTRACT_HEADING_LEVEL = 4;

/**
 * The body of `dockrion/<env>/_all`'s PR: a table with one row per agent (its contract change
 * counts included), then each agent's section: its "Contract changes" (as the per-agent PR body
 * has them), changed files and how to roll it back. Every value is user-controlled (versions,
 * repository names, paths, contract paths) and is shown as code, never as Markdown.
 *
 * Within GitHub's limit (`budget`), the room after the table is shared among the agents so that
 * one huge agent cannot crowd out the others: each gets a max-min fair share (`fairShares`), so
 * an agent whose section is small keeps all of it and the large ones split what is left equally.
 * Inside its share an agent's contract section comes first and gets at least half (up to the
 * per-agent PR's 20,000), its file list the rest, with a count of the files left out. Only when
 * even the table does not fit is the body cut, and the cut says so.
 */
export function renderGroupPullRequestBody(
  environment: string,
  sections: readonly GroupSection[],
  budget: TextBudget = bodyBudget,
): string {
  const head = tableOf(environment, sections);
  const tail = '\n<sub>Opened by dockrion. Secrets are committed only encrypted.</sub>\n';
  // One '\n' before each section; collapsing blank-line runs afterwards only shortens the body.
  const room = budget.max - budget.measure(head) - budget.measure(tail) - sections.length;
  const full = sections.map((s) => fullSection(environment, s, budget));
  const shares = fairShares(
    full.map((text) => budget.measure(text)),
    Math.max(0, room),
  );
  const details = sections
    .map((s, i) => {
      const text = full[i] as string;
      const share = shares[i] as number;
      return budget.measure(text) <= share ? text : fittedSection(environment, s, share, budget);
    })
    .map((text) => `\n${text}`)
    .join('');
  // The last resort (a table of hundreds of agents; a share smaller than a section's headings).
  return truncateText(
    `${head}${details}${tail}`.replace(/\n{3,}/g, '\n\n'),
    budget,
    "\n\n_(cut to fit GitHub's size limit; the table above lists every agent)_\n",
  );
}

function tableOf(environment: string, sections: readonly GroupSection[]): string {
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
    // Our own words and counts (`1 breaking, 2 compatible`); the section below says why when '–'.
    const contract = s.contract.diff ? contractDiffSummary(s.contract.diff) : '–';
    return `| ${cell(s.agent)}${s.carried ? ' ¹' : ''} | ${version} | ${digest} | ${source} | ${contract} | ${s.changedFiles.length} |`;
  });
  return [
    `## Deploy ${sections.length} agent(s) to ${codeSpan(environment)}`,
    '',
    '| Agent | Version | Digest | Source | Contract changes | Files |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    sections.some((s) => s.carried) ? '¹ pending from an earlier run, kept in this PR.\n' : '',
    `Each agent is one commit on this branch that changes only ${codeSpan(`${environment}/<agent>/`)}. ` +
      'Merge with a merge commit or a rebase so every agent keeps its own deploy commit in the history.',
    '',
  ].join('\n');
}

/** One agent's section with its contract text and its first `keptFiles` changed files. */
function sectionOf(environment: string, s: GroupSection, contract: string, keptFiles: number): string {
  const omitted = s.changedFiles.length - keptFiles;
  const files = [
    ...s.changedFiles.slice(0, keptFiles).map((f) => `- ${codeSpan(f.status)} ${codeSpan(f.path)}`),
    ...(omitted > 0
      ? [`- … and ${omitted} more (left out to stay within GitHub's size limit; see *Files changed*)`]
      : []),
  ].join('\n');
  const image = s.image ? `Image: ${codeSpan(s.image)}\n\n` : '';
  const rollback = s.rollbackCommand
    ? `After merging, undo this agent with:\n\n${codeBlock(s.rollbackCommand, 'sh')}\n`
    : `First deploy of ${codeSpan(s.agent)} to ${codeSpan(environment)}: revert its commit to undo it.\n`;
  return `### ${codeSpan(s.agent)}\n\n${image}${contract}\nChanged files:\n\n${files}\n\n${rollback}`;
}

/** The section as the per-agent PR would show it: the contract within its 20,000, every file. */
function fullSection(environment: string, s: GroupSection, budget: TextBudget): string {
  const contract = s.contract.renderWithin(
    { max: contractSectionBudget.max, measure: budget.measure },
    CONTRACT_HEADING_LEVEL,
  );
  return sectionOf(environment, s, contract, s.changedFiles.length);
}

/**
 * The section within `share`: the contract section gets at least half of what the rest of the
 * section leaves (more when the file list needs less), the file list the rest.
 */
function fittedSection(environment: string, s: GroupSection, share: number, budget: TextBudget): string {
  const bare = budget.measure(sectionOf(environment, s, '', 0));
  const available = Math.max(0, share - bare);
  const filesSize = budget.measure(sectionOf(environment, s, '', s.changedFiles.length)) - bare;
  const contractRoom = Math.min(
    contractSectionBudget.max,
    Math.max(Math.floor(available / 2), available - filesSize),
  );
  const contract = s.contract.renderWithin(
    { max: contractRoom, measure: budget.measure },
    CONTRACT_HEADING_LEVEL,
  );
  const kept = largest(
    s.changedFiles.length,
    (n) => budget.measure(sectionOf(environment, s, contract, n)) <= share,
  );
  return sectionOf(environment, s, contract, kept);
}

/**
 * Max-min fair shares of `room` for sections of these sizes: in order of size, each takes what it
 * needs up to an equal split of what is left, so no share is below min(size, room / count) and the
 * shares add up to at most `room`.
 */
export function fairShares(sizes: readonly number[], room: number): number[] {
  const shares = sizes.map(() => 0);
  const order = sizes.map((size, index) => ({ size, index })).sort((a, b) => a.size - b.size);
  let left = room;
  order.forEach(({ size, index }, position) => {
    const share = Math.min(size, Math.floor(left / (order.length - position)));
    shares[index] = share;
    left -= share;
  });
  return shares;
}
