/**
 * The one Octokit factory routes Octokit's own request log to the logger's debug: a failed request
 * the caller handles (403 from GET /user for a workflow token) prints nothing on the console.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOctokit, httpStatus } from '../../action/adapters/octokit.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';

describe('createOctokit', () => {
  let github: GitHubServer;
  beforeEach(async () => {
    github = await startGitHubServer();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await github.close();
  });

  it('sends a handled 403 to debug, not to the console', async () => {
    const consoleCalls = (['error', 'warn', 'info', 'log', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => {}),
    );
    const debug: string[] = [];
    const client = createOctokit({
      token: 'ghs_workflow_token',
      baseUrl: github.url,
      retries: 0,
      logger: { debug: (m) => debug.push(m) },
    });
    const refused = await client.rest.users.getAuthenticated().catch((e: unknown) => e);
    expect(httpStatus(refused)).toBe(403);
    expect(debug.join('\n')).toContain('403');
    for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();

    // Without a logger the line is dropped: the thrown error already says it.
    const quiet = createOctokit({ token: 'ghs_workflow_token', baseUrl: github.url, retries: 0 });
    expect(httpStatus(await quiet.rest.users.getAuthenticated().catch((e: unknown) => e))).toBe(403);
    for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
  });

  it('knows no status for a failure that is not an HTTP response', () => {
    expect(httpStatus(new Error('socket hang up'))).toBeUndefined();
    expect(httpStatus(null)).toBeUndefined();
    expect(httpStatus({ status: '403' })).toBeUndefined();
  });
});
