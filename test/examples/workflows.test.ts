/**
 * The copy-paste workflow recipes (docs/workflows/*.yml) stay in step with the Action and the CLI:
 * every `with:` key of a `dockrion/deploy` step is an input declared in action.yml, every output
 * they read is declared, the permissions each recipe needs are granted, and the rollback recipe
 * passes the dispatch inputs to the Action (no shell script).
 */
import { readdirSync, readFileSync } from 'node:fs';
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
  it('the recipes exist', () => {
    expect(files).toEqual([
      'deploy-staging.yml',
      'many-agents.yml',
      'matrix-agents.yml',
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
    'validate-pr.yml': { contents: 'read', 'pull-requests': 'write', issues: 'write' },
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
    'many-agents.yml': {
      contents: 'read',
      packages: 'write',
      'id-token': 'write',
      'pull-requests': 'write',
    },
    'matrix-agents.yml': {
      contents: 'read',
      packages: 'write',
      'id-token': 'write',
      'pull-requests': 'write',
    },
  };
  it.each(files)('%s grants the permissions it needs (and no write-all)', (file) => {
    const wf = load(file);
    expect(wf.permissions).toEqual(needs[file]);
  });

  it('validate runs on pull_request; deploy on push to main; rollback by workflow_dispatch', () => {
    expect(Object.keys(load('validate-pr.yml').on as object)).toEqual(['pull_request']);
    // Adding or removing the label that acknowledges breaking contract changes re-runs the check.
    expect(load('validate-pr.yml').on).toMatchObject({
      pull_request: { types: expect.arrayContaining(['synchronize', 'labeled', 'unlabeled']) },
    });
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

  it('rollback is two plain Action steps: history, then rollback with the dispatch inputs', () => {
    const steps = Object.values(load('rollback.yml').jobs).flatMap((j) => j.steps);
    expect(steps.filter((s) => s.run !== undefined)).toEqual([]);
    const dockrion = steps.filter((s) => s.uses?.startsWith('dockrion/deploy@'));
    expect(dockrion.map((s) => s.with?.command)).toEqual(['history', 'rollback']);
    expect(dockrion[1]?.with).toMatchObject({
      environment: '${{ inputs.environment }}',
      agent: '${{ inputs.agent }}',
      to: '${{ inputs.to }}',
    });
    // The recipe itself runs end to end in test/action/rollback-mode.test.ts.
  });
});
