/**
 * One deployment PR per environment (`pull-request: per-environment`): the group branch
 * `dockrion/<env>/_all` in a real bare environments repo, the PR on the loopback GitHub.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Contract, contractOf, serializeContract } from '../../action/contract/index.ts';
import type { DockSpec } from '../../action/dockfile/types.ts';
import {
  fairShares,
  type GroupSection,
  renderGroupPullRequestBody,
} from '../../action/gitops/group-pr-body.ts';
import { deployEnvironmentGroup, type EnvironmentsTarget, readHistory } from '../../action/gitops/index.ts';
import { bodyBudget, codePoints } from '../../action/report/limits.ts';
import { noContractReview, reviewContract } from '../../action/review/contract-section.ts';
import { withRequiredInputFields } from '../contract/support.ts';
import { fullSpec, withSpec } from '../generators/support.ts';
import { hostileStrings, outsideCode, renderGfm } from '../support/gfm.ts';
import { pullsState } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { git, manifestsFor, recordFor, type Sandbox } from './fixtures.ts';
import { context, freshEnvironments, gitOpsFailure, startPullsGitHub } from './support.ts';

const TOKEN = 'ghp_groupDeployToken000000000000000000';
const BRANCH = 'dockrion/staging/_all';
const member = (agent: string, version: string) => {
  const record = recordFor(agent, 'staging', version);
  return { record, files: manifestsFor(record) };
};
/** The agent's contract.json: `open` turns auth off (anyone may call it: widening). */
const contractFor = (agent: string, open = false): string => {
  const spec: DockSpec = withSpec(fullSpec(), (s) => {
    s.agent.name = agent;
    if (open) s.auth = { mode: 'none' };
  });
  return serializeContract(contractOf(spec));
};
const withContract = (agent: string, version: string, contract: string | null) => ({
  ...member(agent, version),
  contract,
});

describe('one deployment PR per environment', () => {
  let github: GitHubServer;
  let box: Sandbox;
  let bare: string;
  let target: EnvironmentsTarget;

  beforeAll(async () => {
    github = await startPullsGitHub(TOKEN);
  });
  afterAll(() => github.close());
  beforeEach(() => {
    ({ box, bare, target } = freshEnvironments(github, TOKEN));
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

  /** Merges the open group PR the way GitHub does (a merge commit on main) and closes it. */
  const mergeGroup = () => {
    const work = join(box.dir, `merge-${pullsState(github).pulls.length}`);
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['merge', '--quiet', '--no-ff', '-m', 'Merge the staging deploys', `origin/${BRANCH}`]);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    for (const pr of pullsState(github).pulls) if (pr.head === BRANCH) pr.state = 'closed';
  };
  /** One agent's section of the body: from its heading to the next agent's (or the end). */
  const sectionOf = (body: string, agent: string) => {
    const start = body.indexOf(`### \`${agent}\``);
    expect(start).toBeGreaterThan(-1);
    const next = body.indexOf('\n### `', start + 1);
    return body.slice(start, next === -1 ? undefined : next);
  };

  it("each agent's contract changes against what the base runs; the PR carries the union of their labels until none calls for them", async () => {
    const ctx = context();
    const first = await deployEnvironmentGroup(
      {
        target,
        environment: 'staging',
        members: [
          withContract('billing', '1.0.0', contractFor('billing')),
          withContract('triage', '1.0.0', contractFor('triage')),
          // Deployed before dockrion recorded contracts.
          withContract('support', '1.0.0', null),
        ],
      },
      ctx,
    );
    const firstBody = openPulls()[0]?.body ?? '';
    for (const agent of ['billing', 'triage']) {
      expect(sectionOf(firstBody, agent)).toContain(
        '#### Contract changes\n\nFirst deploy: no contract to compare.',
      );
    }
    expect(sectionOf(firstBody, 'support')).toContain(
      '#### Contract changes\n\nNot compared: this version has no `contract.json`.',
    );
    expect(first.agents.map((a) => [a.agent, a.contractChanges?.summary])).toEqual([
      ['billing', 'First deploy: no contract to compare'],
      ['triage', 'First deploy: no contract to compare'],
      ['support', 'Not compared: this version has no contract.json'],
    ]);
    expect(openPulls()[0]?.labels).toEqual(['dockrion', 'env:staging']);
    mergeGroup();

    // billing turns auth off (widening), triage only moves on, support gets its first contract.json.
    ctx.tick(60);
    const second = await deployEnvironmentGroup(
      {
        target,
        environment: 'staging',
        members: [
          withContract('billing', '1.1.0', contractFor('billing', true)),
          withContract('triage', '1.1.0', contractFor('triage')),
          withContract('support', '1.1.0', contractFor('support')),
        ],
      },
      ctx,
    );
    const [pr] = openPulls();
    const body = pr?.body ?? '';
    const billing = sectionOf(body, 'billing');
    expect(billing).toContain('#### Contract changes against `1.0.0 (deployed)`');
    expect(billing).toMatch(/\*\*Widening \(security\)\*\* \(\d+\)/);
    expect(billing).toContain('`auth.mode`');
    // The section comes before the agent's file list: it is what the reviewer decides on.
    expect(billing.indexOf('Contract changes')).toBeLessThan(billing.indexOf('Changed files'));
    expect(sectionOf(body, 'triage')).toContain(
      '#### Contract changes against `1.0.0 (deployed)`\n\nNo contract changes.',
    );
    expect(sectionOf(body, 'support')).toContain(
      'No contract to compare: the deployed version has no `contract.json` (it was deployed before dockrion recorded contracts).',
    );
    expect(body).toMatch(
      /\| `billing` \| `1\.1\.0` \(was `1\.0\.0`\) \| [^|]+ \| [^|]+ \| \d+ widening[^|]* \|/,
    );
    expect(body).toMatch(/\| `triage` \| [^\n]* \| no contract changes \| \d+ \|/);
    expect(body).toMatch(/\| `support` \| [^\n]* \| – \| \d+ \|/);
    expect(pr?.labels).toEqual(['dockrion', 'env:staging', 'dockrion:widening']);
    const billingOutcome = second.agents.find((a) => a.agent === 'billing');
    expect(billingOutcome?.contractChanges?.diff?.widening.map((c) => c.path)).toContain('auth.mode');
    expect(second.agents.find((a) => a.agent === 'triage')?.contractChanges?.summary).toBe(
      'no contract changes against 1.0.0 (deployed)',
    );

    // A later run redeploys billing without the widening; triage and support stay pending in the
    // PR and are reviewed again from the branch. No agent widens any more: the label comes off.
    ctx.tick(60);
    const third = await deployEnvironmentGroup(
      {
        target,
        environment: 'staging',
        members: [withContract('billing', '1.1.1', contractFor('billing'))],
      },
      ctx,
    );
    expect(third).toMatchObject({ operation: 'updated', carried: ['support', 'triage'] });
    expect(openPulls()).toHaveLength(1);
    expect(openPulls()[0]?.number).toBe(pr?.number);
    const after = openPulls()[0]?.body ?? '';
    expect(sectionOf(after, 'billing')).toContain(
      '#### Contract changes against `1.0.0 (deployed)`\n\nNo contract changes.',
    );
    expect(sectionOf(after, 'support')).toContain('the deployed version has no `contract.json`');
    expect(openPulls()[0]?.labels).toEqual(['dockrion', 'env:staging']);
    const removals = github.state.requests.filter((r) => r.method === 'DELETE');
    expect(removals.map((r) => decodeURIComponent(r.path))).toEqual([
      `/repos/acme/environments/issues/${pr?.number}/labels/dockrion:widening`,
    ]);
  });

  it('without a GitHub repository there is no PR, but each agent still has its contract changes', async () => {
    const ctx = context();
    const local = { url: bare };
    await deployEnvironmentGroup(
      {
        target: local,
        environment: 'staging',
        members: [withContract('billing', '1.0.0', contractFor('billing'))],
      },
      ctx,
    );
    mergeGroup();
    ctx.tick(60);
    const outcome = await deployEnvironmentGroup(
      {
        target: local,
        environment: 'staging',
        members: [withContract('billing', '1.1.0', contractFor('billing', true))],
      },
      ctx,
    );
    expect(outcome.operation).toBe('pushed');
    expect(outcome.agents[0]?.contractChanges?.summary).toMatch(
      /^\d+ widening.* against 1\.0\.0 \(deployed\)$/,
    );
    expect(pullsState(github).pulls).toEqual([]);
  });
});

describe('the per-environment PR body', () => {
  const firstDeploy = noContractReview({ why: 'First deploy: no contract to compare' });
  const section = (agent: string, version: string): GroupSection => ({
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
    contract: firstDeploy,
  });
  const before = contractOf(fullSpec());
  const review = (after: Contract, label = '1.0.0 (deployed)') =>
    reviewContract({ kind: 'contract', contract: before, label }, after, {
      budget: bodyBudget,
      environment: 'staging',
    });
  const withFiles = (s: GroupSection, count: number): GroupSection => ({
    ...s,
    changedFiles: s.changedFiles.slice(0, count),
  });

  it('shows user text as code, never as Markdown or a mention', () => {
    const body = renderGroupPullRequestBody('staging', [
      section('billing', '1.0.0 [x](https://evil.example) @admins'),
    ]);
    expect(body).toContain('`1.0.0 [x](https://evil.example) @admins`');
    expect(body).toContain(`[\`bbbbbbbbbbbb\`](https://github.com/acme/agents/commit/${'b'.repeat(40)})`);
  });

  it.each(hostileStrings)('shows %s in versions, paths and contract changes as code', (hostile) => {
    const hostileAfter: Contract = {
      ...before,
      agent: hostile,
      endpoints: [...before.endpoints, hostile],
      secrets: { required: [...before.secrets.required, hostile], optional: [] },
    };
    const body = renderGroupPullRequestBody(hostile, [
      {
        ...section(hostile, hostile),
        previousVersion: hostile,
        image: hostile,
        sourceRepository: hostile,
        sourceUrl: 'https://github.com/acme/agents',
        sourceCommit: hostile,
        changedFiles: [{ status: 'M', path: hostile }],
        rollbackCommand: `dockrion rollback --to '${hostile}'`,
        contract: review(hostileAfter, hostile),
      },
      {
        ...section('billing', '1.0.0'),
        contract: noContractReview({ why: 'Not compared', detail: hostile }),
      },
    ]);
    expect(body).toContain('#### Contract changes against');
    const html = renderGfm(body);
    const outside = outsideCode(html);
    expect(outside).not.toContain('@acme');
    expect(outside).not.toContain('evil.example');
    expect(outside).not.toMatch(/<img|<em>|<del>/);
    for (const href of html.matchAll(/href="([^"]*)"/g))
      expect(href[1]).toMatch(/^https:\/\/github\.com\/acme\/agents/);
    // The table keeps its six columns in every row.
    const table = html.slice(html.indexOf('<table>'), html.indexOf('</table>'));
    for (const row of table.split('<tr>').slice(2)) expect(row.match(/<td>/g)).toHaveLength(6);
  });

  it('one huge agent cannot crowd out the others: small sections stay whole, the huge one is cut and says so', () => {
    const huge = {
      ...section('billing', '2.0.0'),
      contract: review(withRequiredInputFields(before, 3000)),
      changedFiles: Array.from({ length: 5000 }, (_, i) => ({
        status: 'A',
        path: `staging/billing/generated/file-${i}-${'n'.repeat(40)}.yaml`,
      })),
    };
    const widening = withFiles(
      {
        ...section('support', '1.1.0'),
        contract: review(
          contractOf(
            withSpec(fullSpec(), (s) => {
              s.auth = { mode: 'none' };
            }),
          ),
        ),
      },
      12,
    );
    const small = withFiles({ ...section('triage', '1.0.0'), contract: firstDeploy }, 3);
    const body = renderGroupPullRequestBody('staging', [huge, widening, small]);
    expect(codePoints(body)).toBeLessThanOrEqual(bodyBudget.max);
    expect(body).not.toContain("cut to fit GitHub's size limit");
    // The small agents' sections are exactly what they would be alone.
    for (const whole of [widening, small]) {
      const alone = renderGroupPullRequestBody('staging', [whole]);
      const own = alone.slice(alone.indexOf(`### \`${whole.agent}\``), alone.indexOf('\n<sub>'));
      expect(body).toContain(own);
    }
    expect(body).toContain('`auth.mode`');
    // The huge one keeps its most serious changes and some files, and counts what it left out.
    const billing = body.slice(body.indexOf('### `billing`'), body.indexOf('### `support`'));
    expect(billing).toMatch(/\*\*Breaking\*\* \(\d{4}\)/);
    expect(billing).toMatch(/…and \d+ more changes left out to fit; `dockrion diff` prints them all\./);
    expect(billing).toMatch(
      /- … and \d+ more \(left out to stay within GitHub's size limit; see \*Files changed\*\)/,
    );
    expect(billing).toContain('`staging/billing/generated/file-0-');
    expect(body.indexOf('### `billing`')).toBeLessThan(body.indexOf('### `triage`'));
  });

  it('two huge agents split the room equally, each within the per-agent section limit', () => {
    const huge = (agent: string) => ({
      ...section(agent, '2.0.0'),
      contract: review(withRequiredInputFields(before, 3000)),
      changedFiles: Array.from({ length: 5000 }, (_, i) => ({
        status: 'A',
        path: `staging/${agent}/generated/file-${i}-${'n'.repeat(40)}.yaml`,
      })),
    });
    const body = renderGroupPullRequestBody('staging', [huge('billing'), huge('support')]);
    expect(codePoints(body)).toBeLessThanOrEqual(bodyBudget.max);
    const billing = body.slice(body.indexOf('### `billing`'), body.indexOf('### `support`'));
    const support = body.slice(body.indexOf('### `support`'), body.indexOf('\n<sub>'));
    expect(Math.abs(codePoints(billing) - codePoints(support))).toBeLessThan(500);
    expect(codePoints(billing)).toBeGreaterThan(bodyBudget.max / 2 - 3000);
  });

  it('fair shares: each takes what it needs up to an equal split of what is left', () => {
    expect(fairShares([100, 100_000, 200], 10_000)).toEqual([100, 9_700, 200]);
    expect(fairShares([9_000, 9_000], 10_000)).toEqual([5_000, 5_000]);
    expect(fairShares([1_000, 2_000], 10_000)).toEqual([1_000, 2_000]);
    expect(fairShares([7, 8, 9], 0)).toEqual([0, 0, 0]);
    expect(fairShares([], 100)).toEqual([]);
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
    for (const agent of agents) {
      expect(body).toContain(`| \`${agent}\` | \`1.0.0\` (new) |`);
      // Each agent keeps its contract section and its first files, and counts the others.
      const own = body.slice(body.indexOf(`### \`${agent}\``));
      expect(own).toMatch(/^### `\w+`\n\nImage: [^\n]+\n\n#### Contract changes\n\nFirst deploy/);
      expect(own).toContain(`- \`A\` \`staging/${agent}/file-0.yaml\``);
      expect(own).toMatch(/- … and \d+ more \(left out/);
    }
    expect(body).not.toContain("cut to fit GitHub's size limit");
  });

  it('a table too long for the budget is cut last, and says so', () => {
    const budget = { max: 600, measure: (text: string) => [...text].length };
    const agents = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    const body = renderGroupPullRequestBody(
      'staging',
      agents.map((a) => section(a, '1.0.0')),
      budget,
    );
    expect(budget.measure(body)).toBeLessThanOrEqual(budget.max);
    expect(body).toMatch(/^## Deploy 12 agent\(s\) to `staging`/);
    expect(body).toContain("cut to fit GitHub's size limit; the table above lists every agent");
  });
});
