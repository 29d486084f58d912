import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deployToEnvironments,
  readEnvironmentHistory,
  readHistory,
  rollbackEnvironment,
} from '../../action/gitops/index.ts';
import { captureCli } from '../support/cli.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context } from './support.ts';

/** A human's commit on main: `edit` runs in a fresh clone, then everything is committed and pushed. */
function humanCommit(box: Sandbox, bare: string, message: string, edit: (work: string) => void): void {
  const work = join(box.dir, `human-${Math.random().toString(36).slice(2)}`);
  git(box.dir, ['clone', '--quiet', bare, work]);
  edit(work);
  git(work, ['add', '-A']);
  git(work, ['commit', '--quiet', '-m', message]);
  git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
  rmSync(work, { recursive: true, force: true });
}

describe('whole-environment history (one pass over the log)', () => {
  let box: Sandbox;
  let bare: string;
  const target = () => ({ url: bare });
  beforeEach(async () => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    const ctx = context();
    const deploy = async (agent: string, version: string, environment = 'staging') => {
      ctx.tick(60);
      const record = recordFor(agent, environment, version);
      return deployToEnvironments(
        { target: target(), record, files: manifestsFor(record), direct: true },
        ctx,
      );
    };
    await deploy('alpha', '1.0.0');
    await deploy('bravo', '1.0.0');
    await deploy('alpha', '1.1.0');
    await deploy('alpha', '9.9.9', 'prod');
    ctx.tick(60);
    await rollbackEnvironment(
      { target: target(), environment: 'staging', agent: 'alpha', to: '1.0.0', direct: true },
      ctx,
    );
    await deploy('charlie', '0.1.0');
    // A hand edit beside bravo's record: not a deploy. Then charlie's folder goes away.
    humanCommit(box, bare, 'tune bravo', (work) => {
      writeFileSync(join(work, 'staging', 'bravo', 'notes.txt'), 'hand edit\n');
    });
    humanCommit(box, bare, 'retire charlie', (work) => {
      rmSync(join(work, 'staging', 'charlie'), { recursive: true });
    });
    // Two agents changed in one commit (a squash-merged PR without trailers).
    const delta = recordFor('delta', 'staging', '2.0.0');
    humanCommit(box, bare, 'bulk change', (work) => {
      mkdirSync(join(work, 'staging', 'delta'), { recursive: true });
      writeFileSync(join(work, 'staging', 'delta', 'dockrion.json'), `${JSON.stringify(delta, null, 2)}\n`);
      writeFileSync(
        join(work, 'staging', 'bravo', 'dockrion.json'),
        `${JSON.stringify(recordFor('bravo', 'staging', '1.2.0'), null, 2)}\n`,
      );
    });
  });
  afterEach(() => box.cleanup());

  it('--all gives, per agent, exactly what the one-agent history gives', async () => {
    const ctx = context();
    const report = await readEnvironmentHistory({ target: target(), environment: 'staging', all: true }, ctx);
    expect(report.scope).toBe('all');
    const agents = [...new Set(report.deployments.map((d) => d.agent))].sort();
    expect(agents).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
    for (const agent of agents) {
      const one = await readHistory({ target: target(), environment: 'staging', agent }, ctx);
      expect(one.length).toBeGreaterThan(0);
      expect(report.deployments.filter((d) => d.agent === agent).map(({ agent: _, ...d }) => d)).toEqual(one);
    }
    // Newest first across agents; the bulk commit lists bravo before delta.
    expect(report.deployments.slice(0, 2).map((d) => `${d.agent}@${d.version}`)).toEqual([
      'bravo@1.2.0',
      'delta@2.0.0',
    ]);
    expect(report.deployments.find((d) => d.kind === 'rollback')?.undoesDigest).toBe(
      recordFor('alpha', 'staging', '1.1.0').digest,
    );
    // prod is another environment.
    expect(report.deployments.some((d) => d.version === '9.9.9')).toBe(false);
  });

  it('without --all: the latest deploy of every agent deployed there now, by name', async () => {
    const report = await readEnvironmentHistory(
      { target: target(), environment: 'staging', all: false },
      context(),
    );
    expect(report.deployments.map((d) => `${d.agent}@${d.version}:${d.kind}`)).toEqual([
      'alpha@1.0.0:rollback',
      'bravo@1.2.0:deploy',
      'delta@2.0.0:deploy',
    ]);
  });

  it('the CLI prints a table with an AGENT column, JSON with --format json, and refuses --all with --agent', async () => {
    const run = async (...args: string[]) => {
      const c = captureCli({ cwd: box.dir, logger: 'silent' });
      const code = await c.run(['history', '--environments-repo', bare, '--env', 'staging', ...args]);
      return { code, stdout: c.stdout(), stderr: c.stderr() };
    };
    const text = await run();
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+COMMIT\s+DATE\s+KIND\s+VERSION\s+DIGEST\s+SOURCE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['alpha', 'bravo', 'delta']);
    const json = await run('--all', '--format', 'json');
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { environment: string; scope: string; deployments: unknown[] };
    expect(doc.environment).toBe('staging');
    expect(doc.scope).toBe('all');
    expect(doc.deployments.length).toBeGreaterThan(5);
    const both = await run('--all', '--agent', 'alpha');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--all lists every agent');
  });
});
