/**
 * The contract labels of a pull request, through Octokit against the loopback GitHub (which checks
 * every request against GitHub's API description, the label routes included).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit, httpStatus } from '../../action/adapters/octokit.ts';
import {
  CONTRACT_LABELS,
  contractLabels,
  labelNames,
  syncLabels,
  unionOfLabelChanges,
} from '../../action/report/pr-labels.ts';
import { pullRoutes, pullsState, seedPullRequest } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';

const TOKEN = 'ghs_labelsWorkflowToken0001';

describe('contract labels', () => {
  it('breaking and widening each call for their label; the other is to be removed', () => {
    expect(contractLabels({ breaking: 2, widening: 0 })).toEqual({
      add: [CONTRACT_LABELS.breaking],
      remove: [CONTRACT_LABELS.widening],
    });
    expect(contractLabels({ breaking: 0, widening: 0 })).toEqual({
      add: [],
      remove: ['dockrion:breaking', 'dockrion:widening'],
    });
    expect(labelNames([{ name: 'a' }, { id: 1 }, null, 'b'])).toEqual(['a']);
    expect(labelNames(undefined)).toEqual([]);
  });

  it('several agents on one PR: a label any agent adds stays; one is removed only when none adds it', () => {
    const breaking = contractLabels({ breaking: 1, widening: 0 });
    const widening = contractLabels({ breaking: 0, widening: 3 });
    const quiet = contractLabels({ breaking: 0, widening: 0 });
    expect(unionOfLabelChanges([quiet, breaking, quiet])).toEqual({
      add: ['dockrion:breaking'],
      remove: ['dockrion:widening'],
    });
    expect(unionOfLabelChanges([widening, breaking])).toEqual({
      add: ['dockrion:breaking', 'dockrion:widening'],
      remove: [],
    });
    expect(unionOfLabelChanges([quiet, quiet])).toEqual({
      add: [],
      remove: ['dockrion:breaking', 'dockrion:widening'],
    });
    expect(unionOfLabelChanges([])).toEqual({ add: [], remove: [] });
  });
});

describe('syncLabels (loopback GitHub)', () => {
  let github: GitHubServer;
  const client = () => createOctokit({ token: TOKEN, baseUrl: github.url, retries: 0 });
  const writes = () => github.state.requests.filter((r) => r.method !== 'GET');

  beforeAll(async () => {
    github = await startGitHubServer({ routes: [pullRoutes] });
    github.state.tokens.set(TOKEN, {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      canReadUser: false,
    });
  });
  afterAll(() => github.close());
  beforeEach(() => {
    pullsState(github).pulls.length = 0;
    pullsState(github).nextNumber.clear();
    github.state.requests.length = 0;
    github.state.readOnly = false;
  });

  it('reads the current labels, writes only what differs, and leaves other labels alone', async () => {
    const pr = seedPullRequest(github, {
      owner: 'acme',
      repo: 'agents',
      head: 'f',
      base: 'main',
      labels: ['team:payments', 'dockrion:widening'],
    });
    const target = { owner: 'acme', repo: 'agents', issueNumber: pr.number };
    const first = await syncLabels(client(), target, contractLabels({ breaking: 1, widening: 0 }));
    expect(first).toEqual({ added: ['dockrion:breaking'], removed: ['dockrion:widening'] });
    expect(pr.labels).toEqual(['team:payments', 'dockrion:breaking']);

    const before = writes().length;
    const again = await syncLabels(client(), target, contractLabels({ breaking: 1, widening: 0 }));
    expect(again).toEqual({ added: [], removed: [] });
    expect(writes()).toHaveLength(before);
  });

  it('a label removed by hand meanwhile (404 on removal) is not an error', async () => {
    const pr = seedPullRequest(github, { owner: 'acme', repo: 'agents', head: 'f', base: 'main' });
    const target = { owner: 'acme', repo: 'agents', issueNumber: pr.number };
    // The caller believes the label is there (an event payload from before it was removed).
    const result = await syncLabels(client(), target, contractLabels({ breaking: 0, widening: 0 }), [
      'dockrion:breaking',
    ]);
    expect(result).toEqual({ added: [], removed: [] });
    expect(github.state.requests.at(-1)).toMatchObject({ method: 'DELETE' });
  });

  it('a read-only token fails with its status, for the caller to turn into a notice', async () => {
    const pr = seedPullRequest(github, { owner: 'acme', repo: 'agents', head: 'f', base: 'main' });
    github.state.readOnly = true;
    const failure = await syncLabels(
      client(),
      { owner: 'acme', repo: 'agents', issueNumber: pr.number },
      contractLabels({ breaking: 1, widening: 0 }),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(httpStatus(failure)).toBe(403);
    expect(pr.labels).toEqual([]);
  });
});
