import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.ts';

/** A github + kubernetes environment without a delivery a cluster can consume, through the CLI. */
describe('GitHub secrets on Kubernetes without secrets.delivery', () => {
  let dir: string;
  let dockfile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-delivery-cli-'));
    dockfile = join(dir, 'Dockfile.yaml');
    execFileSync('git', ['init', '--bare', '--quiet', join(dir, 'environments.git')]);
    writeFileSync(
      dockfile,
      `version: "1.0"
agent: { name: billing-bot, handler: "app:handle" }
secrets:
  required: [{ name: OPENAI_API_KEY }]
deploy:
  target: kubernetes
  environments:
    prod:
      secrets: { provider: github, age_recipients: [age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p] }
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validate fails, naming the field, both deliveries and where each is documented', async () => {
    const cli = captureCli({ cwd: dir, env: { PATH: process.env.PATH } });
    expect(await cli.run(['validate', dockfile])).toBe(1);
    const text = cli.stdout() + cli.stderr();
    expect(text).toContain('deploy.environments.prod.secrets');
    expect(text).toContain('GitHub secrets on Kubernetes need a delivery the cluster can decrypt');
    expect(text).toContain('secrets.delivery: sops');
    expect(text).toContain('https://fluxcd.io/flux/guides/mozilla-sops/');
    expect(text).toContain('sealed-secrets');
    expect(text).toContain('https://github.com/bitnami-labs/sealed-secrets');
  });

  it('deploy stops at validation, before any secret is read or image built', async () => {
    const cli = captureCli({
      cwd: dir,
      env: { PATH: process.env.PATH, DOCKRION_SECRETS_JSON: '{"OPENAI_API_KEY":"sk-never-read"}' },
    });
    const code = await cli.run([
      'deploy',
      dockfile,
      '--env',
      'prod',
      '--image',
      `127.0.0.1:1/none:1@sha256:${'c'.repeat(64)}`,
      '--environments-repo',
      join(dir, 'environments.git'),
      '--direct',
    ]);
    expect(code, cli.stderr()).toBe(1);
    expect(cli.stderr()).toContain('GitHub secrets on Kubernetes need a delivery the cluster can decrypt');
    expect(cli.stderr()).not.toContain('Build and push');
  });
});
