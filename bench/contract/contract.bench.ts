/**
 * The contract diff on a 50-agent repository (issue 17 #5): every agent's Dockfile at the PR base
 * (read from the commit with git, as the validation comment does) against the working tree, each
 * pair turned into contracts and diffed. Measured side by side, in the same rounds, with plain
 * validation of the same 50 Dockfiles from disk, and with the end to end run without the loader's
 * cache of io_schema compile outcomes (as before it existed). Each cached run starts with an empty
 * cache, as a fresh Action process does. Ratios on stdout, absolute numbers on stderr.
 *
 * Also in the same rounds, what issue 17 #5 budgets (< 1 s): changed-agent detection over the glob
 * (as the Action runs it, the head committed on top of the base) followed by the contract diff of
 * every agent it selects, here all 50.
 *
 * `--distinct-schemas 1` gives every agent io_schemas of its own (a field named after it), so the
 * cache can only save what the two sides of one agent share.
 *
 *   node --import tsx bench/contract/contract.bench.ts [--agents 50] [--rounds 7] [--distinct-schemas 1]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nodeExec } from '../../action/adapters/exec.ts';
import { silentLogger } from '../../action/adapters/logger.ts';
import { resolveDockfiles, selectChangedAgents } from '../../action/agents/index.ts';
import { diffContracts } from '../../action/contract/diff.ts';
import { contractOf } from '../../action/contract/extract.ts';
import { loadDockfilesAtRevision } from '../../action/contract/git-source.ts';
import type { ContractDiff } from '../../action/contract/types.ts';
import { setSchemaCompileCacheLimit } from '../../action/dockfile/checks/io-schema.ts';
import { loadDockfile } from '../../action/dockfile/index.ts';
import type { DockSpec } from '../../action/dockfile/types.ts';
import { Git } from '../../action/gitops/git.ts';
import { patchedDockfile } from '../../test/contract/support.ts';
import { numberFlag, upperMedian } from '../support.ts';

const agents = numberFlag('--agents', 50);
const rounds = numberFlag('--rounds', 7);
const distinctSchemas = numberFlag('--distinct-schemas', 0) === 1;
const work = mkdtempSync(join(tmpdir(), 'dockrion-contract-bench-'));

/** What a PR changes in each agent, in turn: every class of change appears. */
const CHANGES = [
  'io_schema: { input: { properties: { note: { type: string } } } }',
  'io_schema: { input: { properties: { currency: { enum: [EUR] } } } }',
  'auth: { rate_limits: { clerk: 200/m } }',
  'policies: { tools: { allowed: [lookup_invoice, send_email] } }',
  'secrets: { required: [{ name: ERP_TOKEN }, { name: MAIL_PASSWORD }] }',
  'deploy: { environments: { prod: { replicas: 5 } } }',
  'expose: { port: 9090 }',
  'metadata: { maintainer: bench@example.com }',
];

function git(...args: string[]): void {
  execFileSync('git', args, {
    cwd: work,
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
    },
  });
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), text);
}

const names = Array.from({ length: agents }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
const paths = names.map((name) => `agents/${name}/Dockfile.yaml`);

/** The base commit (the head's changes are committed on top of it, as a PR's head is). */
let baseSha = '';

function buildRepository(): void {
  git('init', '-q', '-b', 'main');
  const own = (name: string) =>
    patchedDockfile(
      distinctSchemas
        ? `agent: { name: ${name} }\nio_schema: { input: { properties: { ${name.replace('-', '_')}: { type: string } } }, output: { properties: { ${name.replace('-', '_')}: { type: string } } } }`
        : `agent: { name: ${name} }`,
    );
  names.forEach((name, i) => {
    write(paths[i] as string, own(name));
  });
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  baseSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim();
  names.forEach((name, i) => {
    write(paths[i] as string, patchedDockfile(CHANGES[i % CHANGES.length], own(name)));
  });
  git('add', '.');
  git('commit', '-q', '-m', 'head');
}

const loadOptions = { cwd: work, root: work, processEnv: {}, python: null };

async function validateAll(which: readonly string[] = paths): Promise<DockSpec[]> {
  const specs: DockSpec[] = [];
  for (const path of which) {
    const result = await loadDockfile(path, loadOptions);
    if (!result.spec) throw new Error(`${path} is invalid: ${JSON.stringify(result.errors)}`);
    specs.push(result.spec);
  }
  return specs;
}

async function baseSpecs(repo: Git, which: readonly string[] = paths): Promise<DockSpec[]> {
  const loaded = await loadDockfilesAtRevision(repo, baseSha, which, { processEnv: {}, python: null });
  return which.map((path) => {
    const spec = loaded.get(path)?.result.spec;
    if (!spec) throw new Error(`${baseSha}:${path} is invalid`);
    return spec;
  });
}

/** Changed-agent detection over the glob, then the contract diff of each selected agent. */
async function detectAndDiff(repo: Git): Promise<number> {
  const selected = await selectChangedAgents({
    workspace: work,
    dockfiles: resolveDockfiles(['agents/*/Dockfile.yaml'], work),
    base: { kind: 'commit', sha: baseSha, what: 'the base' },
    exec: nodeExec(),
    logger: silentLogger(),
  });
  const changed = selected.changed.map((agent) => agent.dockfile);
  const before = await baseSpecs(repo, changed);
  diffAll(before, await validateAll(changed));
  return changed.length;
}

function diffAll(before: readonly DockSpec[], after: readonly DockSpec[]): ContractDiff[] {
  return before.map((spec, i) => diffContracts(contractOf(spec), contractOf(after[i] as DockSpec)));
}

async function main(): Promise<void> {
  buildRepository();
  const repo = new Git({ exec: nodeExec(), gitDir: join(work, '.git') });
  // Warm-up: compiles the schema validators once, as any long-lived process would have.
  const warmHead = await validateAll();
  const warmBase = await baseSpecs(repo);
  const diffs = diffAll(warmBase, warmHead);
  const counts = { breaking: 0, widening: 0, operational: 0, compatible: 0 };
  for (const diff of diffs)
    for (const kind of Object.keys(counts) as (keyof typeof counts)[]) counts[kind] += diff[kind].length;

  // Wall time, and this process's CPU time (git's own CPU is not in it): on a shared machine the
  // CPU time is what the work costs, the wall time what a user waits.
  const samples = {
    validate: [] as number[],
    full: [] as number[],
    uncached: [] as number[],
    core: [] as number[],
    base: [] as number[],
    review: [] as number[],
  };
  const cpu = {
    validate: [] as number[],
    full: [] as number[],
    uncached: [] as number[],
    core: [] as number[],
    base: [] as number[],
    review: [] as number[],
  };
  const endToEnd = async () => {
    const base = await timed('base', () => baseSpecs(repo));
    diffAll(base, await validateAll());
  };
  const timed = async <T>(name: keyof typeof samples, fn: () => Promise<T> | T): Promise<T> => {
    const [wall, used] = [performance.now(), process.cpuUsage()];
    const value = await fn();
    const spent = process.cpuUsage(used);
    samples[name].push(performance.now() - wall);
    cpu[name].push((spent.user + spent.system) / 1000);
    return value;
  };
  for (let round = 0; round < rounds; round++) {
    // Without the cache: every Dockfile compiles its schemas (the reference for what it saves).
    setSchemaCompileCacheLimit(0);
    const head = await timed('validate', validateAll);
    await timed('uncached', async () => {
      await validateAll();
      diffAll(await baseSpecs(repo), head);
    });
    // With it, from empty. `base` is the base side alone within this run.
    setSchemaCompileCacheLimit(128);
    await timed('full', endToEnd);
    await timed('core', () => diffAll(warmBase, head));
    setSchemaCompileCacheLimit(128); // empty again, as in a fresh Action process
    const selected = await timed('review', () => detectAndDiff(repo));
    if (selected !== agents) throw new Error(`detection selected ${selected} of ${agents} changed agents`);
  }
  const review = upperMedian(samples.review);
  const reviewCpu = upperMedian(cpu.review);
  const names = ['validate', 'full', 'uncached', 'core', 'base'] as const;
  const [validate, full, uncached, core, baseRead] = names.map((n) =>
    upperMedian(samples[n]),
  ) as number[] as [number, number, number, number, number];
  const [validateCpu, fullCpu, uncachedCpu, coreCpu, baseCpu] = names.map((n) => upperMedian(cpu[n])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = (wall: number, used: number) => `${wall.toFixed(1)} ms (CPU ${used.toFixed(1)} ms)`;
  process.stderr.write(
    [
      `${agents} agents${distinctSchemas ? ' (io_schemas distinct per agent)' : ''}, ${rounds} rounds (upper medians), load average ${loadavg()[0]?.toFixed(1)}`,
      `changes found: ${JSON.stringify(counts)}`,
      `validate ${agents} Dockfiles from disk (no compile cache):       ${ms(validate, validateCpu)}`,
      `end to end without the compile cache:                        ${ms(uncached, uncachedCpu)}`,
      `contract diff end to end (base from git, head from disk):    ${ms(full, fullCpu)}`,
      `  of which the ${agents} base Dockfiles read + validated (git):    ${ms(baseRead, baseCpu)}`,
      `contract diff alone (contractOf ×${2 * agents} + diffContracts ×${agents}): ${ms(core, coreCpu)}`,
      `changed-agent detection + contract diff of the ${agents} selected:  ${ms(review, reviewCpu)}`,
      '',
    ].join('\n'),
  );
  console.log(`contract.diff_${agents}_agents.end_to_end_vs_validate: ${(full / validate).toFixed(2)}`);
  console.log(`contract.diff_${agents}_agents.end_to_end_vs_uncached: ${(full / uncached).toFixed(2)}`);
  console.log(`contract.diff_${agents}_agents.uncached_vs_budget_1s: ${(uncached / 1000).toFixed(3)}`);
  console.log(`contract.diff_${agents}_agents.diff_only_vs_validate: ${(core / validate).toFixed(3)}`);
  console.log(`contract.diff_${agents}_agents.end_to_end_vs_budget_1s: ${(full / 1000).toFixed(3)}`);
  console.log(`contract.diff_${agents}_agents.diff_only_vs_budget_1s: ${(core / 1000).toFixed(3)}`);
  console.log(`contract.detect_and_diff_${agents}_agents.vs_budget_1s: ${(review / 1000).toFixed(3)}`);
  console.log(`contract.detect_and_diff_${agents}_agents.vs_validate: ${(review / validate).toFixed(2)}`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
