/**
 * `npm run bench` — every benchmark of the project, one `name: ratio` line each on stdout;
 * details, skips (with the reason) and the absolute numbers go to stderr. Always exits 0: a
 * benchmark that fails or whose infrastructure is absent is reported and skipped.
 *
 *   node --import tsx bench/run.ts [--quick] [--only SUBSTRING] [--json FILE]
 *
 * 1. Discovered benchmarks written next to the code they measure: `bench/*.bench.ts`,
 *    `bench/<area>/*.bench.ts`, `bench/<area>/*.bench.py` (Python via $DOCKRION_PYTHON). Their
 *    `name: ratio` lines are relayed with the file's name as prefix; table rows that end in a
 *    ratio like `1.90x` are accepted too.
 * 2. End-to-end numbers measured here (see bench/RESULTS.md for what each ratio means):
 *    validate (in process and CLI cold start), render (CLI), runtime requests/s vs bare FastAPI,
 *    and — when Docker and a registry are present — the full deploy on a warm cache with the
 *    share of each stage, image size vs base, and rollback time.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '') : '';
const jsonOut = args.includes('--json') ? (args[args.indexOf('--json') + 1] ?? '') : '';
const python = process.env.DOCKRION_PYTHON || join(root, '.venv/bin/python');

const results: { name: string; ratio: number; detail: string }[] = [];
const skipped: { name: string; reason: string }[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

function emit(name: string, ratio: number, detail = ''): void {
  if (only && !name.includes(only)) return;
  const value = Number.isFinite(ratio) ? Number(ratio.toPrecision(4)) : Number.NaN;
  results.push({ name, ratio: value, detail });
  process.stdout.write(`${name}: ${value}\n`);
  if (detail) process.stderr.write(`  ${name}: ${detail}\n`);
}

function skip(name: string, reason: string): void {
  skipped.push({ name, reason });
  process.stderr.write(`skip ${name}: ${reason}\n`);
}

/** A section runs when `--only` names it, something inside it, or part of its name. */
function wanted(section: string): boolean {
  return !only || section.includes(only) || only.startsWith(section);
}

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

function run(
  cmd: string,
  argv: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
) {
  const started = performance.now();
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd ?? root,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeout ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    code: r.status ?? -1,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ms: performance.now() - started,
  };
}

/** The CLI as users run it: the bundle when it is built (`npm run build`), else the sources via tsx. */
function cliCommand(): { argv: string[]; label: string } {
  const bundle = join(root, 'dist/cli.js');
  if (existsSync(bundle)) return { argv: [bundle], label: 'dist/cli.js' };
  // Resolved here so the CLI also runs with a cwd outside the repo (e.g. a temp source repo).
  return {
    argv: ['--import', import.meta.resolve('tsx'), join(root, 'action/cli.ts')],
    label: 'tsx action/cli.ts',
  };
}

function dockrion(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  return run(process.execPath, [...cliCommand().argv, ...argv], opts);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dockrion-bench-${prefix}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ------------------------------------------------------------------ 1. discovered benchmarks

function discover(): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && depth < 2 && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        walk(full, depth + 1);
      } else if (
        entry.isFile() &&
        (/\.bench\.(ts|mjs|js|py)$/.test(entry.name) || (depth > 0 && entry.name === 'run.sh'))
      ) {
        files.push(full);
      }
    }
  };
  walk(join(root, 'bench'), 0);
  return files.sort();
}

/**
 * `name: 1.23` lines (the name may contain spaces, which become `_`; a trailing `x` and a
 * parenthesised comment are allowed), table rows with a `1.23x` column (first column = name), or
 * prose lines `name … ratio 1.23 …` (first word = name).
 */
export function parseRatios(output: string): { name: string; ratio: number }[] {
  const found: { name: string; ratio: number }[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    const named =
      /^([A-Za-z][A-Za-z0-9_./ -]*?(?:\[[^\]]*\])?):\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)x?(?:\s+\(.*\))?$/i.exec(
        line,
      );
    if (named?.[1] && named[2]) {
      found.push({ name: named[1].trim().replace(/\s+/g, '_'), ratio: Number(named[2]) });
      continue;
    }
    const row = /^([A-Za-z0-9_./-]+)\s+(?:.*\s)?(-?\d+(?:\.\d+)?)x(?:\s|$)/.exec(line);
    if (row?.[1] && row[2]) {
      found.push({ name: row[1], ratio: Number(row[2]) });
      continue;
    }
    // `size   base 119.5 MB, image 179.7 MB (ratio 1.50, target …)`: first word, then `ratio N`.
    const prose = /^([a-z][A-Za-z0-9_./-]*)\s+.*\bratio:?\s+(-?\d+(?:\.\d+)?)\b/.exec(line);
    if (prose?.[1] && prose[2]) found.push({ name: prose[1], ratio: Number(prose[2]) });
  }
  return found;
}

function runDiscovered(file: string): void {
  const rel = relative(join(root, 'bench'), file);
  const prefix = rel
    .replace(/\/run\.sh$/, '')
    .replace(/\.bench\.(ts|mjs|js|py)$/, '')
    .replaceAll('/', '.');
  if (!wanted(prefix)) return;
  const argv = file.endsWith('.py')
    ? [python, file]
    : file.endsWith('.sh')
      ? ['bash', file]
      : [process.execPath, '--import', 'tsx', file];
  if (quick && /\.(ts|mjs|js)$/.test(file)) argv.push(...quickFlags(file));
  process.stderr.write(`\n== bench/${rel}\n`);
  const r = run(argv[0] as string, argv.slice(1), { timeout: 1_200_000 });
  process.stderr.write(`${r.stdout.trimEnd().replace(/^/gm, '  | ')}\n`);
  const ratios = parseRatios(r.stdout);
  if (r.code !== 0) {
    const why = (r.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${r.code}`).slice(0, 300);
    skip(prefix, `bench/${rel} exited ${r.code}: ${why}`);
  } else if (ratios.length === 0) {
    skip(prefix, `bench/${rel} printed no 'name: ratio' line`);
  }
  for (const { name, ratio } of ratios)
    emit(name.startsWith(`${prefix}.`) ? name : `${prefix}.${name}`, ratio);
}

function quickFlags(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (text.includes("'--iterations'")) return ['--iterations', '50'];
  if (text.includes("'--runs'")) return ['--runs', '2'];
  return [];
}

// ------------------------------------------------------------------ 2. validate

const examples = ['langgraph-tools', 'langchain-runnable', 'plain-handler'];

async function benchValidate(): Promise<void> {
  if (!wanted('validate')) return;
  const { loadDockfile } = await import('../action/dockfile/index.ts');
  const iterations = quick ? 10 : 40;
  for (const name of examples) {
    const file = join(root, 'examples', name, 'Dockfile.yaml');
    const text = readFileSync(file, 'utf8');
    const time = async (fn: () => unknown) => {
      for (let i = 0; i < 20; i++) await fn();
      const samples: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const t = performance.now();
        await fn();
        samples.push(performance.now() - t);
      }
      return median(samples);
    };
    const parseMs = await time(() => parseYaml(text));
    // As `dockrion validate` runs it: regexes are checked in process with RE2 (re2js), no Python.
    const inProcess = await time(() => loadDockfile(file, { processEnv: {} }));
    emit(
      `validate.inprocess.${name}.vs_yaml_parse`,
      inProcess / parseMs,
      `loadDockfile ${ms(inProcess)} (RE2 regex check in process) vs yaml.parse ${ms(parseMs)}`,
    );
  }

  // CLI cold start: a fresh `node` running `dockrion validate`, vs a fresh `node -e 0`.
  const runs = quick ? 3 : 8;
  const nodeOnly = median(Array.from({ length: runs }, () => run(process.execPath, ['-e', '0']).ms));
  const file = relative(root, join(root, 'examples/langgraph-tools/Dockfile.yaml'));
  const cli = cliCommand();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = dockrion(['validate', file]);
    if (r.code !== 0) {
      skip('validate.cli_cold_start', `dockrion validate exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
      return;
    }
    samples.push(r.ms);
  }
  const cold = median(samples);
  emit(
    'validate.cli_cold_start.vs_node_startup',
    cold / nodeOnly,
    `${cli.label} validate ${ms(cold)} vs node -e 0 ${ms(nodeOnly)}`,
  );
  emit(
    'validate.cli_cold_start.vs_budget_1s',
    cold / 1000,
    `${ms(cold)} against a 1 s budget for an interactive command`,
  );
}

// ------------------------------------------------------------------ 3. render (CLI)

async function benchRender(): Promise<void> {
  if (!wanted('render')) return;
  const file = 'examples/langgraph-tools/Dockfile.yaml';
  const image = `127.0.0.1:5000/acme/langgraph-tools:1.0.0@sha256:${'ab'.repeat(32)}`;
  const runs = quick ? 3 : 6;
  const nodeOnly = median(Array.from({ length: runs }, () => run(process.execPath, ['-e', '0']).ms));
  for (const env of ['staging', 'production']) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = tmp('render');
      const r = dockrion(['render', file, '--env', env, '--image', image, '--out', out]);
      if (r.code !== 0) {
        skip(`render.cli.${env}`, `dockrion render exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
        return;
      }
      samples.push(r.ms);
    }
    const renderMs = median(samples);
    emit(
      `render.cli.${env}.vs_node_startup`,
      renderMs / nodeOnly,
      `${cliCommand().label} render ${ms(renderMs)} vs node -e 0 ${ms(nodeOnly)}`,
    );
  }
}

// ------------------------------------------------------------------ 4. runtime vs bare FastAPI

const BARE_APP = `
import os, sys
sys.path.insert(0, sys.argv[1])
from fastapi import FastAPI, Request
from app.handler import handle
import uvicorn
app = FastAPI()
@app.post("/invoke")
async def invoke(request: Request):
    return {"success": True, "output": handle(await request.json())}
@app.get("/health")
async def health():
    return {"status": "ok"}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
`;

async function waitFor(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${log().slice(-500)}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${log().slice(-500)}`);
}

function startProcess(
  cmd: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; log: () => string } {
  let log = '';
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => {
    log = (log + d).slice(-20_000);
  });
  child.stderr?.on('data', (d) => {
    log = (log + d).slice(-20_000);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return { child, log: () => log };
}

/** Closed-loop load: `concurrency` keep-alive clients POSTing for `seconds`; returns req/s. */
async function load(
  port: number,
  body: string,
  headers: Record<string, string>,
  seconds: number,
  concurrency: number,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let done = 0;
  let failed = 0;
  const end = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/invoke',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', ...headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) done++;
            else failed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  agent.destroy();
  return { rps: done / ((performance.now() - started) / 1000), failed };
}

async function benchRuntime(): Promise<void> {
  if (!wanted('runtime')) return;
  if (!existsSync(python)) return skip('runtime', `no Python at ${python} (run scripts/setup-python.sh)`);
  const probe = run(python, ['-c', 'import dockrion_runtime, fastapi, uvicorn']);
  if (probe.code !== 0) return skip('runtime', `dockrion_runtime/fastapi not importable with ${python}`);
  const { loadDockfile, normalizeDockfile } = await import('../action/dockfile/index.ts');
  const appDir = join(root, 'examples/plain-handler');
  const loaded = await loadDockfile(join(appDir, 'Dockfile.yaml'), { processEnv: {} });
  if (!loaded.spec) return skip('runtime', 'examples/plain-handler does not validate');
  const dir = tmp('runtime');
  const config = join(dir, 'dockrion.json');
  writeFileSync(config, JSON.stringify(normalizeDockfile(loaded.spec)));
  const key = 'bench-key';
  const env = {
    ...process.env,
    DOCKRION_API_KEY: key,
    HELPDESK_API_TOKEN: 'bench',
    DOCKRION_LOG_LEVEL: 'warning',
  };
  const seconds = quick ? 3 : 8;
  const concurrency = 16;
  const body = JSON.stringify({ message: 'I was charged twice for my invoice!' });

  const bareScript = join(dir, 'bare.py');
  writeFileSync(bareScript, BARE_APP);
  const barePort = await freePort();
  const bare = startProcess(python, [bareScript, appDir, String(barePort)], env);
  const runtimePort = await freePort();
  const startedAt = performance.now();
  const rt = startProcess(
    python,
    [
      '-m',
      'dockrion_runtime',
      '--config',
      config,
      '--app-dir',
      appDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(runtimePort),
    ],
    env,
  );
  try {
    await waitFor(`http://127.0.0.1:${runtimePort}/ready`, rt.child, rt.log);
    const coldStart = performance.now() - startedAt;
    await waitFor(`http://127.0.0.1:${barePort}/health`, bare.child, bare.log);
    await load(barePort, body, {}, 1, concurrency); // warm-up
    await load(runtimePort, body, { 'X-API-Key': key }, 1, concurrency);
    if (results.some((r) => r.name.startsWith('runtime.') && /bare|fastapi/i.test(r.name))) {
      skip('runtime.rps.vs_bare_fastapi', 'already measured by bench/runtime (wrk, pinned cores)');
      emit(
        'runtime.cold_start.vs_prd_target_2s',
        coldStart / 2000,
        `process start → /ready 200 in ${ms(coldStart)} (PRD: ≤ 2 s)`,
      );
      return;
    }
    const b = await load(barePort, body, {}, seconds, concurrency);
    const r = await load(runtimePort, body, { 'X-API-Key': key }, seconds, concurrency);
    if (r.failed || b.failed)
      process.stderr.write(`  runtime bench: ${r.failed} runtime / ${b.failed} bare failures\n`);
    emit(
      'runtime.rps.vs_bare_fastapi',
      r.rps / b.rps,
      `dockrion_runtime ${r.rps.toFixed(0)} req/s vs bare FastAPI ${b.rps.toFixed(0)} req/s (plain-handler, ${concurrency} keep-alive clients, ${seconds}s, auth+io_schema+policies+metrics on)`,
    );
    emit(
      'runtime.cold_start.vs_prd_target_2s',
      coldStart / 2000,
      `process start → /ready 200 in ${ms(coldStart)} (PRD: ≤ 2 s)`,
    );
  } catch (e: unknown) {
    skip('runtime', e instanceof Error ? e.message : String(e));
  }
}

// ------------------------------------------------------------------ 5. deploy, image, rollback

function dockerReady(): string | null {
  const info = run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 20_000 });
  if (info.code !== 0) return 'no Docker engine (docker info failed)';
  const registry = process.env.DOCKRION_TEST_REGISTRY;
  if (!registry)
    return 'DOCKRION_TEST_REGISTRY is not set (bash scripts/dev-services.sh, then source /tmp/dockrion-ci.env)';
  if (!process.env.DOCKRION_TEST_BASE_IMAGE)
    return 'DOCKRION_TEST_BASE_IMAGE is not set (no base image can be pulled here)';
  return null;
}

function git(cwd: string, ...argv: string[]): string {
  const r = run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...argv], { cwd });
  if (r.code !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

async function benchDeploy(): Promise<void> {
  if (!wanted('deploy') && !wanted('image') && !wanted('rollback')) return;
  const missing = dockerReady();
  if (missing) {
    for (const name of ['deploy', 'image.size', 'rollback']) skip(name, missing);
    return;
  }
  const help = dockrion(['deploy', '--help']);
  if (help.code !== 0) {
    for (const name of ['deploy', 'image.size', 'rollback'])
      skip(name, `dockrion deploy is not available: ${help.stderr.trim().slice(0, 200)}`);
    return;
  }
  const registry = process.env.DOCKRION_TEST_REGISTRY as string;
  const base = process.env.DOCKRION_TEST_BASE_IMAGE as string;
  const work = tmp('deploy');
  const source = join(work, 'source');
  cpSync(join(root, 'examples/langgraph-tools'), source, {
    recursive: true,
    filter: (p) => !p.includes('__pycache__'),
  });
  git(work, 'init', '-q', '-b', 'main', source);
  git(source, 'add', '-A');
  git(source, 'commit', '-q', '-m', 'agent');
  const envRepo = join(work, 'environments.git');
  git(work, 'init', '-q', '--bare', '-b', 'main', envRepo);
  const seed = join(work, 'seed');
  git(work, 'clone', '-q', envRepo, seed);
  writeFileSync(join(seed, 'README.md'), 'environments\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '-q', '-m', 'init');
  git(seed, 'push', '-q', 'origin', 'main');

  const namespace = `${registry}/dockrion-bench-${createHash('sha1').update(work).digest('hex').slice(0, 8)}`;
  // Remove what the deploys leave: local tags of the bench namespace and their registry manifests.
  cleanups.push(async () => {
    const refs = run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}@{{.Digest}}'])
      .stdout.split('\n')
      .filter((l) => l.startsWith(`${namespace}/`));
    for (const ref of refs) {
      const [name, digest] = ref.split('@');
      run('docker', ['image', 'rm', '--force', name ?? '']);
      const repo = (name ?? '').slice(registry.length + 1).replace(/:[^:/]+$/, '');
      if (digest && digest !== '<none>') {
        await fetch(`http://${registry}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' }).catch(
          () => undefined,
        );
      }
    }
  });
  const env = {
    ...process.env,
    OPENAI_API_KEY: 'bench-not-a-key',
    DOCKRION_API_KEY: 'bench-key',
    DOCKRION_FAKE_MODEL: '1',
  };
  const deployArgs = [
    'deploy',
    join(source, 'Dockfile.yaml'),
    '--env',
    'staging',
    '--registry',
    namespace,
    '--push',
    '--base-image',
    base,
    '--environments-repo',
    envRepo,
    '--direct',
    '--format',
    'json',
  ];
  const dockfile = join(source, 'Dockfile.yaml');

  // Cold deploy fills the layer cache; the measured one changes only the agent code.
  const cold = dockrion(deployArgs, { cwd: source, env, timeout: 1_200_000 });
  if (cold.code !== 0) {
    for (const name of ['deploy', 'image.size', 'rollback'])
      skip(
        name,
        `first deploy failed (exit ${cold.code}): ${cold.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    return;
  }
  process.stderr.write(`  deploy (cold cache): ${ms(cold.ms)}\n`);
  const graph = join(source, 'app/graph.py');
  writeFileSync(graph, `${readFileSync(graph, 'utf8')}\n# bench change\n`);
  writeFileSync(
    dockfile,
    readFileSync(dockfile, 'utf8').replace(/^ {2}version: 1\.0\.0$/m, '  version: 1.0.1'),
  );
  git(source, 'commit', '-q', '-am', 'change');
  const warm = dockrion(deployArgs, { cwd: source, env, timeout: 1_200_000 });
  if (warm.code !== 0) {
    skip(
      'deploy',
      `warm deploy failed (exit ${warm.code}): ${warm.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
    return;
  }
  let outcome: Record<string, unknown> = {};
  try {
    outcome = JSON.parse(warm.stdout) as Record<string, unknown>;
  } catch {
    // text output only
  }
  if (wanted('deploy')) {
    emit(
      'deploy.warm.vs_prd_target_90s',
      warm.ms / 90_000,
      `dockrion deploy (warm layer cache, code change) ${ms(warm.ms)}; cold ${ms(cold.ms)} (PRD: ≤ 90 s)`,
    );
    const stages = (outcome.timings ?? outcome.stages) as Record<string, number> | undefined;
    if (stages && typeof stages === 'object') {
      const total = Object.values(stages).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0) || warm.ms;
      for (const [stage, t] of Object.entries(stages)) {
        if (typeof t === 'number') emit(`deploy.warm.share.${stage}`, t / total, ms(t));
      }
    } else {
      skip('deploy.warm.share', 'dockrion deploy --format json reported no per-stage timings');
    }
  }

  if (wanted('image')) {
    const image = typeof outcome.image === 'string' ? outcome.image : '';
    const size = (ref: string) =>
      Number(run('docker', ['image', 'inspect', '--format', '{{.Size}}', ref]).stdout.trim());
    if (image) {
      run('docker', ['pull', '-q', image], { timeout: 300_000 });
      const img = size(image);
      const baseSize = size(base);
      if (img > 0 && baseSize > 0) {
        emit(
          'image.size.langgraph-tools.vs_base',
          img / baseSize,
          `${(img / 1e6).toFixed(1)} MB vs base ${(baseSize / 1e6).toFixed(1)} MB`,
        );
      } else skip('image.size', `could not inspect ${image} or ${base}`);
    } else skip('image.size', 'deploy --format json reported no image');
  }

  if (wanted('rollback')) {
    const r = dockrion(
      [
        'rollback',
        '--environments-repo',
        envRepo,
        '--env',
        'staging',
        '--agent',
        'langgraph-tools',
        '--to',
        '1.0.0',
        '--direct',
      ],
      {
        env,
      },
    );
    if (r.code !== 0)
      skip('rollback', `dockrion rollback exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
    else
      emit(
        'rollback.vs_prd_target_30s',
        r.ms / 30_000,
        `dockrion rollback --direct ${ms(r.ms)} (PRD: ≤ 30 s)`,
      );
  }
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  process.stderr.write(`dockrion bench (${quick ? 'quick' : 'full'}), CLI: ${cliCommand().label}\n`);
  for (const file of discover()) {
    if (basename(file) === 'run.ts') continue;
    try {
      runDiscovered(file);
    } catch (e: unknown) {
      skip(relative(root, file), e instanceof Error ? e.message : String(e));
    }
  }
  for (const [name, fn] of [
    ['validate', benchValidate],
    ['render', benchRender],
    ['runtime', benchRuntime],
    ['deploy', benchDeploy],
  ] as const) {
    try {
      await fn();
    } catch (e: unknown) {
      skip(name, e instanceof Error ? e.message : String(e));
    }
  }
  if (jsonOut)
    writeFileSync(
      jsonOut,
      `${JSON.stringify({ date: new Date().toISOString(), results, skipped }, null, 2)}\n`,
    );
}

// Runs only as the entry point (`node --import tsx bench/run.ts`), so tests can import parseRatios.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await main();
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        // best effort
      }
    }
    process.exitCode = 0;
  }
}
