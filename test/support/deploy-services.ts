/**
 * The services a deploy test talks to, set up the same way by the Action e2e tests (dist/main.js
 * run directly, and through act) and the gitops tests: the environments repo `acme/environments`
 * over git http-backend, the loopback GitHub with the workflow's and the environments tokens,
 * and the staging host's age key.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './git.ts';
import { type GitHttpServer, startGitHttpServer } from './git-http-server.ts';
import { pullRoutes } from './github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from './github-server.ts';

/** The bare `acme/environments.git` under `root`, with one commit (a README) on main. */
export function seedEnvironmentsRepo(root: string): string {
  mkdirSync(join(root, 'acme'), { recursive: true });
  const bare = join(root, 'acme', 'environments.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  const seed = join(root, 'seed');
  git(root, 'clone', '-q', bare, seed);
  writeFileSync(join(seed, 'README.md'), '# environments\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '-q', '-m', 'seed');
  git(seed, 'push', '-q', 'origin', 'main');
  return bare;
}

export interface EnvironmentsRemote {
  /** The bare repository the tests inspect. */
  bare: string;
  gitServer: GitHttpServer;
  /** The `GITHUB_SERVER_URL` under which the Action finds `acme/environments`. */
  serverUrl: string;
}

/** `seedEnvironmentsRepo(root)` served over git http-backend, pushes allowed with `token`. */
export async function startEnvironmentsRemote(root: string, token: string): Promise<EnvironmentsRemote> {
  const bare = seedEnvironmentsRepo(root);
  const gitServer = await startGitHttpServer({ root, token });
  return { bare, gitServer, serverUrl: gitServer.url('').replace(/\/$/, '') };
}

/** The workflow's GITHUB_TOKEN: the Actions bot, which may not read /user. */
export function allowWorkflowToken(github: GitHubServer, token: string): void {
  github.state.tokens.set(token, {
    login: 'github-actions[bot]',
    id: 41898282,
    type: 'Bot',
    canReadUser: false,
  });
}

/** The environments token: a user, `deploy-bot`. */
export function allowEnvironmentsToken(github: GitHubServer, token: string): void {
  github.state.tokens.set(token, { login: 'deploy-bot', id: 8, type: 'User', canReadUser: true });
}

/** A loopback GitHub with the pulls routes that knows the given tokens. */
export async function startLoopbackGitHub(tokens: {
  workflow: string;
  environments?: string;
}): Promise<GitHubServer> {
  const github = await startGitHubServer({ routes: [pullRoutes] });
  allowWorkflowToken(github, tokens.workflow);
  if (tokens.environments) allowEnvironmentsToken(github, tokens.environments);
  return github;
}

/** A fresh age key for the staging host in `dir`; the identity file and its public recipient. */
export function stagingAgeKey(dir: string): { identityFile: string; recipient: string } {
  const identityFile = join(dir, 'staging-host.key');
  execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
  const recipient = /public key: (age1\S+)/.exec(readFileSync(identityFile, 'utf8'))?.[1] ?? '';
  return { identityFile, recipient };
}

/** Values for examples/plain-handler's two secrets, random per run so a leak into logs is found. */
export function plainHandlerSecretValues(): { HELPDESK_API_TOKEN: string; DOCKRION_API_KEY: string } {
  return {
    HELPDESK_API_TOKEN: `helpdesk-${randomBytes(8).toString('hex')}`,
    DOCKRION_API_KEY: `apikey-${randomBytes(8).toString('hex')}`,
  };
}
