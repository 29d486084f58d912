import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { parse } from 'yaml';
import { type ActionRun, createActionRun } from '../action/harness.ts';
import type { Loose as K8sObject } from '../generators/support.ts';
import { environmentsRepo, folderAt, git, type Sandbox, sandbox } from '../gitops/fixtures.ts';
import { canaryValues, leakedCanaries, plaintextHashes } from '../support/canary.ts';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { hasRegistry, registry, requireInfra } from '../support/infra.ts';
import {
  kubectl,
  kubeseal,
  parseObjects,
  recoveryUnseal,
  run,
  sealingKeyPair,
} from '../support/k8s-tools.ts';
import { pushMinimalImage } from '../support/minimal-image.ts';

/**
 * The Action in deploy mode for a github-provider agent on Kubernetes with
 * `secrets.delivery: sealed-secrets`, the controller's certificate given as the
 * `sealed-secrets-cert` input (PEM text), in PR mode against loopback git + GitHub. A second run
 * finds the open PR's sealed file unchanged in shape and keeps it, so the PR is not rewritten.
 */
const missing = [kubeseal, kubectl].filter((t) => !t.present).map((t) => t.reason);
if (!hasRegistry()) missing.push('the test registry (DOCKRION_TEST_REGISTRY) does not answer');
const infra = requireInfra('registry, kubeseal and kubectl', missing.length === 0, missing.join('; '));
const TOKEN = 'ghp_actionSealedSecretsToken1';
const AGENT = 'sealed-agent';

infra.describe('the Action deploys GitHub secrets to Kubernetes as a SealedSecret', () => {
  let box: Sandbox;
  let gitServer: GitHttpServer;
  let github: GitHubServer;
  let action: ActionRun;
  let sealing: ReturnType<typeof sealingKeyPair>;
  let image: string;
  let bare: string;
  const canaries = canaryValues('CANARY');

  beforeAll(async () => {
    box = sandbox();
    mkdirSync(join(box.dir, 'acme'));
    bare = environmentsRepo(join(box.dir, 'acme'));
    gitServer = await startGitHttpServer({ root: box.dir, token: TOKEN });
    github = await startGitHubServer({ routes: [pullRoutes] });
    github.state.tokens.set(TOKEN, { login: 'deploy-bot', id: 9, type: 'User', canReadUser: true });
    sealing = sealingKeyPair();
    image = await pushMinimalImage(
      registry() ?? '',
      `dockrion-action-sealed-${randomBytes(4).toString('hex')}/${AGENT}`,
      '2.0.0',
    );
    action = createActionRun({
      apiUrl: github.url,
      eventName: 'push',
      payload: { ref: 'refs/heads/main', after: 'd'.repeat(40) },
      repository: 'acme/agents',
      serverUrl: gitServer.url('').replace(/\/$/, ''),
    });
    mkdirSync(join(action.workspace, 'app'));
    writeFileSync(join(action.workspace, 'app', '__init__.py'), '');
    writeFileSync(join(action.workspace, 'app', 'handler.py'), 'def handle(payload):\n    return payload\n');
    writeFileSync(
      join(action.workspace, 'Dockfile.yaml'),
      `version: "1.0"
agent: { name: ${AGENT}, handler: "app.handler:handle" }
auth: { mode: none }
secrets:
  required:
${Object.keys(canaries.values)
  .map((name) => `    - name: ${name}`)
  .join('\n')}
deploy:
  environments:
    production:
      target: kubernetes
      namespace: payments
      secrets: { provider: github, delivery: sealed-secrets }
`,
    );
    git(action.workspace, ['init', '--quiet', '--initial-branch=main']);
    git(action.workspace, ['add', '-A']);
    git(action.workspace, ['commit', '--quiet', '-m', 'agent']);
  });

  afterAll(async () => {
    action?.cleanup();
    sealing?.cleanup();
    await gitServer?.close();
    await github?.close();
    box?.cleanup();
  });

  const inputs = () => ({
    command: 'deploy',
    environment: 'production',
    'environments-repo': 'acme/environments',
    'environments-token': TOKEN,
    'github-token': 'ghs_workflow_token',
    'github-api-url': github.url,
    image,
    secrets: JSON.stringify(canaries.values),
    'sealed-secrets-cert': readFileSync(sealing.certificateFile, 'utf8'),
  });

  infra.it('opens the PR with a SealedSecret the controller unseals exactly; a rerun keeps it', async () => {
    const first = await action.invoke(inputs());
    expect(first.code, first.stdout).toBe(0);
    expect(action.outputs().operation).toBe('created');
    expect(first.stdout).toContain('secrets: sealed-secrets → sealedsecret.yaml (encrypted)');
    const branch = `dockrion/production/${AGENT}`;
    const files = folderAt(bare, branch, `production/${AGENT}`);
    const sealedFile = files[`production/${AGENT}/sealedsecret.yaml`] ?? '';
    expect(parse(files[`production/${AGENT}/kustomization.yaml`] ?? '').resources).toContain(
      'sealedsecret.yaml',
    );

    const dir = join(box.dir, 'checkout');
    mkdirSync(dir);
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name.slice(`production/${AGENT}/`.length)), `${content}\n`);
    }
    const objects = parseObjects(run(kubectl, ['kustomize', dir])) as K8sObject[];
    const sealed = objects.find((o) => o.kind === 'SealedSecret') as K8sObject;
    expect(sealed.metadata.namespace).toBe('payments');
    const secret = recoveryUnseal(JSON.stringify(sealed), sealing.privateKeyFile) as K8sObject;
    const values = Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString(),
      ]),
    );
    expect(values).toEqual(canaries.values);

    const tip = git(bare, ['rev-parse', branch]);
    const again = await action.invoke(inputs());
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('committed ciphertext kept');
    expect(git(bare, ['rev-parse', branch])).toBe(tip);
    expect(folderAt(bare, branch, `production/${AGENT}`)[`production/${AGENT}/sealedsecret.yaml`]).toBe(
      sealedFile,
    );

    const body = pullsState(github).pulls[0]?.body ?? '';
    expect(body).not.toContain(String(sealed.spec.encryptedData.CANARY_PLAIN));
    const visible = (text: string) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
    const forms = {
      values: canaries.values,
      forms: [...canaries.forms, ...plaintextHashes(canaries.values)],
    };
    for (const part of [visible(first.stdout), visible(again.stdout), body, action.summary(), sealedFile]) {
      expect(leakedCanaries(part, forms)).toEqual([]);
    }
  });
});
