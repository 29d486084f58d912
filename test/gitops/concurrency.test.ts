import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { backoffMs } from '../../action/gitops/publish.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context, gitOpsFailure } from './support.ts';

/** Lands a commit on main that writes `file` (relative to the repo root), as a human would. */
function landOnMain(box: Sandbox, bare: string, file: string, content: string): void {
  const work = join(box.dir, `human-${Math.random().toString(36).slice(2)}`);
  git(box.dir, ['clone', '--quiet', bare, work]);
  mkdirSync(join(work, file, '..'), { recursive: true });
  writeFileSync(join(work, file), content);
  git(work, ['add', '-A']);
  git(work, ['commit', '--quiet', '-m', `edit ${file}`]);
  git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
  rmSync(work, { recursive: true, force: true });
}

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

  it('a push rejected because another folder moved re-applies the folder without preparing again', async () => {
    const ctx = context();
    const record = recordFor('alpha', 'staging', '1.0.0');
    let prepared = 0;
    const out = await deployToEnvironments(
      {
        target: { url: bare },
        record,
        files: [],
        direct: true,
        renderFiles: async () => {
          prepared++;
          // Another agent lands between this deploy's fetch and its push.
          if (prepared === 1) landOnMain(box, bare, 'staging/bravo/compose.yaml', 'services: {}\n');
          return manifestsFor(record);
        },
      },
      ctx,
    );
    expect(out.operation).toBe('direct');
    expect(out.attempts).toBe(2);
    expect(prepared).toBe(1);
    expect(git(bare, ['rev-parse', 'main'])).toBe(out.commit);
    // Both changes are on main, in a line: bravo's first, then alpha's on top of it.
    expect(git(bare, ['show', 'main:staging/bravo/compose.yaml'])).toBe('services: {}');
    expect(git(bare, ['log', '-1', '--format=%s', 'main^'])).toBe('edit staging/bravo/compose.yaml');
    expect(git(bare, ['show', 'main:staging/alpha/dockrion.json'])).toContain('"version": "1.0.0"');
    expect(ctx.lines.some((l) => /rejected .*retrying in \d+ ms/.test(l))).toBe(true);
  });

  it('a push rejected because its own folder changed prepares the deploy again on the new state', async () => {
    const ctx = context();
    const record = recordFor('alpha', 'staging', '2.0.0');
    let prepared = 0;
    const out = await deployToEnvironments(
      {
        target: { url: bare },
        record,
        files: [],
        direct: true,
        renderFiles: async () => {
          prepared++;
          if (prepared === 1) landOnMain(box, bare, 'staging/alpha/notes.txt', 'hand edit\n');
          return manifestsFor(record);
        },
      },
      ctx,
    );
    expect(out.operation).toBe('direct');
    expect(prepared).toBe(2);
    expect(ctx.lines.some((l) => l.includes('staging/alpha changed on main meanwhile'))).toBe(true);
    // The deploy owns its folder: the hand-added file is gone, the rest of main kept.
    expect(git(bare, ['ls-tree', '--name-only', 'main', 'staging/alpha/'])).not.toContain('notes.txt');
  });

  it('gives up with a clear error when its folder keeps changing past the retry budget', async () => {
    const ctx = context();
    const record = recordFor('alpha', 'staging', '3.0.0');
    let prepared = 0;
    const failure = await gitOpsFailure(
      deployToEnvironments(
        {
          target: { url: bare },
          record,
          files: [],
          direct: true,
          retryBudgetMs: 0,
          renderFiles: async () => {
            prepared++;
            landOnMain(box, bare, 'staging/alpha/notes.txt', `hand edit ${prepared}\n`);
            return manifestsFor(record);
          },
        },
        ctx,
      ),
    );
    expect(failure.message).toMatch(
      /could not push to main after 1 attempts in \d+ s: the branch kept moving/,
    );
    expect(failure.hint).toBeTruthy();
    expect(git(bare, ['show', 'main:staging/alpha/notes.txt'])).toBe('hand edit 1');
  });

  it('backs off with full jitter: between 0 and a capped exponential step', () => {
    expect(backoffMs(1, () => 0)).toBe(0);
    expect(backoffMs(1, () => 0.999)).toBe(99);
    expect(backoffMs(3, () => 0.5)).toBe(200);
    expect(backoffMs(30, () => 0.999)).toBe(2997);
  });
});
