import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../action/adapters/octokit.ts';
import { toJsonSchema } from '../support/github-server/openapi.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe("the loopback GitHub checks requests against GitHub's API description", () => {
  let github: GitHubServer;
  beforeEach(async () => {
    github = await startGitHubServer({ routes: [pullRoutes] });
  });
  afterEach(() => github.close());

  const octokit = () => createOctokit({ token: 'ghs_workflow_token', baseUrl: github.url, retries: 0 });
  const where = { owner: 'acme', repo: 'environments' };

  it('answers 422 naming the rule when a PR body is not a string or reviewers are not an array', async () => {
    await expect(
      octokit().request('POST /repos/{owner}/{repo}/pulls', {
        ...where,
        head: 'dockrion/staging/agent',
        base: 'main',
        title: 'deploy',
        // Octokit's types refuse this at compile time; values built at run time (inputs, JSON) and
        // casts are what reach GitHub unchecked.
        body: 42 as unknown as string,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('body/body must be string') });
    expect(pullsState(github).pulls).toEqual([]);

    const { data: pr } = await octokit().rest.pulls.create({ ...where, head: 'h', base: 'main', title: 't' });
    await expect(
      octokit().request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
        ...where,
        pull_number: pr.number,
        reviewers: 'alice' as unknown as string[],
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('body/reviewers must be array'),
    });

    expect(github.takeViolations()).toEqual([
      {
        method: 'POST',
        url: '/repos/acme/environments/pulls',
        operation: 'POST /repos/{owner}/{repo}/pulls (pulls/create)',
        rules: ['body/body must be string'],
      },
      {
        method: 'POST',
        url: `/repos/acme/environments/pulls/${pr.number}/requested_reviewers`,
        operation:
          'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers (pulls/request-reviewers)',
        rules: ['body/reviewers must be array'],
      },
    ]);
  });

  it('checks path and query parameters against their schemas, per_page at most 100', async () => {
    await expect(
      octokit().rest.issues.listComments({ ...where, issue_number: 1, per_page: 101 }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('query.per_page must be <= 100'),
    });
    const notANumber = await fetch(`${github.url}/repos/acme/environments/issues/one/comments`);
    expect(notANumber.status).toBe(422);
    const unknownQuery = await fetch(`${github.url}/repos/acme/environments/pulls?states=open`);
    expect(unknownQuery.status).toBe(422);
    expect(github.takeViolations().map((v) => v.rules)).toEqual([
      ['query.per_page must be <= 100'],
      ['path.issue_number must be integer'],
      ['query.states is not a parameter of this operation (GitHub ignores it)'],
    ]);
    // Within the limits nothing is recorded.
    await octokit().rest.issues.listComments({ ...where, issue_number: 1, per_page: 100 });
    expect(github.takeViolations()).toEqual([]);
  });

  it('answers 404 to a path or method the description does not have', async () => {
    const unknownPath = await fetch(`${github.url}/repos/acme/environments/deploy-now`, { method: 'POST' });
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toMatchObject({ message: 'Not Found' });
    const unknownMethod = await fetch(`${github.url}/user`, {
      method: 'DELETE',
      headers: { authorization: 'token ghs_workflow_token' },
    });
    expect(unknownMethod.status).toBe(404);
    expect(github.takeViolations().map((v) => v.rules)).toEqual([
      ['path: no path of api.github.com.json matches /repos/acme/environments/deploy-now'],
      ['method: /user has no DELETE (only GET, PATCH)'],
    ]);
  });

  it('reads the OpenAPI 3.0 dialect: nullable, nullable beside oneOf, enums, minItems', async () => {
    // issues/update: `title` is oneOf+nullable without a type, `state_reason` an enum with nullable.
    const update = (body: Record<string, unknown>) =>
      fetch(`${github.url}/repos/acme/environments/issues/1`, {
        method: 'PATCH',
        headers: { authorization: 'token ghs_workflow_token', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Allowed by the description; the stand-in has no such route, hence GitHub's 404.
    expect((await update({ title: null, state_reason: null, assignee: null, milestone: null })).status).toBe(
      404,
    );
    expect(github.takeViolations()).toEqual([]);

    expect((await update({ state_reason: 'fixed', assignee: 7 })).status).toBe(422);
    await expect(
      octokit().rest.issues.addLabels({ ...where, issue_number: 1, labels: [] }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      octokit().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...where,
        issue_number: 1,
        body: 'hello',
        bodyy: 'typo',
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(github.takeViolations().map((v) => v.rules)).toEqual([
      [
        'body/assignee must be string,null',
        'body/state_reason must be equal to one of the allowed values ("completed", "not_planned", "duplicate", "reopened", null)',
      ],
      ['body/labels must NOT have fewer than 1 items'],
      ['body.bodyy is not a property of this operation (GitHub ignores it)'],
    ]);
  });

  it('checks GraphQL documents and variables against GitHub’s GraphQL schema', async () => {
    const { data: pr } = await octokit().rest.pulls.create({ ...where, head: 'h', base: 'main', title: 't' });
    const enable = `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod) {
      enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $mergeMethod}) {
        pullRequest { number }
      }
    }`;
    await expect(octokit().graphql(enable, { id: pr.node_id, mergeMethod: 'FAST_FORWARD' })).rejects.toThrow(
      /Variable "\$mergeMethod" got invalid value "FAST_FORWARD"/,
    );
    await expect(
      octokit().graphql(enable.replace('pullRequest { number }', 'pullRequest { autoMergeAt }'), {
        id: pr.node_id,
      }),
    ).rejects.toThrow(/Cannot query field "autoMergeAt" on type "PullRequest"/);
    expect(github.takeViolations().map((v) => v.operation)).toEqual(['POST /graphql', 'POST /graphql']);
    expect(pullsState(github).pulls[0]?.autoMerge).toBeNull();

    await octokit().graphql(enable, { id: pr.node_id, mergeMethod: 'SQUASH' });
    expect(github.takeViolations()).toEqual([]);
    expect(pullsState(github).pulls[0]?.autoMerge?.mergeMethod).toBe('SQUASH');
  });

  it('refuses stand-in routes for endpoints GitHub does not have', async () => {
    await expect(
      startGitHubServer({
        routes: [(server) => server.route('POST', '/repos/:owner/:repo/deploy-now', () => ({ status: 201 }))],
      }),
    ).rejects.toThrow("POST /repos/:owner/:repo/deploy-now is not an operation of GitHub's API description");
    await expect(
      startGitHubServer({
        routes: [(server) => server.route('DELETE', '/user', () => ({ status: 204 }))],
      }),
    ).rejects.toThrow('DELETE /user is not an operation');
  });

  it('close() rejects while violations are unreported', async () => {
    const other = await startGitHubServer();
    await fetch(`${other.url}/repos/acme/environments/issues/1/comments?per_page=500`);
    await expect(other.close()).rejects.toThrow(
      /received 1 request\(s\) that GitHub's API description rejects:[\s\S]*per_page=500[\s\S]*query\.per_page must be <= 100/,
    );
  });
});

describe('OpenAPI 3.0 schemas read as JSON Schema', () => {
  it('translates nullable, boolean exclusive bounds, readOnly, annotations and component refs', () => {
    const referenced = new Set<string>();
    const converted = toJsonSchema(
      {
        type: 'object',
        required: ['id', 'name'],
        example: { name: 'x' },
        'x-github': { githubCloudOnly: false },
        properties: {
          id: { type: 'integer', readOnly: true },
          name: { type: 'string', nullable: true, enum: ['a', 'b'] },
          // Property names that look like keywords stay properties.
          nullable: {
            type: 'integer',
            minimum: 0,
            exclusiveMinimum: true,
            maximum: 10,
            exclusiveMaximum: false,
          },
          owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/simple-user' }] },
          anything: { nullable: true },
        },
      },
      referenced,
    );
    expect(converted).toEqual({
      type: 'object',
      required: ['name'],
      properties: {
        id: { type: 'integer', readOnly: true },
        name: { type: ['string', 'null'], enum: ['a', 'b', null] },
        nullable: { type: 'integer', exclusiveMinimum: 0, maximum: 10 },
        owner: { anyOf: [{ allOf: [{ $ref: '#/$defs/simple-user' }] }, { type: 'null' }] },
        anything: { anyOf: [{}, { type: 'null' }] },
      },
    });
    expect([...referenced]).toEqual(['simple-user']);
  });
});

describe('a violation fails the test that made it, even when the test does not look', () => {
  it('fails the forgetful test and passes the others (child vitest on a fixture file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'github-violations-'));
    try {
      const report = join(dir, 'report.json');
      const run = promisify(execFile)(
        process.execPath,
        [
          join(repoRoot, 'node_modules/vitest/vitest.mjs'),
          'run',
          '--config',
          join(repoRoot, 'test/support/github-server-fixtures/vitest.config.ts'),
          '--reporter=json',
          `--outputFile=${report}`,
        ],
        { cwd: repoRoot, env: { ...process.env, CI: 'true' } },
      );
      await expect(run).rejects.toMatchObject({ code: 1 });
      const results = JSON.parse(readFileSync(report, 'utf8')) as {
        testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
      };
      const tests = results.testResults.flatMap((f) => f.assertionResults);
      expect(tests.map((t) => [t.title, t.status])).toEqual([
        ['sends per_page=101 and forgets about it', 'failed'],
        ['sends per_page=101 on purpose and takes the violation', 'passed'],
        ['sends a valid request', 'passed'],
      ]);
      expect(tests[0]?.failureMessages.join('\n')).toContain('query.per_page must be <= 100');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
