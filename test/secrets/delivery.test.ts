import { describe, expect, it } from 'vitest';
import { assertDeliverable, secretsDelivery, versionsHash } from '../../action/secrets/index.ts';
import { resolveEnvironment } from '../../generators/index.ts';
import { specWith } from './helpers.ts';

const recipient = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const vault = { provider: 'vault' as const, vault: { address: 'https://vault:8200', path: 'app' } };

describe('secretsDelivery', () => {
  const spec = specWith(
    { required: [{ name: 'A' }] },
    {
      target: 'kubernetes',
      environments: {
        'k8s-vault': { secrets: vault },
        'k8s-vault-age': { secrets: { ...vault, age_recipients: [recipient] } },
        'k8s-github': { secrets: { provider: 'github', age_recipients: [recipient] } },
        'k8s-sops': { secrets: { provider: 'github', delivery: 'sops', age_recipients: [recipient] } },
        'k8s-sealed': { secrets: { provider: 'github', delivery: 'sealed-secrets' } },
        'compose-vault': { target: 'compose', secrets: vault },
        'k8s-default': {},
      },
    },
  );

  it.each([
    ['k8s-vault', { externalSecret: true, ageFile: false, manifest: null, recipients: [] }],
    ['k8s-vault-age', { externalSecret: true, ageFile: true, manifest: null, recipients: [recipient] }],
    ['k8s-github', { externalSecret: false, ageFile: true, manifest: null, recipients: [recipient] }],
    ['k8s-sops', { externalSecret: false, ageFile: false, manifest: 'sops', recipients: [recipient] }],
    ['k8s-sealed', { externalSecret: false, ageFile: false, manifest: 'sealed-secrets', recipients: [] }],
    // Compose has no External Secrets operator: the age file is the only way, so it needs recipients.
    ['compose-vault', { externalSecret: false, ageFile: true, manifest: null, recipients: [] }],
    ['k8s-default', { externalSecret: false, ageFile: true, manifest: null, recipients: [] }],
  ])('%s', (environment, expected) => {
    expect(secretsDelivery(resolveEnvironment(spec, environment))).toEqual(expected);
  });
});

describe('versionsHash', () => {
  const entry = (name: string, remoteVersion?: string) => ({
    name,
    status: 'present' as const,
    required: true,
    remoteKey: name,
    ...(remoteVersion ? { remoteVersion } : {}),
  });

  it('does not depend on entry order, and moves with a version, a location or a provider', () => {
    const base = versionsHash('vault', 'vault x secret/data/app', [entry('A', '1'), entry('B', '1')]);
    expect(versionsHash('vault', 'vault x secret/data/app', [entry('B', '1'), entry('A', '1')])).toBe(base);
    expect(versionsHash('vault', 'vault x secret/data/app', [entry('A', '2'), entry('B', '1')])).not.toBe(
      base,
    );
    expect(versionsHash('vault', 'vault x secret/data/other', [entry('A', '1'), entry('B', '1')])).not.toBe(
      base,
    );
    expect(versionsHash('aws', 'vault x secret/data/app', [entry('A', '1'), entry('B', '1')])).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('assertDeliverable (the deploy pipeline runs it before reading any value)', () => {
  it('refuses GitHub secrets on Kubernetes without a cluster-side delivery, also with no environments declared', () => {
    const bare = specWith({ required: [{ name: 'A' }] });
    expect(() => assertDeliverable(resolveEnvironment(bare, 'prod'))).toThrow(
      /need a delivery the cluster can decrypt/,
    );
    const k8s = specWith(
      { required: [{ name: 'A' }] },
      {
        target: 'kubernetes',
        environments: {
          prod: { secrets: { provider: 'github', delivery: 'age-file', age_recipients: [recipient] } },
        },
      },
    );
    expect(() => assertDeliverable(resolveEnvironment(k8s, 'prod'))).toThrow(/secrets.delivery is age-file/);
  });

  it('accepts sops with recipients, sealed-secrets, Compose with the age file, and no declared secret', () => {
    const spec = specWith(
      { required: [{ name: 'A' }] },
      {
        target: 'kubernetes',
        environments: {
          sops: { secrets: { provider: 'github', delivery: 'sops', age_recipients: [recipient] } },
          sealed: { secrets: { provider: 'github', delivery: 'sealed-secrets' } },
          compose: { target: 'compose', secrets: { provider: 'github', age_recipients: [recipient] } },
          vault: { secrets: vault },
        },
      },
    );
    for (const environment of ['sops', 'sealed', 'compose', 'vault']) {
      expect(() => assertDeliverable(resolveEnvironment(spec, environment))).not.toThrow();
    }
    expect(() => assertDeliverable(resolveEnvironment(specWith({}), 'prod'))).not.toThrow();
  });
});
