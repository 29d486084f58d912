import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { consoleLogger } from '../../action/adapters/logger.ts';
import { main } from '../../action/cli.ts';
import type { CliContext } from '../../action/commands/context.ts';
import { hasAge, requireInfra } from '../support/infra.ts';
import { startVaultStandIn, type VaultStandIn } from '../support/vault-server.ts';

const { describe, it } = requireInfra('age', hasAge());

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'Dockfile.yaml');

function cliContext(env: NodeJS.ProcessEnv, cwd: string) {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    cwd,
    env,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    logger: consoleLogger({ write: (s) => (stderr += s) }),
    exec: nodeExec(),
  };
  return { ctx, out: () => stdout, err: () => stderr };
}

describe('dockrion secrets', () => {
  let dir: string;
  let identityFile: string;
  let recipient: string;
  let vault: VaultStandIn;
  const baseEnv = () => ({ PATH: process.env.PATH, VAULT_ADDR: vault.address, AGE_RECIPIENT: recipient });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-secrets-cli-'));
    identityFile = join(dir, 'key.txt');
    execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
    recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
    vault = await startVaultStandIn({
      kv: [
        {
          namespace: 'team-ai',
          mount: 'kv',
          version: 2,
          secrets: { 'invoice-copilot/production': [{ OPENAI_API_KEY: 'sk-prod-cli' }] },
        },
      ],
      approle: {
        namespace: 'team-ai',
        roles: [{ roleId: 'invoice-copilot-ci', secretId: 'cli-secret-id', allow: ['kv/data/*'] }],
      },
    });
  });
  afterAll(async () => {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('check --format json prints names, provider and status, never values; exit 0', async () => {
    const { ctx, out, err } = cliContext(
      {
        ...baseEnv(),
        DOCKRION_SECRETS_JSON: JSON.stringify({
          OPENAI_API_KEY_STAGING: 'sk-cli-value',
          MY_AGENT_KEY: 'agent-cli-value',
        }),
      },
      dir,
    );
    const code = await main(['secrets', 'check', fixture, '--env', 'staging', '--format', 'json'], ctx);
    expect(err()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out());
    expect(report).toMatchObject({
      environment: 'staging',
      provider: 'github',
      ok: true,
      missing: [],
      hint: null,
    });
    expect(report.secrets).toEqual([
      {
        name: 'OPENAI_API_KEY',
        provider: 'github',
        status: 'present',
        required: true,
        remoteKey: 'OPENAI_API_KEY_STAGING',
        remoteVersion: null,
      },
      {
        name: 'MY_AGENT_KEY',
        provider: 'github',
        status: 'present',
        required: true,
        remoteKey: 'MY_AGENT_KEY',
        remoteVersion: null,
      },
      {
        name: 'LANGFUSE_SECRET',
        provider: 'github',
        status: 'defaulted',
        required: false,
        remoteKey: 'LANGFUSE_SECRET',
        remoteVersion: null,
      },
      {
        name: 'SENTRY_DSN',
        provider: 'github',
        status: 'missing',
        required: false,
        remoteKey: 'SENTRY_DSN',
        remoteVersion: null,
      },
    ]);
    expect(out()).not.toContain('cli-value');
    expect(out()).not.toContain('lf-default');
  });

  it('check (text) with a missing required secret lists it, hints, and exits 1', async () => {
    const { ctx, out, err } = cliContext({ ...baseEnv(), MY_AGENT_KEY: 'agent-from-env' }, dir);
    const code = await main(['secrets', 'check', fixture, '--env', 'staging'], ctx);
    expect(code).toBe(1);
    expect(out()).toBe(
      [
        "secrets for 'staging' from GitHub Secrets",
        '  OPENAI_API_KEY   github  missing    required  (as OPENAI_API_KEY_STAGING)',
        '  MY_AGENT_KEY     github  present    required',
        '  LANGFUSE_SECRET  github  defaulted  optional',
        '  SENTRY_DSN       github  missing    optional',
        '',
      ].join('\n'),
    );
    expect(err()).toContain('missing required: OPENAI_API_KEY\n');
    expect(err()).toContain('secrets: ${{ toJSON(secrets) }}');
    expect(`${out()}${err()}`).not.toContain('agent-from-env');
  });

  it('check against Vault (AppRole, namespace) from the Dockfile profile plus the process env', async () => {
    const { ctx, out } = cliContext({ ...baseEnv(), VAULT_APPROLE_SECRET_ID: 'cli-secret-id' }, dir);
    const code = await main(['secrets', 'check', fixture, '--env', 'production', '--format', 'json'], ctx);
    expect(code).toBe(1);
    const report = JSON.parse(out());
    expect(report.location).toBe(
      `vault ${vault.address} namespace team-ai kv/data/invoice-copilot/production`,
    );
    expect(report.missing).toEqual(['MY_AGENT_KEY']);
    expect(report.secrets[0]).toMatchObject({
      name: 'OPENAI_API_KEY',
      status: 'present',
      remoteVersion: '1',
    });
    expect(out()).not.toContain('sk-prod-cli');
  });

  it('a provider failure exits 1 with the message, not a stack', async () => {
    const { ctx, err } = cliContext({ ...baseEnv(), VAULT_APPROLE_SECRET_ID: 'wrong-id' }, dir);
    const code = await main(['secrets', 'check', fixture, '--env', 'production'], ctx);
    expect(code).toBe(1);
    expect(err()).toBe(
      'dockrion secrets: Vault refused the AppRole login (auth/approle/login) (400: invalid role or secret ID)\n',
    );
  });

  it('encrypt --secrets-json writes secrets.env.age that the age CLI decrypts', async () => {
    const json = join(dir, 'secrets.json');
    writeFileSync(json, JSON.stringify({ OPENAI_API_KEY_STAGING: 'sk-enc', MY_AGENT_KEY: 'agent "enc" $x' }));
    const out = join(dir, 'secrets.env.age');
    const { ctx, err } = cliContext(baseEnv(), dir);
    const code = await main(
      [
        'secrets',
        'encrypt',
        fixture,
        '--env',
        'staging',
        '--out',
        'secrets.env.age',
        '--secrets-json',
        'secrets.json',
      ],
      ctx,
    );
    expect(code).toBe(0);
    expect(err()).toBe(
      'wrote secrets.env.age (3 secrets from GitHub Secrets, encrypted to 1 age recipient)\n',
    );
    expect(readFileSync(out).includes(Buffer.from('sk-enc'))).toBe(false);
    const decrypted = spawnSync('age', ['-d', '-i', identityFile, out], { encoding: 'utf8' });
    expect(decrypted.stdout).toBe(
      'LANGFUSE_SECRET="lf-default"\nMY_AGENT_KEY="agent \\"enc\\" \\$x"\nOPENAI_API_KEY="sk-enc"\n',
    );
  });

  it('encrypt refuses when a required secret is missing, naming the input file', async () => {
    const json = join(dir, 'partial.json');
    writeFileSync(json, '{"MY_AGENT_KEY": "x"}');
    const { ctx, err } = cliContext(baseEnv(), dir);
    const code = await main(
      [
        'secrets',
        'encrypt',
        fixture,
        '--env',
        'staging',
        '--out',
        'never.age',
        '--secrets-json',
        'partial.json',
      ],
      ctx,
    );
    expect(code).toBe(1);
    expect(err()).toContain(
      "missing required secret for environment 'staging' from GitHub Secrets: OPENAI_API_KEY",
    );
    expect(err()).toContain('--secrets-json partial.json has no OPENAI_API_KEY_STAGING');
  });

  it('encrypt refuses a directory or a missing parent as --out with exit 2, before resolving secrets', async () => {
    const json = join(dir, 'out-secrets.json');
    writeFileSync(
      json,
      JSON.stringify({ OPENAI_API_KEY_STAGING: 'sk-out-check', MY_AGENT_KEY: 'agent-out' }),
    );
    const cases: Array<[string, string]> = [
      ['.', '--out . is a directory\n  hint: name the file to write, e.g. --out secrets.env.age'],
      [
        'no-such-dir/secrets.env.age',
        `--out no-such-dir/secrets.env.age: ${join(dir, 'no-such-dir')} is not an existing directory`,
      ],
    ];
    for (const [out, message] of cases) {
      const { ctx, out: stdout, err } = cliContext(baseEnv(), dir);
      const code = await main(
        [
          'secrets',
          'encrypt',
          fixture,
          '--env',
          'staging',
          '--out',
          out,
          '--secrets-json',
          'out-secrets.json',
        ],
        ctx,
      );
      expect(code).toBe(2);
      expect(err()).toContain(message);
      expect(err()).not.toMatch(/EISDIR|ENOENT|sk-out-check|\n\s+at /);
      expect(stdout()).toBe('');
    }
  });

  it('a directory without a Dockfile.yaml is named as such; an invalid Dockfile is shown as given, with its line', async () => {
    const empty = mkdtempSync(join(dir, 'no-dockfile-'));
    const { ctx, err } = cliContext(baseEnv(), dir);
    expect(await main(['secrets', 'check', empty, '--env', 'staging'], ctx)).toBe(2);
    expect(err()).toContain(`dockrion secrets: ${empty} is a directory without a Dockfile.yaml`);

    writeFileSync(join(dir, 'typo.yaml'), 'version: "1.0"\nagnet:\n  name: a\n');
    const typo = cliContext(baseEnv(), dir);
    expect(await main(['secrets', 'check', 'typo.yaml', '--env', 'staging'], typo.ctx)).toBe(1);
    expect(typo.err()).toContain(
      "typo.yaml:2:1: error 4002 InvalidSchemaError at agnet: unknown key 'agnet'",
    );
    expect(typo.err()).toContain('   2 | agnet:');
    expect(typo.err()).not.toContain(`${dir}/typo.yaml`);
  });

  // The command resolves the environment once, with the function render and deploy use, and hands
  // it to the secrets stage: a misspelt --env fails with the same message, before Vault is asked.
  it('a misspelt or unknown --env is refused with the known names, before any provider is asked', async () => {
    const asked = vault.requests.length;
    for (const [command, extra] of [
      ['check', []],
      ['encrypt', ['--out', join(dir, 'never.age')]],
    ] as const) {
      const { ctx, out, err } = cliContext(baseEnv(), dir);
      const code = await main(['secrets', command, fixture, '--env', 'productio', ...extra], ctx);
      expect(err()).toBe(
        "dockrion secrets: deploy.environments: unknown environment 'productio'; the Dockfile defines: production, sandbox, staging\n" +
          '  hint: did you mean --env production? Or add deploy.environments.productio\n',
      );
      expect(code).toBe(1);
      expect(out()).toBe('');
    }
    const { ctx, err } = cliContext(baseEnv(), dir);
    expect(await main(['secrets', 'check', fixture, '--env', 'constructor'], ctx)).toBe(1);
    expect(err()).toContain("unknown environment 'constructor'");
    expect(vault.requests.length).toBe(asked);
  });

  it('usage errors exit 2', async () => {
    for (const argv of [
      ['secrets'],
      ['secrets', 'check', fixture],
      ['secrets', 'encrypt', fixture, '--env', 'staging'],
      ['secrets', 'check', fixture, '--env', 'staging', '--format', 'yaml'],
      ['secrets', 'rotate', fixture, '--env', 'staging'],
    ]) {
      const { ctx } = cliContext(baseEnv(), dir);
      expect(await main(argv, ctx)).toBe(2);
    }
  });

  it('an invalid Dockfile is reported by the validator and exits 1', async () => {
    const bad = join(dir, 'Dockfile.yaml');
    writeFileSync(bad, 'version: "1.0"\nagent:\n  name: Bad_Name\n');
    const { ctx, err } = cliContext(baseEnv(), dir);
    expect(await main(['secrets', 'check', dir, '--env', 'staging'], ctx)).toBe(1);
    expect(err()).toContain('4002');
  });
});
