import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { DeployResult } from '../../action/pipeline/deploy-pipeline.ts';
import { environmentsRepo, git, type Sandbox, sandbox } from '../gitops/fixtures.ts';
import { removeImages } from '../image/docker.ts';
import { type Canaries, canaryValues, leakedCanaries } from '../support/canary.ts';
import { captureCli } from '../support/cli.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { hasAge, hasBaseImage, hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { ageKeyPair, pushToTestRegistry, SECRET_NAMES, writeAgentSource } from './agent-fixture.ts';

const infra = requireInfra(
  'docker, registry, base image and age',
  hasRegistry() && hasBaseImage() && hasAge(),
);
const TOKEN = 'ghp_pipelineEnvironmentsToken';

function canariesFor(): Canaries {
  const raw = canaryValues('CANARY');
  const values: Record<string, string> = {};
  SECRET_NAMES.forEach((name) => {
    values[name] = raw.values[name] ?? '';
  });
  return { values, forms: raw.forms };
}

infra.describe('dockrion deploy pipeline (real build, registry, git, loopback GitHub)', () => {
  let box: Sandbox;
  let bare: string;
  let github: GitHubServer;
  let identityFile: string;
  const canaries = canariesFor();
  const namespace = `${registry()}/dockrion-gitops-${randomBytes(4).toString('hex')}`;
  const output: string[] = [];
  const pushed: string[] = [];
  let first: DeployResult;

  const deploy = async (args: string[]) => {
    const c = captureCli({
      cwd: box.dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DOCKER_CONFIG: process.env.DOCKER_CONFIG,
        DOCKRION_SECRETS_JSON: JSON.stringify(canaries.values),
      },
      mirror: (s) => output.push(s),
      mirrorStdout: true,
    });
    const code = await c.run([
      'deploy',
      join(box.dir, 'agent'),
      '--environments-repo',
      bare,
      '--environments-token',
      TOKEN,
      '--github-repo',
      'acme/environments',
      '--github-api-url',
      github.url,
      '--format',
      'json',
      ...args,
    ]);
    if (code !== 0) throw new Error(`deploy exited ${code}:\n${output.join('')}`);
    return JSON.parse(c.stdout()) as DeployResult;
  };

  beforeAll(async () => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    github = await startGitHubServer({ routes: [pullRoutes] });
    github.state.tokens.set(TOKEN, { login: 'deploy-bot', id: 7, type: 'User', canReadUser: true });
    const keys = ageKeyPair(box.dir);
    identityFile = keys.identityFile;
    mkdirSync(join(box.dir, 'agent'));
    writeAgentSource(join(box.dir, 'agent'), {
      name: 'gitops-pipeline',
      version: '1.0.0',
      port: 18_000 + Math.floor(Math.random() * 1000),
      recipients: keys.recipient,
    });
    const started = Date.now();
    first = await deploy(['--env', 'staging', ...pushToTestRegistry(namespace)]);
    output.push(`first deploy took ${Date.now() - started} ms\n`);
    pushed.push(first.image);
  }, 900_000);

  afterAll(async () => {
    await github?.close();
    await removeImages(pushed);
    box?.cleanup();
  });

  infra.it('builds, pushes and opens the deployment PR with a digest-pinned image', () => {
    expect(first.operation).toBe('created');
    expect(first.built).toBe(true);
    expect(first.image).toMatch(new RegExp(`^${namespace}/gitops-pipeline:1\\.0\\.0@sha256:[0-9a-f]{64}$`));
    expect(first.image.endsWith(first.digest)).toBe(true);
    expect(first.pr_url).toBe('https://github.com/acme/environments/pull/1');
    expect(first.changed_files).toEqual([
      'staging/gitops-pipeline/compose.yaml',
      'staging/gitops-pipeline/contract.json',
      'staging/gitops-pipeline/dockrion.json',
      'staging/gitops-pipeline/secrets.env.age',
    ]);
    expect(Object.keys(first.timings).sort()).toEqual(['gitops', 'image', 'render', 'secrets', 'validate']);
    const record = JSON.parse(git(bare, ['show', `${first.commit}:staging/gitops-pipeline/dockrion.json`]));
    expect(record.source).toEqual({
      repository: 'https://github.com/acme/agents',
      commit: git(join(box.dir, 'agent'), ['rev-parse', 'HEAD']),
    });
    expect(record.dockfile_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(output.join('')).toContain('── Build and push image');
  });

  infra.it('encrypts the secrets to the environment recipients (age CLI decrypts them)', () => {
    const ciphertext = execFileSync(
      'git',
      ['cat-file', 'blob', `${first.commit}:staging/gitops-pipeline/secrets.env.age`],
      {
        cwd: bare,
      },
    );
    const plain = execFileSync('age', ['-d', '-i', identityFile], { input: ciphertext, encoding: 'utf8' });
    for (const name of SECRET_NAMES) expect(plain).toContain(`${name}=`);
    expect(plain).toContain(`CANARY_PLAIN="${canaries.values.CANARY_PLAIN}"`);
  });

  infra.it('promotes the same digest with --image, without building; a repeat is unchanged', async () => {
    const promoted = await deploy(['--env', 'prod', '--image', first.image, '--direct']);
    expect(promoted.built).toBe(false);
    expect(promoted.digest).toBe(first.digest);
    expect(promoted.operation).toBe('direct');
    const again = await deploy(['--env', 'prod', '--image', first.image, '--direct']);
    expect(again.operation).toBe('unchanged');
    expect(again.commit).toBe(promoted.commit);
    const missing = first.image.replace(/@sha256:.*/, `@sha256:${'0'.repeat(64)}`);
    await expect(deploy(['--env', 'prod', '--image', missing, '--direct'])).rejects.toThrow(
      /deploy exited 1/,
    );
  });

  infra.it('leaks no canary secret into output, PR body, generated files or any git object', () => {
    const everything = [
      output.join(''),
      ...pullsState(github).pulls.map((p) => `${p.title}\n${p.body}`),
      JSON.stringify(github.state.requests),
    ].join('\n');
    expect(leakedCanaries(everything, canaries)).toEqual([]);
    const objects = execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: bare });
    expect(leakedCanaries(objects, canaries)).toEqual([]);
    // The secret values did reach the encrypted file: the check above is not vacuous.
    expect(objects.length).toBeGreaterThan(0);
    expect(pullsState(github).pulls[0]?.body).toContain('secrets.env.age');
  });
});
