/**
 * The validate step through a runner (nektos/act, steps on the host) against `node dist/main.js`
 * started directly the way a runner starts it (test/e2e-action/runner.ts), side by side in one
 * run, alternating, on the same workspace (examples/plain-handler, a valid Dockfile) and the same
 * loopback GitHub, on `pull_request`.
 *
 *   validate_step.vs_direct   the Action step as act times it / the direct process
 *   validate_job.vs_direct    the whole validate job (act start, action.yml load, checkout copy,
 *                             the step, the echo step, clean-up) / the direct process
 *
 * Run: node --import tsx bench/act.bench.ts [--runs N]   (needs dist/ and act: scripts/ci/act.sh)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeActWorkspace, recipe, runAct } from '../test/e2e-act/act.ts';
import { bundle, runAction } from '../test/e2e-action/runner.ts';
import { type GitHubServer, startGitHubServer } from '../test/support/github-server.ts';
import { actPath, hasAct, infraReason } from '../test/support/infra.ts';
import { median, numberFlag } from './support.ts';

const runs = numberFlag('--runs', 5);
const REPOSITORY = 'acme/agents';
const TOKEN = 'ghs_benchActWorkflowToken000000000000';
const WORKFLOW = '.github/workflows/validate-pr.yml';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.com',
    },
  }).trim();
}

async function main(): Promise<void> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\``);
  if (!hasAct()) throw new Error(`act is not available: ${infraReason('act')}`);
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-bench-act-'));
  let github: GitHubServer | undefined;
  try {
    const workspace = makeActWorkspace(dir, 'plain-handler');
    writeFileSync(join(workspace, WORKFLOW), recipe('validate-pr.yml'));
    git(dir, 'init', '-q', '-b', 'main', workspace);
    git(workspace, 'remote', 'add', 'origin', `https://github.com/${REPOSITORY}.git`);
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'agent');
    const sha = git(workspace, 'rev-parse', 'HEAD');
    github = await startGitHubServer();
    github.state.tokens.set(TOKEN, {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
      canReadUser: false,
    });
    const repo = { full_name: REPOSITORY, name: 'agents', owner: { login: 'acme' }, fork: false };
    const payload = {
      action: 'synchronize',
      number: 7,
      pull_request: { number: 7, head: { ref: 'feature', sha, repo }, base: { ref: 'main', repo } },
      repository: repo,
    };
    const server = github;

    const throughAct = async () => {
      const started = performance.now();
      const run = await runAct({
        workspace,
        workflow: WORKFLOW,
        event: 'pull_request',
        payload,
        secrets: { GITHUB_TOKEN: TOKEN },
        env: { GITHUB_API_URL: server.url },
      });
      const job = performance.now() - started;
      const step = run.step('validate', 'dockrion');
      if (step.result !== 'success' || step.durationMs === undefined)
        throw new Error(`the validate job failed under act:\n${run.transcript().slice(-2000)}`);
      return { job, step: step.durationMs };
    };
    // The same inputs the recipe passes (command, dockfile, strict), the rest defaulted.
    const direct = async () => {
      const started = performance.now();
      const step = await runAction(
        {
          eventName: 'pull_request',
          payload,
          repository: REPOSITORY,
          sha,
          ref: 'refs/pull/7/merge',
          apiUrl: server.url,
          serverUrl: 'https://github.com',
          workspace,
          token: TOKEN,
        },
        { command: 'validate', dockfile: 'Dockfile.yaml', strict: 'true' },
      );
      if (step.code !== 0) throw new Error(`node dist/main.js failed:\n${step.stdout}\n${step.stderr}`);
      return performance.now() - started;
    };

    // One warm-up of each (page cache, act's first start), then alternate.
    await throughAct();
    await direct();
    const jobs: number[] = [];
    const steps: number[] = [];
    const directs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const viaAct = await throughAct();
      jobs.push(viaAct.job);
      steps.push(viaAct.step);
      directs.push(await direct());
    }
    const [job, step, plain] = [median(jobs), median(steps), median(directs)];
    // The machine is shared: the ratio is the median of each round's ratio (act run and direct
    // run back to back), which drifting load disturbs less than a ratio of medians.
    const stepRatio = median(steps.map((s, i) => s / (directs[i] ?? Number.NaN)));
    const jobRatio = median(jobs.map((j, i) => j / (directs[i] ?? Number.NaN)));
    process.stderr.write(
      `act ${actPath()}, node ${process.version}, ${runs} rounds (medians)\n` +
        `  node dist/main.js directly    ${plain.toFixed(0)} ms\n` +
        `  validate step under act       ${step.toFixed(0)} ms\n` +
        `  whole validate job under act  ${job.toFixed(0)} ms\n`,
    );
    console.log(`validate_step.vs_direct: ${stepRatio.toFixed(3)} (median of per-round ratios)`);
    console.log(`validate_job.vs_direct: ${jobRatio.toFixed(3)} (median of per-round ratios)`);
  } finally {
    await github?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
