import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { consoleLogger } from '../../action/adapters/logger.ts';
import { main } from '../../action/cli.ts';
import { encryptSecretsEnv, resolveSecrets } from '../../action/secrets/index.ts';
import { describeError } from '../../shared/errors.ts';
import {
  type Canaries,
  canaryValues,
  filesLeakingCanaries,
  leakedCanaries,
  plaintextHashes,
} from '../support/canary.ts';
import { inEnvironment } from '../support/environment.ts';
import { hasAge, requireInfra } from '../support/infra.ts';
import { sealingKeyPair } from '../support/k8s-tools.ts';
import { startVaultStandIn, type VaultStandIn } from '../support/vault-server.ts';
import { capturingLogger, specWith } from './helpers.ts';

const { describe, it } = requireInfra('age', hasAge());

describe('canary values never leak from resolve → log → encrypt → files', () => {
  let dir: string;
  let recipient: string;
  let canaries: Canaries;
  let vault: VaultStandIn;
  const VAULT_TOKEN = 'hvs.canary-token-0123456789';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-canary-'));
    const key = join(mkdtempSync(join(tmpdir(), 'dockrion-canary-key-')), 'key.txt');
    execFileSync('age-keygen', ['-o', key], { stdio: 'ignore' });
    recipient = execFileSync('age-keygen', ['-y', key], { encoding: 'utf8' }).trim();
    rmSync(join(key, '..'), { recursive: true, force: true });
    canaries = canaryValues();
    vault = await startVaultStandIn({
      tokens: { [VAULT_TOKEN]: { allow: ['*'] } },
      kv: [{ mount: 'secret', version: 2, secrets: { app: [{ ...canaries.values }] } }],
    });
  });
  afterAll(async () => {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const declared = () => ({
    required: Object.keys(canaries.values).map((name) => ({ name })),
    optional: [{ name: 'NOT_SET_ANYWHERE' }],
  });

  /** What careless code might print once it holds the values. */
  function logCarelessly(
    logger: ReturnType<typeof capturingLogger>['logger'],
    values: ReadonlyMap<string, string>,
  ) {
    for (const [name, value] of values) {
      logger.info(`${name}=${value}`);
      logger.debug(`base64 ${Buffer.from(value).toString('base64')}`);
      logger.warn(`first line: ${value.split('\n')[1] ?? value}`);
    }
    logger.error(`values: ${JSON.stringify(Object.fromEntries(values))}`);
  }

  for (const provider of ['github', 'vault'] as const) {
    it(`${provider}: the capturing logger and every written file are free of canaries`, async () => {
      const { logger, output } = capturingLogger();
      const spec = specWith(declared(), {
        environments: {
          staging: {
            target: 'compose',
            secrets:
              provider === 'github'
                ? { provider: 'github', age_recipients: [recipient] }
                : {
                    provider: 'vault',
                    vault: { address: vault.address, path: 'app' },
                    age_recipients: [recipient],
                  },
          },
        },
      });
      const set = await resolveSecrets({
        ...inEnvironment(spec, 'staging'),
        env: { VAULT_TOKEN },
        githubSecretsJson: JSON.stringify(canaries.values),
        logger,
      });
      expect(Object.fromEntries(set.values)).toEqual(canaries.values);
      logCarelessly(logger, set.values);
      // The Vault token is a credential the provider used, so it is masked too.
      if (provider === 'vault') logger.info(`token ${VAULT_TOKEN}`);
      expect(leakedCanaries(output(), canaries)).toEqual([]);
      expect(output()).not.toContain(VAULT_TOKEN);
      expect(output()).toContain('***');

      const out = join(dir, provider);
      execFileSync('mkdir', ['-p', out]);
      writeFileSync(join(out, 'secrets.env.age'), await encryptSecretsEnv(set.values, [recipient]));
      const { values: _values, ...printable } = set;
      writeFileSync(join(out, 'secret-set.json'), JSON.stringify(printable));
      writeFileSync(join(out, 'log.txt'), output());
      expect(filesLeakingCanaries(out, canaries)).toEqual([]);
    });
  }

  for (const delivery of ['sops', 'sealed-secrets'] as const) {
    it(`dockrion render with delivery ${delivery}: output and written files hold no value and no hash of one`, async () => {
      const sealing = sealingKeyPair();
      const out = join(dir, `render-${delivery}`);
      try {
        const dockfile = join(dir, `Dockfile.${delivery}.yaml`);
        writeFileSync(
          dockfile,
          [
            'version: "1.0"',
            'agent: { name: canary-agent, handler: "app:handle" }',
            'secrets:',
            '  required:',
            ...Object.keys(canaries.values).map((name) => `    - name: ${name}`),
            'deploy:',
            '  environments:',
            delivery === 'sops'
              ? `    prod: { target: kubernetes, secrets: { provider: github, delivery: sops, age_recipients: [${recipient}] } }`
              : '    prod: { target: kubernetes, secrets: { provider: github, delivery: sealed-secrets } }',
            '',
          ].join('\n'),
        );
        let captured = '';
        const write = (s: string) => {
          captured += s;
        };
        const ctx = {
          cwd: dir,
          env: { PATH: process.env.PATH, DOCKRION_SECRETS_JSON: JSON.stringify(canaries.values) },
          stdout: write,
          stderr: write,
          logger: consoleLogger({ verbose: true, write }),
          exec: nodeExec(),
        };
        const image = `ghcr.io/acme/canary-agent:1.0.0@sha256:${'b'.repeat(64)}`;
        const args = ['render', dockfile, '--env', 'prod', '--image', image, '--out', out];
        if (delivery === 'sealed-secrets') args.push('--sealed-secrets-cert', sealing.certificateFile);
        expect(await main(args, ctx), captured).toBe(0);
        const file = delivery === 'sops' ? 'secret.sops.yaml' : 'sealedsecret.yaml';
        expect(captured).toContain(`secrets: ${delivery} → ${file}`);
        const withHashes = {
          values: canaries.values,
          forms: [...canaries.forms, ...plaintextHashes(canaries.values)],
        };
        expect(leakedCanaries(captured, withHashes)).toEqual([]);
        expect(filesLeakingCanaries(out, withHashes)).toEqual([]);
      } finally {
        sealing.cleanup();
        rmSync(out, { recursive: true, force: true });
      }
    });
  }

  it('the detector itself finds a planted canary in text and in files (so a clean result means something)', () => {
    const planted = join(dir, 'planted');
    execFileSync('mkdir', ['-p', planted]);
    const quoted = canaries.values.CANARY_QUOTED ?? '';
    writeFileSync(join(planted, 'leak.txt'), `x ${Buffer.from(quoted).toString('base64')} y`);
    expect(filesLeakingCanaries(planted, canaries).map((f) => f.file)).toEqual([join(planted, 'leak.txt')]);
    expect(leakedCanaries(`log ${JSON.stringify(quoted)}`, canaries)).not.toEqual([]);
    rmSync(planted, { recursive: true, force: true });
  });

  it('errors about missing secrets name the missing ones, never the values that were found', async () => {
    const { logger } = capturingLogger();
    const spec = specWith({
      required: [...declared().required, { name: 'ABSENT_ONE' }, { name: 'ABSENT_TWO' }],
    });
    const error = await resolveSecrets({
      ...inEnvironment(spec, 'staging'),
      env: {},
      githubSecretsJson: JSON.stringify(canaries.values),
      logger,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    const text = describeError(error);
    expect(text).toContain('ABSENT_ONE, ABSENT_TWO');
    expect(leakedCanaries(text, canaries)).toEqual([]);
  });

  it('dockrion secrets check/encrypt: stdout, stderr and the written file are free of canaries', async () => {
    const dockfile = join(dir, 'Dockfile.yaml');
    writeFileSync(
      dockfile,
      [
        'version: "1.0"',
        'agent: { name: canary-agent, handler: "app:handle" }',
        'secrets:',
        '  required:',
        ...Object.keys(canaries.values).map((name) => `    - name: ${name}`),
        'deploy:',
        '  environments:',
        `    staging: { target: compose, secrets: { provider: github, age_recipients: [${recipient}] } }`,
        '',
      ].join('\n'),
    );
    let captured = '';
    const ctx = {
      cwd: dir,
      env: { PATH: process.env.PATH, DOCKRION_SECRETS_JSON: JSON.stringify(canaries.values) },
      stdout: (s: string) => {
        captured += s;
      },
      stderr: (s: string) => {
        captured += s;
      },
      logger: consoleLogger({ verbose: true, write: (s) => (captured += s) }),
      exec: nodeExec(),
    };
    expect(await main(['secrets', 'check', dockfile, '--env', 'staging', '--format', 'json'], ctx)).toBe(0);
    expect(await main(['secrets', 'check', dockfile, '--env', 'staging'], ctx)).toBe(0);
    expect(
      await main(['secrets', 'encrypt', dockfile, '--env', 'staging', '--out', 'cli.env.age'], ctx),
    ).toBe(0);
    expect(captured).toContain('present');
    expect(leakedCanaries(captured, canaries)).toEqual([]);
    expect(filesLeakingCanaries(dir, canaries)).toEqual([]);
  });
});
