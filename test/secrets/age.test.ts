import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { encryptSecretsEnv, formatEnvFile, SECRETS_ENV_AGE_FILE } from '../../action/secrets/index.ts';
import { hasAge, requireInfra } from '../support/infra.ts';

const { describe, it } = requireInfra('age', hasAge());

describe('encryptSecretsEnv decrypts with the real age CLI', () => {
  let dir: string;
  const keys: Array<{ identityFile: string; recipient: string }> = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dockrion-age-'));
    for (const name of ['ops', 'host']) {
      const identityFile = join(dir, `${name}.key`);
      execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
      const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
      keys.push({ identityFile, recipient });
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const values = new Map([
    ['OPENAI_API_KEY', 'sk-proj-abc123'],
    ['MY_AGENT_KEY', 'agent "key" with $dollar and \\backslash'],
    ['TLS_KEY', '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----'],
  ]);

  function ageDecrypt(file: string, identityFile: string) {
    return spawnSync('age', ['-d', '-i', identityFile, file], { encoding: 'utf8' });
  }

  it('every recipient decrypts the binary file to exactly formatEnvFile(values)', async () => {
    const encrypted = await encryptSecretsEnv(
      values,
      keys.map((k) => k.recipient),
    );
    const file = join(dir, SECRETS_ENV_AGE_FILE);
    writeFileSync(file, encrypted);
    expect(Buffer.from(encrypted.subarray(0, 21)).toString('latin1')).toBe('age-encryption.org/v1');
    const body = readFileSync(file);
    for (const [, value] of values) expect(body.includes(Buffer.from(value))).toBe(false);
    for (const key of keys) {
      const result = ageDecrypt(file, key.identityFile);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(formatEnvFile(values));
    }
  });

  it('a key that is not a recipient cannot decrypt it', async () => {
    const [first, second] = keys;
    if (!first || !second) throw new Error('keys not generated');
    const file = join(dir, 'only-ops.age');
    writeFileSync(file, await encryptSecretsEnv(values, [first.recipient]));
    const result = ageDecrypt(file, second.identityFile);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('no identity matched any of the recipients');
  });

  it('each encryption uses a fresh file key (same values, different bytes)', async () => {
    const recipient = keys[0]?.recipient ?? '';
    const a = await encryptSecretsEnv(values, [recipient]);
    const b = await encryptSecretsEnv(values, [recipient]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses no recipients and malformed recipients', async () => {
    await expect(encryptSecretsEnv(values, [])).rejects.toThrow(
      'no age recipients to encrypt secrets.env.age to',
    );
    await expect(encryptSecretsEnv(values, ['ssh-ed25519 AAAA'])).rejects.toThrow(
      "'ssh-ed25519 AAAA' is not an age X25519 recipient",
    );
  });
});
