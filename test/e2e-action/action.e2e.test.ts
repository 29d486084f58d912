/**
 * End to end: the bundled Action (`node dist/main.js`) run as GitHub runs it, against loopback
 * stand-ins for everything GitHub provides — the REST API (test/support/github-server.ts), the
 * git server of the environments repo (git http-backend), a local OCI registry, the Docker engine
 * and a local Vault — with examples/plain-handler as the user's repository.
 *
 *   pull_request → validate: outputs, annotations, job summary, one sticky PR comment (updated
 *                  in place when the Dockfile is fixed)
 *   push         → deploy staging: real build, push by digest, Compose manifests and
 *                  secrets.env.age in a deployment PR; a second push rebuilds the same digest
 *                  and is `unchanged`
 *   push + image → promote the same digest to production (Vault profile → ExternalSecret), no build
 *   workflow_dispatch → history (summary table, history-json) and rollback (PR, then direct)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { environmentsRepo, manifestsFor, recordFor } from '../gitops/fixtures.ts';
import { context } from '../gitops/support.ts';
import { removeImages } from '../image/docker.ts';
import {
  plainHandlerSecretValues,
  stagingAgeKey,
  startEnvironmentsRemote,
  startLoopbackGitHub,
} from '../support/deploy-services.ts';
import { git } from '../support/git.ts';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.ts';
import { pullRequestSyncPayload } from '../support/github-events.ts';
import { pullsState } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { baseImage, hasAge, hasBaseImage, hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { startVaultStandIn, type VaultStandIn } from '../support/vault-server.ts';
import {
  actionYml,
  bundle,
  onPullRequest,
  pushToMain,
  type RunnerContext,
  repoRoot,
  runAction,
} from './runner.ts';

const REPOSITORY = 'acme/agents';
const WORKFLOW_TOKEN = 'ghs_e2eWorkflowToken0000000000000000';
const ENV_TOKEN = 'ghp_e2eEnvironmentsToken000000000000';
const VAULT_TOKEN = 'hvs.e2e-vault-token';
const AGENT = 'plain-handler';
// Values the workflow would pass as `secrets: ${{ toJSON(secrets) }}`: unique, so a leak is visible.
const SECRET_VALUES = plainHandlerSecretValues();

let dir: string;
let workspace: string;
let sha: string;
let github: GitHubServer;

/** The user's repository: examples/plain-handler at the root, committed. */
function makeWorkspace(): void {
  workspace = join(dir, 'workspace');
  cpSync(join(repoRoot, 'examples', AGENT), workspace, {
    recursive: true,
    filter: (p) => !p.includes('__pycache__'),
  });
  git(dir, 'init', '-q', '-b', 'main', workspace);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '-m', 'agent');
  sha = git(workspace, 'rev-parse', 'HEAD');
}

function pullRequestPayload(number: number, headRepository = REPOSITORY): Record<string, unknown> {
  return pullRequestSyncPayload({
    home: REPOSITORY,
    number,
    title: 'Update agent',
    head: sha,
    base: 'b'.repeat(40),
    headRepository,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockrion-e2e-action-'));
  makeWorkspace();
  github = await startLoopbackGitHub({ workflow: WORKFLOW_TOKEN, environments: ENV_TOKEN });
});

afterAll(async () => {
  await github?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('e2e: dist/main.js on pull_request (validate)', () => {
  const ctx = (): RunnerContext =>
    onPullRequest({
      number: 12,
      payload: pullRequestPayload(12),
      repository: REPOSITORY,
      sha,
      apiUrl: github.url,
      workspace,
      token: WORKFLOW_TOKEN,
    });
  const comments = () => github.state.issueComments.get(`${REPOSITORY}#12`) ?? [];

  it('action.yml runs dist/main.js on node24', () => {
    expect(actionYml().runs).toEqual({ using: 'node24', main: 'dist/main.js' });
    expect(bundle.endsWith('dist/main.js')).toBe(true);
  });

  const original = () => readFileSync(join(workspace, 'Dockfile.yaml'), 'utf8');
  const marker = '<!-- dockrion:validate:pr/Dockfile.yaml -->';
  const sticky = () => comments().filter((c) => c.body.includes(marker));

  it('a broken Dockfile fails with annotations, outputs, a summary and a sticky comment', async () => {
    mkdirSync(join(workspace, 'pr'), { recursive: true });
    const broken = original()
      .replace('name: plain-handler', 'name: Plain_Handler')
      .replace('  rest: true', '  rest: false\n  rests: true');
    writeFileSync(join(workspace, 'pr/Dockfile.yaml'), broken);
    const step = await runAction(ctx(), { dockfile: 'pr/Dockfile.yaml' });
    expect(step.code, step.stderr).toBe(1);
    expect(step.outputs.valid).toBe('false');
    const report = JSON.parse(step.outputs['errors-json'] ?? '{}');
    expect(report.valid).toBe(false);
    expect(report.errors.map((e: { code: number }) => e.code)).toContain(4002);
    const nameError = report.errors.find((e: { path: string }) => e.path === 'agent.name');
    expect(nameError).toMatchObject({ code: 4002, file: 'pr/Dockfile.yaml', line: 8 });
    expect(step.stdout).toMatch(
      /::error title=4002 InvalidSchemaError at agent\.name,file=pr\/Dockfile\.yaml,line=8,col=\d+::/,
    );
    expect(step.stdout).toContain("'plain-handler'"); // the hint: the corrected DNS label
    expect(step.stdout).toContain('rests'); // the unknown key, with its did-you-mean
    expect(step.summary).toContain('pr/Dockfile.yaml');
    expect(step.summary).toContain('4002');
    expect(sticky()).toHaveLength(1);
    expect(sticky()[0]?.body).toContain('4002');
  });

  it('after the fix the same comment is updated in place and the check passes', async () => {
    const id = sticky()[0]?.id;
    expect(id).toBeTypeOf('number');
    writeFileSync(join(workspace, 'pr/Dockfile.yaml'), original());
    const step = await runAction(ctx(), { dockfile: 'pr/Dockfile.yaml', strict: 'true' });
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.outputs.valid).toBe('true');
    expect(JSON.parse(step.outputs['errors-json'] ?? '{}')).toMatchObject({
      valid: true,
      errors: [],
      warnings: [],
    });
    expect(sticky()).toHaveLength(1);
    expect(sticky()[0]?.id).toBe(id);
    expect(sticky()[0]?.body).not.toContain('4002');
    rmSync(join(workspace, 'pr'), { recursive: true, force: true });
  });

  it('a pull request from a fork: annotations and summary only, no write to the PR', async () => {
    const fork = { ...ctx(), payload: pullRequestPayload(13, 'mallory/agents') };
    mkdirSync(join(workspace, 'fork'), { recursive: true });
    writeFileSync(
      join(workspace, 'fork/Dockfile.yaml'),
      original().replace('name: plain-handler', 'name: Plain_Handler'),
    );
    const writes = () => github.state.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const step = await runAction(fork, { dockfile: 'fork/Dockfile.yaml' });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(
      /::error title=4002 InvalidSchemaError at agent\.name,file=fork\/Dockfile\.yaml/,
    );
    expect(step.stdout).toMatch(/::warning::.*fork/);
    expect(step.summary).toContain('4002');
    expect(writes()).toBe(before);
    expect(github.state.issueComments.get(`${REPOSITORY}#13`) ?? []).toEqual([]);
    rmSync(join(workspace, 'fork'), { recursive: true, force: true });
  });

  it('a valid Dockfile with no earlier findings passes quietly: summary, outputs, no new comment', async () => {
    const before = comments().length;
    const step = await runAction(ctx(), {});
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.outputs.valid).toBe('true');
    expect(step.summary).toContain('Dockfile.yaml');
    expect(comments()).toHaveLength(before);
  });
});

const infra = requireInfra(
  'docker, registry, base image and age',
  hasRegistry() && hasBaseImage() && hasAge(),
);

infra.describe('e2e: dist/main.js on push (deploy) and promotion', () => {
  let gitServer: GitHttpServer;
  let vault: VaultStandIn;
  let bare: string;
  let identityFile: string;
  let recipient: string;
  let namespace: string;
  let deployedImage = '';

  beforeAll(async () => {
    ({ bare, gitServer } = await startEnvironmentsRemote(join(dir, 'git'), ENV_TOKEN));

    ({ identityFile, recipient } = stagingAgeKey(dir));
    namespace = `e2e-${randomBytes(4).toString('hex')}`;

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
    await vault?.close();
    if (deployedImage) await removeImages([deployedImage]);
  });

  const ctx = (): RunnerContext =>
    pushToMain({
      repository: REPOSITORY,
      sha,
      apiUrl: github.url,
      serverUrl: gitServer.url('').replace(/\/$/, ''),
      workspace,
      token: WORKFLOW_TOKEN,
    });
  const deployInputs = (extra: Record<string, string> = {}) => ({
    environment: 'staging',
    'environments-repo': 'acme/environments',
    'environments-token': ENV_TOKEN,
    registry: registry() ?? '',
    'image-namespace': namespace,
    'base-image': baseImage() ?? '',
    provenance: 'false',
    secrets: JSON.stringify(SECRET_VALUES),
    ...extra,
  });
  infra.it(
    'builds, pushes by digest and opens the staging deployment PR; secrets only as age ciphertext',
    async () => {
      const step = await runAction(ctx(), deployInputs(), { STAGING_AGE_RECIPIENT: recipient });
      expect(step.code, `${step.stdout}\n${step.stderr}`).toBe(0);
      const { outputs } = step;
      expect(outputs.version).toBe('2.1.0');
      expect(outputs.image).toMatch(
        new RegExp(`^${registry()}/${namespace}/plain-handler:2\\.1\\.0@sha256:[0-9a-f]{64}$`),
      );
      expect(outputs.digest).toBe(outputs.image?.split('@')[1]);
      expect(outputs.operation).toBe('created');
      expect(outputs['pr-number']).toMatch(/^\d+$/);
      deployedImage = outputs.image ?? '';

      // The digest exists in the registry.
      const [repoPath] = (outputs.image ?? '').replace(`${registry()}/`, '').split(':');
      const head = await fetch(`http://${registry()}/v2/${repoPath}/manifests/${outputs.digest}`, {
        method: 'HEAD',
        headers: {
          accept:
            'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
        },
      });
      expect(head.status).toBe(200);

      // The PR on the loopback GitHub, from dockrion/staging/plain-handler into main.
      const pr = pullsState(github).pulls.find((p) => p.head === 'dockrion/staging/plain-handler');
      expect(pr).toMatchObject({ owner: 'acme', repo: 'environments', base: 'main', state: 'open' });
      expect(String(pr?.number)).toBe(outputs['pr-number']);
      expect(pr?.body).toContain(outputs.digest);
      expect(outputs['pr-url']).toContain(`/acme/environments/pull/${pr?.number}`);

      // The commit on the branch: subject, trailers and the files of staging/plain-handler only.
      const branch = 'dockrion/staging/plain-handler';
      const message = git(bare, 'log', '-1', '--format=%B', branch);
      expect(message).toContain(`deploy(plain-handler): staging 2.1.0 @ ${outputs.digest?.slice(7, 19)}`);
      expect(message).toContain('Dockrion-Environment: staging');
      expect(message).toContain(`Dockrion-Image: ${outputs.image}`);
      expect(message).toContain(`Dockrion-Source: ${ctx().serverUrl}/${REPOSITORY}@${sha}`);
      const files = git(bare, 'diff', '--name-only', 'main', branch).split('\n');
      expect(files.sort()).toEqual([
        'staging/plain-handler/compose.yaml',
        'staging/plain-handler/contract.json',
        'staging/plain-handler/dockrion.json',
        'staging/plain-handler/secrets.env.age',
      ]);
      const compose = git(bare, 'show', `${branch}:staging/plain-handler/compose.yaml`);
      expect(compose).toContain(`image: ${outputs.image}`);
      const record = JSON.parse(git(bare, 'show', `${branch}:staging/plain-handler/dockrion.json`));
      expect(record).toMatchObject({
        agent: 'plain-handler',
        environment: 'staging',
        version: '2.1.0',
        digest: outputs.digest,
      });

      // secrets.env.age decrypts with the staging host's key (the reference age CLI) to the values.
      const cipher = join(dir, 'secrets.env.age');
      writeFileSync(
        cipher,
        execFileSync('git', ['show', `${branch}:staging/plain-handler/secrets.env.age`], { cwd: bare }),
      );
      const plain = execFileSync('age', ['-d', '-i', identityFile, cipher], { encoding: 'utf8' });
      // Compose env_file syntax; values may be double-quoted.
      for (const [name, value] of Object.entries(SECRET_VALUES)) {
        expect(plain).toMatch(new RegExp(`^${name}="?${value}"?$`, 'm'));
      }

      // No secret value anywhere in what the runner shows or stores in clear.
      const everything = [
        step.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
        step.stderr,
        step.summary,
        JSON.stringify(outputs),
        pr?.body ?? '',
        git(bare, 'log', '--all', '-p', '--format=%B'),
      ].join('\n');
      for (const value of [...Object.values(SECRET_VALUES), ENV_TOKEN])
        expect(everything).not.toContain(value);
      expect(step.summary).toContain('plain-handler');
      expect(step.summary).toContain('staging');
    },
    900_000,
  );

  infra.it(
    'a second push of the same commit rebuilds the same digest: unchanged, and still one PR',
    async () => {
      expect(deployedImage, 'the first deploy must have run').not.toBe('');
      const branch = 'dockrion/staging/plain-handler';
      const before = git(bare, 'rev-parse', branch);
      const step = await runAction(ctx(), deployInputs(), { STAGING_AGE_RECIPIENT: recipient });
      expect(step.code, `${step.stdout}\n${step.stderr}`).toBe(0);
      expect(step.outputs.version).toBe('2.1.0');
      // Builds are reproducible (SOURCE_DATE_EPOCH, rewritten timestamps, hash-based bytecode), so
      // a rebuild gives the same digest even when the engine's layer cache was evicted.
      expect(step.outputs.image).toBe(deployedImage);
      expect(step.outputs.operation).toBe('unchanged');
      expect(git(bare, 'rev-parse', branch)).toBe(before);
      expect(pullsState(github).pulls.filter((p) => p.head === branch)).toHaveLength(1);
    },
    900_000,
  );

  infra.it(
    'promotes the same digest to production: Vault profile → ExternalSecret, no build',
    async () => {
      expect(deployedImage, 'the first deploy must have run').not.toBe('');
      const step = await runAction(
        ctx(),
        deployInputs({ environment: 'production', image: deployedImage, secrets: '' }),
        {
          VAULT_ADDR: vault.address,
          VAULT_TOKEN,
        },
      );
      expect(step.code, `${step.stdout}\n${step.stderr}`).toBe(0);
      expect(step.outputs).toMatchObject({ image: deployedImage, operation: 'created', version: '2.1.0' });
      expect(step.stdout).not.toMatch(/::group::Build/i);
      expect(vault.requests.some((r) => r.path.includes('support/plain-handler') && r.hasToken)).toBe(true);
      const branch = 'dockrion/production/plain-handler';
      const files = git(bare, 'ls-tree', '-r', '--name-only', branch, 'production/plain-handler').split('\n');
      expect(files).toContain('production/plain-handler/kustomization.yaml');
      expect(files).toContain('production/plain-handler/deployment.yaml');
      expect(files).toContain('production/plain-handler/externalsecret.yaml');
      expect(files.some((f) => f.endsWith('.age'))).toBe(false);
      const external = git(bare, 'show', `${branch}:production/plain-handler/externalsecret.yaml`);
      expect(external).toContain('apiVersion: external-secrets.io/v1');
      expect(external).toContain('vault-support');
      expect(external).not.toContain('from-vault');
      const deployment = git(bare, 'show', `${branch}:production/plain-handler/deployment.yaml`);
      expect(deployment).toContain(deployedImage);
      expect(pullsState(github).pulls.filter((p) => p.head === branch)).toHaveLength(1);
    },
    900_000,
  );
});

describe('e2e: dist/main.js on workflow_dispatch (history and rollback)', () => {
  const AGENT_NAME = 'plain-handler';
  let gitServer: GitHttpServer;
  let bare: string;
  const deployed: Record<string, string> = {};
  // Its own GitHub: the deploy tests above leave an open PR on the same head branch
  // (dockrion/staging/plain-handler) in the shared one, and a rollback would update that PR.
  let github: GitHubServer;

  beforeAll(async () => {
    github = await startLoopbackGitHub({ workflow: WORKFLOW_TOKEN, environments: ENV_TOKEN });
    const root = join(dir, 'git-rollback');
    mkdirSync(join(root, 'acme'), { recursive: true });
    bare = environmentsRepo(join(root, 'acme'));
    // Two merged deploys of the example agent, written by the library as a deploy writes them.
    const gitOps = context();
    for (const version of ['2.0.0', '2.1.0']) {
      gitOps.tick(60);
      const record = recordFor(AGENT_NAME, 'staging', version);
      const out = await deployToEnvironments(
        { target: { url: bare }, record, files: manifestsFor(record), direct: true },
        gitOps,
      );
      deployed[version] = out.commit ?? '';
    }
    gitServer = await startGitHttpServer({ root, token: ENV_TOKEN });
  }, 120_000);
  afterAll(async () => {
    await gitServer?.close();
    await github?.close();
  });

  const ctx = (): RunnerContext => ({
    eventName: 'workflow_dispatch',
    payload: { inputs: { environment: 'staging', to: '2.0.0' }, ref: 'refs/heads/main' },
    repository: REPOSITORY,
    sha,
    ref: 'refs/heads/main',
    apiUrl: github.url,
    serverUrl: gitServer.url('').replace(/\/$/, ''),
    workspace,
    token: WORKFLOW_TOKEN,
  });
  const inputs = (extra: Record<string, string>) => ({
    environment: 'staging',
    'environments-repo': 'acme/environments',
    'environments-token': ENV_TOKEN,
    ...extra,
  });

  it('history: agent from the Dockfile, a summary table and the history-json output', async () => {
    const step = await runAction(ctx(), inputs({ command: 'history' }));
    expect(step.code, step.stdout + step.stderr).toBe(0);
    const report = JSON.parse(step.outputs['history-json'] ?? '{}');
    expect(report).toMatchObject({ environment: 'staging', agent: AGENT_NAME });
    expect(report.deployments.map((d: { commit: string }) => d.commit)).toEqual([
      deployed['2.1.0'],
      deployed['2.0.0'],
    ]);
    expect(step.summary).toContain('| commit | date | kind | version | digest | source |');
  });

  it('rollback: a rollback PR restoring 2.0.0, then the same with direct', async () => {
    const step = await runAction(ctx(), inputs({ command: 'rollback', to: '2.0.0', reviewers: '' }));
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.outputs).toMatchObject({ operation: 'created', version: '2.0.0' });
    const pr = pullsState(github).pulls.find((p) => p.head === `dockrion/staging/${AGENT_NAME}`);
    expect(pr?.body).toContain(`Rollback \`${AGENT_NAME}\` \`2.0.0\` to \`staging\``);
    expect(String(pr?.number)).toBe(step.outputs['pr-number']);
    expect(git(bare, 'rev-parse', `${step.outputs.commit}:staging/${AGENT_NAME}`)).toBe(
      git(bare, 'rev-parse', `${deployed['2.0.0']}:staging/${AGENT_NAME}`),
    );

    const direct = await runAction(ctx(), inputs({ command: 'rollback', to: '2.0.0', direct: 'true' }));
    expect(direct.code, direct.stdout + direct.stderr).toBe(0);
    expect(direct.outputs).toMatchObject({ operation: 'direct', 'pr-url': '' });
    expect(git(bare, 'rev-parse', 'main')).toBe(direct.outputs.commit);
  });

  it('a rollback to an unknown version fails with one ::error:: line', async () => {
    const step = await runAction(ctx(), inputs({ command: 'rollback', to: '9.9.9' }));
    expect(step.code).toBe(1);
    expect(step.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      "::error::gitops: no deployment '9.9.9' in this environment's history — fix: known versions (newest first): 2.0.0, 2.1.0",
    ]);
  });
});
