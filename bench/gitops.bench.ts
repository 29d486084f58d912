/**
 * The environments-repo write path against the plain-git baseline a hand-written script would
 * use (clone, write files, add, commit, push): `gitops.deploy.vs_plain_git` < 1 means dockrion's
 * plumbing-built commit (fetch into a bare copy, private index, commit-tree, push) is cheaper.
 * Also history and rollback on a repo with a realistic number of deploys.
 *
 *   npx tsx bench/gitops.bench.ts [--deploys N]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeExec } from '../action/adapters/exec.ts';
import { silentLogger } from '../action/adapters/logger.ts';
import {
  type DeployRecord,
  deployToEnvironments,
  readHistory,
  rollbackEnvironment,
} from '../action/gitops/index.ts';
import { median, numberFlag } from './support.ts';

const deploys = numberFlag('--deploys', 40);
const work = mkdtempSync(join(tmpdir(), 'dockrion-gitops-bench-'));
const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });

function seed(name: string): string {
  const bare = join(work, `${name}.git`);
  git(work, 'init', '-q', '--bare', '-b', 'main', bare);
  const clone = join(work, `${name}-seed`);
  git(work, 'clone', '-q', bare, clone);
  // A repo that is not empty: 30 other agents in three environments.
  for (const env of ['dev', 'staging', 'prod']) {
    for (let i = 0; i < 10; i++) {
      mkdirSync(join(clone, env, `agent-${i}`), { recursive: true });
      writeFileSync(join(clone, env, `agent-${i}`, 'compose.yaml'), `services:\n  agent-${i}: {}\n`);
    }
  }
  git(clone, 'add', '-A');
  git(clone, 'commit', '-q', '-m', 'seed');
  git(clone, 'push', '-q', 'origin', 'HEAD:main');
  rmSync(clone, { recursive: true, force: true });
  return bare;
}

function record(version: string): DeployRecord {
  const digest = `sha256:${Buffer.from(version).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  return {
    agent: 'bench-agent',
    environment: 'staging',
    version,
    image: `ghcr.io/acme/bench-agent:${version}@${digest}`,
    digest,
    source: { repository: 'acme/agents', commit: 'a'.repeat(40) },
    dockfile_sha256: 'b'.repeat(64),
  };
}

function files(r: DeployRecord) {
  return [
    { path: 'compose.yaml', content: `services:\n  bench-agent:\n    image: ${r.image}\n` },
    { path: 'secrets.env.age', content: `age-encryption.org/v1\n${r.version}\n` },
  ];
}

let now = 1_800_000_000_000;
const ctx = { exec: nodeExec(), logger: silentLogger(), now: () => now };

try {
  const ours = seed('ours');
  const oursMs: number[] = [];
  for (let i = 0; i < deploys; i++) {
    now += 60_000;
    const r = record(`1.0.${i}`);
    const t = performance.now();
    await deployToEnvironments({ target: { url: ours }, record: r, files: files(r), direct: true }, ctx);
    oursMs.push(performance.now() - t);
  }

  const plain = seed('plain');
  const plainMs: number[] = [];
  for (let i = 0; i < Math.min(deploys, 15); i++) {
    const r = record(`1.0.${i}`);
    const t = performance.now();
    const clone = join(work, `plain-${i}`);
    git(work, 'clone', '-q', plain, clone);
    const dir = join(clone, 'staging', 'bench-agent');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of files(r)) writeFileSync(join(dir, f.path), f.content);
    writeFileSync(join(dir, 'dockrion.json'), `${JSON.stringify(r, null, 2)}\n`);
    git(clone, 'add', '-A');
    git(clone, 'commit', '-q', '-m', `deploy ${r.version}`);
    git(clone, 'push', '-q', 'origin', 'HEAD:main');
    plainMs.push(performance.now() - t);
    rmSync(clone, { recursive: true, force: true });
  }

  let t = performance.now();
  const history = await readHistory(
    { target: { url: ours }, environment: 'staging', agent: 'bench-agent' },
    ctx,
  );
  const historyMs = performance.now() - t;
  now += 60_000;
  t = performance.now();
  await rollbackEnvironment(
    { target: { url: ours }, environment: 'staging', agent: 'bench-agent', to: '1.0.0', direct: true },
    ctx,
  );
  const rollbackMs = performance.now() - t;

  const deployMedian = median(oursMs);
  const plainMedian = median(plainMs);
  console.error(
    `deploy write: ${deployMedian.toFixed(1)} ms median over ${deploys} (plain git clone+commit+push ${plainMedian.toFixed(1)} ms); ` +
      `history of ${history.length} deploys ${historyMs.toFixed(1)} ms; rollback over ${deploys} deploys ${rollbackMs.toFixed(1)} ms`,
  );
  console.log(`gitops.deploy.vs_plain_git: ${(deployMedian / plainMedian).toFixed(3)}`);
  console.log(`gitops.history.vs_one_deploy: ${(historyMs / deployMedian).toFixed(3)}`);
  console.log(`gitops.rollback.vs_one_deploy: ${(rollbackMs / deployMedian).toFixed(3)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
