import {
  type Contract,
  type ContractDiff,
  contractDiffMarkdown,
  contractDiffSummary,
  diffContracts,
} from '../contract/index.ts';
import { bodyBudget, type TextBudget } from '../report/limits.ts';
import { codeSpan } from '../report/markdown-escape.ts';
import { contractLabels } from '../report/pr-labels.ts';

/**
 * Why there is no diff to show, in one line: `why` is our own Markdown (fixed words, our own code
 * spans); `detail` is text from elsewhere (a path, git's error, a parse error) and is shown as a
 * code span, so nothing in it can become a link, a mention or HTML.
 */
export interface NoContract {
  why: string;
  detail?: string;
}

/** What a new contract is compared with: an earlier contract (`label` names it), or why none. */
export type ContractBaseline =
  | { kind: 'contract'; contract: Contract; label: string }
  | ({ kind: 'none' } & NoContract);

/** The "Contract changes" section of a PR comment or body, and the labels it calls for. */
export interface ContractReview {
  /** Markdown, within the budget it was rendered for; every user value escaped. */
  markdown: string;
  /** Null when there was nothing to compare with (or the new side could not be read). */
  diff: ContractDiff | null;
  /** One line for a log: the counts, or why nothing was compared. */
  summary: string;
  /** Contract labels to put on the PR and to take off it. */
  labels: { add: string[]; remove: string[] };
  /**
   * The same section again within another budget, or under another heading level: a body that
   * shares its room among several agents gives each a part of it (gitops/group-pr-body.ts).
   */
  renderWithin(budget: TextBudget, headingLevel?: number): string;
}

const title = (level: number) => `${'#'.repeat(level)} Contract changes`;

/** The section when nothing was compared: one line saying why, and no contract label. */
export function noContractReview(none: NoContract, headingLevel = 3): ContractReview {
  const detail = none.detail ? `: ${codeSpan(oneLine(none.detail))}` : '';
  // One line of at most ~400 characters: it is not cut further, whatever the budget.
  const renderWithin = (_budget: TextBudget, level = headingLevel) =>
    `${title(level)}\n\n${none.why}${detail}.\n`;
  return {
    markdown: renderWithin(bodyBudget),
    renderWithin,
    diff: null,
    summary: `${none.why.replace(/`/g, '')}${none.detail ? `: ${oneLine(none.detail)}` : ''}`,
    // A label must describe a diff someone can read.
    labels: contractLabels({ breaking: 0, widening: 0 }),
  };
}

/**
 * Compares `after` with the baseline (`environment` limits per-environment settings to the one
 * deployed to).
 */
export function reviewContract(
  baseline: ContractBaseline,
  after: Contract,
  options: { budget: TextBudget; environment?: string; headingLevel?: number },
): ContractReview {
  const level = options.headingLevel ?? 3;
  if (baseline.kind === 'none') return noContractReview(baseline, level);
  const diff = diffContracts(
    baseline.contract,
    after,
    options.environment !== undefined ? { environment: options.environment } : {},
  );
  const renderWithin = (budget: TextBudget, headingLevel = level) =>
    contractDiffMarkdown(diff, { budget, headingLevel, against: baseline.label });
  return {
    markdown: renderWithin(options.budget),
    renderWithin,
    diff,
    summary: `${contractDiffSummary(diff)} against ${baseline.label}`,
    labels: contractLabels({ breaking: diff.breaking.length, widening: diff.widening.length }),
  };
}

/** One line of at most 300 characters (code points: a surrogate pair is never split). */
function oneLine(text: string): string {
  const flat = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
  const points = [...flat];
  return points.length > 300 ? `${points.slice(0, 299).join('')}…` : flat;
}
