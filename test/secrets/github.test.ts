import { describe, expect, it } from 'vitest';
import { checkSecrets, resolveSecrets } from '../../action/secrets/index.ts';
import { SecretsError } from '../../shared/errors.ts';
import { inEnvironment } from '../support/environment.ts';
import { capturingLogger, specWith } from './helpers.ts';

const spec = specWith(
  {
    required: [{ name: 'OPENAI_API_KEY' }, { name: 'MY_AGENT_KEY' }, { name: 'DB_PASSWORD' }],
    optional: [{ name: 'LANGFUSE_SECRET', default: 'lf-default' }, { name: 'SENTRY_DSN' }],
  },
  {
    environments: {
      staging: { secrets: { provider: 'github', map: { OPENAI_API_KEY: 'OPENAI_API_KEY_STAGING' } } },
      dev: {},
    },
  },
);

async function rejection(promise: Promise<unknown>): Promise<SecretsError> {
  const e: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SecretsError);
  return e as SecretsError;
}

describe('github provider', () => {
  it('reads values from the toJSON(secrets) input, applying map and case-insensitive names', async () => {
    const { logger, secrets } = capturingLogger();
    const set = await resolveSecrets({
      ...inEnvironment(spec, 'staging'),
      env: {},
      githubSecretsJson: JSON.stringify({
        github_token: 'ghs_ignored',
        openai_api_key_staging: 'sk-staging-123',
        MY_AGENT_KEY: 'agent-key-456',
        DB_PASSWORD: 'pw-789',
      }),
      logger,
    });
    expect(set.provider).toBe('github');
    expect(Object.fromEntries(set.values)).toEqual({
      OPENAI_API_KEY: 'sk-staging-123',
      MY_AGENT_KEY: 'agent-key-456',
      DB_PASSWORD: 'pw-789',
      LANGFUSE_SECRET: 'lf-default',
    });
    expect(set.entries).toEqual([
      { name: 'OPENAI_API_KEY', status: 'present', required: true, remoteKey: 'OPENAI_API_KEY_STAGING' },
      { name: 'MY_AGENT_KEY', status: 'present', required: true, remoteKey: 'MY_AGENT_KEY' },
      { name: 'DB_PASSWORD', status: 'present', required: true, remoteKey: 'DB_PASSWORD' },
      { name: 'LANGFUSE_SECRET', status: 'defaulted', required: false, remoteKey: 'LANGFUSE_SECRET' },
      { name: 'SENTRY_DSN', status: 'missing', required: false, remoteKey: 'SENTRY_DSN' },
    ]);
    for (const value of ['sk-staging-123', 'agent-key-456', 'pw-789', 'lf-default']) {
      expect(secrets).toContain(value);
    }
    expect(set.versionsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the input already parsed by the action front door (ActionInputs.secrets)', async () => {
    const set = await resolveSecrets({
      ...inEnvironment(spec, 'staging'),
      env: { DB_PASSWORD: 'pw-env' },
      githubSecrets: { openai_api_key_staging: 'sk-parsed', MY_AGENT_KEY: 'agent-parsed' },
      githubSecretsJson: 'not even json',
      logger: capturingLogger().logger,
    });
    expect(set.values.get('OPENAI_API_KEY')).toBe('sk-parsed');
    expect(set.values.get('MY_AGENT_KEY')).toBe('agent-parsed');
    expect(set.values.get('DB_PASSWORD')).toBe('pw-env');
  });

  it('falls back to the step environment for names missing from the input', async () => {
    const set = await resolveSecrets({
      ...inEnvironment(spec, 'dev'),
      env: { OPENAI_API_KEY: 'from-env', MY_AGENT_KEY: 'agent', DB_PASSWORD: 'pw', SENTRY_DSN: '' },
      githubSecretsJson: '{"DB_PASSWORD": "from-json"}',
      logger: capturingLogger().logger,
    });
    expect(set.values.get('OPENAI_API_KEY')).toBe('from-env');
    expect(set.values.get('DB_PASSWORD')).toBe('from-json');
    // An empty variable is how GitHub expands a secret that does not exist.
    expect(set.entries.find((e) => e.name === 'SENTRY_DSN')?.status).toBe('missing');
  });

  it('with an empty input, lists every missing required name at once and hints at toJSON(secrets)', async () => {
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(spec, 'dev'),
        env: {},
        githubSecretsJson: '',
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe(
      "missing required secrets for environment 'dev' from GitHub Secrets: OPENAI_API_KEY, MY_AGENT_KEY, DB_PASSWORD",
    );
    expect(e.hint).toContain('secrets: ${{ toJSON(secrets) }}');
  });

  it('names the GitHub secret (after map) that the input lacks', async () => {
    const report = await checkSecrets({
      ...inEnvironment(spec, 'staging'),
      env: {},
      githubSecretsJson: '{"MY_AGENT_KEY": "a", "DB_PASSWORD": "b"}',
      logger: capturingLogger().logger,
    });
    expect(report.missingRequired).toEqual(['OPENAI_API_KEY']);
    expect(report.missingHint).toContain("action input 'secrets' has no OPENAI_API_KEY_STAGING");
    expect(report.missingHint).toContain("'staging' environment");
  });

  it('rejects malformed JSON naming the input, never quoting its content', async () => {
    const content = '{"OPENAI_API_KEY": "sk-leaky-secret-value", oops}';
    const e = await rejection(
      resolveSecrets({
        ...inEnvironment(spec, 'staging'),
        env: {},
        githubSecretsJson: content,
        logger: capturingLogger().logger,
      }),
    );
    expect(e.message).toBe("action input 'secrets' is not valid JSON");
    expect(`${e.message} ${e.hint} ${String(e.cause)}`).not.toContain('sk-leaky');
  });

  it('rejects JSON that is not an object of strings', async () => {
    for (const [json, message] of [
      ['["a"]', "action input 'secrets' must be a JSON object of secret names to values"],
      ['{"OPENAI_API_KEY": 42}', "action input 'secrets': the value of 'OPENAI_API_KEY' is not a string"],
    ] as const) {
      const e = await rejection(
        resolveSecrets({
          ...inEnvironment(spec, 'dev'),
          env: {},
          githubSecretsJson: json,
          logger: capturingLogger().logger,
        }),
      );
      expect(e.message).toBe(message);
    }
  });

  it('uses the github provider when the Dockfile has no deploy section at all', async () => {
    const bare = specWith({ required: [{ name: 'OPENAI_API_KEY' }] });
    const set = await resolveSecrets({
      ...inEnvironment(bare, 'anything'),
      env: { OPENAI_API_KEY: 'k' },
      logger: capturingLogger().logger,
    });
    expect(set.provider).toBe('github');
    expect(set.values.get('OPENAI_API_KEY')).toBe('k');
  });
});
