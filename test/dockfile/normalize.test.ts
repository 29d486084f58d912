import { describe, expect, it } from 'vitest';
import { normalizeDockfile, validateDockfileText } from '../../action/dockfile/index.ts';
import { fixture, fullExampleEnv } from './helpers.ts';

async function spec(text: string) {
  const result = await validateDockfileText(text, 'Dockfile.yaml', {
    env: fullExampleEnv,
    processEnv: {},
    python: null,
  });
  expect(result.errors).toEqual([]);
  if (!result.spec) throw new Error('expected a spec');
  return result.spec;
}

function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.join() === [...keys].sort().join() && Object.values(value).every(keysSorted);
  }
  return true;
}

describe('normalizeDockfile', () => {
  it('fills the runtime defaults of CONTRACTS.md when sections are omitted', async () => {
    const normalized = normalizeDockfile(
      await spec('version: "1.0"\nagent:\n  name: tiny\n  handler: app.main:handle\nx-team: platform\n'),
    );
    expect(normalized).toEqual({
      agent: { framework: 'custom', handler: 'app.main:handle', name: 'tiny' },
      arguments: {},
      auth: { api_keys: { env_var: 'DOCKRION_API_KEY', header: 'X-API-Key' }, mode: 'api_key' },
      expose: { host: '0.0.0.0', port: 8080, rest: true, streaming: 'sse' },
      observability: { log_level: 'info' },
      policies: {
        safety: { block_prompt_injection: true, halt_on_violation: false },
        tools: { deny_by_default: true },
      },
      secrets: { optional: [], required: [] },
      version: '1.0',
    });
  });

  it('keeps what the user wrote, sorts keys and drops x-* extensions', async () => {
    const text = `${fixture('prd-full.yaml')}x-internal: {owner: me}\nsecrets:\n  required: [{name: JWT_SECRET}]\n`;
    const normalized = normalizeDockfile(await spec(text));
    expect(keysSorted(normalized)).toBe(true);
    expect(Object.keys(normalized).some((k) => k.startsWith('x-'))).toBe(false);
    expect(normalized.auth.mode).toBe('jwt');
    expect(normalized.auth.jwt?.secret_key).toBe('${JWT_SECRET}');
    expect(normalized.policies.safety.max_output_chars).toBe(5000);
    expect(normalized.expose.port).toBe(8080);
    expect(normalized.arguments).toEqual({ enable_streaming: true, timeout_sec: 20 });
  });

  it('is idempotent and gives byte-identical JSON for the same input', async () => {
    const once = normalizeDockfile(await spec(fixture('prd-minimal.yaml')));
    const twice = normalizeDockfile(once);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });

  it('does not change the frozen spec it was given', async () => {
    const frozen = await spec(fixture('prd-minimal.yaml'));
    const before = JSON.stringify(frozen);
    normalizeDockfile(frozen);
    expect(JSON.stringify(frozen)).toBe(before);
    expect(Object.isFrozen(frozen.agent)).toBe(true);
  });
});
