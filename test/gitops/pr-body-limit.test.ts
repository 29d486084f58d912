/**
 * A deployment whose PR body sections (file list, diff) would exceed GitHub's 65,536-character
 * limit still opens its PR: the loopback GitHub answers 422 past that limit, as GitHub does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../action/adapters/octokit.ts';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { codePoints } from '../../action/report/limits.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { environmentsRepo, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context } from './support.ts';

const TOKEN = 'ghp_prBodyLimitToken';

describe('deployment PR body size', () => {
  let github: GitHubServer;
  let box: Sandbox;

  beforeEach(async () => {
    github = await startGitHubServer({ routes: [pullRoutes] });
    github.state.tokens.set(TOKEN, { login: 'deploy-bot', id: 77, type: 'User', canReadUser: true });
    box = sandbox();
  });
  afterEach(async () => {
    box.cleanup();
    await github.close();
  });

  it('3,000 changed files with wide lines: the PR opens, its body within the limit and saying what it left out', async () => {
    const bare = environmentsRepo(box.dir);
    const record = recordFor('invoice-copilot', 'staging', '1.0.0');
    const generated = Array.from({ length: 3000 }, (_, i) => ({
      path: `config/generated/settings-${String(i).padStart(5, '0')}.yaml`,
      content: `value: "${'v'.repeat(400)}-${i}"\n`,
    }));
    const out = await deployToEnvironments(
      {
        target: {
          url: bare,
          github: {
            client: createOctokit({ token: TOKEN, baseUrl: github.url, retries: 0 }),
            owner: 'acme',
            repo: 'environments',
          },
        },
        record,
        files: [...manifestsFor(record), ...generated],
      },
      context(),
    );
    expect(out.operation).toBe('created');
    expect(out.changedFiles.length).toBeGreaterThan(3000);
    const [pr] = pullsState(github).pulls;
    const body = pr?.body ?? '';
    expect(codePoints(body)).toBeLessThanOrEqual(60_000);
    const listed = body.split('\n').filter((l) => l.startsWith('- `A` `staging/invoice-copilot/'));
    expect(listed.length).toBeGreaterThan(10);
    expect(body).toContain(`- … and ${out.changedFiles.length - listed.length} more (not listed here`);
    expect(body).toContain('Rendered diff (first lines)');
    expect(body).toContain('<sub>Opened by dockrion.');
  }, 120_000);
});
