/**
 * The environments repo at scale (issue 18): the same operations on SMALL (1 agent, 10 commits)
 * and XL (300 agents × 3 environments, 20,000 commits), side by side in one run, against git
 * http-backend with uploadpack.allowFilter (as GitHub serves it). Each operation runs in its own
 * process (bench/envrepo/op.ts) under /usr/bin/time for its peak RSS; bytes are what the server
 * sent. Ratios on stdout, absolute numbers on stderr.
 *
 *   node --import tsx bench/envrepo/envrepo.bench.ts [--commits 20000] [--agents 300] [--rounds 3]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GitHttpServer, startGitHttpServer } from '../../test/support/git-http-server.ts';
import { numberFlag } from '../support.ts';
import { agentName, buildRepo } from './repo.ts';

const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'ghs_benchEnvironmentsRepoToken';
const commitsXl = numberFlag('--commits', 20_000);
const agentsXl = numberFlag('--agents', 300);
const rounds = numberFlag('--rounds', 3);
const work = mkdtempSync(join(tmpdir(), 'dockrion-envrepo-bench-'));

interface OpResult {
  ms: number;
  bytes: number;
  rssKb: number;
  detail: Record<string, unknown>;
}

function runOp(server: GitHttpServer, request: Record<string, unknown>): Promise<OpResult> {
  const before = server.bytesSent();
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'maxrss=%M',
        process.execPath,
        '--import',
        import.meta.resolve('tsx'),
        join(here, 'op.ts'),
        JSON.stringify(request),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${JSON.stringify(request)} failed: ${err}`));
      const rssKb = Number(/maxrss=(\d+)/.exec(err)?.[1] ?? 0);
      const detail = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
      resolve({ ms: Number(detail.ms), bytes: server.bytesSent() - before, rssKb, detail });
    });
  });
}

interface Measured {
  coldDeploy: OpResult;
  noCacheDeploy: OpResult;
  deploy: OpResult;
  unchanged: OpResult;
  history: OpResult;
  rollback: OpResult;
  envHistory: OpResult;
}

interface Subject {
  label: string;
  server: GitHttpServer;
  cacheDir: string;
  op(extra: Record<string, unknown>): Promise<OpResult>;
}

async function subject(
  label: string,
  agents: number,
  environments: string[],
  commits: number,
): Promise<Subject> {
  const root = join(work, label);
  mkdirSync(root);
  const t = performance.now();
  buildRepo(join(root, 'environments.git'), { agents, environments, commits });
  process.stderr.write(
    `${label}: built ${commits} commits in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  const server = await startGitHttpServer({ root, token: TOKEN });
  const cacheDir = join(root, 'cache');
  const base = {
    url: server.url('environments.git'),
    token: TOKEN,
    cacheDir,
    environment: 'staging',
    agent: agentName(0),
  };
  let time = 1_800_000_000;
  return {
    label,
    server,
    cacheDir,
    op: (extra) => {
      time += 60;
      return runOp(server, { ...base, time, ...extra });
    },
  };
}

function byMedianMs(results: OpResult[]): OpResult {
  return [...results].sort((a, b) => a.ms - b.ms)[Math.floor(results.length / 2)] as OpResult;
}

/**
 * The first runs (no cache at all, then the one that fills the cache) once per subject; then
 * `rounds` rounds of deploy, unchanged deploy, history, rollback and whole-environment history,
 * alternating SMALL and XL operation by operation so both see the same load, medians kept.
 */
async function measureAll(subjects: Subject[], rounds: number): Promise<Map<string, Measured>> {
  const first = new Map<string, { noCacheDeploy: OpResult; coldDeploy: OpResult }>();
  for (const s of subjects) {
    // A CI job with nothing cached (a fresh GitHub-hosted runner)…
    const noCacheDeploy = await s.op({ op: 'deploy', version: 'bench-0', cacheDir: null });
    // …then a machine that keeps its cache: the first run fills it, the next ones reuse it.
    const coldDeploy = await s.op({ op: 'deploy', version: 'bench-1' });
    first.set(s.label, { noCacheDeploy, coldDeploy });
  }
  const samples = new Map<string, Record<string, OpResult[]>>(
    subjects.map((s) => [s.label, { deploy: [], unchanged: [], history: [], rollback: [], envHistory: [] }]),
  );
  const steps: Array<[string, Record<string, unknown>]> = [];
  for (let r = 0; r < rounds; r++) {
    steps.push(
      ['deploy', { op: 'deploy', version: `bench-round-${r}` }],
      ['unchanged', { op: 'deploy', version: `bench-round-${r}` }],
      ['history', { op: 'history' }],
      ['rollback', { op: 'rollback', version: '1.0.0' }],
      ['envHistory', { op: 'env-history' }],
    );
  }
  for (const [name, request] of steps) {
    for (const s of subjects) samples.get(s.label)?.[name]?.push(await s.op(request));
  }
  const out = new Map<string, Measured>();
  for (const s of subjects) {
    const got = samples.get(s.label) ?? {};
    const m: Measured = {
      ...(first.get(s.label) as { noCacheDeploy: OpResult; coldDeploy: OpResult }),
      deploy: byMedianMs(got.deploy ?? []),
      unchanged: byMedianMs(got.unchanged ?? []),
      history: byMedianMs(got.history ?? []),
      rollback: byMedianMs(got.rollback ?? []),
      envHistory: byMedianMs(got.envHistory ?? []),
    };
    for (const [name, r] of Object.entries(m)) {
      process.stderr.write(
        `${s.label} ${name}: ${r.ms.toFixed(0)} ms, ${(r.bytes / 1024).toFixed(0)} KiB from the server, peak RSS ${(r.rssKb / 1024).toFixed(0)} MiB ${JSON.stringify({ ...r.detail, ms: undefined })}\n`,
      );
    }
    out.set(s.label, m);
  }
  return out;
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
process.stderr.write(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average at start ${load()}\n`,
);
const servers: GitHttpServer[] = [];
try {
  const small = await subject('small', 1, ['staging'], 10);
  servers.push(small.server);
  const xl = await subject('xl', agentsXl, ['staging', 'prod', 'dev'], commitsXl);
  servers.push(xl.server);
  const measured = await measureAll([small, xl], rounds);

  const ratio = (a: number, b: number) => (a / b).toFixed(3);
  const s = measured.get('small') as Measured;
  const x = measured.get('xl') as Measured;
  console.log(`envrepo.deploy.xl_vs_small: ${ratio(x.deploy.ms, s.deploy.ms)}`);
  console.log(`envrepo.deploy_unchanged.xl_vs_small: ${ratio(x.unchanged.ms, s.unchanged.ms)}`);
  console.log(`envrepo.history.xl_vs_small: ${ratio(x.history.ms, s.history.ms)}`);
  console.log(`envrepo.rollback.xl_vs_small: ${ratio(x.rollback.ms, s.rollback.ms)}`);
  const peak = (m: Measured) =>
    Math.max(m.deploy.rssKb, m.unchanged.rssKb, m.history.rssKb, m.rollback.rssKb);
  console.log(`envrepo.peak_rss.xl_vs_small: ${ratio(peak(x), peak(s))}`);
  console.log(`envrepo.deploy_cold_no_cache.xl_vs_small: ${ratio(x.noCacheDeploy.ms, s.noCacheDeploy.ms)}`);
  console.log(`envrepo.peak_rss_cold.xl_vs_small: ${ratio(x.noCacheDeploy.rssKb, s.noCacheDeploy.rssKb)}`);
  const fiveMb = 5 * 1024 * 1024;
  console.log(`envrepo.xl.deploy_bytes_no_cache.vs_5MB: ${ratio(x.noCacheDeploy.bytes, fiveMb)}`);
  console.log(`envrepo.xl.deploy_bytes_warm_cache.vs_5MB: ${ratio(x.deploy.bytes, fiveMb)}`);
  console.log(`envrepo.xl.env_history_${agentsXl}_agents.vs_2s: ${ratio(x.envHistory.ms, 2000)}`);

  // 16 deploys of different agents at once, sharing one machine's cache.
  const concurrentTime = 1_900_000_000;
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      runOp(xl.server, {
        op: 'deploy',
        url: xl.server.url('environments.git'),
        token: TOKEN,
        cacheDir: xl.cacheDir,
        environment: 'prod',
        agent: agentName(i + 1),
        version: 'bench-concurrent',
        time: concurrentTime + i,
      }),
    ),
  );
  const wall = performance.now() - started;
  const landed = results.filter((r) => r.detail.operation === 'direct').length;
  const attempts = results.map((r) => Number(r.detail.attempts));
  process.stderr.write(
    `xl concurrent: ${landed}/16 landed in ${(wall / 1000).toFixed(1)} s wall; attempts per deploy ${attempts.join(',')}; one deploy alone took ${x.deploy.ms.toFixed(0)} ms\n`,
  );
  console.log(`envrepo.xl.concurrent16.landed_share: ${ratio(landed, 16)}`);
  console.log(`envrepo.xl.concurrent16.wall_vs_one_deploy: ${ratio(wall, x.deploy.ms)}`);
  process.stderr.write(`load average at end ${load()}\n`);
} finally {
  for (const server of servers) await server.close();
  rmSync(work, { recursive: true, force: true });
}
