import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeProjectName } from '../../../generators/index.ts';
import { GitOpsError } from '../../../shared/errors.ts';
import type { Docker } from '../../adapters/docker.ts';
import type { Exec } from '../../adapters/exec.ts';
import type { Logger } from '../../adapters/logger.ts';
import { SECRETS_ENV_AGE_FILE } from '../../secrets/age.ts';
import { maskSecretValue } from '../../secrets/mask.ts';
import { redactUrl } from '../git.ts';
import { checkSegment, RECORD_FILE } from '../layout.ts';
import type { EnvironmentsTarget } from '../operations.ts';
import { parseRecord } from '../record.ts';
import { EnvironmentsRepo } from '../repo.ts';
import { checkEngineVersions, composeDown, composeUp, engineReachable } from './compose.ts';
import { decryptSecretsEnv, readIdentities } from './secrets-file.ts';
import { type AppliedAgent, loadState, saveState } from './state.ts';

const SECRETS_ENV = 'secrets.env';
const COMPOSE_FILE = 'compose.yaml';

export interface ApplyOptions {
  target: EnvironmentsTarget;
  environment: string;
  /** The host's age identity file; needed when an agent folder has secrets.env.age. */
  identityFile: string | null;
  /** Outside the repo: the mirror, the materialized folders (with secrets.env, 0600), state.json. */
  stateDir: string;
  /** How long `docker compose up --wait` may take to report every service healthy. */
  waitTimeoutSeconds: number;
  /** Runs git (the environments repo mirror). */
  exec: Exec;
  /** Runs Compose and asks the engine; built by the front door with the same environment as `env`. */
  docker: Docker;
  logger: Logger;
  now: () => number;
  /** Environment for git. */
  env?: NodeJS.ProcessEnv;
}

export type AgentStatus = 'applied' | 'unchanged' | 'removed' | 'rolled-back' | 'failed';

export interface AgentReport {
  agent: string;
  status: AgentStatus;
  commit: string | null;
  version: string | null;
  digest: string | null;
  /** For failures: what Compose and Docker said (container states). */
  detail?: string;
  /** For rollbacks: the commit whose folder runs again. */
  restored?: string | null;
  durationMs: number;
}

export interface ApplyReport {
  environment: string;
  repository: string;
  /** The base-branch commit this run looked at. */
  commit: string;
  /** `applied`: all healthy · `unchanged`: nothing to do · `failed`: rolled back (exit non-zero) */
  status: 'applied' | 'unchanged' | 'failed';
  agents: AgentReport[];
}

interface Layout {
  root: string;
  mirror: string;
  stateFile: string;
  run: (agent: string) => string;
}

function layoutFor(stateDir: string, environment: string): Layout {
  const root = join(stateDir, environment);
  return {
    root,
    mirror: join(root, 'mirror'),
    stateFile: join(root, 'state.json'),
    run: (agent) => join(root, 'run', agent),
  };
}

/** Agent folders of the environment at `commit` that dockrion deployed for Compose. */
async function composeAgents(repo: EnvironmentsRepo, commit: string, environment: string): Promise<string[]> {
  const out = await repo.git.text(['ls-tree', '-d', '--name-only', commit, '--', `${environment}/`]);
  const names = out
    .split('\n')
    .filter(Boolean)
    .map((p) => p.slice(environment.length + 1));
  const agents: string[] = [];
  for (const name of names) {
    // Only folders dockrion deployed (with a record) are managed; hand-written ones are left alone.
    const folder = `${environment}/${name}`;
    if (
      (await repo.subtree(commit, `${folder}/${COMPOSE_FILE}`)) &&
      (await repo.subtree(commit, `${folder}/${RECORD_FILE}`))
    ) {
      agents.push(name);
    }
  }
  return agents;
}

export class ComposeApplier {
  private readonly options: ApplyOptions;
  private readonly layout: Layout;
  private identities: string[] | null = null;

  constructor(options: ApplyOptions) {
    this.options = options;
    checkSegment('environment', options.environment);
    this.layout = layoutFor(options.stateDir, options.environment);
  }

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  private projectName(agent: string): string {
    return composeProjectName(agent, this.options.environment);
  }

  private async identitiesFor(where: string): Promise<string[]> {
    if (!this.options.identityFile) {
      throw new GitOpsError(
        `${where} needs the host's age identity`,
        'pass --identity FILE (age-keygen -o FILE)',
      );
    }
    this.identities ??= await readIdentities(this.options.identityFile);
    return this.identities;
  }

  /**
   * Writes `<env>/<agent>/` at `commit` to the run folder, with `secrets.env.age` decrypted to
   * `secrets.env` (0600, in a 0700 folder outside the repo) where Compose's env_file expects it.
   */
  private async materialize(repo: EnvironmentsRepo, commit: string, agent: string): Promise<string> {
    const dir = this.layout.run(agent);
    const next = `${dir}.next`;
    await rm(next, { recursive: true, force: true });
    await mkdir(next, { recursive: true, mode: 0o700 });
    const index = join(this.layout.root, `index-${process.pid}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await repo.git.run(['read-tree', `${commit}:${this.options.environment}/${agent}`], {
        env,
        workTree: next,
      });
      await repo.git.run(['checkout-index', '--all', '--force'], { env, workTree: next });
    } finally {
      await rm(index, { force: true });
    }
    const encrypted = join(next, SECRETS_ENV_AGE_FILE);
    if (existsSync(encrypted)) {
      const where = `${this.options.environment}/${agent}/${SECRETS_ENV_AGE_FILE}`;
      const plain = await decryptSecretsEnv(
        await readFile(encrypted),
        await this.identitiesFor(where),
        where,
      );
      for (const line of plain.split('\n')) {
        const [, name, value] = /^([A-Z_][A-Z0-9_]*)="?(.*?)"?$/.exec(line) ?? [];
        if (name && value) maskSecretValue(this.options.logger, value, `secret ${name}`);
      }
      await writeFile(join(next, SECRETS_ENV), plain, { mode: 0o600 });
      await chmod(join(next, SECRETS_ENV), 0o600);
    }
    await rm(dir, { recursive: true, force: true });
    await rename(next, dir);
    await chmod(dir, 0o700);
    return dir;
  }

  private async recordAt(repo: EnvironmentsRepo, commit: string, agent: string) {
    const text = await repo.readFile(commit, `${this.options.environment}/${agent}/${RECORD_FILE}`);
    if (text === null) return { version: null, digest: null };
    try {
      const record = parseRecord(text, RECORD_FILE);
      return { version: record.version, digest: record.digest };
    } catch {
      return { version: null, digest: null };
    }
  }

  private async up(repo: EnvironmentsRepo, commit: string, agent: string) {
    const dir = await this.materialize(repo, commit, agent);
    return composeUp(
      this.options.docker,
      { name: this.projectName(agent), dir },
      this.options.waitTimeoutSeconds,
    );
  }

  /** One pass: pull, apply what changed, roll back what fails its health check. */
  async applyOnce(): Promise<ApplyReport> {
    const { environment, logger } = this.options;
    // Before anything changes: an engine too old for the rendered file would fail the apply and
    // then its own rollback.
    const versions = await checkEngineVersions(this.options.docker, logger);
    logger.debug(`Docker Engine ${versions.engine}, Docker Compose ${versions.compose}`);
    await mkdir(this.layout.root, { recursive: true, mode: 0o700 });
    const repo = await EnvironmentsRepo.open({
      url: this.options.target.url,
      token: this.options.target.token ?? null,
      base: this.options.target.base ?? 'main',
      exec: this.options.exec,
      dir: this.layout.mirror,
      baseEnv: this.env,
    });
    const tip = await repo.fetch();
    if (!tip) throw new GitOpsError(`the environments repo has no branch '${repo.source.base}'`);
    const state = await loadState(this.layout.stateFile, environment);
    const report: ApplyReport = {
      environment,
      repository: redactUrl(this.options.target.url),
      commit: tip,
      status: 'unchanged',
      agents: [],
    };
    if (state.failed?.commit === tip) {
      logger.warn(
        `${tip.slice(0, 12)} failed its health check before (${state.failed.agents.join(', ')}); ` +
          'waiting for a new commit on the base branch',
      );
      report.status = 'failed';
      return report;
    }

    const wanted = await composeAgents(repo, tip, environment);
    const failed: string[] = [];
    for (const agent of wanted) {
      const started = this.options.now();
      const tree = (await repo.subtree(tip, `${environment}/${agent}`)) ?? '';
      const before: AppliedAgent | undefined = state.agents[agent];
      const { version, digest } = await this.recordAt(repo, tip, agent);
      if (before?.tree === tree) {
        report.agents.push({
          agent,
          status: 'unchanged',
          commit: before.commit,
          version,
          digest,
          durationMs: 0,
        });
        continue;
      }
      logger.info(`applying ${environment}/${agent} ${version ?? ''} at ${tip.slice(0, 12)}`);
      const outcome = await this.up(repo, tip, agent);
      if (outcome.ok) {
        state.agents[agent] = { commit: tip, tree, version, digest };
        report.agents.push({
          agent,
          status: 'applied',
          commit: tip,
          version,
          digest,
          durationMs: this.options.now() - started,
        });
        continue;
      }
      if (!(await engineReachable(this.options.docker))) {
        // Not the agent's fault: keep the commit eligible and let the next pass try again.
        throw new GitOpsError(
          `cannot reach the Docker engine while applying ${environment}/${agent}: ${outcome.detail.split('\n').pop()}`,
          'start dockerd (or set DOCKER_HOST) and run apply again',
        );
      }
      failed.push(agent);
      const status = await this.options.docker.projectStatus(this.projectName(agent));
      const detail = [outcome.detail, status].filter(Boolean).join('\n');
      logger.error(`${environment}/${agent} ${version ?? ''} did not become healthy:\n${detail}`);
      if (before) {
        logger.warn(
          `rolling ${environment}/${agent} back to ${before.version ?? before.commit.slice(0, 12)} (${before.commit.slice(0, 12)})`,
        );
        const restored = await this.up(repo, before.commit, agent);
        report.agents.push({
          agent,
          status: restored.ok ? 'rolled-back' : 'failed',
          commit: tip,
          version,
          digest,
          detail: restored.ok
            ? detail
            : `${detail}\nrollback to ${before.commit.slice(0, 12)} failed too:\n${restored.detail}`,
          restored: restored.ok ? before.commit : null,
          durationMs: this.options.now() - started,
        });
      } else {
        // Nothing ran before: leave nothing half-started.
        await composeDown(this.options.docker, this.projectName(agent));
        report.agents.push({
          agent,
          status: 'failed',
          commit: tip,
          version,
          digest,
          detail,
          restored: null,
          durationMs: this.options.now() - started,
        });
      }
    }

    for (const agent of Object.keys(state.agents).filter((a) => !wanted.includes(a))) {
      const started = this.options.now();
      logger.info(`removing ${environment}/${agent}: its folder is gone from ${tip.slice(0, 12)}`);
      const down = await composeDown(this.options.docker, this.projectName(agent));
      if (!down.ok) logger.warn(`docker compose down for ${agent} failed: ${down.detail}`);
      await rm(this.layout.run(agent), { recursive: true, force: true });
      const before = state.agents[agent];
      delete state.agents[agent];
      report.agents.push({
        agent,
        status: 'removed',
        commit: tip,
        version: before?.version ?? null,
        digest: before?.digest ?? null,
        durationMs: this.options.now() - started,
      });
    }

    const at = new Date(this.options.now()).toISOString();
    if (failed.length > 0) {
      state.failed = { commit: tip, agents: failed, at };
      report.status = 'failed';
    } else {
      state.failed = null;
      if (report.agents.some((a) => a.status !== 'unchanged')) report.status = 'applied';
      state.applied = { commit: tip, at };
    }
    await saveState(this.layout.stateFile, state);
    return report;
  }
}
