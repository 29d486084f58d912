import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSecretManifest, type SecretManifestOptions } from '../../action/secrets/index.ts';
import { inEnvironment } from '../support/environment.ts';
import { specWith } from './helpers.ts';

/** Keeping committed ciphertext: what may be compared without the cluster's key, and what may not. */
const recipientA = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const recipientB = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';
const rsa = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
const certificate = rsa(2048);

const spec = specWith(
  { required: [{ name: 'A' }], optional: [{ name: 'B' }] },
  {
    target: 'kubernetes',
    environments: {
      flux: { secrets: { provider: 'github', delivery: 'sops', age_recipients: [recipientA] } },
      argo: { secrets: { provider: 'github', delivery: 'sealed-secrets', sealed_secrets: { certificate } } },
    },
  },
);

function options(
  environment: 'flux' | 'argo',
  extra: Partial<SecretManifestOptions> = {},
): SecretManifestOptions {
  return {
    ...inEnvironment(spec, environment),
    delivery: environment === 'flux' ? 'sops' : 'sealed-secrets',
    values: new Map([
      ['A', 'alpha'],
      ['B', 'beta'],
    ]),
    recipients: [recipientA],
    baseDir: '/nonexistent',
    now: new Date('2026-01-02T03:04:05Z'),
    ...extra,
  };
}

describe.each(['flux', 'argo'] as const)('buildSecretManifest (%s)', (environment) => {
  it('keeps the committed file when names and keys are unchanged, even if a value changed', async () => {
    const first = await buildSecretManifest(options(environment));
    expect(first.reused).toBe(false);
    const same = await buildSecretManifest(options(environment, { committed: first.content }));
    expect(same).toEqual({ ...first, reused: true });
    // Without the cluster's key a rotated value cannot be seen: it needs force.
    const rotated = new Map([
      ['A', 'alpha-2'],
      ['B', 'beta'],
    ]);
    expect(
      (await buildSecretManifest(options(environment, { committed: first.content, values: rotated }))).reused,
    ).toBe(true);
    const forced = await buildSecretManifest(
      options(environment, { committed: first.content, values: rotated, force: true }),
    );
    expect(forced.reused).toBe(false);
    expect(forced.file.revision).not.toBe(first.file.revision);
  });

  it('re-encrypts when a secret appears or disappears, or the committed file is unusable', async () => {
    const first = await buildSecretManifest(options(environment));
    const fewer = new Map([['A', 'alpha']]);
    expect(
      (await buildSecretManifest(options(environment, { committed: first.content, values: fewer }))).reused,
    ).toBe(false);
    for (const committed of [
      '',
      'not: [yaml',
      'kind: Secret\n',
      first.content.replace(/name: "?invoice-copilot-secrets"?/, 'name: other'),
    ]) {
      expect((await buildSecretManifest(options(environment, { committed }))).reused).toBe(false);
    }
  });
});

describe('buildSecretManifest: what only one delivery can see', () => {
  it('sops: a new recipient, or a value turning empty, re-encrypts; plaintext in a committed file is never kept', async () => {
    const first = await buildSecretManifest(options('flux'));
    const moreKeys = await buildSecretManifest(
      options('flux', { committed: first.content, recipients: [recipientA, recipientB] }),
    );
    expect(moreKeys.reused).toBe(false);
    const emptied = new Map([
      ['A', 'alpha'],
      ['B', ''],
    ]);
    expect(
      (await buildSecretManifest(options('flux', { committed: first.content, values: emptied }))).reused,
    ).toBe(false);
    const planted = first.content.replace(/^ {2}A: ".*"$/m, '  A: "alpha"');
    expect(planted).not.toBe(first.content);
    expect((await buildSecretManifest(options('flux', { committed: planted }))).reused).toBe(false);
  });

  it('sealed-secrets: a new controller certificate re-seals; a missing certificate is a clear error', async () => {
    const first = await buildSecretManifest(options('argo'));
    const rotatedKey = await buildSecretManifest(
      options('argo', { committed: first.content, sealingCertificate: { pem: rsa(2048), source: 'test' } }),
    );
    expect(rotatedKey.reused).toBe(false);
    const noCert = specWith(
      { required: [{ name: 'A' }] },
      {
        target: 'kubernetes',
        environments: { argo: { secrets: { provider: 'github', delivery: 'sealed-secrets' } } },
      },
    );
    await expect(
      buildSecretManifest({ ...options('argo'), ...inEnvironment(noCert, 'argo') }),
    ).rejects.toThrow(/needs the controller's certificate/);
    await expect(
      buildSecretManifest(
        options('argo', { sealingCertificate: { pem: 'not a pem', source: '--sealed-secrets-cert x.pem' } }),
      ),
    ).rejects.toThrow(/--sealed-secrets-cert x.pem is not a PEM certificate/);
  });
});
