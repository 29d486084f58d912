import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import type { DockSpec } from '../../action/dockfile/types.ts';
import { buildSecretManifest, type SecretManifest } from '../../action/secrets/index.ts';
import { ENCRYPTED_SECRET_ANNOTATION, renderManifests } from '../../generators/index.ts';
import type { Loose as K8sObject } from '../generators/support.ts';
import { inEnvironment } from '../support/environment.ts';
import { requireInfra } from '../support/infra.ts';
import {
  ageIdentity,
  copyFolder,
  crdValidator,
  fluxBuild,
  fluxBuildFolder,
  kubectl,
  kubernetesValidate,
  kubeseal,
  parseObjects,
  recoveryUnseal,
  run,
  sealedSecretsCrd,
  sealingKeyPair,
  sops,
  validateBuiltObjects,
} from '../support/k8s-tools.ts';
import { specWith } from './helpers.ts';
import { TRICKY_VALUES } from './tricky-values.ts';

/**
 * The rendered folder of a github-provider environment on Kubernetes, fed to what a cluster runs:
 * `kubectl kustomize` (Argo CD's kustomize), Flux's build (fluxcd/pkg/kustomize, after `sops -d`
 * as kustomize-controller's decryptor does), `kubernetes-validate --strict` on every built object,
 * and for Sealed Secrets the controller's own unsealing (`kubeseal --recovery-unseal`).
 */
const tools = [sops, kubeseal, sealedSecretsCrd, fluxBuild, kubernetesValidate, kubectl];
const missing = tools.filter((t) => !t.present);
const { describe, it } = requireInfra(
  'sops, kubeseal, flux-build, kubernetes-validate and kubectl',
  missing.length === 0,
  missing.map((t) => t.reason).join('; '),
);

const IMAGE = `ghcr.io/acme/invoice-copilot:1.4.0@sha256:${'a'.repeat(64)}`;
const REQUIRED = ['DOLLAR', 'MULTILINE', 'QUOTES', 'UNICODE'];
const OPTIONAL = Object.keys(TRICKY_VALUES).filter((n) => !REQUIRED.includes(n));

describe('rendered secret deliveries, built and read by the real consumers', () => {
  let age: ReturnType<typeof ageIdentity>;
  let sealing: ReturnType<typeof sealingKeyPair>;
  let spec: DockSpec;
  const values = new Map(Object.entries(TRICKY_VALUES));
  const cleanups: Array<() => void> = [];

  beforeAll(() => {
    age = ageIdentity();
    sealing = sealingKeyPair();
    cleanups.push(age.cleanup, sealing.cleanup);
    spec = specWith(
      {
        required: REQUIRED.map((name) => ({ name })),
        optional: OPTIONAL.map((name) => ({ name })),
      },
      {
        target: 'kubernetes',
        environments: {
          flux: {
            namespace: 'agents',
            secrets: { provider: 'github', delivery: 'sops', age_recipients: [age.recipient] },
          },
          argo: {
            namespace: 'agents-argo',
            secrets: {
              provider: 'github',
              delivery: 'sealed-secrets',
              sealed_secrets: { certificate: readFileSync(sealing.certificateFile, 'utf8') },
            },
          },
        },
      },
    );
  });
  afterAll(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function renderFolder(environment: 'flux' | 'argo') {
    const manifest: SecretManifest = await buildSecretManifest({
      ...inEnvironment(spec, environment),
      delivery: environment === 'flux' ? 'sops' : 'sealed-secrets',
      values,
      recipients: environment === 'flux' ? [age.recipient] : [],
      baseDir: '/nonexistent',
      now: new Date(),
    });
    const rendered = renderManifests({
      spec,
      environment,
      image: IMAGE,
      version: '1.4.0',
      encryptedSecret: manifest.file,
    });
    const files = [...rendered.files, { path: manifest.file.path, content: manifest.content }];
    const folder = copyFolder(files);
    cleanups.push(folder.cleanup);
    return { manifest, files, dir: folder.dir };
  }

  function deploymentOf(objects: K8sObject[]): K8sObject {
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment).toBeDefined();
    return deployment as K8sObject;
  }

  function referencedSecret(deployment: K8sObject): { name: string; optional: boolean } {
    const envFrom = deployment.spec.template.spec.containers[0].envFrom as K8sObject[];
    const refs = envFrom.filter((e) => e.secretRef).map((e) => e.secretRef);
    expect(refs).toHaveLength(1);
    return refs[0];
  }

  it('sops: listed in kustomization.yaml; kubectl kustomize carries it through still encrypted', async () => {
    const { manifest, files, dir } = await renderFolder('flux');
    const kustomization = parseObjects(
      String(files.find((f) => f.path === 'kustomization.yaml')?.content),
    )[0];
    expect(kustomization?.resources).toContain('secret.sops.yaml');
    const objects = parseObjects(run(kubectl, ['kustomize', dir]));
    const secret = objects.find((o) => o.kind === 'Secret') as K8sObject;
    expect(secret.metadata.name).toBe(referencedSecret(deploymentOf(objects)).name);
    expect(secret.metadata.namespace).toBe('agents');
    expect(secret.sops).toBeDefined();
    expect(JSON.stringify(secret)).not.toContain(TRICKY_VALUES.DOLLAR);
    // The pod template rolls with the committed ciphertext, not with any hash of a value.
    expect(deploymentOf(objects).spec.template.metadata.annotations[ENCRYPTED_SECRET_ANNOTATION]).toBe(
      createHash('sha256').update(manifest.content).digest('hex'),
    );
  });

  it('sops: Flux’s build (sops -d, NewGenerator + SecureBuild) gives a valid Secret with exactly the values', async () => {
    const { dir } = await renderFolder('flux');
    const objects = fluxBuildFolder(dir, age.identityFile);
    const secret = objects.find((o) => o.kind === 'Secret') as K8sObject;
    const deployment = deploymentOf(objects);
    expect(secret.metadata.name).toBe(referencedSecret(deployment).name);
    expect(referencedSecret(deployment).optional).toBe(false);
    expect(secret.metadata.namespace).toBe(deployment.metadata.namespace);
    expect(secret.stringData).toEqual(TRICKY_VALUES);
    expect(secret.sops).toBeUndefined();
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Secret', 'Service', 'ServiceAccount'].sort(),
    );
    validateBuiltObjects(objects);
  });

  it('sealed-secrets: kubectl kustomize and Flux’s build both give a SealedSecret the controller unseals exactly', async () => {
    const { dir } = await renderFolder('argo');
    for (const objects of [parseObjects(run(kubectl, ['kustomize', dir])), fluxBuildFolder(dir, null)]) {
      const sealed = objects.find((o) => o.kind === 'SealedSecret') as K8sObject;
      const deployment = deploymentOf(objects);
      expect(sealed.metadata.name).toBe(referencedSecret(deployment).name);
      expect(sealed.spec.template.metadata.name).toBe(sealed.metadata.name);
      expect(sealed.metadata.namespace).toBe('agents-argo');
      const validateSealedSecret = crdValidator();
      expect(validateSealedSecret(sealed), JSON.stringify(validateSealedSecret.errors)).toBe(true);
      validateBuiltObjects(objects);
      const unsealed = recoveryUnseal(JSON.stringify(sealed), sealing.privateKeyFile) as K8sObject;
      const decoded = Object.fromEntries(
        Object.entries(unsealed.data as Record<string, string | null>).map(([k, v]) => [
          k,
          Buffer.from(v ?? '', 'base64').toString('utf8'),
        ]),
      );
      expect(decoded).toEqual(TRICKY_VALUES);
      expect(unsealed.metadata.name).toBe(referencedSecret(deployment).name);
      expect(JSON.stringify(sealed)).not.toContain(TRICKY_VALUES.UNICODE);
    }
  });
});
