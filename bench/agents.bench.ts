/**
 * Changed-agent detection on a 50-agent repository (`dockfile: agents/*\/Dockfile.yaml`): expand
 * the glob, read every Dockfile's footprint (its `!include`s and `build.include` paths), diff the
 * base commit against HEAD and pick the touched agents — what the Action does before validating
 * or deploying. Measured side by side with the plain `git diff --name-only base HEAD` a
 * hand-written script would run (and that could not see includes), and against the 1 s budget of
 * issue 17 (which the contract diff shares).
 *
 *   agents.detect50.vs_git_diff          detection (base in the clone) / one `git diff` process
 *   agents.detect50.vs_budget_1s         the same, absolute, against 1 s
 *   agents.detect50_fetch.vs_budget_1s   from a one-commit-deep clone, as actions/checkout leaves
 *                                        it: the base is fetched first (file:// origin, so the
 *                                        network round trip of github.com is not in it)
 *
 *   npx tsx bench/agents.bench.ts [--agents N] [--rounds N]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeExec } from '../action/adapters/exec.ts';
import { silentLogger } from '../action/adapters/logger.ts';
import { resolveDockfiles, selectChangedAgents } from '../action/agents/index.ts';
import { median, numberFlag } from './support.ts';

const agents = numberFlag('--agents', 50);
const rounds = numberFlag('--rounds', 7);
const work = mkdtempSync(join(tmpdir(), 'dockrion-agents-bench-'));
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
const write = (root: string, path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

/** A realistic agent: a Dockfile of ~60 lines, a few modules, every fifth one includes shared policies. */
function dockfile(i: number): string {
  const name = `agent-${String(i).padStart(2, '0')}`;
  return `version: "1.0"
agent:
  name: ${name}
  description: Benchmark agent ${i}
  handler: app.handler:handle
io_schema:
  input:
    type: object
    required: [message]
    properties:
      message: { type: string, maxLength: 5000 }
      locale: { type: string, enum: [en, de, fr] }
  output:
    type: object
    properties:
      reply: { type: string }
${i % 5 === 0 ? 'policies: !include ../../shared/policies.yaml\n' : ''}auth:
  mode: api_key
expose:
  rest: true
  port: 8080
metadata:
  version: 1.${i}.0
secrets:
  required:
    - name: API_TOKEN_${i}
build:
  requirements: requirements.txt
  include:
    directories: [app]
    files: [../../shared/prompts/${name}.txt]
deploy:
  target: compose
  environments:
    staging: { target: compose }
    production: { target: kubernetes, namespace: agents, replicas: 2 }
`;
}

try {
  const origin = join(work, 'origin');
  git(work, 'init', '-q', '-b', 'main', origin);
  for (let i = 0; i < agents; i++) {
    const dir = `agents/agent-${String(i).padStart(2, '0')}`;
    write(origin, `${dir}/Dockfile.yaml`, dockfile(i));
    write(origin, `${dir}/requirements.txt`, 'httpx==0.28.1\n');
    for (const module of ['__init__', 'handler', 'tools', 'prompts'])
      write(origin, `${dir}/app/${module}.py`, `# ${module} of agent ${i}\nVALUE = ${i}\n`);
    write(origin, `shared/prompts/agent-${String(i).padStart(2, '0')}.txt`, `prompt ${i}\n`);
  }
  write(origin, 'shared/policies.yaml', 'tools:\n  allowed: [search]\n');
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'agents');
  const base = git(origin, 'rev-parse', 'HEAD');
  // The change: one agent's code, and one agent's prompt file outside its directory.
  write(origin, 'agents/agent-07/app/handler.py', '# faster\nVALUE = 8\n');
  write(origin, 'shared/prompts/agent-31.txt', 'a better prompt\n');
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'change two agents');

  const exec = nodeExec();
  const detect = async (workspace: string) => {
    const dockfiles = resolveDockfiles(['agents/*/Dockfile.yaml'], workspace);
    return selectChangedAgents({
      workspace,
      dockfiles,
      base: { kind: 'commit', sha: base, what: 'base' },
      exec,
      env,
      logger: silentLogger(),
    });
  };

  const detectMs: number[] = [];
  const gitDiffMs: number[] = [];
  const fetchMs: number[] = [];
  let picked: string[] = [];
  for (let round = 0; round < rounds; round++) {
    let t = performance.now();
    const selection = await detect(origin);
    detectMs.push(performance.now() - t);
    picked = selection.changed.map((a) => a.name ?? a.dockfile);
    if (selection.all.length !== agents) throw new Error(`matched ${selection.all.length} of ${agents}`);

    t = performance.now();
    git(origin, 'diff', '--name-only', '-z', '--no-renames', base, 'HEAD');
    gitDiffMs.push(performance.now() - t);

    const clone = join(work, `clone-${round}`);
    git(work, 'clone', '-q', '--depth=1', `file://${origin}`, clone);
    t = performance.now();
    const fetched = await detect(clone);
    fetchMs.push(performance.now() - t);
    if (fetched.everythingBecause !== null) throw new Error(fetched.everythingBecause);
    rmSync(clone, { recursive: true, force: true });
  }
  if (picked.join(',') !== 'agent-07,agent-31') throw new Error(`picked ${picked.join(',')}`);

  const detectMedian = median(detectMs);
  const fetchMedian = median(fetchMs);
  const gitDiffMedian = median(gitDiffMs);
  console.error(
    `changed-agent detection, ${agents} agents (2 changed), median of ${rounds}: ` +
      `${detectMedian.toFixed(1)} ms with the base in the clone, ${fetchMedian.toFixed(1)} ms from a depth-1 clone (base fetched); ` +
      `plain git diff ${gitDiffMedian.toFixed(1)} ms`,
  );
  console.log(`agents.detect50.vs_git_diff: ${(detectMedian / gitDiffMedian).toFixed(3)}`);
  console.log(`agents.detect50.vs_budget_1s: ${(detectMedian / 1000).toFixed(4)}`);
  console.log(`agents.detect50_fetch.vs_budget_1s: ${(fetchMedian / 1000).toFixed(4)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
