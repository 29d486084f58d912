import { readFileSync } from 'node:fs';
import { UsageError } from '../shared/errors.ts';
import { parseCacheSpecs } from './image/cache.ts';
import { labelNames } from './report/pr-labels.ts';

/**
 * Every input of action.yml, parsed and checked once, up front. Keys mirror action.yml
 * (kebab-case → camelCase). Only action/main.ts calls this; libraries receive the values.
 *
 * Inputs and the run context are read from an environment passed in, not with core.getInput or
 * @actions/github's `context` (both read the process's globals, the latter at import time), so
 * tests and the act harness hand in their own. The variable names and boolean grammar are
 * @actions/core's (`inputVariable`, `parseBooleanInput`).
 */
export interface ActionInputs {
  /** `auto` = validate on pull_request(_target), deploy on push / workflow_dispatch. */
  command: 'auto' | RunCommand;
  dockfile: string;
  githubToken: string;
  strict: boolean;
  comment: boolean;
  /** validate: `fail` fails on breaking contract changes unless the PR carries `breakingChangesAckLabel`. */
  breakingChanges: 'allow' | 'fail';
  breakingChangesAckLabel: string;
  environment: string | null;
  /** rollback / history: the agent folder; null = `agent.name` of the Dockfile. */
  agent: string | null;
  /** rollback: the version or environments-repo commit to restore. */
  to: string | null;
  /** `owner/name` of the environments repo; null = this repository. */
  environmentsRepo: string | null;
  /** Token for the environments repo; null = githubToken. */
  environmentsToken: string | null;
  environmentsBase: string;
  registry: string;
  /** Lowercased; defaults to the repository owner. */
  imageNamespace: string | null;
  registryUsername: string | null;
  /** Defaults to githubToken. */
  registryPassword: string;
  push: boolean;
  platforms: string[];
  provenance: boolean;
  sbom: boolean;
  /** Build cache specs (buildx syntax, one per line); null = the default cache. */
  cacheFrom: string[] | null;
  cacheTo: string[] | null;
  baseImage: string | null;
  /** Promote this existing image reference instead of building. */
  image: string | null;
  direct: boolean;
  /**
   * Several Dockfiles on push: one deployment PR per agent (`dockrion/<env>/<agent>`), or one per
   * environment listing every agent (`dockrion/<env>/_all`).
   */
  pullRequest: 'per-agent' | 'per-environment';
  autoMerge: boolean;
  draft: boolean;
  reviewers: string[];
  /** Secret values by name (from `${{ toJSON(secrets) }}`); main.ts masks every value. */
  secrets: Record<string, string>;
  /** The Sealed Secrets controller's certificate: PEM text, or a file relative to the workspace. */
  sealedSecretsCert: string | null;
  force: boolean;
  githubApiUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The name @actions/core reads an input from: spaces → `_`, upper-cased, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function raw(env: Env, name: string): string {
  return (env[inputVariable(name)] ?? '').trim();
}

function text(env: Env, name: string, fallback: string): string {
  return raw(env, name) || fallback;
}

function optional(env: Env, name: string): string | null {
  return raw(env, name) || null;
}

/** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts them. */
export function parseBooleanInput(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(
    `input '${name}' must be a boolean (true or false), got '${value.slice(0, 40)}'`,
    `set ${name}: true or ${name}: false`,
  );
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  return parseBooleanInput(name, raw(env, name), fallback);
}

function list(env: Env, name: string): string[] {
  return raw(env, name)
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Every mode the Action has; `auto` picks validate or deploy from the event. */
export const RUN_COMMANDS = ['validate', 'deploy', 'rollback', 'history'] as const;
export type RunCommand = (typeof RUN_COMMANDS)[number];
const commands: ReadonlyArray<ActionInputs['command']> = ['auto', ...RUN_COMMANDS];
const repoPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const environmentPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function getInputs(env: Env = process.env): ActionInputs {
  const command = text(env, 'command', 'auto');
  if (!commands.includes(command as ActionInputs['command'])) {
    throw new UsageError(
      `input 'command' must be one of ${commands.join(', ')}, got '${command.slice(0, 40)}'`,
      'e.g. command: validate',
    );
  }
  const githubToken = raw(env, 'github-token');
  const environmentsRepo = optional(env, 'environments-repo');
  if (environmentsRepo !== null && !repoPattern.test(environmentsRepo)) {
    throw new UsageError(
      `input 'environments-repo' must be owner/name, got '${environmentsRepo.slice(0, 80)}'`,
      'e.g. environments-repo: acme/environments',
    );
  }
  const environment = optional(env, 'environment');
  if (environment !== null && !environmentPattern.test(environment)) {
    throw new UsageError(
      `input 'environment' must be a lowercase name (letters, digits, hyphens), got '${environment.slice(0, 64)}'`,
      'it names a key under deploy.environments in the Dockfile, e.g. staging',
    );
  }
  const agent = optional(env, 'agent');
  // `*` (history only): every agent of the environment.
  if (agent !== null && agent !== '*' && !environmentPattern.test(agent)) {
    throw new UsageError(
      `input 'agent' must be an agent name (lowercase letters, digits, hyphens), got '${agent.slice(0, 64)}'`,
      'it is agent.name in the Dockfile, e.g. invoice-copilot',
    );
  }
  const platforms = list(env, 'platforms');
  for (const platform of platforms) {
    if (!/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/.test(platform)) {
      throw new UsageError(
        `input 'platforms' has an invalid platform '${platform.slice(0, 40)}'`,
        'e.g. linux/amd64,linux/arm64',
      );
    }
  }
  const pullRequest = text(env, 'pull-request', 'per-agent');
  if (pullRequest !== 'per-agent' && pullRequest !== 'per-environment') {
    throw new UsageError(
      `input 'pull-request' must be per-agent or per-environment, got '${pullRequest.slice(0, 40)}'`,
      'per-agent: one deployment PR per agent (the default); per-environment: one PR listing every agent',
    );
  }
  const breakingChanges = text(env, 'breaking-changes', 'allow');
  if (breakingChanges !== 'allow' && breakingChanges !== 'fail') {
    throw new UsageError(
      `input 'breaking-changes' must be allow or fail, got '${breakingChanges.slice(0, 40)}'`,
      'breaking-changes: fail makes breaking contract changes fail validation unless acknowledged by a label',
    );
  }
  const owner = env.GITHUB_REPOSITORY_OWNER ?? env.GITHUB_REPOSITORY?.split('/')[0];
  return {
    command: command as ActionInputs['command'],
    dockfile: text(env, 'dockfile', 'Dockfile.yaml'),
    githubToken,
    strict: bool(env, 'strict', false),
    comment: bool(env, 'comment', true),
    breakingChanges,
    breakingChangesAckLabel: text(env, 'breaking-changes-ack-label', 'dockrion:breaking-acknowledged'),
    environment,
    agent,
    to: optional(env, 'to'),
    environmentsRepo,
    environmentsToken: optional(env, 'environments-token'),
    environmentsBase: text(env, 'environments-base', 'main'),
    registry: text(env, 'registry', 'ghcr.io'),
    imageNamespace: (optional(env, 'image-namespace') ?? owner ?? null)?.toLowerCase() ?? null,
    registryUsername: optional(env, 'registry-username') ?? env.GITHUB_ACTOR ?? null,
    registryPassword: raw(env, 'registry-password') || githubToken,
    push: bool(env, 'push', true),
    platforms: platforms.length > 0 ? platforms : ['linux/amd64'],
    provenance: bool(env, 'provenance', true),
    sbom: bool(env, 'sbom', false),
    cacheFrom: parseCacheSpecs([raw(env, 'cache-from')], "input 'cache-from'") ?? null,
    cacheTo: parseCacheSpecs([raw(env, 'cache-to')], "input 'cache-to'") ?? null,
    baseImage: optional(env, 'base-image'),
    image: optional(env, 'image'),
    direct: bool(env, 'direct', false),
    pullRequest,
    autoMerge: bool(env, 'auto-merge', false),
    draft: bool(env, 'draft', false),
    reviewers: list(env, 'reviewers').map((r) => r.replace(/^@/, '')),
    secrets: parseSecretsInput(raw(env, 'secrets')),
    sealedSecretsCert: optional(env, 'sealed-secrets-cert'),
    force: bool(env, 'force', false),
    githubApiUrl: text(env, 'github-api-url', env.GITHUB_API_URL || 'https://api.github.com').replace(
      /\/+$/,
      '',
    ),
  };
}

/** `${{ toJSON(secrets) }}`: an object of strings. The text is never echoed: it holds secrets. */
export function parseSecretsInput(value: string): Record<string, string> {
  if (value === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError("input 'secrets' is not valid JSON", 'pass secrets: ${{ toJSON(secrets) }}');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      "input 'secrets' must be a JSON object of name → value",
      'pass secrets: ${{ toJSON(secrets) }}',
    );
  }
  const out: Record<string, string> = {};
  for (const [name, secret] of Object.entries(parsed)) {
    if (secret === null || secret === undefined) continue;
    out[name] = typeof secret === 'string' ? secret : JSON.stringify(secret);
  }
  return out;
}

/** What deploy needs beyond the common inputs; checked before any work starts. */
export function requireDeployInputs(inputs: ActionInputs): void {
  if (inputs.environment === null) {
    throw new UsageError("input 'environment' is required to deploy", 'e.g. environment: staging');
  }
  if (inputs.githubToken === '') {
    throw new UsageError("input 'github-token' is empty", 'leave it unset to use ${{ github.token }}');
  }
}

/** What rollback and history need beyond the common inputs; checked before any work starts. */
export function requireEnvironmentsInputs(inputs: ActionInputs, command: 'rollback' | 'history'): void {
  if (inputs.environment === null) {
    throw new UsageError(`input 'environment' is required for ${command}`, 'e.g. environment: staging');
  }
  if (command === 'rollback' && inputs.to === null) {
    throw new UsageError(
      "input 'to' is required for rollback",
      "a version (e.g. to: 1.2.0) or an environments-repo commit from the history step's table",
    );
  }
  if (inputs.githubToken === '' && inputs.environmentsToken === null) {
    throw new UsageError(
      "inputs 'github-token' and 'environments-token' are both empty",
      'set environments-token: ${{ secrets.ENVIRONMENTS_TOKEN }}',
    );
  }
}

/** `auto`: pull requests validate, pushes and manual runs deploy. */
export function resolveCommand(command: ActionInputs['command'], eventName: string): RunCommand {
  if (command !== 'auto') return command;
  return eventName === 'pull_request' || eventName === 'pull_request_target' || eventName === 'merge_group'
    ? 'validate'
    : 'deploy';
}

/** What the workflow run is about, read from the runner's environment and event payload. */
export interface RunContext {
  eventName: string;
  /** `owner/name` */
  repository: string;
  owner: string;
  repo: string;
  workspace: string;
  sha: string;
  ref: string;
  actor: string;
  serverUrl: string;
  runId: string;
  payload: Record<string, unknown>;
  pullRequest: PullRequestInfo | null;
}

export interface PullRequestInfo {
  number: number;
  headRepository: string | null;
  baseRepository: string | null;
  headSha: string | null;
  /** `pull_request.base.sha` / `.ref`: what the PR is compared with (its Dockfile's contract, say). */
  baseSha: string | null;
  baseRef: string | null;
  /** The PR's label names when the event was sent. */
  labels: string[];
  isFork: boolean;
}

export function readRunContext(env: Env = process.env, cwd: string = process.cwd()): RunContext {
  let payload: Record<string, unknown> = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(eventPath, 'utf8'));
      if (parsed && typeof parsed === 'object') payload = parsed as Record<string, unknown>;
    } catch {
      throw new UsageError(`GITHUB_EVENT_PATH ${eventPath} is not a readable JSON event payload`);
    }
  }
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner = '', repo = ''] = repository.split('/');
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repository,
    owner,
    repo,
    workspace: env.GITHUB_WORKSPACE || cwd,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    runId: env.GITHUB_RUN_ID ?? '',
    payload,
    pullRequest: pullRequestFrom(payload),
  };
}

function pullRequestFrom(payload: Record<string, unknown>): PullRequestInfo | null {
  const pr = payload.pull_request as Record<string, unknown> | undefined;
  if (!pr || typeof pr.number !== 'number') return null;
  const repoName = (side: unknown): string | null => {
    const r = (side as { repo?: { full_name?: unknown } } | undefined)?.repo;
    return typeof r?.full_name === 'string' ? r.full_name : null;
  };
  const headRepository = repoName(pr.head);
  const baseRepository = repoName(pr.base);
  const headSha = (pr.head as { sha?: unknown } | undefined)?.sha;
  const base = pr.base as { sha?: unknown; ref?: unknown } | undefined;
  return {
    number: pr.number,
    headRepository,
    baseRepository,
    headSha: typeof headSha === 'string' ? headSha : null,
    baseSha: typeof base?.sha === 'string' ? base.sha : null,
    baseRef: typeof base?.ref === 'string' ? base.ref : null,
    labels: labelNames(pr.labels),
    // A deleted fork has no head repo: treat it as a fork, the token is read-only either way.
    isFork: headRepository === null || (baseRepository !== null && headRepository !== baseRepository),
  };
}
