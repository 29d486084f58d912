/**
 * One deployment PR per environment (`pull-request: per-environment`): the group branch
 * `dockrion/<env>/_all` in a real bare environments repo, the PR on the loopback GitHub.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../action/adapters/octokit.ts';
import { renderGroupPullRequestBody } from '../../action/gitops/group-pr-body.ts';
import { deployEnvironmentGroup, type EnvironmentsTarget, readHistory } from '../../action/gitops/index.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context, gitOpsFailure } from './support.ts';

const TOKEN = 'ghp_groupDeployToken000000000000000000';
const BRANCH = 'dockrion/staging/_all';
const member = (agent: string, version: string) => {
  const record = recordFor(agent, 'staging', version);
  return { record, files: manifestsFor(record) };
};

describe('one deployment PR per environment', () => {
  let github: GitHubServer;
  let box: Sandbox;
  let bare: string;
  let target: EnvironmentsTarget;

  beforeAll(async () => {
    github = await startGitHubServer({ routes: [pullRoutes] });
    github.state.tokens.set(TOKEN, { login: 'deploy-bot', id: 77, type: 'User', canReadUser: true });
  });
  afterAll(() => github.close());
  beforeEach(() => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    pullsState(github).pulls.length = 0;
    pullsState(github).repositories.clear();
    pullsState(github).nextNumber.clear();
    target = {
      url: bare,
      github: {
        client: createOctokit({ token: TOKEN, baseUrl: github.url, retries: 0 }),
        owner: 'acme',
        repo: 'environments',
      },
    };
  });
  afterEach(() => box.cleanup());

  const commitsOnBranch = () =>
    git(bare, ['log', '--format=%s', `main..${BRANCH}`])
      .split('\n')
      .reverse();
  const openPulls = () => pullsState(github).pulls.filter((p) => p.state === 'open');

  it('one branch, one commit per agent touching only its folder, one PR listing every agent', async () => {
    const ctx = context();
    const outcome = await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.0.0'), member('billing', '2.0.0')] },
      ctx,
    );
    expect(outcome).toMatchObject({ operation: 'created', branch: BRANCH, carried: [] });
    expect(outcome.agents.map((a) => [a.agent, a.state])).toEqual([
      ['triage', 'changed'],
      ['billing', 'changed'],
    ]);
    // Sorted by agent, each commit the usual deploy commit of one agent.
    expect(commitsOnBranch()).toEqual([
      expect.stringMatching(/^deploy\(billing\): staging 2\.0\.0 @ /),
      expect.stringMatching(/^deploy\(triage\): staging 1\.0\.0 @ /),
    ]);
    for (const commit of git(bare, ['rev-list', `main..${BRANCH}`]).split('\n')) {
      const touched = git(bare, ['diff-tree', '--no-commit-id', '--name-only', '-r', `${commit}^`, commit]);
      const folders = new Set(touched.split('\n').map((p) => p.split('/').slice(0, 2).join('/')));
      expect(folders.size).toBe(1);
    }
    expect(
      git(bare, ['diff', '--name-only', 'main', BRANCH])
        .split('\n')
        .every((p) => /^staging\/(billing|triage)\//.test(p)),
    ).toBe(true);
    expect(git(bare, ['rev-parse', 'refs/dockrion/pushed/staging/_all'])).toBe(
      git(bare, ['rev-parse', BRANCH]),
    );

    const [pr] = openPulls();
    expect(pr).toMatchObject({ head: BRANCH, base: 'main', labels: ['dockrion', 'env:staging'] });
    expect(pr?.title).toBe('deploy: staging (billing 2.0.0, triage 1.0.0)');
    expect(pr?.body).toContain('## Deploy 2 agent(s) to `staging`');
    expect(pr?.body).toContain('| `billing` | `2.0.0` (new) |');
    expect(pr?.body).toContain('| `triage` | `1.0.0` (new) |');
    expect(outcome.pullRequest?.number).toBe(pr?.number);
  });

  it('a later run keeps the pending agents in the PR and replaces only its own', async () => {
    const ctx = context();
    await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.0.0'), member('billing', '2.0.0')] },
      ctx,
    );
    ctx.tick(60);
    const second = await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.1.0')] },
      ctx,
    );
    expect(second).toMatchObject({ operation: 'updated', carried: ['billing'] });
    expect(commitsOnBranch()).toEqual([
      expect.stringMatching(/^deploy\(billing\): staging 2\.0\.0 @ /),
      expect.stringMatching(/^deploy\(triage\): staging 1\.1\.0 @ /),
    ]);
    expect(openPulls()).toHaveLength(1);
    expect(openPulls()[0]?.title).toBe('deploy: staging (billing 2.0.0, triage 1.1.0)');
    expect(openPulls()[0]?.body).toContain('`billing` ¹');

    // The same again: nothing to push.
    const again = await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.1.0')] },
      ctx,
    );
    expect(again.operation).toBe('unchanged');
  });

  it('after the PR is merged (merge commit), each agent has its own deployment in the history', async () => {
    const ctx = context();
    await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.0.0'), member('billing', '2.0.0')] },
      ctx,
    );
    const work = join(box.dir, 'merge');
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['merge', '--quiet', '--no-ff', '-m', 'Merge the staging deploys', `origin/${BRANCH}`]);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    // What merging does on GitHub: the PR closes.
    for (const pr of pullsState(github).pulls) if (pr.head === BRANCH) pr.state = 'closed';
    for (const [agent, version] of [
      ['billing', '2.0.0'],
      ['triage', '1.0.0'],
    ] as const) {
      const history = await readHistory({ target: { url: bare }, environment: 'staging', agent }, ctx);
      expect(history.map((d) => [d.kind, d.version])).toEqual([['deploy', version]]);
    }
    // The next run starts a fresh branch on the new base: the merged agents are no longer pending.
    ctx.tick(60);
    const next = await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('billing', '2.1.0')] },
      ctx,
    );
    expect(next).toMatchObject({ operation: 'created', carried: [] });
    expect(commitsOnBranch()).toEqual([expect.stringMatching(/^deploy\(billing\): staging 2\.1\.0 @ /)]);
    expect(next.agents[0]?.previous?.version).toBe('2.0.0');
  });

  it('an agent whose folder the base already has is unchanged; nothing else is pushed', async () => {
    const ctx = context();
    const outcome = await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.0.0')] },
      ctx,
    );
    const work = join(box.dir, 'merge');
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['merge', '--quiet', '--ff-only', `origin/${BRANCH}`]);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    const again = await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.0.0')] },
      ctx,
    );
    expect(outcome.operation).toBe('created');
    expect(again).toMatchObject({ operation: 'unchanged', commit: null });
    expect(again.agents).toMatchObject([{ agent: 'triage', state: 'unchanged', commit: null }]);
  });

  it('refuses a branch a human changed, and a commit that reaches outside one agent folder', async () => {
    const ctx = context();
    await deployEnvironmentGroup(
      { target, environment: 'staging', members: [member('triage', '1.0.0')] },
      ctx,
    );
    const work = join(box.dir, 'human');
    git(box.dir, ['clone', '--quiet', '--branch', BRANCH, bare, work]);
    writeFileSync(join(work, 'README.md'), '# edited by hand\n');
    git(work, ['commit', '--quiet', '-am', 'a human fix']);
    git(work, ['push', '--quiet', 'origin', `HEAD:${BRANCH}`]);
    const error = await gitOpsFailure(
      deployEnvironmentGroup({ target, environment: 'staging', members: [member('billing', '1.0.0')] }, ctx),
    );
    expect(error.message).toMatch(
      /^branch dockrion\/staging\/_all has commit [0-9a-f]{12} that dockrion did not push/,
    );
    expect(error.hint).toContain('delete the branch dockrion/staging/_all');

    // Even when the record was moved along by hand, a commit outside one agent's folder is refused.
    git(work, ['push', '--quiet', '--force', 'origin', 'HEAD:refs/dockrion/pushed/staging/_all']);
    const outside = await gitOpsFailure(
      deployEnvironmentGroup({ target, environment: 'staging', members: [member('billing', '1.0.0')] }, ctx),
    );
    expect(outside.message).toMatch(/has commit [0-9a-f]{12} that is not one agent's deploy to staging/);
  });
});

describe('the per-environment PR body', () => {
  const section = (agent: string, version: string) => ({
    agent,
    version,
    previousVersion: null,
    image: `ghcr.io/acme/${agent}:${version}@sha256:${'a'.repeat(64)}`,
    digest: `sha256:${'a'.repeat(64)}`,
    sourceRepository: 'acme/agents',
    sourceUrl: 'https://github.com/acme/agents',
    sourceCommit: 'b'.repeat(40),
    changedFiles: Array.from({ length: 400 }, (_, i) => ({
      status: 'A',
      path: `staging/${agent}/file-${i}.yaml`,
    })),
    rollbackCommand: null,
    carried: false,
  });

  it('shows user text as code, never as Markdown or a mention', () => {
    const body = renderGroupPullRequestBody('staging', [
      section('billing', '1.0.0 [x](https://evil.example) @admins'),
    ]);
    expect(body).toContain('`1.0.0 [x](https://evil.example) @admins`');
    expect(body).toContain(`[\`bbbbbbbbbbbb\`](https://github.com/acme/agents/commit/${'b'.repeat(40)})`);
  });

  it('stays within the size budget and keeps the table of every agent', () => {
    const budget = { max: 4000, measure: (text: string) => [...text].length };
    const agents = ['billing', 'support', 'triage'];
    const body = renderGroupPullRequestBody(
      'staging',
      agents.map((a) => section(a, '1.0.0')),
      budget,
    );
    expect(budget.measure(body)).toBeLessThanOrEqual(budget.max);
    for (const agent of agents) expect(body).toContain(`| \`${agent}\` | \`1.0.0\` (new) |`);
    expect(body).toContain("cut to fit GitHub's size limit; the table above lists every agent");
  });
});
