import { describe, expect, it } from 'vitest';
import { secretsDelivery, versionsHash } from '../../action/secrets/index.ts';
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
        'compose-vault': { target: 'compose', secrets: vault },
        'k8s-default': {},
      },
    },
  );

  it.each([
    ['k8s-vault', { externalSecret: true, ageFile: false, recipients: [] }],
    ['k8s-vault-age', { externalSecret: true, ageFile: true, recipients: [recipient] }],
    ['k8s-github', { externalSecret: false, ageFile: true, recipients: [recipient] }],
    // Compose has no External Secrets operator: the age file is the only way, so it needs recipients.
    ['compose-vault', { externalSecret: false, ageFile: true, recipients: [] }],
    ['k8s-default', { externalSecret: false, ageFile: true, recipients: [] }],
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
