import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context } from './support.ts';

describe('concurrent deploys', () => {
  let box: Sandbox;
  let bare: string;
  beforeEach(() => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
  });
  afterEach(() => box.cleanup());

  it('different agents committing straight to main at once all land (non-fast-forward retried)', async () => {
    const agents = ['alpha', 'bravo', 'charlie', 'delta'];
    const ctx = context();
    const outcomes = await Promise.all(
      agents.map((agent) => {
        const record = recordFor(agent, 'staging', '1.0.0');
        return deployToEnvironments(
          { target: { url: bare }, record, files: manifestsFor(record), direct: true },
          ctx,
        );
      }),
    );
    expect(outcomes.map((o) => o.operation)).toEqual(['direct', 'direct', 'direct', 'direct']);
    // Each agent's folder is on main, and main is a straight line of four deploys on the seed.
    for (const agent of agents) {
      expect(git(bare, ['show', `main:staging/${agent}/dockrion.json`])).toContain(`"agent": "${agent}"`);
    }
    expect(git(bare, ['rev-list', '--count', 'main'])).toBe('5');
    expect(Math.max(...outcomes.map((o) => o.attempts))).toBeGreaterThan(1);
    expect(ctx.lines.some((l) => l.includes('rejected') && l.includes('retrying'))).toBe(true);
  });

  it('different agents in PR mode each get their own branch', async () => {
    const ctx = context();
    const outcomes = await Promise.all(
      ['alpha', 'bravo'].map((agent) => {
        const record = recordFor(agent, 'staging', '1.0.0');
        return deployToEnvironments({ target: { url: bare }, record, files: manifestsFor(record) }, ctx);
      }),
    );
    expect(outcomes.map((o) => o.branch).sort()).toEqual([
      'dockrion/staging/alpha',
      'dockrion/staging/bravo',
    ]);
    for (const o of outcomes) expect(git(bare, ['rev-parse', o.branch])).toBe(o.commit);
  });

  it('two deploys of the same agent at once leave the newer one on the branch', async () => {
    for (let round = 0; round < 3; round++) {
      const older = context(1_800_000_000 + round * 1000);
      const newer = context(1_800_000_000 + round * 1000 + 30);
      const v1 = recordFor('alpha', 'staging', `1.${round}.0`);
      const v2 = recordFor('alpha', 'staging', `2.${round}.0`);
      const [a, b] = await Promise.all([
        deployToEnvironments({ target: { url: bare }, record: v1, files: manifestsFor(v1) }, older),
        deployToEnvironments({ target: { url: bare }, record: v2, files: manifestsFor(v2) }, newer),
      ]);
      expect(['pushed', 'superseded']).toContain(a.operation);
      expect(b.operation).toBe('pushed');
      expect(git(bare, ['show', 'dockrion/staging/alpha:staging/alpha/dockrion.json'])).toContain(
        `"version": "2.${round}.0"`,
      );
      expect(git(bare, ['rev-list', '--count', 'main..dockrion/staging/alpha'])).toBe('1');
    }
  });
});
