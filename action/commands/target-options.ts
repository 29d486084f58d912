import { UsageError } from '../../shared/errors.ts';
import type { EnvironmentsTarget, GitOpsContext } from '../gitops/operations.ts';
import { resolveTarget } from '../gitops/target.ts';
import type { CliContext } from './context.ts';

/** Options every environments-repo command shares (`deploy`, `history`, `rollback`, `apply`). */
export const TARGET_OPTIONS = {
  'environments-repo': { type: 'string' },
  repo: { type: 'string' },
  'environments-token': { type: 'string' },
  'environments-base': { type: 'string' },
  'github-repo': { type: 'string' },
  'github-api-url': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const TARGET_HELP = `  --environments-repo R      the environments repo: a local path, a git URL, or owner/name on GitHub
                             (alias --repo)
  --environments-token T     token that can push to it and open PRs (a fine-grained PAT or GitHub App
                             token; default $DOCKRION_ENVIRONMENTS_TOKEN). The workflow's GITHUB_TOKEN
                             cannot write to another repository. Sent as an HTTP header, never stored.
  --environments-base B      base branch (default main)
  --github-repo OWNER/NAME   where PRs are opened when the URL does not say (GitHub Enterprise, mirrors)
  --github-api-url URL       REST API base (default $GITHUB_API_URL or https://api.github.com)
  --format text|json         json prints one document on stdout
  -h, --help                 show this help`;

export function requireString(command: string, value: unknown, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${flag} is required`, `run 'dockrion ${command} --help'`);
  }
  return value.trim();
}

export function formatOf(value: unknown): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--format must be text or json, got '${String(value)}'`);
}

/**
 * The environments repo the command's options name; its token (option or
 * $DOCKRION_ENVIRONMENTS_TOKEN) is registered with the logger as a secret before it is returned.
 */
export function targetFrom(
  command: string,
  values: Record<string, unknown>,
  ctx: Pick<CliContext, 'env' | 'cwd' | 'logger'>,
): EnvironmentsTarget {
  const { env, cwd } = ctx;
  const repo = (values['environments-repo'] ?? values.repo) as string | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const target = resolveTarget({
    repo: requireString(command, repo, '--environments-repo'),
    token: str(values['environments-token']) ?? str(env.DOCKRION_ENVIRONMENTS_TOKEN),
    base: str(values['environments-base']),
    githubRepo: str(values['github-repo']),
    apiUrl: str(values['github-api-url']) ?? str(env.GITHUB_API_URL),
    serverUrl: str(env.GITHUB_SERVER_URL),
    cwd,
    logger: ctx.logger,
  });
  if (target.token) ctx.logger.setSecret(target.token);
  return target;
}

/** The GitOpsContext a CLI command runs environments-repo operations with (commits dated now). */
export function gitOpsContextOf(ctx: CliContext): GitOpsContext {
  return { exec: ctx.exec, logger: ctx.logger, now: () => Date.now(), baseEnv: ctx.env };
}
