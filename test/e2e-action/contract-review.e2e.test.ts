/**
 * End to end: the "Contract changes" section of a pull request's validation, through the bundled
 * Action (`node dist/main.js`) as the runner runs it. The user's repository is a bare git repo
 * (`origin`) holding examples/plain-handler on `main`; each run gets a fresh workspace checked out
 * the way actions/checkout does by default (one commit deep, so the PR's base is NOT present and
 * the Action has to fetch it). The PR lives on the loopback GitHub, which checks every request
 * against GitHub's API description.
 *
 *   adds a required input field   → breaking, listed in the comment and summary, `dockrion:breaking`
 *   reverted                      → "No contract changes", the label comes off
 *   breaking-changes: fail        → fails without the acknowledging label, passes with it
 *   a new agent                   → "First version: no contract to compare"
 *   an invalid base / no base     → one line saying so; the head's validation is not failed for it
 *   a fork                        → section in the summary, no label written
 *
 * and on push (deploy, promoting a pushed image so nothing is built): the first deploy writes
 * contract.json and says there is nothing to compare; after it is merged, a deploy that turns
 * auth off shows the widening in the deployment PR and labels it `dockrion:widening`.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowEnvironmentsToken,
  startEnvironmentsRemote,
  startLoopbackGitHub,
} from '../support/deploy-services.ts';
import { git } from '../support/git.ts';
import type { GitHttpServer } from '../support/git-http-server.ts';
import { pullRequestSyncPayload } from '../support/github-events.ts';
import { pullsState, seedPullRequest } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { pushMinimalImage } from '../support/minimal-image.ts';
import { onPullRequest, pushToMain, type RunnerContext, repoRoot, runAction } from './runner.ts';

const REPOSITORY = 'acme/agents';
const WORKFLOW_TOKEN = 'ghs_e2eContractWorkflowToken000000';
const MARKER = '<!-- dockrion:validate:Dockfile.yaml -->';

let dir: string;
let origin: string;
let author: string;
let baseSha: string;
let github: GitHubServer;
let runs = 0;

const baseDockfile = () => readFileSync(join(repoRoot, 'examples/plain-handler/Dockfile.yaml'), 'utf8');
/** The PR's change: a new required input field, which today's callers do not send. */
const withRequiredLocale = (text: string) =>
  text
    .replace('    required: [message]\n', '    required: [message, locale]\n')
    .replace('        maxLength: 5000\n', '        maxLength: 5000\n      locale:\n        type: string\n');

/** Commits `files` on top of main as the PR branch `feature`, pushes it, returns the commit. */
function pushHead(files: Record<string, string | null>): string {
  git(author, 'checkout', '-q', '-B', 'feature', baseSha);
  for (const [path, text] of Object.entries(files)) {
    if (text === null) {
      git(author, 'rm', '-q', path);
    } else {
      mkdirSync(join(author, path, '..'), { recursive: true });
      writeFileSync(join(author, path), text);
      git(author, 'add', path);
    }
  }
  git(author, 'commit', '-q', '--allow-empty', '-m', `change ${++runs}`);
  git(author, 'push', '-q', '-f', 'origin', 'feature');
  return git(author, 'rev-parse', 'HEAD');
}

/** A fresh workspace as actions/checkout leaves it: `origin` set, the head commit only (depth 1). */
function checkout(head: string): string {
  const workspace = join(dir, `workspace-${++runs}`);
  git(dir, 'init', '-q', workspace);
  git(workspace, 'remote', 'add', 'origin', origin);
  git(workspace, 'fetch', '-q', '--depth=1', '--no-tags', 'origin', head);
  git(workspace, 'checkout', '-q', '--detach', 'FETCH_HEAD');
  return workspace;
}

function payload(number: number, head: string, labels: string[], headRepository = REPOSITORY) {
  return pullRequestSyncPayload({
    home: REPOSITORY,
    homeOwnerType: 'User',
    number,
    title: 'Ask for the locale',
    labels: labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })),
    head,
    base: baseSha,
    headRepository,
  });
}

function context(number: number, head: string, workspace: string, labels: string[] = []): RunnerContext {
  return onPullRequest({
    number,
    payload: payload(number, head, labels),
    repository: REPOSITORY,
    sha: head,
    apiUrl: github.url,
    workspace,
    token: WORKFLOW_TOKEN,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockrion-e2e-contract-'));
  origin = join(dir, 'origin.git');
  git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  author = join(dir, 'author');
  cpSync(join(repoRoot, 'examples/plain-handler'), author, {
    recursive: true,
    filter: (p) => !p.includes('__pycache__'),
  });
  git(dir, 'init', '-q', '-b', 'main', author);
  git(author, 'add', '-A');
  git(author, 'commit', '-q', '-m', 'agent');
  git(author, 'remote', 'add', 'origin', origin);
  git(author, 'push', '-q', 'origin', 'main');
  baseSha = git(author, 'rev-parse', 'HEAD');
  github = await startLoopbackGitHub({ workflow: WORKFLOW_TOKEN });
});

afterAll(async () => {
  await github?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('e2e: dist/main.js validate shows the contract changes against the PR base', () => {
  let number: number;
  const pr = () => pullsState(github).pulls.find((p) => p.number === number && p.repo === 'agents');
  const sticky = () =>
    (github.state.issueComments.get(`${REPOSITORY}#${number}`) ?? []).filter((c) => c.body.includes(MARKER));

  beforeAll(() => {
    number = seedPullRequest(github, { owner: 'acme', repo: 'agents', head: 'feature', base: 'main' }).number;
  });

  it('a new required input field: breaking, in the comment and the summary, and labelled', async () => {
    const head = pushHead({ 'Dockfile.yaml': withRequiredLocale(baseDockfile()) });
    const workspace = checkout(head);
    expect(git(workspace, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const step = await runAction(context(number, head, workspace), {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.outputs.valid).toBe('true');

    const section = `### Contract changes against \`main (${baseSha.slice(0, 12)})\``;
    expect(step.summary).toContain(section);
    expect(step.summary).toContain('**Breaking** (1)');
    expect(step.summary).toContain('- `io_schema.input.properties.locale`: `new required field`');
    expect(sticky()).toHaveLength(1);
    expect(sticky()[0]?.body).toContain(section);
    expect(sticky()[0]?.body).toContain('- `io_schema.input.properties.locale`: `new required field`');
    expect(pr()?.labels).toEqual(['dockrion:breaking']);
    // The base came from origin, one commit, into the checkout itself.
    expect(git(workspace, 'cat-file', '-t', baseSha)).toBe('commit');
  });

  it('a rerun with the same change writes no label again', async () => {
    const head = git(author, 'rev-parse', 'HEAD');
    const before = github.state.requests.filter(
      (r) => r.path.includes('/labels') && r.method !== 'GET',
    ).length;
    const step = await runAction(context(number, head, checkout(head), ['dockrion:breaking']), {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    const after = github.state.requests.filter(
      (r) => r.path.includes('/labels') && r.method !== 'GET',
    ).length;
    expect(after).toBe(before);
    expect(pr()?.labels).toEqual(['dockrion:breaking']);
  });

  it('reverted: the comment says there are no contract changes and the label comes off', async () => {
    const head = pushHead({});
    const step = await runAction(context(number, head, checkout(head), ['dockrion:breaking']), {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(sticky()).toHaveLength(1);
    expect(sticky()[0]?.body).toContain('No contract changes.');
    expect(sticky()[0]?.body).not.toContain('**Breaking**');
    expect(pr()?.labels).toEqual([]);
  });

  it('breaking-changes: fail fails the check until the PR carries the acknowledging label', async () => {
    const head = pushHead({ 'Dockfile.yaml': withRequiredLocale(baseDockfile()) });
    const failing = await runAction(context(number, head, checkout(head)), { 'breaking-changes': 'fail' });
    expect(failing.code, failing.stdout + failing.stderr).toBe(1);
    const errors = failing.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Dockfile.yaml: 1 breaking contract change(s): io_schema.input');
    expect(errors[0]).toContain("add the label 'dockrion:breaking-acknowledged'");
    expect(failing.outputs.valid).toBe('true'); // the Dockfile itself is valid
    expect(pr()?.labels).toEqual(['dockrion:breaking']);

    // The workflow runs again on `labeled`: the payload now carries the label.
    pullsState(github)
      .pulls.find((p) => p.number === number)
      ?.labels.push('dockrion:breaking-acknowledged');
    const acknowledged = await runAction(
      context(number, head, checkout(head), ['dockrion:breaking', 'dockrion:breaking-acknowledged']),
      { 'breaking-changes': 'fail' },
    );
    expect(acknowledged.code, acknowledged.stdout + acknowledged.stderr).toBe(0);
    expect(acknowledged.stdout).toContain('acknowledged by the label dockrion:breaking-acknowledged');
  });

  it('a new agent: first version, no contract to compare, no label', async () => {
    const other = seedPullRequest(github, { owner: 'acme', repo: 'agents', head: 'new-agent', base: 'main' });
    const head = pushHead({
      'agents/triage/Dockfile.yaml': baseDockfile().replace('name: plain-handler', 'name: triage'),
    });
    const step = await runAction(context(other.number, head, checkout(head)), {
      dockfile: 'agents/triage/Dockfile.yaml',
    });
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.summary).toContain('### Contract changes\n\nFirst version: no contract to compare.');
    expect(other.labels).toEqual([]);
  });

  it('an invalid Dockfile at the base is named in one line; the head still passes', async () => {
    const other = seedPullRequest(github, { owner: 'acme', repo: 'agents', head: 'fix', base: 'main' });
    // The base branch (`release`) has a broken Dockfile; the PR fixes it.
    git(author, 'checkout', '-q', '-B', 'release', baseSha);
    writeFileSync(
      join(author, 'Dockfile.yaml'),
      baseDockfile().replace('name: plain-handler', 'name: Plain_Handler'),
    );
    git(author, 'commit', '-q', '-am', 'broken on release');
    git(author, 'push', '-q', 'origin', 'release');
    const brokenBase = git(author, 'rev-parse', 'HEAD');
    writeFileSync(join(author, 'Dockfile.yaml'), baseDockfile());
    git(author, 'commit', '-q', '-am', 'fix');
    git(author, 'push', '-q', 'origin', 'HEAD:refs/heads/fix');
    const head = git(author, 'rev-parse', 'HEAD');
    const ctx = context(other.number, head, checkout(head));
    (ctx.payload.pull_request as { base: { sha: string } }).base.sha = brokenBase;
    const step = await runAction(ctx, {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.summary).toMatch(
      /### Contract changes\n\nNo contract to compare: the Dockfile at the base is invalid: `[0-9a-f]{12}:Dockfile\.yaml:\d+:\d+ 4002 /,
    );
  });

  it('an included file changed by the PR: the base is read with its own version of the include', async () => {
    const other = seedPullRequest(github, { owner: 'acme', repo: 'agents', head: 'tools', base: 'main' });
    const policies = baseDockfile().split('\npolicies:\n')[1]?.split('\n\n')[0] ?? '';
    const unindented = policies.replace(/^ {2}/gm, '');
    // The base keeps its policies in an included file.
    git(author, 'checkout', '-q', '-B', 'split', baseSha);
    writeFileSync(
      join(author, 'Dockfile.yaml'),
      baseDockfile().replace(`\npolicies:\n${policies}\n`, '\npolicies: !include policies.yaml\n'),
    );
    writeFileSync(join(author, 'policies.yaml'), `${unindented}\n`);
    git(author, 'add', '-A');
    git(author, 'commit', '-q', '-m', 'policies in their own file');
    git(author, 'push', '-q', 'origin', 'split');
    const splitBase = git(author, 'rev-parse', 'HEAD');
    // The PR only edits the included file: the agent may now call a tool.
    writeFileSync(join(author, 'policies.yaml'), `tools:\n  allowed: [web_search]\n${unindented}\n`);
    git(author, 'commit', '-q', '-am', 'allow web search');
    git(author, 'push', '-q', 'origin', 'HEAD:refs/heads/tools');
    const head = git(author, 'rev-parse', 'HEAD');
    const ctx = context(other.number, head, checkout(head));
    (ctx.payload.pull_request as { base: { sha: string } }).base.sha = splitBase;
    const step = await runAction(ctx, {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.summary).toContain('**Widening (security)** (1)');
    expect(step.summary).toContain('`policies.tools.allowed`');
    expect(other.labels).toEqual(['dockrion:widening']);
  });

  it('a base commit origin does not have: one line with the fix, and the head still passes', async () => {
    const head = git(author, 'rev-parse', 'HEAD');
    const ctx = context(number, head, checkout(head));
    (ctx.payload.pull_request as { base: { sha: string } }).base.sha = 'f'.repeat(40);
    const step = await runAction(ctx, {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.summary).toContain(
      'No contract to compare: the base commit could not be read (check out with `fetch-depth: 2` so it is present): `commit ffffffffffff is not in the checkout and could not be fetched from origin',
    );
  });

  it('a fork: the section is in the summary, no label is written', async () => {
    const fork = seedPullRequest(github, {
      owner: 'acme',
      repo: 'agents',
      head: 'fork-change',
      base: 'main',
    });
    const head = pushHead({ 'Dockfile.yaml': withRequiredLocale(baseDockfile()) });
    const ctx = context(fork.number, head, checkout(head));
    ctx.payload = payload(fork.number, head, [], 'mallory/agents');
    const writes = () => github.state.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const step = await runAction(ctx, {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.summary).toContain('**Breaking** (1)');
    expect(step.stdout).toMatch(
      /::warning::pull request from a fork: the token cannot label this pull request/,
    );
    expect(writes()).toBe(before);
    expect(fork.labels).toEqual([]);
  });
});

const ENV_TOKEN = 'ghp_e2eContractEnvironmentsToken0000';
const infra = requireInfra('the test registry', hasRegistry());

infra.describe('e2e: dist/main.js deploy shows the contract changes against what is deployed', () => {
  let gitServer: GitHttpServer;
  let bare: string;
  let workspace: string;
  let image: string;

  beforeAll(async () => {
    ({ bare, gitServer } = await startEnvironmentsRemote(join(dir, 'environments'), ENV_TOKEN));
    allowEnvironmentsToken(github, ENV_TOKEN);
    // Promotion deploys an image that exists; the smallest one a registry accepts will do.
    image = await pushMinimalImage(
      registry() ?? '',
      `e2e-contract-${Date.now().toString(36)}/plain-handler`,
      '2.1.0',
    );
    workspace = join(dir, 'deploy-workspace');
    git(dir, 'clone', '-q', origin, workspace);
  }, 120_000);
  afterAll(async () => {
    await gitServer?.close();
  });

  const deploy = async () => {
    const sha = git(workspace, 'rev-parse', 'HEAD');
    return runAction(
      pushToMain({
        repository: REPOSITORY,
        sha,
        apiUrl: github.url,
        serverUrl: gitServer.url('').replace(/\/$/, ''),
        workspace,
        token: WORKFLOW_TOKEN,
      }),
      {
        environment: 'staging',
        'environments-repo': 'acme/environments',
        'environments-token': ENV_TOKEN,
        image,
        registry: registry() ?? '',
        secrets: JSON.stringify({ HELPDESK_API_TOKEN: 'h-token', DOCKRION_API_KEY: 'api-key' }),
      },
    );
  };
  const deployPull = () =>
    pullsState(github).pulls.find(
      (p) => p.repo === 'environments' && p.head === 'dockrion/staging/plain-handler' && p.state === 'open',
    );

  infra.it(
    'first deploy: contract.json is written and nothing is compared; a deploy that turns auth off is widening, and labelled',
    async () => {
      const first = await deploy();
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(first.outputs.operation).toBe('created');
      const branch = 'dockrion/staging/plain-handler';
      const contract = JSON.parse(git(bare, 'show', `${branch}:staging/plain-handler/contract.json`));
      expect(contract).toMatchObject({ format: 2, agent: 'plain-handler', auth: { mode: 'api_key' } });
      expect(deployPull()?.body).toContain('### Contract changes\n\nFirst deploy: no contract to compare.');
      expect(deployPull()?.labels).toEqual(['dockrion', 'env:staging']);

      // The reviewer merges it (a merge commit, as GitHub makes).
      const merger = join(dir, 'merger');
      git(dir, 'clone', '-q', bare, merger);
      git(merger, 'merge', '-q', '--no-ff', '-m', 'Merge pull request', `origin/${branch}`);
      git(merger, 'push', '-q', 'origin', 'HEAD:main');
      for (const pr of pullsState(github).pulls) if (pr.repo === 'environments') pr.state = 'closed';

      // Anyone may now call the agent.
      const dockfile = join(workspace, 'Dockfile.yaml');
      writeFileSync(dockfile, readFileSync(dockfile, 'utf8').replace('  mode: api_key', '  mode: none'));
      git(workspace, 'commit', '-q', '-am', 'open the agent up');
      const second = await deploy();
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(second.outputs.operation).toBe('created');
      const body = deployPull()?.body ?? '';
      expect(body).toContain('### Contract changes against `2.1.0 (deployed)`');
      expect(body).toMatch(/\*\*Widening \(security\)\*\* \(\d+\)/);
      expect(body).toContain('- `auth.mode`: ');
      expect(deployPull()?.labels).toEqual(['dockrion', 'env:staging', 'dockrion:widening']);
      expect(second.summary).toMatch(
        /\| Contract changes \| `\d+ widening.*against 2\.1\.0 \(deployed\)` \|/,
      );
    },
    300_000,
  );
});
