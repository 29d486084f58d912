import { describe, expect, it } from 'vitest';
import {
  ENCRYPTED_SECRET_ANNOTATION,
  plaintextSecret,
  renderManifests,
  SEALING_KEY_ANNOTATION,
  sealedSecret,
  secretShell,
} from '../../generators/index.ts';
import { specWith } from '../secrets/helpers.ts';
import { DIGEST, parseOne } from './support.ts';

const spec = specWith(
  { required: [{ name: 'API_KEY' }], optional: [{ name: 'EXTRA' }] },
  {
    target: 'kubernetes',
    environments: {
      prod: { namespace: 'billing', secrets: { provider: 'github', delivery: 'sops', age_recipients: [] } },
    },
  },
);
const input = {
  spec,
  environment: 'prod',
  image: `ghcr.io/acme/invoice-copilot:1.0.0@${DIGEST}`,
  version: '1.0.0',
};
const encryptedSecret = { delivery: 'sops' as const, path: 'secret.sops.yaml', revision: 'f'.repeat(64) };

describe('the encrypted Secret in the Kubernetes folder', () => {
  it('is listed in kustomization.yaml and its revision annotates the pod template', () => {
    const { files } = renderManifests({ ...input, encryptedSecret });
    expect(parseOne(files, 'kustomization.yaml').resources).toContain('secret.sops.yaml');
    const deployment = parseOne(files, 'deployment.yaml');
    expect(deployment.spec.template.metadata.annotations[ENCRYPTED_SECRET_ANNOTATION]).toBe('f'.repeat(64));
    const ref = deployment.spec.template.spec.containers[0].envFrom.find(
      (e: { secretRef?: unknown }) => e.secretRef,
    );
    expect(ref.secretRef).toEqual({ name: secretShell(spec, 'prod').metadata.name, optional: false });
    // The generators never write the file itself: the secrets stage owns values and randomness.
    expect(files.map((f) => f.path)).not.toContain('secret.sops.yaml');
  });

  it('changes nothing else, and renders the same bytes for the same input', () => {
    const without = renderManifests(input).files;
    const withSecret = renderManifests({ ...input, encryptedSecret }).files;
    const changed = withSecret.filter((f, i) => f.content !== without[i]?.content).map((f) => f.path);
    expect(changed.sort()).toEqual(['deployment.yaml', 'kustomization.yaml']);
    expect(renderManifests({ ...input, encryptedSecret }).files).toEqual(withSecret);
  });

  it('shapes the Secret without a per-deploy label, so unchanged values keep unchanged ciphertext', () => {
    const shell = secretShell(spec, 'prod');
    expect(shell.metadata).toEqual({
      name: 'invoice-copilot-secrets',
      namespace: 'billing',
      labels: {
        'app.kubernetes.io/instance': 'invoice-copilot-prod',
        'app.kubernetes.io/managed-by': 'dockrion',
        'app.kubernetes.io/name': 'invoice-copilot',
        'dockrion.dev/environment': 'prod',
      },
    });
    expect(plaintextSecret(shell, new Map([['API_KEY', 'v']])).stringData).toEqual({ API_KEY: 'v' });
    const sealed = sealedSecret(shell, { API_KEY: 'AgB=' }, 'a'.repeat(64)) as {
      metadata: { annotations: Record<string, string> };
      spec: { template: { metadata: unknown; type: string } };
    };
    expect(sealed.metadata.annotations[SEALING_KEY_ANNOTATION]).toBe('a'.repeat(64));
    expect(sealed.spec.template).toEqual({ metadata: shell.metadata, type: 'Opaque' });
  });
});
