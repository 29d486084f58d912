/**
 * The copy-paste workflow recipes (docs/workflows/*.yml) stay in step with the Action and the CLI:
 * every `with:` key of a `dockrion/deploy` step is an input declared in action.yml, every output
 * they read is declared, the permissions each recipe needs are granted, and every `dockrion`
 * command line in a `run:` parses with the real CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './python.ts';

type Step = { id?: string; uses?: string; with?: Record<string, unknown>; run?: string };
type Job = {
  steps: Step[];
  environment?: unknown;
  outputs?: Record<string, string>;
  env?: Record<string, string>;
};
type Workflow = { on: unknown; permissions?: Record<string, string>; jobs: Record<string, Job> };

const dir = join(repoRoot, 'docs/workflows');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const load = (f: string) => parse(readFileSync(join(dir, f), 'utf8')) as Workflow;
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};

describe('docs/workflows recipes', () => {
  it('the four recipes exist', () => {
    expect(files).toEqual([
      'deploy-staging.yml',
      'promote-production.yml',
      'rollback.yml',
      'validate-pr.yml',
    ]);
  });

  it.each(files)('%s uses only declared inputs and outputs of action.yml', (file) => {
    const wf = load(file);
    const text = readFileSync(join(dir, file), 'utf8');
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        if (!step.uses?.startsWith('dockrion/deploy@')) continue;
        for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
      }
    }
    for (const m of text.matchAll(/steps\.[a-z-]+\.outputs\.([a-z-]+)/g)) {
      expect(Object.keys(action.outputs)).toContain(m[1]);
    }
  });

  const needs: Record<string, Record<string, string>> = {
    'validate-pr.yml': { contents: 'read', 'pull-requests': 'write' },
    'deploy-staging.yml': {
      contents: 'read',
      packages: 'write',
      'id-token': 'write',
      'pull-requests': 'write',
    },
    'promote-production.yml': {
      contents: 'read',
      packages: 'write',
      'id-token': 'write',
      'pull-requests': 'write',
    },
    'rollback.yml': { contents: 'read' },
  };
  it.each(files)('%s grants the permissions it needs (and no write-all)', (file) => {
    const wf = load(file);
    expect(wf.permissions).toEqual(needs[file]);
  });

  it('validate runs on pull_request; deploy on push to main; rollback by workflow_dispatch', () => {
    expect(Object.keys(load('validate-pr.yml').on as object)).toEqual(['pull_request']);
    expect(load('deploy-staging.yml').on).toMatchObject({ push: { branches: ['main'] } });
    const rollback = load('rollback.yml').on as { workflow_dispatch: { inputs: Record<string, unknown> } };
    expect(Object.keys(rollback.workflow_dispatch.inputs)).toEqual(['environment', 'agent', 'to']);
  });

  it('promotion reuses the staging digest behind the production environment (manual approval)', () => {
    const wf = load('promote-production.yml');
    const production = wf.jobs.production as Job & { needs: string };
    expect(production.needs).toBe('staging');
    expect(production.environment).toMatchObject({ name: 'production' });
    const step = production.steps.find((s) => s.uses?.startsWith('dockrion/deploy@'));
    expect(step?.with).toMatchObject({
      environment: 'production',
      image: '${{ needs.staging.outputs.image }}',
    });
    expect(wf.jobs.staging?.outputs?.image).toBe('${{ steps.deploy.outputs.image }}');
  });

  it('every `dockrion` command line in a run: step works with the real CLI against a local environments repo', () => {
    const lines = files.flatMap((f) =>
      Object.values(load(f).jobs).flatMap((j) =>
        j.steps.flatMap((s) => (s.run ?? '').split('\n').filter((l) => /dist\/cli\.js /.test(l))),
      ),
    );
    expect(lines.map((l) => l.split(/dist\/cli\.js /)[1]?.split(' ')[0])).toEqual(['history', 'rollback']);
    const tmp = mkdtempSync(join(tmpdir(), 'dockrion-workflows-'));
    try {
      // An environments repo with one commit and no deployment yet.
      const repo = join(tmp, 'environments.git');
      const git = (...args: string[]) => {
        const r = spawnSync('git', args, { cwd: tmp, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
      };
      git('init', '-q', '--bare', '-b', 'main', repo);
      git('clone', '-q', repo, 'work');
      writeFileSync(join(tmp, 'work/README.md'), 'environments\n');
      git('-C', 'work', 'add', 'README.md');
      git('-C', 'work', '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'init');
      git('-C', 'work', 'push', '-q', 'origin', 'main');
      const cli = `${process.execPath} --import tsx ${join(repoRoot, 'action/cli.ts')}`;
      const env = {
        ...process.env,
        ENVIRONMENTS_REPO: repo,
        ENVIRONMENT: 'staging',
        AGENT: 'langgraph-tools',
        TO: '1.0.0',
      };
      const results = lines.map((line) => {
        const script = line.replace(/node \.dockrion\/dist\/cli\.js/, cli);
        return spawnSync('bash', ['-c', script], { cwd: repoRoot, encoding: 'utf8', env });
      });
      // history: an empty log is fine; rollback: no such deploy yet, a runtime failure (1), not a usage error (2).
      expect(results[0]?.status, results[0]?.stderr).toBe(0);
      expect(results[1]?.status, results[1]?.stderr).toBe(1);
      expect(results[1]?.stderr).toMatch(/1\.0\.0/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
