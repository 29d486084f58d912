import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../action/adapters/octokit.ts';
import { tokenIdentity, upsertStickyComment, validationMarker } from '../../action/report/sticky-comment.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';

const target = {
  owner: 'acme',
  repo: 'agents',
  issueNumber: 3,
  marker: validationMarker('agents/Dockfile.yaml'),
};

describe('sticky PR comment', () => {
  let github: GitHubServer;
  beforeEach(async () => {
    github = await startGitHubServer();
    github.state.tokens.set('ghp_user', { login: 'deployer', id: 5, type: 'User', canReadUser: true });
  });
  afterEach(() => github.close());

  const client = (token: string) => createOctokit({ token, baseUrl: github.url, retries: 0 });

  it('knows who the token is, or that it is a bot when /user is forbidden', async () => {
    expect(await tokenIdentity(client('ghp_user'))).toBe('deployer');
    expect(await tokenIdentity(client('ghs_workflow_token'))).toBeNull();
  });

  it('creates, then updates in place, then reports unchanged', async () => {
    const octokit = client('ghp_user');
    const first = await upsertStickyComment(octokit, target, 'one', { createIfMissing: true });
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(octokit, target, 'two', { createIfMissing: true });
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const third = await upsertStickyComment(octokit, target, 'two', { createIfMissing: true });
    expect(third).toMatchObject({ action: 'unchanged', id: first.id });
    const stored = github.state.issueComments.get('acme/agents#3') ?? [];
    expect(stored.map((c) => c.body)).toEqual([`${target.marker}\ntwo`]);
    expect(first.url).toBe(`https://github.com/acme/agents/pull/3#issuecomment-${first.id}`);
  });

  it('does not create a comment when asked not to', async () => {
    const result = await upsertStickyComment(client('ghp_user'), target, 'ok', { createIfMissing: false });
    expect(result.action).toBe('skipped');
    expect(github.state.issueComments.size).toBe(0);
  });

  it('keeps one comment per Dockfile path', async () => {
    const octokit = client('ghs_workflow_token');
    await upsertStickyComment(octokit, target, 'a', { createIfMissing: true });
    await upsertStickyComment(octokit, { ...target, marker: validationMarker('Dockfile.yaml') }, 'b', {
      createIfMissing: true,
    });
    expect(github.state.issueComments.get('acme/agents#3')).toHaveLength(2);
    expect(validationMarker('a-->b')).toBe('<!-- dockrion:validate:a-\u2010>b -->');
  });

  it('surfaces a 403 from a read-only token with its status', async () => {
    github.state.readOnly = true;
    await expect(
      upsertStickyComment(client('ghs_workflow_token'), target, 'x', { createIfMissing: true }),
    ).rejects.toMatchObject({
      status: 403,
    });
  });
});
