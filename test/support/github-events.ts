/**
 * Webhook payloads of the events the Action's tests replay (run directly or through act), in the
 * shape GitHub sends them, trimmed to what the Action and the runner read.
 */

/** A repository as a payload shows it; one other than `home` is a fork of it. */
export function repositoryPayload(
  fullName: string,
  home: string,
  homeOwnerType: 'Organization' | 'User' = 'Organization',
): Record<string, unknown> {
  const [owner, name] = fullName.split('/');
  return {
    id: fullName.length,
    name,
    full_name: fullName,
    owner: { login: owner, type: fullName === home ? homeOwnerType : 'User' },
    private: false,
    fork: fullName !== home,
  };
}

export interface PullRequestSync {
  /** The repository the workflow runs in (`owner/name`). */
  home: string;
  number: number;
  title: string;
  head: string;
  base: string;
  /** Where the head branch lives: `home`, or a fork. */
  headRepository?: string;
  /** The PR's labels as the payload lists them (left out of the payload when absent). */
  labels?: readonly Record<string, unknown>[];
  homeOwnerType?: 'Organization' | 'User';
}

/** The `pull_request` payload of a push to an open PR's head branch (`synchronize`), by octocat. */
export function pullRequestSyncPayload(pull: PullRequestSync): Record<string, unknown> {
  const repo = (fullName: string) => repositoryPayload(fullName, pull.home, pull.homeOwnerType);
  return {
    action: 'synchronize',
    number: pull.number,
    pull_request: {
      number: pull.number,
      state: 'open',
      title: pull.title,
      user: { login: 'octocat', type: 'User' },
      ...(pull.labels ? { labels: pull.labels } : {}),
      head: { ref: 'feature', sha: pull.head, repo: repo(pull.headRepository ?? pull.home) },
      base: { ref: 'main', sha: pull.base, repo: repo(pull.home) },
    },
    repository: repo(pull.home),
    sender: { login: 'octocat', type: 'User' },
  };
}
