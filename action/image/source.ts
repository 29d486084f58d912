import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { ImageError } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';
import { Git } from '../gitops/git.ts';
import type { BuildSource } from './build-context/assemble.ts';

/** `git@github.com:acme/agents.git` / `https://x@github.com/acme/agents.git` → `https://github.com/acme/agents`. */
export function repositoryUrl(remote: string): string {
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(remote);
    // WHATWG URL cannot switch ssh: to https:, so the URL is rebuilt from its parts.
    const path = url.pathname.replace(/\.git\/?$/, '').replace(/\/$/, '');
    const port = url.protocol === 'http:' || url.protocol === 'https:' ? url.port : '';
    const scheme = url.protocol === 'http:' ? 'http' : 'https';
    return `${scheme}://${url.hostname}${port ? `:${port}` : ''}${path}`;
  } catch {
    return remote;
  }
}

export interface GitSource extends BuildSource {
  /** Uncommitted changes: the image is not exactly the commit it is labelled with. */
  dirty: boolean;
}

/**
 * Source repo, commit and commit time of the checkout holding `dir`. In GitHub Actions the
 * repository URL comes from GITHUB_SERVER_URL/GITHUB_REPOSITORY; otherwise from `origin`.
 */
export async function gitSource(dir: string, exec: Exec, env: NodeJS.ProcessEnv): Promise<GitSource> {
  const checkout = await Git.forCheckout(exec, dir, env);
  const head = checkout
    ? await checkout.git.run(['log', '-1', '--format=%H %ct'], { allowFailure: true })
    : null;
  const [commit, time] = head?.stdout.trim().split(' ') ?? [];
  if (!checkout || head?.code !== 0 || !commit || !time) {
    throw new ImageError(
      `${dir} is not inside a git checkout with a commit`,
      'the image is labelled with its source commit: commit your agent first',
    );
  }
  const { git, topLevel } = checkout;
  let repo: string;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) {
    repo = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`;
  } else {
    const origin = await git.run(['remote', 'get-url', 'origin'], { allowFailure: true });
    repo = origin.code === 0 && origin.stdout.trim() ? repositoryUrl(origin.stdout.trim()) : 'unknown';
  }
  // Only the agent's own folder decides whether the image is exactly its commit.
  const agentPath = relative(topLevel, realpathSync(dir)) || '.';
  const status = await git.run(['status', '--porcelain', '--', agentPath], {
    workTree: topLevel,
    allowFailure: true,
  });
  return { repo, commit, commitTime: Number(time), dirty: status.stdout.trim() !== '' };
}
