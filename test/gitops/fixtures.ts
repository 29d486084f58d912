import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployRecord } from '../../action/gitops/record.ts';
import type { RenderedFile } from '../../action/gitops/repo.ts';

/** A plain `git` in a given directory, isolated from the host's config. */
export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Ada Human',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Ada Human',
      GIT_COMMITTER_EMAIL: 'ada@example.com',
    },
  }).replace(/\n$/, '');
}

export interface Sandbox {
  dir: string;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-gitops-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A bare environments repo at `<root>/<name>.git` whose `main` has a README and another team's
 * folder, so tests can prove a deploy touches nothing else.
 */
export function environmentsRepo(root: string, name = 'environments'): string {
  const bare = join(root, `${name}.git`);
  git(root, ['init', '--bare', '--quiet', '--initial-branch=main', bare]);
  const work = join(root, `${name}-seed`);
  git(root, ['clone', '--quiet', bare, work]);
  writeFileSync(join(work, 'README.md'), '# environments\n');
  git(work, ['checkout', '--quiet', '-b', 'main']);
  git(work, ['add', '.']);
  execFileSync('mkdir', ['-p', join(work, 'staging', 'other-agent')]);
  writeFileSync(join(work, 'staging', 'other-agent', 'compose.yaml'), 'services: {}\n');
  git(work, ['add', '.']);
  git(work, ['commit', '--quiet', '-m', 'seed']);
  git(work, ['push', '--quiet', 'origin', 'main']);
  rmSync(work, { recursive: true, force: true });
  return bare;
}

export function digestFor(label: string): string {
  const hex = Buffer.from(label).toString('hex').padEnd(64, '0').slice(0, 64);
  return `sha256:${hex}`;
}

export function recordFor(agent: string, environment: string, version: string): DeployRecord {
  const digest = digestFor(`${agent}-${version}`);
  return {
    agent,
    environment,
    version,
    image: `127.0.0.1:5000/acme/${agent}:${version}@${digest}`,
    digest,
    source: {
      repository: 'acme/agents',
      commit: `${version.replace(/\W/g, '')}`.padEnd(40, 'a').slice(0, 40),
    },
    dockfile_sha256: 'f'.repeat(64),
  };
}

export function manifestsFor(record: DeployRecord): RenderedFile[] {
  return [
    {
      path: 'compose.yaml',
      content: `services:\n  ${record.agent}:\n    image: ${record.image}\n    environment:\n      VERSION: "${record.version}"\n`,
    },
    { path: 'secrets.env.age', content: `age-encryption.org/v1\n-> X25519 stub-for-${record.version}\n` },
  ];
}

/** Files of one folder at a ref, as `path → content`. */
export function folderAt(bare: string, ref: string, dir: string): Record<string, string> {
  const names = git(bare, ['ls-tree', '-r', '--name-only', ref, '--', `${dir}/`])
    .split('\n')
    .filter(Boolean);
  return Object.fromEntries(names.map((n) => [n, git(bare, ['show', `${ref}:${n}`])]));
}
