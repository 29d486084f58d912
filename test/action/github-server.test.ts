import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../action/adapters/octokit.ts';
import { seedIssueComment } from '../support/github-server/issue-comments.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';

describe('GitHub REST stand-in', () => {
  let github: GitHubServer;
  beforeEach(async () => {
    github = await startGitHubServer({
      routes: [
        (server) =>
          server.route('GET', '/repos/:owner/:repo/environments/:name', (request) => ({
            status: 200,
            body: {
              owner: request.params.owner,
              name: request.params.name,
              login: request.identity?.login ?? null,
            },
          })),
      ],
    });
  });
  afterEach(() => github.close());

  const octokit = (token = 'ghs_workflow_token') => createOctokit({ token, baseUrl: github.url, retries: 0 });

  it('authenticates with token and Bearer schemes and rejects unknown tokens with 401', async () => {
    const viaRoute = await octokit().rest.repos.getEnvironment({
      owner: 'acme',
      repo: 'agents',
      environment_name: 'x y',
    });
    expect(viaRoute.data).toEqual({ owner: 'acme', name: 'x y', login: 'github-actions[bot]' });
    const bearer = await fetch(`${github.url}/repos/acme/agents/environments/z`, {
      headers: { authorization: 'Bearer ghs_workflow_token' },
    });
    expect(((await bearer.json()) as { login: string }).login).toBe('github-actions[bot]');
    await expect(octokit('nope').rest.users.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });

  it('paginates with Link headers that Octokit follows', async () => {
    const user = { login: 'octocat', id: 1, type: 'User' as const, canReadUser: true };
    for (let i = 0; i < 65; i++)
      seedIssueComment(github.state, { owner: 'acme', repo: 'agents', issueNumber: 1 }, `c${i}`, user);
    const first = await octokit().rest.issues.listComments({
      owner: 'acme',
      repo: 'agents',
      issue_number: 1,
      per_page: 30,
    });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('page=3>; rel="last"');
    const all = await octokit().paginate(octokit().rest.issues.listComments, {
      owner: 'acme',
      repo: 'agents',
      issue_number: 1,
      per_page: 30,
    });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 65 }, (_, i) => `c${i}`));
  });

  it('answers 403 to writes when the token is read-only', async () => {
    github.state.readOnly = true;
    await expect(
      octokit().rest.issues.createComment({ owner: 'acme', repo: 'agents', issue_number: 1, body: 'hi' }),
    ).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
  });

  it('answers 404 in GitHub shape for routes it does not implement', async () => {
    const response = await fetch(`${github.url}/repos/acme/agents/hooks`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
  });
});
