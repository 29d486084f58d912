import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { removeImages, removeImagesUnder } from '../image/docker.ts';
import {
  plainHandlerSecretValues,
  stagingAgeKey,
  startEnvironmentsRemote,
  startLoopbackGitHub,
} from '../support/deploy-services.ts';
import { git } from '../support/git.ts';
import type { GitHttpServer } from '../support/git-http-server.ts';
import { pullsState } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { baseImage, registry } from '../support/infra.ts';
import { changeAgentCode, writeThreeAgents } from '../support/three-agents.ts';
import { copyActionInto, recipe, requireActDeployInfra, runAct } from './act.ts';

const REPOSITORY = 'acme/agents';
const WORKFLOW = '.github/workflows/many-agents.yml';
const WORKFLOW_TOKEN = 'ghs_actManyWorkflowToken00000000000';
const ENV_TOKEN = 'ghp_actManyEnvironmentsToken0000000';
const SECRET_VALUES = plainHandlerSecretValues();

const { describe, it } = requireActDeployInfra();

describe('act: many-agents recipe, three agents, one changed', () => {
  let dir: string;
  let workspace: string;
  let bare: string;
  let github: GitHubServer;
  let gitServer: GitHttpServer;
  let recipient: string;
  let namespace: string;
  let base: string;
  let head: string;
  const images = new Set<string>();

  const commit = (message: string) => {
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', message);
    return git(workspace, 'rev-parse', 'HEAD');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-act-many-'));
    namespace = `act-many-${randomBytes(4).toString('hex')}`;
    workspace = join(dir, 'workspace');
    writeThreeAgents(workspace);
    copyActionInto(workspace);
    writeFileSync(
      join(workspace, WORKFLOW),
      recipe('many-agents.yml', {
        registry: registry() ?? '',
        'image-namespace': namespace,
        'base-image': baseImage() ?? '',
      }),
    );
    git(dir, 'init', '-q', '-b', 'main', workspace);
    git(workspace, 'remote', 'add', 'origin', `https://github.com/${REPOSITORY}.git`);
    base = commit('three agents');

    ({ bare, gitServer } = await startEnvironmentsRemote(join(dir, 'git'), ENV_TOKEN));

    github = await startLoopbackGitHub({ workflow: WORKFLOW_TOKEN, environments: ENV_TOKEN });

    ({ recipient } = stagingAgeKey(dir));
  }, 120_000);

  afterAll(async () => {
    await gitServer?.close();
    await github?.close();
    if (images.size > 0) await removeImages([...images]);
    // Later deploys under the namespace (promotions, re-deploys) built more than the outputs named.
    const registryHost = registry();
    if (namespace && registryHost) await removeImagesUnder(registryHost, namespace);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const repository = {
    id: 1,
    name: 'agents',
    full_name: REPOSITORY,
    owner: { login: 'acme', type: 'Organization' },
    private: false,
    fork: false,
    default_branch: 'main',
  };
  const run = (event: 'pull_request' | 'push', payload: Record<string, unknown>) =>
    runAct({
      workspace,
      workflow: WORKFLOW,
      event,
      payload,
      secrets: { GITHUB_TOKEN: WORKFLOW_TOKEN, ENVIRONMENTS_TOKEN: ENV_TOKEN, ...SECRET_VALUES },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: gitServer.url('').replace(/\/$/, ''),
        STAGING_AGE_RECIPIENT: recipient,
      },
    });

  it('pull_request touching triage: only triage is validated and gets a sticky comment', async () => {
    const dockfile = join(workspace, 'agents/triage/Dockfile.yaml');
    const original = readFileSync(dockfile, 'utf8');
    writeFileSync(dockfile, original.replace('  rest: true', '  rest: true\n  rests: true'));
    changeAgentCode(workspace, 'triage', 'route outages first');
    const broken = commit('triage: route outages first (with a typo)');
    const pullRequest = (sha: string) => ({
      action: 'synchronize',
      number: 31,
      pull_request: {
        number: 31,
        state: 'open',
        head: { ref: 'main', sha, repo: repository },
        base: { ref: 'main', sha: base, repo: repository },
      },
      repository,
      sender: { login: 'octocat', type: 'User' },
    });

    const failing = await run('pull_request', pullRequest(broken));
    const step = failing.step('validate', 'dockrion');
    expect(step.result, failing.transcript()).toBe('failure');
    expect(failing.jobs.deploy).toBeUndefined();
    expect(JSON.parse(step.outputs.agents ?? 'null')).toEqual(['triage']);
    expect(Object.keys(JSON.parse(step.outputs['reports-json'] ?? '{}'))).toEqual(['triage']);
    expect(step.log).toContain('1 of 3 agent(s) changed since the pull request base');
    // Every error placed on a file is on triage's Dockfile (the step's failure line has no file).
    const placed = step.annotations.filter((a) => a.level === 'error' && a.properties.file);
    expect(new Set(placed.map((a) => a.properties.file))).toEqual(new Set(['agents/triage/Dockfile.yaml']));
    const comments = () => github.state.issueComments.get(`${REPOSITORY}#31`) ?? [];
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toContain('<!-- dockrion:validate:agents/triage/Dockfile.yaml -->');

    writeFileSync(dockfile, original);
    head = commit('triage: fix the typo');
    const passing = await run('pull_request', pullRequest(head));
    const fixed = passing.step('validate', 'dockrion');
    expect(fixed.result, passing.transcript()).toBe('success');
    expect(JSON.parse(fixed.outputs.agents ?? 'null')).toEqual(['triage']);
    expect(passing.step('validate', '2').log).toContain('validated [triage], valid=true');
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toContain('✅');
  }, 900_000);

  it('push of the merged change: only triage is built, pushed and in a deployment PR', async () => {
    expect(head, 'the pull_request test must have run').toBeDefined();
    const pushed = await run('push', {
      ref: 'refs/heads/main',
      before: base,
      after: head,
      head_commit: { id: head, message: 'triage: fix the typo' },
      repository,
      pusher: { name: 'ada' },
    });
    const step = pushed.step('deploy', 'dockrion');
    expect(step.result, pushed.transcript()).toBe('success');
    expect(pushed.jobs.validate).toBeUndefined();
    expect(JSON.parse(step.outputs.agents ?? 'null')).toEqual(['triage']);
    const image = (JSON.parse(step.outputs.images ?? '{}') as Record<string, string>).triage ?? '';
    images.add(image);
    expect(image).toMatch(new RegExp(`^${registry()}/${namespace}/triage:2\\.1\\.0@sha256:[0-9a-f]{64}$`));
    expect(step.log).toContain('1 of 3 agent(s) changed since the previous tip of the branch');
    expect(step.log).toContain('[triage] ── Build and push image');
    expect(step.log).not.toMatch(/\[(billing|support)\]/);

    // Only triage reached the environments repo, in its own PR; nothing was pushed for the others.
    const branches = git(bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n').sort();
    expect(branches).toEqual(['dockrion/staging/triage', 'main']);
    const prs = pullsState(github).pulls;
    expect(prs.map((p) => p.head)).toEqual(['dockrion/staging/triage']);
    expect((JSON.parse(step.outputs['pr-urls'] ?? '{}') as Record<string, string>).triage).toContain(
      `/acme/environments/pull/${prs[0]?.number}`,
    );
    const files = git(bare, 'diff', '--name-only', 'main', 'dockrion/staging/triage').split('\n');
    expect(files.every((f) => f.startsWith('staging/triage/'))).toBe(true);
    const registryTags = await fetch(`http://${registry()}/v2/${namespace}/billing/tags/list`);
    expect(registryTags.status).toBe(404);
    expect(pushed.step('deploy', '3').log).toContain('deployed: [triage]');
    for (const value of Object.values(SECRET_VALUES)) expect(pushed.transcript()).not.toContain(value);
  }, 1_200_000);
});
