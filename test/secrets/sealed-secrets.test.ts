import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseSealingCertificate, sealValue, strictScopeLabel } from '../../action/secrets/index.ts';
import { SEALING_KEY_ANNOTATION, sealedSecret, secretShell, toYaml } from '../../generators/index.ts';
import { requireInfra } from '../support/infra.ts';
import {
  crdValidator,
  kubeseal,
  recoveryUnseal,
  sealedSecretsCrd,
  sealingKeyPair,
} from '../support/k8s-tools.ts';
import { specWith } from './helpers.ts';
import { TRICKY_VALUES } from './tricky-values.ts';

const { describe, it } = requireInfra(
  'kubeseal and the SealedSecret CRD',
  kubeseal.present && sealedSecretsCrd.present,
  kubeseal.reason || sealedSecretsCrd.reason,
);

describe('SealedSecrets sealed in TypeScript, unsealed by the real kubeseal 0.27.3', () => {
  let keys: ReturnType<typeof sealingKeyPair>;
  beforeAll(() => {
    keys = sealingKeyPair();
  });
  afterAll(() => keys.cleanup());

  const spec = specWith(
    { required: Object.keys(TRICKY_VALUES).map((name) => ({ name })) },
    {
      target: 'kubernetes',
      environments: {
        prod: { namespace: 'agents', secrets: { provider: 'github', delivery: 'sealed-secrets' } },
      },
    },
  );

  function seal(values: Record<string, string>, label?: string): string {
    const key = parseSealingCertificate(readFileSync(keys.certificateFile, 'utf8'), 'test certificate');
    const shell = secretShell(spec, 'prod');
    const scope = label ?? strictScopeLabel(shell.metadata.namespace, shell.metadata.name);
    const encryptedData = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, sealValue(key, scope, value)]),
    );
    return toYaml(sealedSecret(shell, encryptedData, key.fingerprint));
  }

  it('kubeseal --recovery-unseal gives back every value exactly, in the Secret the pod reads', () => {
    const secret = recoveryUnseal(seal(TRICKY_VALUES), keys.privateKeyFile) as {
      metadata: { name: string; namespace: string };
      data: Record<string, string | null>;
      type: string;
    };
    expect(secret.metadata.name).toBe('invoice-copilot-secrets');
    expect(secret.metadata.namespace).toBe('agents');
    expect(secret.type).toBe('Opaque');
    // An empty value comes back as `null` (Go's nil []byte): the key is there, with nothing in it.
    const decoded = Object.fromEntries(
      Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v ?? '', 'base64').toString('utf8')]),
    );
    expect(decoded).toEqual(TRICKY_VALUES);
  });

  it('is bound to its namespace and name (strict scope): moved elsewhere it does not unseal', () => {
    const sealed = parse(seal({ A: 'value' }));
    sealed.metadata.namespace = 'other';
    expect(() => recoveryUnseal(stringify(sealed), keys.privateKeyFile)).toThrow(/failed|decrypt/i);
    const wrongLabel = seal({ A: 'value' }, 'agents/another-secret');
    expect(() => recoveryUnseal(wrongLabel, keys.privateKeyFile)).toThrow(/failed|decrypt/i);
  });

  it('cannot be unsealed with another controller key', () => {
    const other = sealingKeyPair();
    try {
      expect(() => recoveryUnseal(seal({ A: 'value' }), other.privateKeyFile)).toThrow(/failed|decrypt/i);
    } finally {
      other.cleanup();
    }
  });

  it('validates against the controller’s CRD schema, names its key, and holds no value in clear', () => {
    const text = seal(TRICKY_VALUES);
    const object = parse(text);
    const validate = crdValidator();
    expect(validate(object), JSON.stringify(validate.errors)).toBe(true);
    // The check itself catches a field the CRD does not know.
    expect(validate({ ...object, spec: { ...object.spec, bogus: true } })).toBe(false);
    expect(object.metadata.annotations[SEALING_KEY_ANNOTATION]).toMatch(/^[0-9a-f]{64}$/);
    expect(object.metadata.annotations['sealedsecrets.bitnami.com/cluster-wide']).toBeUndefined();
    expect(object.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBeUndefined();
    for (const value of Object.values(TRICKY_VALUES))
      if (value.length >= 4) expect(text).not.toContain(value);
  });
});
