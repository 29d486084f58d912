import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { parse } from 'yaml';
import type { DeployResult } from '../../action/pipeline/deploy-pipeline.ts';
import { ENCRYPTED_SECRET_ANNOTATION } from '../../generators/index.ts';
import type { Loose as K8sObject } from '../generators/support.ts';
import { environmentsRepo, folderAt, git, type Sandbox, sandbox } from '../gitops/fixtures.ts';
import { type Canaries, canaryValues, leakedCanaries, plaintextHashes } from '../support/canary.ts';
import { captureCli } from '../support/cli.ts';
import { hasRegistry, registry, requireInfra } from '../support/infra.ts';
import {
  ageIdentity,
  copyFolder,
  fluxBuild,
  fluxBuildFolder,
  kubectl,
  kubernetesValidate,
  kubeseal,
  parseObjects,
  recoveryUnseal,
  run,
  sealingKeyPair,
  sops,
  validateBuiltObjects,
} from '../support/k8s-tools.ts';
import { pushMinimalImage } from '../support/minimal-image.ts';

/**
 * `dockrion deploy` of a github-provider agent to Kubernetes environments, one per delivery, into
 * a local environments repo; then the committed folder is built as Flux and kustomize would and
 * its Secret decrypted with the real tools. Rotation: a repeated deploy keeps the ciphertext
 * (`unchanged`); a value rotated in GitHub reaches the cluster with `--force`.
 */
const tools = [sops, kubeseal, fluxBuild, kubernetesValidate, kubectl];
const missing = tools.filter((t) => !t.present).map((t) => t.reason);
if (!hasRegistry()) missing.push('the test registry (DOCKRION_TEST_REGISTRY) does not answer');
const { describe, it } = requireInfra(
  'registry, sops, kubeseal, flux-build, kubectl',
  missing.length === 0,
  missing.join('; '),
);

const AGENT = 'ledger-bot';

function dockfile(recipient: string): string {
  return `version: "1.0"
agent:
  name: ${AGENT}
  handler: app.handler:handle
auth:
  mode: none
secrets:
  required:
    - name: CANARY_PLAIN
    - name: CANARY_MULTILINE
  optional:
    - name: CANARY_QUOTED
deploy:
  target: kubernetes
  environments:
    flux:
      namespace: ledger
      secrets:
        provider: github
        delivery: sops
        age_recipients: [${recipient}]
    argo:
      namespace: ledger-argo
      secrets:
        provider: github
        delivery: sealed-secrets
        sealed_secrets:
          certificate: certs/sealed-secrets.pem
`;
}

describe('dockrion deploy: GitHub secrets on Kubernetes through SOPS and Sealed Secrets', () => {
  let box: Sandbox;
  let bare: string;
  let agentDir: string;
  let image: string;
  let age: ReturnType<typeof ageIdentity>;
  let sealing: ReturnType<typeof sealingKeyPair>;
  const canaries: Canaries = canaryValues('CANARY');
  const rotated = { ...canaries.values, CANARY_PLAIN: `rotated-${randomBytes(12).toString('hex')}` };
  const logs: string[] = [];

  beforeAll(async () => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    age = ageIdentity();
    sealing = sealingKeyPair();
    agentDir = join(box.dir, 'agent');
    mkdirSync(join(agentDir, 'app'), { recursive: true });
    mkdirSync(join(agentDir, 'certs'));
    writeFileSync(join(agentDir, 'Dockfile.yaml'), dockfile(age.recipient));
    writeFileSync(join(agentDir, 'certs', 'sealed-secrets.pem'), readFileSync(sealing.certificateFile));
    writeFileSync(join(agentDir, 'app', '__init__.py'), '');
    writeFileSync(join(agentDir, 'app', 'handler.py'), 'def handle(payload):\n    return payload\n');
    git(agentDir, ['init', '--quiet', '--initial-branch=main']);
    git(agentDir, ['remote', 'add', 'origin', 'https://github.com/acme/agents.git']);
    git(agentDir, ['add', '-A']);
    git(agentDir, ['commit', '--quiet', '-m', 'agent']);
    image = await pushMinimalImage(
      registry() ?? '',
      `dockrion-k8s-secrets-${randomBytes(4).toString('hex')}/${AGENT}`,
      '1.0.0',
    );
  });
  afterAll(() => {
    age?.cleanup();
    sealing?.cleanup();
    box?.cleanup();
  });

  async function deploy(environment: string, values: Record<string, string>, extra: string[] = []) {
    const cli = captureCli({
      cwd: box.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKRION_SECRETS_JSON: JSON.stringify(values) },
      mirror: (s) => logs.push(s),
      mirrorStdout: true,
    });
    const code = await cli.run([
      'deploy',
      agentDir,
      '--env',
      environment,
      '--image',
      image,
      '--environments-repo',
      bare,
      '--direct',
      '--format',
      'json',
      ...extra,
    ]);
    if (code !== 0) throw new Error(`deploy exited ${code}:\n${cli.stderr()}`);
    return { result: JSON.parse(cli.stdout()) as DeployResult, stderr: cli.stderr() };
  }

  function checkout(environment: string) {
    const files = folderAt(bare, 'main', `${environment}/${AGENT}`);
    const folder = copyFolder(
      Object.entries(files).map(([name, content]) => ({
        path: name.slice(`${environment}/${AGENT}/`.length),
        content: `${content}\n`,
      })),
    );
    return { files, ...folder };
  }

  const secretRefOf = (objects: K8sObject[]) =>
    objects
      .find((o) => o.kind === 'Deployment')
      ?.spec.template.spec.containers[0].envFrom.find((e: K8sObject) => e.secretRef).secretRef.name;
  const annotationOf = (objects: K8sObject[]) =>
    objects.find((o) => o.kind === 'Deployment')?.spec.template.metadata.annotations[
      ENCRYPTED_SECRET_ANNOTATION
    ];

  /** What Flux gets from the committed folder: the decrypted Secret's values, and the objects. */
  function fluxView(): { values: Record<string, string>; objects: K8sObject[]; file: string } {
    const folder = checkout('flux');
    try {
      const file = readFileSync(join(folder.dir, 'secret.sops.yaml'), 'utf8');
      expect(parseObjects(run(kubectl, ['kustomize', folder.dir])).map((o) => o.kind)).toContain('Secret');
      const objects = fluxBuildFolder(folder.dir, age.identityFile);
      validateBuiltObjects(objects);
      const secret = objects.find((o) => o.kind === 'Secret') as K8sObject;
      expect(secret.metadata.name).toBe(secretRefOf(objects));
      return { values: secret.stringData, objects, file };
    } finally {
      folder.cleanup();
    }
  }

  /** What the Sealed Secrets controller makes of the committed folder (after kustomize). */
  function argoView(): { values: Record<string, string>; objects: K8sObject[]; file: string } {
    const folder = checkout('argo');
    try {
      const file = readFileSync(join(folder.dir, 'sealedsecret.yaml'), 'utf8');
      const objects = parseObjects(run(kubectl, ['kustomize', folder.dir]));
      validateBuiltObjects(objects);
      expect(fluxBuildFolder(folder.dir, null).map((o) => o.kind)).toContain('SealedSecret');
      const sealed = objects.find((o) => o.kind === 'SealedSecret') as K8sObject;
      expect(sealed.metadata.name).toBe(secretRefOf(objects));
      const secret = recoveryUnseal(JSON.stringify(sealed), sealing.privateKeyFile) as K8sObject;
      const values = Object.fromEntries(
        Object.entries(secret.data as Record<string, string | null>).map(([k, v]) => [
          k,
          Buffer.from(v ?? '', 'base64').toString('utf8'),
        ]),
      );
      return { values, objects, file };
    } finally {
      folder.cleanup();
    }
  }

  for (const [environment, view, file] of [
    ['flux', fluxView, 'secret.sops.yaml'],
    ['argo', argoView, 'sealedsecret.yaml'],
  ] as const) {
    it(`${environment}: deploys, and the cluster's view of the folder holds exactly the GitHub values`, async () => {
      const { result, stderr } = await deploy(environment, canaries.values);
      expect(result.operation).toBe('direct');
      expect(result.changed_files).toContain(`${environment}/${AGENT}/${file}`);
      expect(stderr).toContain(
        `secrets: ${environment === 'flux' ? 'sops' : 'sealed-secrets'} → ${file} (encrypted)`,
      );
      const seen = view();
      expect(seen.values).toEqual(canaries.values);
      expect(annotationOf(seen.objects)).toBe(createHash('sha256').update(seen.file).digest('hex'));
    });

    it(`${environment}: a repeated deploy keeps the ciphertext, a rotated value waits for --force`, async () => {
      const before = view();
      const again = await deploy(environment, canaries.values);
      expect(again.result.operation).toBe('unchanged');
      expect(again.stderr).toContain('committed ciphertext kept');
      // Without the cluster's key a changed value cannot be told from an unchanged one.
      const quiet = await deploy(environment, rotated);
      expect(quiet.result.operation).toBe('unchanged');
      expect(view().values).toEqual(canaries.values);

      const forced = await deploy(environment, rotated, ['--force']);
      expect(forced.result.operation).toBe('direct');
      expect(forced.result.changed_files.sort()).toEqual(
        [`${environment}/${AGENT}/deployment.yaml`, `${environment}/${AGENT}/${file}`].sort(),
      );
      const after = view();
      expect(after.values).toEqual(rotated);
      // The pods roll: the annotation follows the new ciphertext.
      expect(annotationOf(after.objects)).not.toBe(annotationOf(before.objects));
    });
  }

  it('no plaintext value, nor a hash of one, in any git object or log line', () => {
    const everything = {
      values: { ...canaries.values, ROTATED: rotated.CANARY_PLAIN },
      forms: canaries.forms,
    };
    const forms = [...canaries.forms, rotated.CANARY_PLAIN, ...plaintextHashes(everything.values)];
    const objects = git(bare, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'])
      .split('\n')
      .filter(Boolean);
    const contents = git(bare, ['cat-file', '--batch'], `${objects.join('\n')}\n`);
    const log = logs.join('');
    expect(log).toContain('secrets: sops');
    for (const haystack of [contents, log]) {
      expect(leakedCanaries(haystack, { values: everything.values, forms })).toEqual([]);
    }
    // And the check itself sees a value it is given.
    expect(
      leakedCanaries(`x${canaries.values.CANARY_PLAIN}x`, { values: everything.values, forms }),
    ).not.toEqual([]);
    expect(
      parse(folderAt(bare, 'main', `flux/${AGENT}`)[`flux/${AGENT}/secret.sops.yaml`] ?? '').sops,
    ).toBeDefined();
  });
});
