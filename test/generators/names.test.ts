import { describe, expect, it } from 'vitest';
import { commonLabels, objectNames, renderManifests, selectorLabels } from '../../generators/index.ts';
import { instanceName, optionalSecretName, toLabelValue } from '../../generators/names.ts';
import { fullSpec, IMAGE, parseFile, withSpec } from './support.ts';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

describe('names and labels', () => {
  it('derives every object name from the agent', () => {
    expect(objectNames('invoice-copilot')).toEqual({
      workload: 'invoice-copilot',
      configMap: 'invoice-copilot-config',
      secret: 'invoice-copilot-secrets',
      tlsSecret: 'invoice-copilot-tls',
    });
  });

  it('keeps selector labels to name and instance', () => {
    expect(selectorLabels('a', 'prod')).toEqual({
      'app.kubernetes.io/name': 'a',
      'app.kubernetes.io/instance': 'a-prod',
    });
    expect(commonLabels('a', 'prod', '1.0.0')).toEqual({
      'app.kubernetes.io/name': 'a',
      'app.kubernetes.io/instance': 'a-prod',
      'app.kubernetes.io/version': '1.0.0',
      'app.kubernetes.io/managed-by': 'dockrion',
      'dockrion.dev/environment': 'prod',
    });
  });

  it('names one Secret per optional secret, a DNS label of at most 63 characters, distinct per name', () => {
    expect(optionalSecretName('invoice-copilot', 'LANGFUSE_SECRET_KEY')).toBe(
      'invoice-copilot-secrets-optional-langfuse-secret-key',
    );
    const names = [
      optionalSecretName('a', 'TOKEN'),
      optionalSecretName('a', '_TOKEN'),
      optionalSecretName('a', 'TOKEN_'),
      optionalSecretName('a'.repeat(63), 'TOKEN'),
      optionalSecretName('a'.repeat(63), 'TOKEN_2'),
    ];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    }
  });

  it('turns any version into a valid label value', () => {
    expect(toLabelValue('1.0.0+build.5')).toBe('1.0.0-build.5');
    expect(toLabelValue('v2.0.0-rc.1')).toBe('v2.0.0-rc.1');
    expect(toLabelValue('-weird/version_')).toBe('weird-version');
    const long = toLabelValue(`1.0.0-${'x'.repeat(80)}`);
    expect(isLabelValue(long)).toBe(true);
    expect(long).not.toBe(toLabelValue(`1.0.0-${'x'.repeat(81)}`));
    expect(isLabelValue(toLabelValue('+++'))).toBe(true);
  });

  it('keeps the instance of the longest agent and environment names a valid, distinct label', () => {
    const agent = `a${'b'.repeat(61)}c`;
    const staging = instanceName(agent, `s${'t'.repeat(61)}g`);
    const prod = instanceName(agent, `p${'r'.repeat(61)}d`);
    expect(isLabelValue(staging)).toBe(true);
    expect(isLabelValue(prod)).toBe(true);
    expect(staging).not.toBe(prod);
  });

  it('renders only valid label values and object names, even for awkward versions', () => {
    const spec = withSpec(fullSpec(), (s) => {
      s.agent.name = `a${'b'.repeat(50)}`;
    });
    for (const environment of ['staging', 'production', 'aws-prod']) {
      const { files } = renderManifests({
        spec,
        environment,
        image: IMAGE,
        version: '2024.11.26+sha.4b825dc642cb6eb9a060e54bf8d69288fbee4904',
        target: 'kubernetes',
      });
      for (const object of files.filter((f) => f.path !== 'kustomization.yaml').flatMap(parseFile)) {
        expect(DNS_SUBDOMAIN.test(object.metadata.name) && object.metadata.name.length <= 253).toBe(true);
        for (const labels of [object.metadata.labels, object.spec?.template?.metadata?.labels]) {
          for (const value of Object.values(labels ?? {}))
            expect(isLabelValue(String(value)), String(value)).toBe(true);
        }
      }
    }
  });
});
