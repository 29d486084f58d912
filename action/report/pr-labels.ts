import { type GitHubClient, httpStatus } from '../adapters/octokit.ts';

/**
 * The labels a contract diff puts on a pull request (the source PR that changes a Dockfile, and
 * the deployment PR in the environments repo), so reviewers can filter and branch protection can
 * require an extra approval for them.
 */
export const CONTRACT_LABELS = {
  breaking: 'dockrion:breaking',
  widening: 'dockrion:widening',
} as const;

/** What a diff with these counts calls for: labels to carry, and contract labels to drop. */
export function contractLabels(counts: { breaking: number; widening: number }): {
  add: string[];
  remove: string[];
} {
  const add: string[] = [];
  const remove: string[] = [];
  (counts.breaking > 0 ? add : remove).push(CONTRACT_LABELS.breaking);
  (counts.widening > 0 ? add : remove).push(CONTRACT_LABELS.widening);
  return { add, remove };
}

/**
 * The labels several contract reviews call for on one PR (several agents of one source PR, or of
 * one per-environment deployment PR): a label any of them adds stays, so one agent's breaking
 * change is not undone by another agent without one; a label is removed only when none adds it.
 */
export function unionOfLabelChanges(
  changes: ReadonlyArray<{ add: readonly string[]; remove: readonly string[] }>,
): { add: string[]; remove: string[] } {
  const add = [...new Set(changes.flatMap((c) => c.add))].sort();
  const remove = [...new Set(changes.flatMap((c) => c.remove))].filter((l) => !add.includes(l)).sort();
  return { add, remove };
}

/** Label names of a `pull_request` event payload's `labels` (or a REST response's). */
export function labelNames(labels: unknown): string[] {
  if (!Array.isArray(labels)) return [];
  return labels
    .map((l) => (l !== null && typeof l === 'object' ? (l as { name?: unknown }).name : undefined))
    .filter((name): name is string => typeof name === 'string');
}

export interface LabelTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** The labels an issue or pull request carries now. */
export async function currentLabels(client: GitHubClient, target: LabelTarget): Promise<string[]> {
  const labels = await client.paginate(client.rest.issues.listLabelsOnIssue, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  return labelNames(labels);
}

/**
 * Brings the issue's labels to `add` present and `remove` absent, given the labels it carries now
 * (`current`; read from GitHub when not given: an event payload's list can be older than a label
 * an earlier run added). Calls GitHub only for what differs, so a rerun with the same diff writes
 * nothing. A label already gone (404 "Label does not exist", removed by hand meanwhile) is fine.
 * Other failures throw (the caller decides whether a read-only token is worth a warning).
 */
export async function syncLabels(
  client: GitHubClient,
  target: LabelTarget,
  change: { add: readonly string[]; remove: readonly string[] },
  current?: readonly string[],
): Promise<{ added: string[]; removed: string[] }> {
  const has = new Set(current ?? (await currentLabels(client, target)));
  const added = change.add.filter((l) => !has.has(l));
  // GitHub's "add labels" needs at least one label (422 for an empty list).
  if (added.length > 0) {
    await client.rest.issues.addLabels({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      labels: added,
    });
  }
  const removed: string[] = [];
  for (const name of change.remove.filter((l) => has.has(l))) {
    try {
      await client.rest.issues.removeLabel({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        name,
      });
      removed.push(name);
    } catch (e: unknown) {
      if (httpStatus(e) !== 404) throw e;
    }
  }
  return { added, removed };
}
