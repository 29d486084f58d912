import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../action/adapters/octokit.ts';
import { codePoints } from '../../action/report/limits.ts';
import {
  StaleCommentError,
  tokenIdentity,
  upsertStickyComment,
  validationMarker,
} from '../../action/report/sticky-comment.ts';
import { setCommentBodyLimit } from '../support/github-server/issue-comments.ts';
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

  it("never sends a body over GitHub's limit, even when the caller did not size it", async () => {
    const result = await upsertStickyComment(client('ghp_user'), target, '🌈'.repeat(70_000), {
      createIfMissing: true,
    });
    expect(result.action).toBe('created');
    const [stored] = github.state.issueComments.get('acme/agents#3') ?? [];
    expect(codePoints(stored?.body ?? '')).toBeLessThanOrEqual(60_000);
    expect(stored?.body).toContain("(cut to fit GitHub's comment size limit)");
  });

  it('marks the comment stale when GitHub refuses the new body, and fails when it cannot', async () => {
    const octokit = client('ghp_user');
    const first = await upsertStickyComment(octokit, target, '✅ valid', { createIfMissing: true });
    setCommentBodyLimit(github.state, 200);
    const refused = await upsertStickyComment(octokit, target, `❌ ${'x'.repeat(300)}`, {
      createIfMissing: true,
      staleBody: 'out of date',
    });
    expect(refused).toMatchObject({ action: 'marked-stale', id: first.id, status: 422 });
    expect(github.state.issueComments.get('acme/agents#3')?.[0]?.body).toBe(`${target.marker}\nout of date`);

    github.state.readOnly = true;
    const stuck = upsertStickyComment(octokit, target, '❌ again', {
      createIfMissing: true,
      staleBody: 'stale',
    });
    await expect(stuck).rejects.toBeInstanceOf(StaleCommentError);
    await expect(stuck).rejects.toMatchObject({ status: 403, url: first.url, code: 'github' });
  });
});
