import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getInputs, readRunContext, requireDeployInputs, resolveCommand } from '../../action/inputs.ts';
import { UsageError } from '../../shared/errors.ts';

const base = { GITHUB_REPOSITORY: 'Acme/agents', GITHUB_REPOSITORY_OWNER: 'Acme', GITHUB_ACTOR: 'octocat' };

function inputs(values: Record<string, string>, env: Record<string, string> = base) {
  return getInputs({
    ...env,
    ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  });
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e: unknown) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('getInputs', () => {
  it('applies the documented defaults', () => {
    const parsed = inputs(
      { 'github-token': 'ghs_x' },
      { ...base, GITHUB_API_URL: 'https://ghe.example/api/v3/' },
    );
    expect(parsed).toEqual({
      command: 'auto',
      dockfile: 'Dockfile.yaml',
      githubToken: 'ghs_x',
      strict: false,
      comment: true,
      breakingChanges: 'allow',
      breakingChangesAckLabel: 'dockrion:breaking-acknowledged',
      environment: null,
      agent: null,
      to: null,
      environmentsRepo: null,
      environmentsToken: null,
      environmentsBase: 'main',
      registry: 'ghcr.io',
      imageNamespace: 'acme',
      registryUsername: 'octocat',
      registryPassword: 'ghs_x',
      push: true,
      platforms: ['linux/amd64'],
      provenance: true,
      sbom: false,
      cacheFrom: null,
      cacheTo: null,
      baseImage: null,
      image: null,
      direct: false,
      pullRequest: 'per-agent',
      autoMerge: false,
      draft: false,
      reviewers: [],
      secrets: {},
      sealedSecretsCert: null,
      force: false,
      githubApiUrl: 'https://ghe.example/api/v3',
    });
  });

  it('parses lists, booleans of the YAML 1.2 core schema and secrets JSON', () => {
    const parsed = inputs({
      strict: 'True',
      comment: 'FALSE',
      'auto-merge': 'true',
      platforms: 'linux/amd64, linux/arm64',
      reviewers: '@alice\nbob',
      secrets: JSON.stringify({ OPENAI_API_KEY: 'sk-1', github_token: 'ghs', N: 5 }),
      'image-namespace': 'MyOrg',
      'breaking-changes': 'fail',
      'breaking-changes-ack-label': 'api-break-ok',
    });
    expect(parsed.breakingChanges).toBe('fail');
    expect(parsed.breakingChangesAckLabel).toBe('api-break-ok');
    expect(parsed.strict).toBe(true);
    expect(parsed.comment).toBe(false);
    expect(parsed.autoMerge).toBe(true);
    expect(parsed.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(parsed.reviewers).toEqual(['alice', 'bob']);
    expect(parsed.secrets).toEqual({ OPENAI_API_KEY: 'sk-1', github_token: 'ghs', N: '5' });
    expect(parsed.imageNamespace).toBe('myorg');
  });

  it.each([
    [
      { strict: 'yes' },
      "input 'strict' must be a boolean (true or false), got 'yes'",
      'set strict: true or strict: false',
    ],
    [
      { push: 'on' },
      "input 'push' must be a boolean (true or false), got 'on'",
      'set push: true or push: false',
    ],
    [
      { command: 'ship' },
      "input 'command' must be one of auto, validate, deploy, rollback, history, got 'ship'",
      'e.g. command: validate',
    ],
    [
      { agent: 'Invoice_Copilot' },
      "input 'agent' must be an agent name (lowercase letters, digits, hyphens), got 'Invoice_Copilot'",
      'it is agent.name in the Dockfile, e.g. invoice-copilot',
    ],
    [
      { 'environments-repo': 'not a repo' },
      "input 'environments-repo' must be owner/name, got 'not a repo'",
      'e.g. environments-repo: acme/environments',
    ],
    [
      { environment: 'Prod_1' },
      "input 'environment' must be a lowercase name (letters, digits, hyphens), got 'Prod_1'",
      expect.any(String),
    ],
    [
      { 'breaking-changes': 'warn' },
      "input 'breaking-changes' must be allow or fail, got 'warn'",
      expect.any(String),
    ],
    [
      { platforms: 'linux amd64' },
      "input 'platforms' has an invalid platform 'linux amd64'",
      'e.g. linux/amd64,linux/arm64',
    ],
  ])('rejects %j naming the input and the fix', (values, message, hint) => {
    const error = usageError(() => inputs(values));
    expect(error.message).toBe(message);
    expect(error.hint).toEqual(hint);
    expect(error.exitCode).toBe(2);
  });

  it('never echoes the secrets input when it is malformed', () => {
    const error = usageError(() => inputs({ secrets: '{"TOKEN": "hunter2-very-secret"' }));
    expect(error.message).toBe("input 'secrets' is not valid JSON");
    expect(`${error.message}${error.hint}`).not.toContain('hunter2');
    expect(usageError(() => inputs({ secrets: '["a"]' })).message).toContain('must be a JSON object');
  });

  it('requires an environment to deploy', () => {
    expect(usageError(() => requireDeployInputs(inputs({ 'github-token': 't' }))).message).toBe(
      "input 'environment' is required to deploy",
    );
    expect(() => requireDeployInputs(inputs({ 'github-token': 't', environment: 'staging' }))).not.toThrow();
  });
});

describe('resolveCommand', () => {
  it.each([
    ['pull_request', 'validate'],
    ['pull_request_target', 'validate'],
    ['merge_group', 'validate'],
    ['push', 'deploy'],
    ['workflow_dispatch', 'deploy'],
  ])('auto on %s → %s', (event, command) => {
    expect(resolveCommand('auto', event)).toBe(command);
  });

  it('an explicit command wins over the event', () => {
    expect(resolveCommand('validate', 'push')).toBe('validate');
    expect(resolveCommand('deploy', 'pull_request')).toBe('deploy');
  });
});

describe('readRunContext', () => {
  it('reads the pull request and detects forks from the event payload', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockrion-event-'));
    try {
      const eventPath = join(dir, 'event.json');
      writeFileSync(
        eventPath,
        JSON.stringify({
          pull_request: {
            number: 12,
            head: { sha: 'abc', repo: { full_name: 'fork/agents' } },
            base: { sha: 'def', ref: 'main', repo: { full_name: 'acme/agents' } },
            labels: [{ name: 'dockrion:breaking-acknowledged' }, { id: 7 }],
          },
        }),
      );
      const context = readRunContext(
        { GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: 'acme/agents', GITHUB_EVENT_NAME: 'pull_request' },
        dir,
      );
      expect(context.pullRequest).toEqual({
        number: 12,
        headRepository: 'fork/agents',
        baseRepository: 'acme/agents',
        headSha: 'abc',
        baseSha: 'def',
        baseRef: 'main',
        labels: ['dockrion:breaking-acknowledged'],
        isFork: true,
      });
      expect(context.workspace).toBe(dir);
      expect([context.owner, context.repo]).toEqual(['acme', 'agents']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
