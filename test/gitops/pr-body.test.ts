import { describe, expect, it } from 'vitest';
import { summarizeDiff } from '../../action/gitops/pr-body.ts';

describe('summarizeDiff', () => {
  it('shows manifests and leaves out every encrypted secrets file', () => {
    const file = (path: string, line: string) => [
      `diff --git a/${path} b/${path}`,
      '--- /dev/null',
      `+++ b/${path}`,
      '@@ -0,0 +1 @@',
      `+${line}`,
    ];
    const diff = [
      ...file('prod/a/deployment.yaml', 'kind: Deployment'),
      ...file('prod/a/secret.sops.yaml', 'A: ENC[AES256_GCM,data:c29wcw==]'),
      ...file('prod/a/sealedsecret.yaml', 'A: AgBsZWFsZWQ='),
      ...file('staging/a/secrets.env.age', 'YWdlLWVuY3J5cHRpb24'),
    ].join('\n');
    const { diff: shown } = summarizeDiff(diff);
    expect(shown).toContain('+kind: Deployment');
    for (const path of ['prod/a/secret.sops.yaml', 'prod/a/sealedsecret.yaml', 'staging/a/secrets.env.age']) {
      expect(shown).toContain(`diff --git a/${path} b/${path}\n(encrypted; contents not shown)`);
    }
    for (const ciphertext of ['ENC[AES256_GCM', 'AgBsZWFsZWQ=', 'YWdlLWVuY3J5cHRpb24']) {
      expect(shown).not.toContain(ciphertext);
    }
  });
});
