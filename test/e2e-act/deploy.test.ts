import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { removeImages } from '../image/docker.ts';
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
import { startVaultStandIn, type VaultStandIn } from '../support/vault-server.ts';
import { type ActRun, makeActWorkspace, recipe, requireActDeployInfra, runAct } from './act.ts';

const REPOSITORY = 'acme/agents';
const WORKFLOW_TOKEN = 'ghs_actDeployWorkflowToken00000000000';
const ENV_TOKEN = 'ghp_actEnvironmentsToken0000000000000';
const VAULT_TOKEN = 'hvs.act-vault-token';
const SECRET_VALUES = plainHandlerSecretValues();

const { describe, it } = requireActDeployInfra();

describe('act: deploy recipes on push', () => {
  let dir: string;
  let workspace: string;
  let bare: string;
  let github: GitHubServer;
  let gitServer: GitHttpServer;
  let vault: VaultStandIn;
  let recipient: string;
  let namespace: string;
  const images = new Set<string>();
  let stagingImage = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-act-deploy-'));
    namespace = `act-${randomBytes(4).toString('hex')}`;
    const extraWith = {
      registry: registry() ?? '',
      'image-namespace': namespace,
      'base-image': baseImage() ?? '',
    };
    workspace = makeActWorkspace(dir, 'plain-handler');
    for (const name of ['deploy-staging.yml', 'promote-production.yml'])
      writeFileSync(join(workspace, '.github/workflows', name), recipe(name, extraWith));
    git(dir, 'init', '-q', '-b', 'main', workspace);
    git(workspace, 'remote', 'add', 'origin', `https://github.com/${REPOSITORY}.git`);
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'agent');

    ({ bare, gitServer } = await startEnvironmentsRemote(join(dir, 'git'), ENV_TOKEN));

    github = await startLoopbackGitHub({ workflow: WORKFLOW_TOKEN, environments: ENV_TOKEN });
    pullsState(github).collaborators.add('platform-oncall');

    ({ recipient } = stagingAgeKey(dir));

    vault = await startVaultStandIn({
      tokens: { [VAULT_TOKEN]: { allow: ['secret/support/plain-handler'] } },
      kv: [
        {
          mount: 'secret',
          version: 1,
          secrets: { 'support/plain-handler': [{ helpdesk_token: 'from-vault', api_key: 'from-vault-too' }] },
        },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await gitServer?.close();
    await github?.close();
    await vault?.close();
    if (images.size > 0) await removeImages([...images]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const repository = {
    full_name: REPOSITORY,
    name: 'agents',
    owner: { login: 'acme' },
    default_branch: 'main',
  };
  const push = (workflow: string): Promise<ActRun> => {
    const sha = git(workspace, 'rev-parse', 'HEAD');
    return act(workflow, 'push', {
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: sha,
      head_commit: { id: sha, message: 'agent' },
      repository,
      pusher: { name: 'ada' },
    });
  };
  const dispatch = (workflow: string, inputs: Record<string, string>): Promise<ActRun> =>
    act(workflow, 'workflow_dispatch', { ref: 'refs/heads/main', inputs, repository }, inputs);
  const act = (
    workflow: string,
    event: 'push' | 'workflow_dispatch',
    payload: Record<string, unknown>,
    inputs: Record<string, string> = {},
  ): Promise<ActRun> => {
    return runAct({
      workspace,
      workflow: `.github/workflows/${workflow}`,
      event,
      payload,
      inputs,
      secrets: { GITHUB_TOKEN: WORKFLOW_TOKEN, ENVIRONMENTS_TOKEN: ENV_TOKEN, ...SECRET_VALUES },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: gitServer.url('').replace(/\/$/, ''),
        STAGING_AGE_RECIPIENT: recipient,
        VAULT_ADDR: vault.address,
        VAULT_TOKEN,
      },
    });
  };

  /** What merging the deployment PR does on GitHub: main moves to the PR's branch (one commit on main). */
  const mergeDeploymentPr = (branch: string) => {
    git(bare, 'merge-base', '--is-ancestor', 'main', branch);
    git(bare, 'update-ref', 'refs/heads/main', `refs/heads/${branch}`);
    for (const pr of pullsState(github).pulls) if (pr.head === branch) pr.state = 'closed';
  };

  const registryHas = async (image: string) => {
    const [name, digest] = image.replace(`${registry()}/`, '').split('@');
    const res = await fetch(`http://${registry()}/v2/${name?.split(':')[0]}/manifests/${digest}`, {
      method: 'HEAD',
      headers: {
        accept:
          'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    return res.status;
  };

  it('deploy-staging: build, push by digest, commit to the environments repo; outputs image, digest, pr-url', async () => {
    const run = await push('deploy-staging.yml');
    const step = run.step('deploy', 'dockrion');
    expect(step.result, run.transcript()).toBe('success');
    expect(run.jobs.deploy).toBe('success');
    expect(run.code).toBe(0);

    expect(step.groups).toContain('Build and push image');
    const buildx = run.step('deploy', '1');
    expect(buildx.result).toBe('success');
    expect(buildx.outputs.driver).toBe('docker');

    const { image = '', digest = '', 'pr-url': prUrl = '' } = step.outputs;
    images.add(image);
    stagingImage = image;
    expect(image).toMatch(
      new RegExp(`^${registry()}/${namespace}/plain-handler:2\\.1\\.0@sha256:[0-9a-f]{64}$`),
    );
    expect(digest).toBe(image.split('@')[1]);
    expect(step.outputs.operation).toBe('created');
    expect(await registryHas(image)).toBe(200);

    const pr = pullsState(github).pulls.find((p) => p.head === 'dockrion/staging/plain-handler');
    expect(pr).toMatchObject({ owner: 'acme', repo: 'environments', base: 'main', state: 'open' });
    expect(prUrl).toContain(`/acme/environments/pull/${pr?.number}`);
    const branch = 'dockrion/staging/plain-handler';
    const record = JSON.parse(git(bare, 'show', `${branch}:staging/plain-handler/dockrion.json`));
    expect(record).toMatchObject({ agent: 'plain-handler', environment: 'staging', digest });
    expect(git(bare, 'show', `${branch}:staging/plain-handler/compose.yaml`)).toContain(`image: ${image}`);

    // The recipe's last step prints the outputs through steps.dockrion.outputs.*.
    expect(run.step('deploy', '3').log).toContain(`image:  ${image}`);
    expect(run.step('deploy', '3').log).toContain(`PR:     ${prUrl} (created)`);
    for (const value of Object.values(SECRET_VALUES)) expect(run.transcript()).not.toContain(value);
    mergeDeploymentPr(branch);
  }, 900_000);

  it('promote-production: the production job promotes the staging job output, the same digest, without a build', async () => {
    expect(stagingImage, 'deploy-staging must have run').not.toBe('');
    const run = await push('promote-production.yml');
    expect(run.jobs, run.transcript()).toEqual({ staging: 'success', production: 'success' });
    const staging = run.step('staging', 'deploy');
    expect(staging.result).toBe('success');
    const image = staging.outputs.image ?? '';
    images.add(image);
    expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);

    const production = run.step('production', '1');
    expect(production.result, run.transcript()).toBe('success');
    expect(production.outputs.image).toBe(image);
    expect(production.outputs.digest).toBe(image.split('@')[1]);
    expect(production.outputs.operation).toBe('created');
    expect(staging.groups).toContain('Build and push image');
    expect(production.groups).toContain('Check promoted image');
    expect(production.groups).not.toContain('Build and push image');
    expect(await registryHas(image)).toBe(200);

    const branch = 'dockrion/production/plain-handler';
    const pr = pullsState(github).pulls.find((p) => p.head === branch);
    expect(pr?.requestedReviewers).toEqual(['platform-oncall']);
    expect(production.outputs['pr-url']).toContain(`/acme/environments/pull/${pr?.number}`);
    expect(git(bare, 'show', `${branch}:production/plain-handler/deployment.yaml`)).toContain(image);
    expect(vault.requests.some((r) => r.path.includes('support/plain-handler') && r.hasToken)).toBe(true);
  }, 1_200_000);
  it('rollback: after 2.1.1 is deployed and merged, the recipe lists both deploys and restores 2.1.0 in a PR', async () => {
    expect(stagingImage, 'deploy-staging must have run').not.toBe('');
    const dockfile = join(workspace, 'Dockfile.yaml');
    writeFileSync(dockfile, readFileSync(dockfile, 'utf8').replace('version: 2.1.0', 'version: 2.1.1'));
    writeFileSync(join(workspace, '.github/workflows/rollback.yml'), recipe('rollback.yml'));
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'agent 2.1.1');
    const deploy = await push('deploy-staging.yml');
    const newer = deploy.step('deploy', 'dockrion');
    expect(newer.result, deploy.transcript()).toBe('success');
    images.add(newer.outputs.image ?? '');
    expect(newer.outputs.version).toBe('2.1.1');
    mergeDeploymentPr('dockrion/staging/plain-handler');

    const run = await dispatch('rollback.yml', {
      environment: 'staging',
      agent: 'plain-handler',
      to: '2.1.0',
    });
    expect(run.jobs, run.transcript()).toEqual({ rollback: 'success' });

    const history = run.step('rollback', 'history');
    expect(history.result).toBe('success');
    const listed = JSON.stringify(JSON.parse(history.outputs['history-json'] ?? 'null'));
    expect(listed).toContain('2.1.1');
    expect(listed).toContain('2.1.0');
    expect(history.summary).toContain('2.1.0');

    const rollback = run.step('rollback', 'rollback');
    expect(rollback.result).toBe('success');
    expect(rollback.outputs).toMatchObject({
      version: '2.1.0',
      image: stagingImage,
      digest: stagingImage.split('@')[1],
      operation: 'created',
    });
    const pr = pullsState(github).pulls.find(
      (p) =>
        p.state === 'open' && rollback.outputs['pr-url']?.endsWith(`/acme/environments/pull/${p.number}`),
    );
    expect(pr, rollback.outputs['pr-url']).toBeDefined();
    const record = JSON.parse(git(bare, 'show', `${pr?.head}:staging/plain-handler/dockrion.json`));
    expect(record).toMatchObject({ version: '2.1.0', digest: stagingImage.split('@')[1] });
    // Nothing was built: the old digest is still in the registry.
    expect(rollback.groups).not.toContain('Build and push image');
    expect(await registryHas(stagingImage)).toBe(200);
  }, 1_200_000);
});
