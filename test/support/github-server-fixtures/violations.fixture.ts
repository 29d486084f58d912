/**
 * Not part of the suite (see vitest.config.ts beside it). Each test's own assertions pass; whether
 * the test passes is decided by the loopback GitHub's violation check alone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../github-server.ts';

let github: GitHubServer;
beforeAll(async () => {
  github = await startGitHubServer();
});
afterAll(() => github.close());

const listComments = (perPage: number) =>
  fetch(`${github.url}/repos/acme/agents/issues/1/comments?per_page=${perPage}`);

it('sends per_page=101 and forgets about it', async () => {
  expect((await listComments(101)).status).toBe(422);
});

it('sends per_page=101 on purpose and takes the violation', async () => {
  expect((await listComments(101)).status).toBe(422);
  expect(github.takeViolations()).toHaveLength(1);
});

it('sends a valid request', async () => {
  expect((await listComments(100)).status).toBe(200);
});
