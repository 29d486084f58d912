#!/usr/bin/env node
// `npm run demo` — the whole pipeline on this machine, on embedded defaults, in a temp workspace:
//
//   validate → build → push to a local registry → render → commit to a local environments repo
//   → apply (docker compose up) → call /invoke → deploy a new version → roll back → /invoke again
//
// It uses examples/langgraph-tools with its offline fake model (staging sets DOCKRION_FAKE_MODEL=1),
// a fresh age identity for the staging host, and made-up secret values. When the Docker engine is
// absent it says so and does what needs no Docker: validate → render → commit.
//
//   npm run demo [-- --keep] [-- --no-docker] [-- --own-registry]
//
// Environment (all optional):
//   DOCKRION_DEMO_REGISTRY     registry host[:port] to push to (default: DOCKRION_TEST_REGISTRY, then
//                              127.0.0.1:5000 if it answers, else a `docker-registry` started here)
//   DOCKRION_DEMO_BASE_IMAGE   base image for the runtime image (default: DOCKRION_TEST_BASE_IMAGE,
//                              else the Dockfile's python:3.12-slim, which `docker build` pulls)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const forceNoDocker = args.includes('--no-docker') || process.env.DOCKRION_DEMO_NO_DOCKER === '1';
const ownRegistry = args.includes('--own-registry'); // always start a throw-away docker-registry
const EXAMPLE = 'langgraph-tools';
// agent.name in the workspace copy. A Compose project (`<agent>-<env>`) is host-wide: runs that
// share a Docker engine (e.g. test suites) give each demo its own name with DOCKRION_DEMO_AGENT.
const AGENT = process.env.DOCKRION_DEMO_AGENT || EXAMPLE;
if (!/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(AGENT)) {
  console.error(`DOCKRION_DEMO_AGENT must be a DNS label, got '${AGENT}'`);
  process.exit(2);
}
const ENV = 'staging';

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let stepNo = 0;
const step = (title) => console.log(`\n${bold(`[${++stepNo}] ${title}`)}`);
const info = (s) => console.log(`    ${s}`);
const cleanups = [];

/** Runs a command, streaming its stderr (progress) indented; returns stdout. Throws on failure. */
function sh(cmd, argv, { cwd = root, env = process.env, quiet = false, allowFailure = false } = {}) {
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!quiet && r.stderr?.trim()) {
    const lines = r.stderr.trim().split('\n');
    // buildx progress is long: keep the last lines, which name the pushed reference.
    for (const line of lines.length > 12 ? ['…', ...lines.slice(-10)] : lines) info(`│ ${line}`);
  }
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFailure) {
    throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}${quiet ? `:\n${r.stderr}` : ''}`);
  }
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// The dockrion CLI from this checkout (sources through tsx; works from any cwd).
const tsx = import.meta.resolve('tsx');
const dockrion = (argv, opts = {}) => {
  info(`$ dockrion ${argv.join(' ')}`);
  return sh(process.execPath, ['--import', tsx, join(root, 'action/cli.ts'), ...argv], opts);
};
const git = (cwd, ...argv) =>
  sh('git', ['-c', 'user.name=dockrion demo', '-c', 'user.email=demo@dockrion.invalid', ...argv], {
    cwd,
    quiet: true,
  }).stdout.trim();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function answers(url) {
  try {
    // Patient: on a busy machine a healthy registry can take seconds to answer, and a probe that
    // gives up early sends the demo off to start a registry of its own.
    const r = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    return r.status < 500;
  } catch {
    return false;
  }
}

function dockerAvailable() {
  if (forceNoDocker) return '--no-docker was given';
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (info.error || info.status !== 0) return 'the Docker engine is not reachable (`docker info` failed)';
  const compose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (compose.status !== 0) return 'the docker compose v2 plugin is missing';
  const buildx = spawnSync('docker', ['buildx', 'version'], { encoding: 'utf8' });
  if (buildx.status !== 0) return 'the docker buildx plugin is missing';
  return null;
}

/** A registry to push to: configured, already running, or a `docker-registry` we start and stop. */
async function ensureRegistry(work) {
  const candidates = ownRegistry
    ? []
    : [process.env.DOCKRION_DEMO_REGISTRY, process.env.DOCKRION_TEST_REGISTRY, '127.0.0.1:5000'];
  for (const candidate of candidates) {
    if (candidate && (await answers(`http://${candidate}/v2/`))) {
      info(`using the registry on ${candidate}`);
      return candidate;
    }
  }
  const bin = ['docker-registry', 'registry'].find(
    (b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0,
  );
  if (!bin) return null;
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const dir = join(work, 'registry');
  mkdirSync(join(dir, 'storage'), { recursive: true });
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/storage\n  delete:\n    enabled: true\nhttp:\n  addr: ${addr}\n`,
  );
  const child = spawn(bin, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  for (let i = 0; i < 100 && !(await answers(`http://${addr}/v2/`)); i++)
    await new Promise((r) => setTimeout(r, 100));
  if (!(await answers(`http://${addr}/v2/`))) throw new Error(`${bin} did not start on ${addr}`);
  info(`started ${bin} on ${addr} (stopped at the end)`);
  return addr;
}

async function invoke(port, apiKey, question) {
  const url = `http://127.0.0.1:${port}/invoke`;
  info(`$ curl -s -X POST ${url} -H 'X-API-Key: ***' -d '${JSON.stringify({ question })}'`);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-API-Key': apiKey },
    body: JSON.stringify({ question }),
  });
  const body = await res.json();
  if (!res.ok || !body.success) throw new Error(`/invoke answered ${res.status}: ${JSON.stringify(body)}`);
  info(`→ ${res.status} answer=${JSON.stringify(body.output.answer)} version=${body.metadata.version}`);
  return body;
}

async function main() {
  const started = Date.now();
  console.log(bold('dockrion demo — the deploy pipeline end to end, locally'));
  const work = mkdtempSync(join(tmpdir(), 'dockrion-demo-'));
  cleanups.push(() =>
    keep ? console.log(`\nworkspace kept: ${work}`) : rmSync(work, { recursive: true, force: true }),
  );

  step('Workspace: the example agent as a git repo, an empty environments repo, a host age key');
  const source = join(work, 'agent');
  cpSync(join(root, 'examples', EXAMPLE), source, {
    recursive: true,
    filter: (p) => !p.includes('__pycache__'),
  });
  const port = await freePort();
  const dockfile = join(source, 'Dockfile.yaml');
  // The demo publishes the agent on a free port instead of 8080, which may be taken here.
  writeFileSync(
    dockfile,
    readFileSync(dockfile, 'utf8')
      .replace(/^ {2}port: 8080$/m, `  port: ${port}`)
      .replace(/^ {2}name: langgraph-tools$/m, `  name: ${AGENT}`),
  );
  git(work, 'init', '-q', '-b', 'main', source);
  git(source, 'add', '-A');
  git(source, 'commit', '-q', '-m', `${AGENT} 1.0.0`);
  const envRepo = join(work, 'environments.git');
  git(work, 'init', '-q', '--bare', '-b', 'main', envRepo);
  const seed = join(work, 'environments-seed');
  git(work, 'clone', '-q', envRepo, seed);
  writeFileSync(
    join(seed, 'README.md'),
    '# environments\nWritten by dockrion: <env>/<agent>/ per deployment.\n',
  );
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '-q', '-m', 'environments repo');
  git(seed, 'push', '-q', 'origin', 'main');
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const identityFile = join(work, 'host-age.key');
  writeFileSync(identityFile, `# dockrion demo staging host\n${identity}\n`, { mode: 0o600 });
  const apiKey = randomBytes(16).toString('hex');
  const env = {
    ...process.env,
    STAGING_AGE_RECIPIENT: recipient, // deploy.environments.staging.secrets.age_recipients
    OPENAI_API_KEY: 'demo-not-a-real-key', // required secret; the fake model ignores it
    DOCKRION_API_KEY: apiKey,
  };
  info(`agent source:      ${source}`);
  info(`environments repo: ${envRepo}`);
  info(`staging host key:  ${recipient}`);

  step('Validate the Dockfile');
  dockrion(['validate', 'Dockfile.yaml'], { cwd: source, env });

  const noDocker = dockerAvailable();
  if (noDocker) {
    await degraded({ source, seed, env, reason: noDocker, envRepo });
  } else {
    await full({ work, source, envRepo, env, identityFile, apiKey, port });
  }
  console.log(`\n${bold(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`)}`);
}

/** No Docker: validate → render → commit (no image is built, so no digest is real). */
async function degraded({ source, seed, env, reason, envRepo }) {
  console.log(`\n${bold('Docker is not available')}: ${reason}.`);
  console.log('The demo continues without build, push, apply and /invoke: validate → render → commit.');
  console.log(
    'Install Docker (engine + buildx + compose) and run `npm run demo` again for the full pipeline.',
  );
  // A placeholder digest, clearly not an image: render insists on a digest-pinned reference.
  const image = `registry.invalid/demo/${AGENT}:1.0.0@sha256:${'0'.repeat(64)}`;
  for (const environment of [ENV, 'production']) {
    step(`Render ${environment} (image not built: placeholder digest sha256:000…)`);
    const out = join(seed, environment, AGENT);
    dockrion(['render', 'Dockfile.yaml', '--env', environment, '--image', image, '--out', out], {
      cwd: source,
      env,
    });
    if (environment === ENV) {
      dockrion(['secrets', 'encrypt', 'Dockfile.yaml', '--env', ENV, '--out', join(out, 'secrets.env.age')], {
        cwd: source,
        env,
      });
    }
  }
  step('Commit the rendered manifests to the local environments repo');
  git(seed, 'add', '-A');
  git(
    seed,
    'commit',
    '-q',
    '-m',
    `demo(${AGENT}): rendered without Docker (placeholder digest, not deployable)`,
  );
  git(seed, 'push', '-q', 'origin', 'main');
  info(git(seed, 'log', '--stat', '--format=%h %s', '-1').split('\n').join('\n    '));
  info(`environments repo: ${envRepo}`);
}

async function full({ work, source, envRepo, env, identityFile, apiKey, port }) {
  step('Local registry');
  const registry = await ensureRegistry(work);
  if (!registry) {
    console.log(
      'no registry answers and `docker-registry` is not installed (apt-get install docker-registry)',
    );
    return degraded({
      source,
      seed: join(work, 'environments-seed'),
      env,
      reason: 'no local registry',
      envRepo,
    });
  }
  const baseImage = process.env.DOCKRION_DEMO_BASE_IMAGE || process.env.DOCKRION_TEST_BASE_IMAGE;
  const deployArgs = [
    'deploy',
    'Dockfile.yaml',
    '--env',
    ENV,
    '--registry',
    `${registry}/dockrion-demo`,
    '--push',
    ...(baseImage ? ['--base-image', baseImage] : []),
    '--environments-repo',
    envRepo,
    '--direct', // a local repo has no pull requests: commit straight to main (= a merged PR)
    '--format',
    'json',
  ];
  const applyArgs = [
    'apply',
    '--environments-repo',
    envRepo,
    '--env',
    ENV,
    '--identity',
    identityFile,
    '--state-dir',
    join(work, 'host-state'), // the host's mirror, decrypted secrets.env (0600) and state.json
  ];
  cleanups.push(async () => {
    // The images the demo pushed: local tags and their manifests in the registry.
    const listed = spawnSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}@{{.Digest}}'], {
      encoding: 'utf8',
    });
    for (const ref of (listed.stdout ?? '')
      .split('\n')
      .filter((l) => l.startsWith(`${registry}/dockrion-demo/${AGENT}:`))) {
      const [name, digest] = ref.split('@');
      spawnSync('docker', ['image', 'rm', '--force', name], { encoding: 'utf8' });
      const repo = name.slice(registry.length + 1).replace(/:[^:/]+$/, '');
      if (digest && digest !== '<none>') {
        await fetch(`http://${registry}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' }).catch(
          () => {},
        );
      }
    }
  });
  cleanups.push(() => {
    // compose.yaml's `name:`, which `dockrion apply` also passes as --project-name.
    const project = `${AGENT}-${ENV}`;
    const r = spawnSync('docker', ['compose', '-p', project, 'down', '--remove-orphans'], {
      encoding: 'utf8',
    });
    if (r.status === 0) console.log(`    stopped the ${project} compose project`);
  });

  step('Deploy 1.0.0: validate → build → push (by digest) → render → commit');
  const first = JSON.parse(dockrion(deployArgs, { cwd: source, env }).stdout);
  info(`image:  ${first.image}`);
  info(`commit: ${first.commit} (${first.operation}) — ${first.changed_files.join(', ')}`);

  step('Apply on this host (decrypt secrets.env.age, docker compose up --wait)');
  dockrion(applyArgs, { cwd: work, env });
  const v1 = await invoke(port, apiKey, 'how much are 3 widgets?');

  step('Change the agent and deploy 1.0.1');
  const dockfile = join(source, 'Dockfile.yaml');
  writeFileSync(
    dockfile,
    readFileSync(dockfile, 'utf8').replace(/^ {2}version: 1\.0\.0$/m, '  version: 1.0.1'),
  );
  git(source, 'commit', '-q', '-am', `${AGENT} 1.0.1`);
  const second = JSON.parse(dockrion(deployArgs, { cwd: source, env }).stdout);
  info(`image:  ${second.image}`);
  dockrion(applyArgs, { cwd: work, env });
  const v2 = await invoke(port, apiKey, 'what is 12 * (3 + 4)?');

  step('History, then roll back to 1.0.0');
  const history = dockrion(['history', '--environments-repo', envRepo, '--env', ENV, '--agent', AGENT], {
    env,
  });
  for (const line of history.stdout.trim().split('\n')) info(line);
  dockrion(
    ['rollback', '--environments-repo', envRepo, '--env', ENV, '--agent', AGENT, '--to', '1.0.0', '--direct'],
    {
      env,
    },
  );
  dockrion(applyArgs, { cwd: work, env });
  const back = await invoke(port, apiKey, 'what is 2 ** 10?');

  step('Summary');
  info(`deployed ${v1.metadata.version} → ${v2.metadata.version}, rolled back to ${back.metadata.version}`);
  if (
    v1.metadata.version !== '1.0.0' ||
    v2.metadata.version !== '1.0.1' ||
    back.metadata.version !== '1.0.0'
  ) {
    throw new Error('the versions served do not follow deploy → deploy → rollback');
  }
  info(git(envRepo, 'log', '--format=%h %s', 'main').split('\n').join('\n    '));
}

try {
  await main();
} catch (e) {
  console.error(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      // best effort
    }
  }
}
