import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { parse } from 'yaml';
import { encryptSopsManifest, SOPS_ENCRYPTED_REGEX } from '../../action/secrets/index.ts';
import { requireInfra } from '../support/infra.ts';
import { ageIdentity, run, sops, sopsDecrypt } from '../support/k8s-tools.ts';
import { TRICKY_VALUES } from './tricky-values.ts';

const { describe, it } = requireInfra('sops', sops.present, sops.reason);

describe('SOPS manifests written in TypeScript, read by the real sops 3.11', () => {
  let dir: string;
  type Identity = ReturnType<typeof ageIdentity>;
  let identities: [Identity, Identity, Identity];
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dockrion-sops-'));
    identities = [ageIdentity(), ageIdentity(), ageIdentity()];
  });
  afterAll(() => {
    for (const identity of identities) identity.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const secret = (stringData: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'agent-secrets', namespace: 'agents', labels: { 'app.kubernetes.io/name': 'agent' } },
    type: 'Opaque',
    stringData,
  });

  async function write(
    name: string,
    document: Record<string, unknown>,
    recipients: string[],
  ): Promise<string> {
    const file = path.join(dir, name);
    writeFileSync(file, await encryptSopsManifest(document, { recipients, lastModified: new Date() }));
    return file;
  }

  it('sops -d gives back every value exactly, with each recipient’s identity', async () => {
    const [first, second] = identities;
    const file = await write('tricky.sops.yaml', secret(TRICKY_VALUES), [first.recipient, second.recipient]);
    for (const identity of [first, second]) {
      const decrypted = JSON.parse(sopsDecrypt(file, identity.identityFile, ['--output-type', 'json']));
      expect(decrypted.stringData).toEqual(TRICKY_VALUES);
      expect(decrypted.metadata).toEqual(secret({}).metadata);
      expect(decrypted.sops).toBeUndefined();
    }
  });

  it('keeps names readable and only the payload encrypted; no value appears in the file', async () => {
    const file = await write('shape.sops.yaml', secret(TRICKY_VALUES), [identities[0].recipient]);
    const text = readFileSync(file, 'utf8');
    const doc = parse(text);
    expect(doc.metadata.name).toBe('agent-secrets');
    expect(doc.sops.encrypted_regex).toBe(SOPS_ENCRYPTED_REGEX);
    expect(doc.sops.age.map((a: { recipient: string }) => a.recipient)).toEqual([identities[0].recipient]);
    for (const [name, value] of Object.entries(TRICKY_VALUES)) {
      if (value === '') expect(doc.stringData[name]).toBe('');
      else expect(doc.stringData[name]).toMatch(/^ENC\[AES256_GCM,data:.+,iv:.+,tag:.+,type:str\]$/);
      if (value.length >= 4) expect(text).not.toContain(value);
    }
  });

  it('refuses a file whose ciphertext or readable fields were changed (the MAC covers every value)', async () => {
    const file = await write('mac.sops.yaml', secret({ A: 'first', B: 'second' }), [identities[0].recipient]);
    const text = readFileSync(file, 'utf8');
    const doc = parse(text);
    // Swapping two encrypted values: each still decrypts only under its own path, so sops fails.
    const swapped = text
      .replace(doc.stringData.A, '@@A@@')
      .replace(doc.stringData.B, doc.stringData.A)
      .replace('@@A@@', doc.stringData.B);
    const renamed = text.replace('name: "agent-secrets"', 'name: "other-secrets"');
    expect(renamed).not.toBe(text);
    for (const [name, tampered] of [
      ['swapped.sops.yaml', swapped],
      ['renamed.sops.yaml', renamed],
    ] as const) {
      const tamperedFile = path.join(dir, name);
      writeFileSync(tamperedFile, tampered);
      expect(() => sopsDecrypt(tamperedFile, identities[0].identityFile)).toThrow(
        /MAC mismatch|Could not decrypt|failed/i,
      );
    }
  });

  it('cannot be read with an identity that is not a recipient', async () => {
    const file = await write('other.sops.yaml', secret({ A: 'value' }), [identities[0].recipient]);
    expect(() => sopsDecrypt(file, identities[2].identityFile)).toThrow(/failed/i);
  });

  it('round-trips through sops itself: decrypt, re-encrypt with sops, decrypt again', async () => {
    const file = await write('roundtrip.sops.yaml', secret(TRICKY_VALUES), [identities[0].recipient]);
    const plain = path.join(dir, 'roundtrip.plain.yaml');
    writeFileSync(plain, sopsDecrypt(file, identities[0].identityFile));
    const again = run(sops, [
      '-e',
      '--age',
      identities[1].recipient,
      '--encrypted-regex',
      SOPS_ENCRYPTED_REGEX,
      '--input-type',
      'yaml',
      '--output-type',
      'yaml',
      plain,
    ]);
    const reencrypted = path.join(dir, 'reencrypted.sops.yaml');
    writeFileSync(reencrypted, again);
    const decrypted = JSON.parse(
      sopsDecrypt(reencrypted, identities[1].identityFile, ['--output-type', 'json']),
    );
    expect(decrypted.stringData).toEqual(TRICKY_VALUES);
  });
});
