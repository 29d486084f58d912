/**
 * docs/workflows/validate-pr.yml through a runner (nektos/act, test/e2e-act/act.ts) on
 * `pull_request` events, with `uses: ./` for `dockrion/deploy@v1`. act loads action.yml by the
 * runner's rules, fills in the defaults (`${{ github.token }}`, `${{ github.api_url }}`), runs
 * dist/main.js on this test's node, and hands the step's outputs to the next step's expression.
 * The GitHub API is the loopback GitHub (test/support/github-server.ts), given to act as
 * GITHUB_API_URL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startLoopbackGitHub } from '../support/deploy-services.ts';
import { git } from '../support/git.ts';
import { pullRequestSyncPayload } from '../support/github-events.ts';
import { seedPullRequest } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { hasAct, requireInfra } from '../support/infra.ts';
import { makeActWorkspace, recipe, runAct } from './act.ts';

const REPOSITORY = 'acme/agents';
const WORKFLOW_TOKEN = 'ghs_actValidateWorkflowToken000000000';
const WORKFLOW = '.github/workflows/validate-pr.yml';

const { describe, it } = requireInfra('act', hasAct());

describe('act: validate-pr recipe on pull_request', () => {
  let dir: string;
  let workspace: string;
  let sha: string;
  let github: GitHubServer;
  let original: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-act-validate-'));
    workspace = makeActWorkspace(dir, 'plain-handler');
    writeFileSync(join(workspace, WORKFLOW), recipe('validate-pr.yml'));
    git(dir, 'init', '-q', '-b', 'main', workspace);
    git(workspace, 'remote', 'add', 'origin', `https://github.com/${REPOSITORY}.git`);
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'agent');
    sha = git(workspace, 'rev-parse', 'HEAD');
    original = readFileSync(join(workspace, 'Dockfile.yaml'), 'utf8');
    github = await startLoopbackGitHub({ workflow: WORKFLOW_TOKEN });
  });

  afterAll(async () => {
    await github?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const payload = (
    number: number,
    headRepository = REPOSITORY,
    pull: { head?: string; base?: string; labels?: string[] } = {},
  ) => {
    return pullRequestSyncPayload({
      home: REPOSITORY,
      number,
      title: 'Update agent',
      labels: (pull.labels ?? []).map((name, i) => ({ id: i + 1, name })),
      head: pull.head ?? sha,
      base: pull.base ?? 'b'.repeat(40),
      headRepository,
    });
  };
  const act = (number: number, headRepository?: string, pull?: Parameters<typeof payload>[2]) =>
    runAct({
      workspace,
      workflow: WORKFLOW,
      event: 'pull_request',
      payload: payload(number, headRepository, pull),
      secrets: { GITHUB_TOKEN: WORKFLOW_TOKEN },
      env: { GITHUB_API_URL: github.url },
    });
  const marker = '<!-- dockrion:validate:Dockfile.yaml -->';
  const sticky = (number: number) =>
    (github.state.issueComments.get(`${REPOSITORY}#${number}`) ?? []).filter((c) => c.body.includes(marker));

  it('an invalid Dockfile fails the step, sets valid=false, annotates and creates the sticky comment', async () => {
    writeFileSync(
      join(workspace, 'Dockfile.yaml'),
      original.replace('name: plain-handler', 'name: Plain_Handler'),
    );
    const run = await act(12);
    const step = run.step('validate', 'dockrion');
    expect(step.result, run.transcript()).toBe('failure');
    expect(run.jobs.validate).toBe('failure');
    expect(run.code).not.toBe(0);
    expect(step.outputs.valid).toBe('false');
    expect(JSON.parse(step.outputs['errors-json'] ?? '{}')).toMatchObject({ valid: false });
    const annotation = step.annotations.find(
      (a) => a.level === 'error' && a.properties.title?.startsWith('4002'),
    );
    expect(annotation?.properties).toMatchObject({ file: 'Dockfile.yaml', line: '8' });
    expect(step.summary).toContain('4002');
    // The recipe's `if: always()` step reads the output through `steps.dockrion.outputs.valid`.
    expect(run.step('validate', '2').log).toContain('valid=false');
    expect(sticky(12)).toHaveLength(1);
    expect(sticky(12)[0]?.body).toContain('4002');
    // The workflow token (act's `${{ github.token }}` default) is what reached the API.
    expect(github.state.requests.filter((r) => r.method === 'POST').map((r) => r.login)).toEqual([
      'github-actions[bot]',
    ]);
  });

  it('after the fix the same comment turns ✅ and the step passes', async () => {
    const id = sticky(12)[0]?.id;
    writeFileSync(join(workspace, 'Dockfile.yaml'), original);
    const run = await act(12);
    const step = run.step('validate', 'dockrion');
    expect(step.result, run.transcript()).toBe('success');
    expect(run.jobs.validate).toBe('success');
    expect(run.code).toBe(0);
    expect(step.outputs.valid).toBe('true');
    expect(run.step('validate', '2').log).toContain('valid=true');
    expect(sticky(12)).toHaveLength(1);
    expect(sticky(12)[0]?.id).toBe(id);
    expect(sticky(12)[0]?.body).toContain('✅');
    expect(sticky(12)[0]?.body).not.toContain('4002');
  });

  it('a pull request from a fork gets annotations and a summary, and no comment', async () => {
    writeFileSync(
      join(workspace, 'Dockfile.yaml'),
      original.replace('name: plain-handler', 'name: Plain_Handler'),
    );
    const writesBefore = github.state.requests.filter((r) => r.method !== 'GET').length;
    const run = await act(13, 'mallory/agents');
    writeFileSync(join(workspace, 'Dockfile.yaml'), original);
    const step = run.step('validate', 'dockrion');
    expect(step.result, run.transcript()).toBe('failure');
    expect(step.outputs.valid).toBe('false');
    expect(step.annotations.some((a) => a.level === 'error' && a.properties.file === 'Dockfile.yaml')).toBe(
      true,
    );
    expect(step.annotations.some((a) => a.level === 'warning' && /fork/.test(a.message))).toBe(true);
    expect(step.summary).toContain('4002');
    expect(github.state.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect(github.state.issueComments.get(`${REPOSITORY}#13`) ?? []).toEqual([]);
  });
  it('a breaking contract change: the comment has the section, the PR is labelled, the check waits for the ack label', async () => {
    const pr = seedPullRequest(github, { owner: 'acme', repo: 'agents', head: 'locale', base: 'main' });
    writeFileSync(
      join(workspace, 'Dockfile.yaml'),
      original
        .replace('    required: [message]\n', '    required: [message, locale]\n')
        .replace(
          '        maxLength: 5000\n',
          '        maxLength: 5000\n      locale:\n        type: string\n',
        ),
    );
    git(workspace, 'commit', '-q', '-am', 'ask for the locale');
    const head = git(workspace, 'rev-parse', 'HEAD');
    try {
      const run = await act(pr.number, REPOSITORY, { head, base: sha });
      const step = run.step('validate', 'dockrion');
      expect(step.result, run.transcript()).toBe('failure');
      expect(step.outputs.valid).toBe('true');
      const comment = sticky(pr.number)[0]?.body ?? '';
      expect(comment).toContain(`### Contract changes against \`main (${sha.slice(0, 12)})\``);
      expect(comment).toContain('- `io_schema.input.properties.locale`: `new required field`');
      expect(step.summary).toContain('**Breaking** (1)');
      expect(pr.labels).toEqual(['dockrion:breaking']);

      // The recipe runs again on `labeled`.
      pr.labels.push('dockrion:breaking-acknowledged');
      const acknowledged = await act(pr.number, REPOSITORY, {
        head,
        base: sha,
        labels: ['dockrion:breaking', 'dockrion:breaking-acknowledged'],
      });
      expect(acknowledged.step('validate', 'dockrion').result, acknowledged.transcript()).toBe('success');
    } finally {
      git(workspace, 'reset', '-q', '--hard', sha);
    }
  });
});
