import { GitOpsError } from '../../shared/errors.ts';

/** Environment and agent names become path segments and branch names, so they stay DNS-label-like. */
const SEGMENT = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

export function checkSegment(kind: 'environment' | 'agent', value: string): string {
  if (!SEGMENT.test(value) || value.includes('..')) {
    throw new GitOpsError(
      `invalid ${kind} name '${value}'`,
      'use lowercase letters, digits and dashes (a DNS label), e.g. staging or invoice-copilot',
    );
  }
  return value;
}

/** `<env>/<agent>`: the one folder a deploy of that agent may change. */
export function agentDir(environment: string, agent: string): string {
  return `${checkSegment('environment', environment)}/${checkSegment('agent', agent)}`;
}

/** `dockrion/<env>/<agent>`: the PR branch of that agent in that environment. */
export function deployBranch(environment: string, agent: string): string {
  return `dockrion/${agentDir(environment, agent)}`;
}

/**
 * `refs/dockrion/pushed/<env>/<agent>`: the commit dockrion itself last pushed to the deployment
 * branch, pushed atomically with it. The branch is dockrion's to replace only while its tip is
 * exactly that commit; trailers can be kept by anyone who amends or rebases, an id cannot.
 */
export function pushedRecordRef(environment: string, agent: string): string {
  return `refs/dockrion/pushed/${agentDir(environment, agent)}`;
}

/**
 * `dockrion/<env>/_all`: the one PR branch of an environment when agents are grouped
 * (`pull-request: per-environment`). `_all` cannot be an agent: agent names start with a letter
 * or digit, so it never collides with `dockrion/<env>/<agent>`.
 */
export function groupBranch(environment: string): string {
  return `dockrion/${checkSegment('environment', environment)}/_all`;
}

/** `refs/dockrion/pushed/<env>/_all`: what dockrion last pushed to the environment's group branch. */
export function groupPushedRecordRef(environment: string): string {
  return `refs/dockrion/pushed/${checkSegment('environment', environment)}/_all`;
}

/** The manifest file recording what is deployed, in every agent folder. */
export const RECORD_FILE = 'dockrion.json';

/**
 * The agent's contract as deployed (action/contract: io_schema, auth, policies, expose, secret
 * names, per-environment settings), next to the record: what the next deploy's PR is compared with.
 */
export const CONTRACT_FILE = 'contract.json';

/** Rendered paths are relative to the agent folder and may not leave it. */
export function checkRelativePath(path: string): string {
  const parts = path.split('/');
  if (
    path.length === 0 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    parts.some((p) => p === '' || p === '.' || p === '..' || p === '.git')
  ) {
    throw new GitOpsError(
      `rendered file path '${path}' is not a plain relative path inside the agent folder`,
    );
  }
  return path;
}
