import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../action/adapters/octokit.ts';
import {
  deployToEnvironments,
  type EnvironmentsTarget,
  rollbackEnvironment,
} from '../../action/gitops/index.ts';
import { ensurePullRequest } from '../../action/gitops/pull-request.ts';
import { pullsState } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { git, manifestsFor, recordFor, type Sandbox } from './fixtures.ts';
import { context, freshEnvironments, gitOpsFailure, startPullsGitHub } from './support.ts';

const TOKEN = 'ghp_environmentsRepoPat0001';

describe('deployment PRs through Octokit (loopback GitHub)', () => {
  let github: GitHubServer;
  let box: Sandbox;
  let bare: string;
  let target: EnvironmentsTarget;

  beforeAll(async () => {
    github = await startPullsGitHub(TOKEN);
    pullsState(github).collaborators.add('alice');
  });
  afterAll(() => github.close());
  beforeEach(() => {
    ({ box, bare, target } = freshEnvironments(github, TOKEN));
  });
  afterEach(() => box.cleanup());

  const openPulls = () => pullsState(github).pulls.filter((p) => p.state === 'open');

  it('opens one PR with title, labels and a body that links the source and shows the change', async () => {
    const ctx = context();
    const v1 = recordFor('invoice-copilot', 'staging', '1.0.0');
    const first = await deployToEnvironments({ target, record: v1, files: manifestsFor(v1) }, ctx);
    expect(first.operation).toBe('created');
    expect(first.pullRequest?.url).toBe('https://github.com/acme/environments/pull/1');
    const [pr] = openPulls();
    expect(pr?.title).toBe(`deploy(invoice-copilot): staging 1.0.0 @ ${v1.digest.slice(7, 19)}`);
    expect(pr?.head).toBe('dockrion/staging/invoice-copilot');
    expect(pr?.base).toBe('main');
    expect(pr?.labels).toEqual(['dockrion', 'env:staging']);
    expect(pr?.body).toContain(`[\`acme/agents\`](https://github.com/acme/agents)`);
    expect(pr?.body).toContain(`https://github.com/acme/agents/commit/${v1.source.commit}`);
    expect(pr?.body).toContain(`\`${v1.image}\``);
    expect(pr?.body).toContain('- `A` `staging/invoice-copilot/compose.yaml`');
    expect(pr?.body).toContain(`+    image: ${v1.image}`);
    expect(pr?.body).toContain('(encrypted; contents not shown)');
    expect(pr?.body).toContain('This is the first deploy of `invoice-copilot` to `staging`');

    // Merge it the way GitHub would (merge commit), then deploy 1.1.0: a new PR with a rollback command.
    const work = `${box.dir}/merge`;
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, [
      'merge',
      '--quiet',
      '--no-ff',
      '-m',
      'Merge pull request #1',
      'origin/dockrion/staging/invoice-copilot',
    ]);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    for (const pr of pullsState(github).pulls) pr.state = 'closed';
    ctx.tick(60);
    const v2 = recordFor('invoice-copilot', 'staging', '1.1.0');
    const second = await deployToEnvironments({ target, record: v2, files: manifestsFor(v2) }, ctx);
    expect(second.operation).toBe('created');
    expect(second.pullRequest?.number).toBe(2);
    const body = openPulls()[0]?.body ?? '';
    expect(body).toContain(
      `dockrion rollback --environments-repo ${bare} --env staging --agent invoice-copilot --to 1.0.0`,
    );
    expect(body).toContain('(was `1.0.0`)');
    expect(body).toContain('- `M` `staging/invoice-copilot/compose.yaml`');
  });

  it('updates the open PR instead of opening another, and does nothing when unchanged', async () => {
    const ctx = context();
    const v1 = recordFor('invoice-copilot', 'staging', '1.0.0');
    await deployToEnvironments({ target, record: v1, files: manifestsFor(v1) }, ctx);
    ctx.tick(60);
    const v2 = recordFor('invoice-copilot', 'staging', '1.1.0');
    const updated = await deployToEnvironments({ target, record: v2, files: manifestsFor(v2) }, ctx);
    expect(updated.operation).toBe('updated');
    expect(updated.pullRequest?.number).toBe(1);
    expect(openPulls()).toHaveLength(1);
    expect(openPulls()[0]?.title).toContain('1.1.0');
    ctx.tick(60);
    const writes = github.state.requests.filter((r) => r.method !== 'GET').length;
    const again = await deployToEnvironments({ target, record: v2, files: manifestsFor(v2) }, ctx);
    expect(again.operation).toBe('unchanged');
    expect(again.commit).toBe(updated.commit);
    expect(openPulls()).toHaveLength(1);
    // An unchanged deploy re-labels nothing and opens nothing.
    expect(
      github.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')),
    ).toHaveLength(1);
    expect(github.state.requests.filter((r) => r.method !== 'GET').length).toBeGreaterThanOrEqual(writes);
  });

  it('asks reviewers, opens drafts, enables auto-merge, and degrades when auto-merge is not allowed', async () => {
    const ctx = context();
    const v1 = recordFor('alpha', 'prod', '1.0.0');
    const out = await deployToEnvironments(
      {
        target,
        record: v1,
        files: manifestsFor(v1),
        pullRequest: { reviewers: ['alice', 'acme/sre', 'mallory'], autoMerge: true },
      },
      ctx,
    );
    const pr = openPulls()[0];
    expect(ctx.lines.filter((l) => l.includes('auto-merge'))).toEqual([]);
    expect(out.pullRequest?.autoMerge).toBe('enabled');
    expect(pr?.autoMerge?.mergeMethod).toBe('SQUASH');
    // mallory is not a collaborator: the request fails and becomes a warning, the deploy goes on.
    expect(ctx.lines.some((l) => l.startsWith('warn:') && l.includes('could not request reviewers'))).toBe(
      true,
    );

    pullsState(github).repositories.set('acme/environments', {
      allowAutoMerge: false,
      defaultBranch: 'main',
      private: true,
    });
    const v2 = recordFor('bravo', 'prod', '1.0.0');
    const degraded = await deployToEnvironments(
      { target, record: v2, files: manifestsFor(v2), pullRequest: { reviewers: ['alice'], autoMerge: true } },
      ctx,
    );
    expect(degraded.operation).toBe('created');
    expect(degraded.pullRequest?.autoMerge).toBe('unavailable');
    expect(ctx.lines.some((l) => l.includes('auto-merge is not allowed in acme/environments'))).toBe(true);
    expect(openPulls().find((p) => p.head === 'dockrion/prod/bravo')?.requestedReviewers).toEqual(['alice']);

    const v3 = recordFor('charlie', 'prod', '1.0.0');
    const draft = await deployToEnvironments(
      { target, record: v3, files: manifestsFor(v3), pullRequest: { draft: true, autoMerge: true } },
      ctx,
    );
    expect(openPulls().find((p) => p.head === 'dockrion/prod/charlie')?.draft).toBe(true);
    expect(draft.pullRequest?.autoMerge).toBe('unavailable');
  });

  it('two deploys of the same agent at once end as one PR with the newer content', async () => {
    const older = context(1_800_000_000);
    const newer = context(1_800_000_030);
    const v1 = recordFor('alpha', 'staging', '1.0.0');
    const v2 = recordFor('alpha', 'staging', '2.0.0');
    const [a, b] = await Promise.all([
      deployToEnvironments({ target, record: v1, files: manifestsFor(v1) }, older),
      deployToEnvironments({ target, record: v2, files: manifestsFor(v2) }, newer),
    ]);
    expect(openPulls()).toHaveLength(1);
    expect(openPulls()[0]?.title).toContain('2.0.0');
    expect(git(bare, ['show', 'dockrion/staging/alpha:staging/alpha/dockrion.json'])).toContain(
      '"version": "2.0.0"',
    );
    expect(new Set([a.pullRequest?.number ?? 1, b.pullRequest?.number])).toEqual(new Set([1]));
  });

  it('opens a rollback PR through the same path', async () => {
    const ctx = context();
    for (const version of ['1.0.0', '2.0.0']) {
      ctx.tick(60);
      const record = recordFor('alpha', 'staging', version);
      await deployToEnvironments(
        { target: { url: bare }, record, files: manifestsFor(record), direct: true },
        ctx,
      );
    }
    ctx.tick(60);
    const out = await rollbackEnvironment(
      { target, environment: 'staging', agent: 'alpha', to: '1.0.0' },
      ctx,
    );
    expect(out.operation).toBe('created');
    const pr = openPulls()[0];
    expect(pr?.title).toBe('rollback(alpha): staging 2.0.0 → 1.0.0');
    expect(pr?.body).toContain('## Rollback `alpha` `1.0.0` to `staging`');
    expect(pr?.body).toContain(`| Restores | \`${out.to.commit}\` |`);
  });

  it('names the environments token when the API refuses it', async () => {
    const ctx = context();
    const v1 = recordFor('alpha', 'staging', '1.0.0');
    const bad: EnvironmentsTarget = {
      url: bare,
      github: {
        client: createOctokit({ token: 'ghp_revoked', baseUrl: github.url, retries: 0 }),
        owner: 'acme',
        repo: 'environments',
      },
    };
    const error = await gitOpsFailure(
      deployToEnvironments({ target: bad, record: v1, files: manifestsFor(v1) }, ctx),
    );
    expect(error.message).toMatch(/GitHub API: opening the deployment PR .* \(HTTP 401\)/);
    expect(error.hint).toContain('environments-token');
  });

  it('closes a pending PR when the base branch already runs what is deployed again', async () => {
    const ctx = context();
    const v1 = recordFor('alpha', 'staging', '1.0.0');
    await deployToEnvironments(
      { target: { url: bare }, record: v1, files: manifestsFor(v1), direct: true },
      ctx,
    );
    ctx.tick(60);
    const v2 = recordFor('alpha', 'staging', '2.0.0');
    const pending = await deployToEnvironments({ target, record: v2, files: manifestsFor(v2) }, ctx);
    expect(pending.operation).toBe('created');
    ctx.tick(60);
    // Back to 1.0.0 (what main has): merging the 2.0.0 PR later would deploy what nobody wants now.
    const back = await deployToEnvironments({ target, record: v1, files: manifestsFor(v1) }, ctx);
    expect(back.operation).toBe('unchanged');
    expect(openPulls()).toHaveLength(0);
    expect(() =>
      git(bare, ['rev-parse', '--verify', '--quiet', 'refs/heads/dockrion/staging/alpha']),
    ).toThrow();
    expect(ctx.lines.some((l) => l.includes('closed the stale deployment PR #1'))).toBe(true);
  });

  it('sends only what GitHub accepts when there are no labels or only team reviewers', async () => {
    // GitHub's description requires at least one label in "add labels"; an empty list used to be
    // sent anyway (a 422 that ended as a warning).
    const ctx = context();
    const pr = await ensurePullRequest(
      target.github as NonNullable<EnvironmentsTarget['github']>,
      { head: 'topic', base: 'main', title: 'no labels', body: 'text', labels: [], reviewers: ['acme/sre'] },
      ctx.logger,
    );
    expect(pr.created).toBe(true);
    expect(ctx.lines.filter((l) => l.startsWith('warn:'))).toEqual([]);
    expect(github.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/environments/pulls',
      'POST /repos/acme/environments/pulls',
      'POST /repos/acme/environments/pulls/1/requested_reviewers',
    ]);
    expect(openPulls()[0]?.requestedTeams).toEqual(['sre']);
  });
});
