import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ApplyReport } from '../../action/gitops/apply/applier.ts';
import type { DeployResult } from '../../action/pipeline/deploy-pipeline.ts';
import { environmentsRepo, git, type Sandbox, sandbox } from '../gitops/fixtures.ts';
import { exec, removeImages } from '../image/docker.ts';
import { canaryValues } from '../support/canary.ts';
import { captureCli } from '../support/cli.ts';
import { hasAge, hasBaseImage, hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { ageKeyPair, pushToTestRegistry, SECRET_NAMES, writeAgentSource } from './agent-fixture.ts';

const infra = requireInfra(
  'docker, compose, registry, base image and age',
  hasRegistry() && hasBaseImage() && hasAge(),
);
// Unique per run: a Compose project is host-wide, and other runs of this suite may share the engine.
const AGENT = `gitops-e2e-${randomBytes(3).toString('hex')}`;
// compose.yaml's `name:`, which apply passes as --project-name too.
const PROJECT = `${AGENT}-staging`;

infra.describe('deploy → apply → revert → apply on a real Compose host', () => {
  let box: Sandbox;
  let bare: string;
  let identityFile: string;
  let recipient: string;
  const port = 20_000 + Math.floor(Math.random() * 9000);
  const namespace = `${registry()}/dockrion-e2e-${randomBytes(4).toString('hex')}`;
  const raw = canaryValues('CANARY');
  const secrets = Object.fromEntries(SECRET_NAMES.map((n) => [n, raw.values[n] ?? '']));
  const pushed: string[] = [];
  const timings: Record<string, number> = {};
  const log: string[] = [];

  const cli = async (argv: string[]): Promise<{ code: number; stdout: string }> => {
    const c = captureCli({
      cwd: box.dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DOCKER_CONFIG: process.env.DOCKER_CONFIG,
        DOCKRION_SECRETS_JSON: JSON.stringify(secrets),
      },
      mirror: (s) => log.push(s),
    });
    const code = await c.run(argv);
    return { code, stdout: c.stdout() };
  };

  const deploy = async (
    version: string,
    broken: { crash?: boolean; neverReady?: boolean } = {},
  ): Promise<DeployResult> => {
    writeAgentSource(join(box.dir, 'agent'), {
      name: AGENT,
      version,
      port,
      recipients: recipient,
      ...broken,
    });
    const started = Date.now();
    const { code, stdout } = await cli([
      'deploy',
      join(box.dir, 'agent'),
      '--env',
      'staging',
      '--environments-repo',
      bare,
      '--direct',
      ...pushToTestRegistry(namespace),
      '--format',
      'json',
    ]);
    if (code !== 0) throw new Error(`deploy ${version} exited ${code}:\n${log.join('')}`);
    timings[`deploy ${version}`] = Date.now() - started;
    const result = JSON.parse(stdout) as DeployResult;
    pushed.push(result.image);
    return result;
  };

  const apply = async (
    label: string,
    waitTimeout = '90s',
  ): Promise<{ code: number; report: ApplyReport }> => {
    const started = Date.now();
    const { code, stdout } = await cli([
      'apply',
      '--environments-repo',
      bare,
      '--env',
      'staging',
      '--identity',
      identityFile,
      '--once',
      '--state-dir',
      join(box.dir, 'host-state'),
      '--wait-timeout',
      waitTimeout,
      '--format',
      'json',
    ]);
    timings[`apply ${label}`] = Date.now() - started;
    return { code, report: JSON.parse(stdout) as ApplyReport };
  };

  const invoke = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'which version are you?' }),
    });
    const body = (await response.json()) as {
      output?: Record<string, string>;
      data?: Record<string, string>;
    };
    if (response.status !== 200)
      throw new Error(`/invoke answered ${response.status}: ${JSON.stringify(body)}`);
    return body.output ?? body.data ?? {};
  };

  beforeAll(() => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    ({ identityFile, recipient } = ageKeyPair(box.dir));
    mkdirSync(join(box.dir, 'agent'));
  });

  afterAll(async () => {
    await exec.run(
      'docker',
      ['compose', '--project-name', PROJECT, 'down', '--volumes', '--remove-orphans'],
      {
        allowFailure: true,
      },
    );
    await removeImages(pushed);
    box?.cleanup();
    console.info(`[gitops e2e timings ms] ${JSON.stringify(timings)}`);
  });

  infra.it(
    'v1 → apply → v2 → apply → git revert → apply → history, then a broken v3 rolls itself back',
    async () => {
      const v1 = await deploy('1.0.0');
      expect(v1.operation).toBe('direct');
      const first = await apply('v1');
      expect(first.code, log.join('')).toBe(0);
      expect(first.report.agents.map((a) => `${a.agent} ${a.status} ${a.version}`)).toEqual([
        `${AGENT} applied 1.0.0`,
      ]);
      // The agent loads slowly (LOAD_SECONDS): apply returned only once /ready said so, so the
      // very first call is answered rather than refused with 503 AgentNotReady.
      const answer = await invoke();
      expect(answer.version).toBe('1.0.0');
      // An operator's plain `docker compose ps` in the folder sees the project apply runs.
      const runDir = join(box.dir, 'host-state', 'staging', 'run', AGENT);
      const ps = await exec.run('docker', ['compose', 'ps', '--quiet'], { cwd: runDir, allowFailure: true });
      expect(ps.code, ps.stderr).toBe(0);
      expect(ps.stdout.trim()).not.toBe('');
      expect(answer.environment).toBe('staging');
      // The secret reached the container through the decrypted env file.
      expect(answer.secret_sha256).toBe(
        createHash('sha256')
          .update(secrets.CANARY_PLAIN ?? '')
          .digest('hex'),
      );
      const envFile = join(box.dir, 'host-state', 'staging', 'run', AGENT, 'secrets.env');
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      expect(git(bare, ['ls-tree', '-r', '--name-only', 'main'])).not.toContain('secrets.env\n');

      // Nothing changed: a second pass does nothing.
      const idle = await apply('idle');
      expect(idle.report.status).toBe('unchanged');

      const v2 = await deploy('2.0.0');
      expect(v2.digest).not.toBe(v1.digest);
      expect((await apply('v2')).code).toBe(0);
      expect((await invoke()).version).toBe('2.0.0');

      // Roll back with plain git: revert the v2 deploy commit.
      const work = join(box.dir, 'ops');
      git(box.dir, ['clone', '--quiet', bare, work]);
      git(work, ['revert', '--no-edit', v2.commit ?? '']);
      git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
      const reverted = await apply('revert');
      expect(reverted.code).toBe(0);
      expect(reverted.report.agents[0]?.version).toBe('1.0.0');
      expect((await invoke()).version).toBe('1.0.0');

      const history = await cli([
        'history',
        '--environments-repo',
        bare,
        '--env',
        'staging',
        '--agent',
        AGENT,
        '--format',
        'json',
      ]);
      const kinds = (JSON.parse(history.stdout).deployments as Array<{ kind: string; version: string }>).map(
        (d) => `${d.kind} ${d.version}`,
      );
      expect(kinds).toEqual(['revert 1.0.0', 'deploy 2.0.0', 'deploy 1.0.0']);

      // A build that dies on start: apply fails its health check and restores the last good commit.
      const v3 = await deploy('3.0.0', { crash: true });
      expect(v3.operation).toBe('direct');
      const broken = await apply('broken v3');
      expect(broken.code).toBe(1);
      const [agentReport] = broken.report.agents;
      expect(agentReport?.status).toBe('rolled-back');
      expect(agentReport?.version).toBe('3.0.0');
      expect(agentReport?.restored).toBe(git(bare, ['rev-parse', 'main^']));
      expect((await invoke()).version).toBe('1.0.0');
      // The known-bad commit is not retried until the branch moves.
      const again = await apply('known bad');
      expect(again.code).toBe(1);
      expect(again.report.agents).toEqual([]);
      expect(log.join('')).toContain('failed its health check before');

      // A build that runs and answers /health but never loads: liveness would call it healthy;
      // readiness does not, so apply times out waiting and restores the last good commit. The
      // wait is a deadline for a hang, not a measurement.
      const v4 = await deploy('4.0.0', { neverReady: true });
      expect(v4.operation).toBe('direct');
      const mark = log.length;
      const hung = await apply('never-ready v4', '45s');
      expect(hung.code, `${log.slice(mark).join('')}\n${JSON.stringify(hung.report)}`).toBe(1);
      expect(hung.report.agents[0]?.status).toBe('rolled-back');
      expect(hung.report.agents[0]?.version).toBe('4.0.0');
      expect((await invoke()).version).toBe('1.0.0');
    },
    1_500_000,
  );
});
