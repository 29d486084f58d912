import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../action/commands/apply.ts';
import { decryptSecretsEnv, readIdentities } from '../../action/gitops/apply/secrets-file.ts';
import { loadState, saveState } from '../../action/gitops/apply/state.ts';
import { encryptSecretsEnv } from '../../action/secrets/index.ts';
import { UsageError } from '../../shared/errors.ts';
import { ageKeyPair } from '../pipeline/agent-fixture.ts';
import { hasAge, requireInfra } from '../support/infra.ts';
import { type Sandbox, sandbox } from './fixtures.ts';
import { gitOpsFailure } from './support.ts';

const withAge = requireInfra('age CLI', hasAge());

withAge.describe('apply: decrypting secrets.env.age with the host identity', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => box.cleanup());

  withAge.it('reads what the age CLI and the secrets stage encrypted to the host key', async () => {
    const { recipient, identityFile } = ageKeyPair(box.dir);
    const identities = await readIdentities(identityFile);
    expect(identities).toHaveLength(1);
    const fromCli = execFileSync('age', ['-r', recipient], { input: 'A="1"\n' });
    expect(await decryptSecretsEnv(fromCli, identities, 'x')).toBe('A="1"\n');
    const fromStage = await encryptSecretsEnv(new Map([['TOKEN', 'v$1"q']]), [recipient]);
    expect(await decryptSecretsEnv(fromStage, identities, 'x')).toBe('TOKEN="v\\$1\\"q"\n');
  });

  withAge.it('says how to fix a host key that is not among the recipients', async () => {
    const encryptedFor = ageKeyPair(box.dir);
    const other = `${box.dir}/other`;
    execFileSync('mkdir', [other]);
    const host = ageKeyPair(other);
    const ciphertext = execFileSync('age', ['-r', encryptedFor.recipient], { input: 'A="1"\n' });
    const error = await gitOpsFailure(
      decryptSecretsEnv(ciphertext, await readIdentities(host.identityFile), 'staging/a/secrets.env.age'),
    );
    expect(error.message).toContain('cannot decrypt staging/a/secrets.env.age');
    expect(error.hint).toContain('age_recipients');
    await expect(readIdentities(`${box.dir}/missing.key`)).rejects.toThrow(/cannot read the age identity/);
  });
});

describe('apply: state file and durations', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => box.cleanup());

  it('round-trips state.json and starts empty without one', async () => {
    const file = `${box.dir}/staging/state.json`;
    expect(await loadState(file, 'staging')).toEqual({
      environment: 'staging',
      applied: null,
      failed: null,
      agents: {},
    });
    const state = {
      environment: 'staging',
      applied: { commit: 'a'.repeat(40), at: '2026-01-01T00:00:00.000Z' },
      failed: null,
      agents: { x: { commit: 'a'.repeat(40), tree: 'b'.repeat(40), version: '1.0.0', digest: null } },
    };
    await saveState(file, state);
    expect(await loadState(file, 'staging')).toEqual(state);
  });

  it('parses --interval and --wait-timeout durations', () => {
    expect(parseDuration('30s', '--interval')).toBe(30);
    expect(parseDuration('5m', '--interval')).toBe(300);
    expect(parseDuration('1h', '--interval')).toBe(3600);
    expect(parseDuration('45', '--interval')).toBe(45);
    expect(() => parseDuration('soon', '--interval')).toThrow(UsageError);
    expect(() => parseDuration('0', '--interval', 5)).toThrow("--interval must be at least 5s, got '0'");
    expect(() => parseDuration('500ms', '--interval', 5)).toThrow(UsageError);
    expect(parseDuration('5s', '--interval', 5)).toBe(5);
  });
});
