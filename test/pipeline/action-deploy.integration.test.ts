import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ActionRun, createActionRun } from '../action/harness.ts';
import { environmentsRepo, git, type Sandbox, sandbox } from '../gitops/fixtures.ts';
import { docker, removeImages } from '../image/docker.ts';
import { canaryValues, leakedCanaries } from '../support/canary.ts';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { baseImage, hasAge, hasBaseImage, hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { ageKeyPair, SECRET_NAMES, writeAgentSource } from './agent-fixture.ts';

const infra = requireInfra(
  'docker, registry, base image and age',
  hasRegistry() && hasBaseImage() && hasAge(),
);
const TOKEN = 'ghp_actionEnvironmentsToken01';

infra.describe('the Action in deploy mode (push event, promotion, loopback git + GitHub)', () => {
  let box: Sandbox;
  let gitServer: GitHttpServer;
  let github: GitHubServer;
  let action: ActionRun;
  let image: string;
  let bare: string;
  const raw = canaryValues('CANARY');
  const secrets = Object.fromEntries(SECRET_NAMES.map((n) => [n, raw.values[n] ?? '']));
  const pushed: string[] = [];

  beforeAll(async () => {
    box = sandbox();
    mkdirSync(join(box.dir, 'acme'));
    bare = environmentsRepo(join(box.dir, 'acme'));
    gitServer = await startGitHttpServer({ root: box.dir, token: TOKEN });
    github = await startGitHubServer({ routes: [pullRoutes] });
    github.state.tokens.set(TOKEN, { login: 'deploy-bot', id: 8, type: 'User', canReadUser: true });
    // Any image in the registry can be promoted; the base image is the quickest to push.
    const repository = `${registry()}/dockrion-gitops-${randomBytes(4).toString('hex')}/gitops-action`;
    await docker('tag', baseImage() ?? '', `${repository}:1.0.0`);
    await docker('push', '--quiet', `${repository}:1.0.0`);
    const digest = (
      await docker('image', 'inspect', '--format', '{{index .RepoDigests 0}}', `${repository}:1.0.0`)
    )
      .split('@')
      .pop();
    image = `${repository}:1.0.0@${digest}`;
    pushed.push(image);
    action = createActionRun({
      apiUrl: github.url,
      eventName: 'push',
      payload: { ref: 'refs/heads/main', after: 'c'.repeat(40) },
      repository: 'acme/agents',
      serverUrl: gitServer.url('').replace(/\/$/, ''),
    });
    writeAgentSource(action.workspace, {
      name: 'gitops-action',
      version: '1.0.0',
      port: 19_500,
      recipients: ageKeyPair(box.dir).recipient,
    });
  }, 300_000);

  afterAll(async () => {
    action?.cleanup();
    await gitServer?.close();
    await github?.close();
    await removeImages(pushed);
    box?.cleanup();
  });

  const inputs = (extra: Record<string, string> = {}) => ({
    command: 'deploy',
    environment: 'staging',
    'environments-repo': 'acme/environments',
    'environments-token': TOKEN,
    'github-token': 'ghs_workflow_token',
    'github-api-url': github.url,
    image,
    secrets: JSON.stringify(secrets),
    ...extra,
  });

  infra.it('opens the deployment PR, sets every output and writes a job summary', async () => {
    const { code, stdout } = await action.invoke(inputs());
    expect(code, stdout).toBe(0);
    const outputs = action.outputs();
    expect(outputs.image).toBe(image);
    expect(outputs.digest).toBe(image.split('@')[1]);
    expect(outputs.version).toBe('1.0.0');
    expect(outputs.operation).toBe('created');
    expect(outputs['pr-url']).toBe('https://github.com/acme/environments/pull/1');
    expect(outputs['pr-number']).toBe('1');
    expect(git(bare, ['rev-parse', 'dockrion/staging/gitops-action'])).toBe(outputs.commit);
    // One log group per stage.
    for (const group of [
      'Validate Dockfile',
      'Check secrets (staging)',
      'Check promoted image',
      'Render manifests',
      'Commit to the environments repo',
    ]) {
      expect(stdout).toContain(`::group::${group}`);
    }
    const summary = action.summary();
    expect(summary).toContain('### dockrion deploy: `gitops-action` → `staging`');
    expect(summary).toContain('[#1](https://github.com/acme/environments/pull/1)');
    // The token travelled as a header only.
    expect(gitServer.seenUrls.join('\n')).not.toContain(TOKEN);

    const again = await action.invoke(inputs());
    expect(again.code).toBe(0);
    expect(action.outputs().operation).toBe('unchanged');
    expect(pullsState(github).pulls).toHaveLength(1);

    // `::add-mask::<value>` is how a value gets masked: the runner consumes those lines.
    const visible = (text: string) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
    expect(stdout).toContain('::add-mask::');
    const parts = {
      stdout: visible(stdout),
      again: visible(again.stdout),
      summary,
      outputs: JSON.stringify(action.outputs()),
      body: pullsState(github).pulls[0]?.body ?? '',
    };
    for (const [name, part] of Object.entries(parts)) expect(leakedCanaries(part, raw), name).toEqual([]);
    const everything = Object.values(parts).join('\n');
    expect(everything).not.toContain(TOKEN);
  });

  infra.it('fails with a message naming environments-token when the token is refused', async () => {
    const { code, stdout, failed } = await action.invoke(inputs({ 'environments-token': 'ghp_wrongToken' }));
    expect(code).toBe(1);
    expect(failed).toBe(true);
    // One line: the code, the problem and the fix (which names the input).
    expect(stdout).toMatch(
      /^::error::gitops: .*authentication failed \(HTTP 401\).* — fix: .*environments-token/m,
    );
    expect(action.summary()).toContain('failed');
  });
});
