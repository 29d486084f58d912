/**
 * Runs a workflow through nektos/act (a re-implementation of the GitHub Actions runner), with steps
 * on the host (`-P ubuntu-latest=-self-hosted`): act reads the workflow and every action.yml,
 * evaluates the expressions, passes inputs, outputs, secrets and job outputs the way a runner does,
 * and reports in JSON lines, which `runAct` folds into per-step results.
 *
 * Isolation: act gets a fresh HOME, XDG dirs, action cache and host workspace under one temp dir,
 * removed after the run; no cache or artifact server; never pulls an image. Third-party actions are
 * the local stand-ins under test/e2e-act/stand-ins (act cannot download actions here);
 * `actions/checkout` of the workflow's own repository is done by act itself (it copies the
 * working directory).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import {
  actPath,
  hasAct,
  hasAge,
  hasBaseImage,
  hasRegistry,
  repoRoot,
  requireAllInfra,
} from '../support/infra.ts';

export const standIns = join(repoRoot, 'test/e2e-act/stand-ins');

/**
 * `owner/name@ref` → the local stand-in directory given to act with --local-repository; each
 * stand-in's action.yml says which real behaviour it skips:
 * - docker/setup-buildx-action@v4: no buildx download, no docker-container builder (it would pull
 *   moby/buildkit from Docker Hub), no post-step clean-up; reports the engine's own builder.
 * `actions/checkout` of the workflow's own repository needs none: act copies the working directory
 * (it skips the real action's fetch, credential persistence and post-step clean-up).
 */
export const STAND_INS: Record<string, string> = {
  'docker/setup-buildx-action@v4': join(standIns, 'docker-setup-buildx-action'),
};

export interface ActLogEntry {
  msg?: string;
  level?: string;
  job?: string;
  jobID?: string;
  stepID?: string[];
  stage?: string;
  stepResult?: string;
  jobResult?: string;
  command?: string;
  name?: string;
  arg?: string;
  content?: string;
  kvPairs?: Record<string, string>;
  raw_output?: boolean;
  /** Nanoseconds, on the entry that reports a step's result. */
  executionTime?: number;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface StepRun {
  result: string | undefined;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** How long act says the step ran (its main stage), in ms. */
  durationMs: number | undefined;
  /** Titles of the log groups (`::group::`) the step opened, in order. */
  groups: string[];
  /** The step's own output lines (workflow commands excluded). */
  log: string;
}

export interface ActRun {
  code: number;
  entries: ActLogEntry[];
  /** Lines that are not act JSON (act's own errors). */
  text: string;
  /** `jobID` → 'success' | 'failure'. */
  jobs: Record<string, string>;
  /** A step by its `id:` (or act's index), in a job. */
  step(jobId: string, stepId: string): StepRun;
  /** Everything act printed, for failure messages. */
  transcript(): string;
}

export interface ActOptions {
  /** The repository act checks out (it copies this directory for the job). */
  workspace: string;
  /** Workflow file inside the workspace, e.g. `.github/workflows/validate-pr.yml`. */
  workflow: string;
  event: 'pull_request' | 'push' | 'workflow_dispatch';
  payload: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** Workflow-level environment (`--env`), e.g. GITHUB_API_URL / GITHUB_SERVER_URL overrides. */
  env?: Record<string, string>;
  /** workflow_dispatch inputs. */
  inputs?: Record<string, string>;
  job?: string;
  timeoutMs?: number;
}

function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      if (/[\n"]/.test(v)) throw new Error(`act: value of ${k} must be one line without quotes`);
      return `${k}="${v}"\n`;
    })
    .join('');
}

/** Runs one act invocation and folds its JSON log. Never throws for a failed job. */
export async function runAct(options: ActOptions): Promise<ActRun> {
  const state = mkdtempSync(join(tmpdir(), 'dockrion-act-'));
  try {
    const home = join(state, 'home');
    mkdirSync(home);
    const eventPath = join(state, 'event.json');
    writeFileSync(eventPath, JSON.stringify(options.payload));
    const secretFile = join(state, 'secrets.env');
    writeFileSync(secretFile, dotenv(options.secrets ?? {}), { mode: 0o600 });
    const envFile = join(state, 'env.env');
    writeFileSync(envFile, dotenv(options.env ?? {}));
    const inputFile = join(state, 'inputs.env');
    writeFileSync(inputFile, dotenv(options.inputs ?? {}));

    const args = [
      options.event,
      '--workflows',
      join(options.workspace, options.workflow),
      '--directory',
      options.workspace,
      '--eventpath',
      eventPath,
      '--platform',
      'ubuntu-latest=-self-hosted',
      '--secret-file',
      secretFile,
      '--env-file',
      envFile,
      '--input-file',
      inputFile,
      '--var-file',
      '/dev/null',
      '--action-cache-path',
      join(state, 'actions'),
      '--no-cache-server',
      '--pull=false',
      '--container-daemon-socket',
      '-',
      '--defaultbranch',
      'main',
      '--json',
      ...Object.entries(STAND_INS).flatMap(([ref, dir]) => ['--local-repository', `${ref}=${dir}`]),
      ...(options.job ? ['--job', options.job] : []),
    ];
    // Steps run on the host with act's environment: the node running this test comes first on PATH
    // (the Action runs on it, as `runs.using: node24` asks), nothing else of the test process leaks.
    const env: NodeJS.ProcessEnv = {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: home,
      XDG_CACHE_HOME: join(state, 'cache'),
      XDG_CONFIG_HOME: join(state, 'config'),
      TMPDIR: state,
      LANG: 'C.UTF-8',
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    };
    // Its own process group, so a timeout stops act and the step processes it started.
    const child = spawn(actPath(), args, {
      cwd: options.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const timeout = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }, options.timeoutMs ?? 900_000);
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, signal) => resolve(c ?? (signal ? 128 : -1)));
    }).finally(() => clearTimeout(timeout));
    // JSON lines come on both streams; each stream is parsed whole so no line is cut by the other.
    return fold(code, [Buffer.concat(stdout).toString('utf8'), Buffer.concat(stderr).toString('utf8')]);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

function fold(code: number, streams: string[]): ActRun {
  const entries: ActLogEntry[] = [];
  const text: string[] = [];
  for (const line of streams.flatMap((s) => s.split('\n'))) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as ActLogEntry);
    } catch {
      text.push(line);
    }
  }
  const jobs: Record<string, string> = {};
  for (const e of entries) if (e.jobID && e.jobResult) jobs[e.jobID] = e.jobResult;
  const step = (jobId: string, stepId: string): StepRun => {
    const mine = entries.filter((e) => e.jobID === jobId && e.stepID?.[0] === stepId);
    const run: StepRun = {
      result: undefined,
      durationMs: undefined,
      outputs: {},
      summary: '',
      annotations: [],
      groups: [],
      log: '',
    };
    for (const e of mine) {
      if (e.stepResult && e.stage === 'Main') {
        run.result = e.stepResult;
        if (e.executionTime !== undefined) run.durationMs = e.executionTime / 1e6;
      }
      if (e.command === 'set-output' && e.name) run.outputs[e.name] = e.arg ?? '';
      else if (e.command === 'summary') run.summary += e.content ?? '';
      else if (e.command === 'group') run.groups.push(e.arg ?? '');
      else if (e.command === 'error' || e.command === 'warning' || e.command === 'notice')
        run.annotations.push({ level: e.command, message: e.arg ?? '', properties: e.kvPairs ?? {} });
      else if (e.raw_output) run.log += e.msg ?? '';
    }
    return run;
  };
  return {
    code,
    entries,
    text: text.join('\n'),
    jobs,
    step,
    transcript: () =>
      [
        ...entries.map((e) => `[${e.jobID ?? ''}/${e.stepID?.[0] ?? ''}] ${(e.msg ?? '').trimEnd()}`),
        ...text,
      ].join('\n'),
  };
}

/**
 * A recipe from docs/workflows as a user would copy it, with `uses: ./` for `dockrion/deploy@v1`
 * (the workspace holds the Action) and `extraWith` merged into the `with:` of each dockrion step:
 * only coordinates of the local test services (registry, namespace, base image). Everything else,
 * triggers, expressions, job outputs and `needs`, is the recipe's own.
 */
export function recipe(name: string, extraWith: Record<string, string> = {}): string {
  const doc = parseDocument(readFileSync(join(repoRoot, 'docs/workflows', name), 'utf8'));
  const jobs = doc.toJS().jobs as Record<string, { steps: { uses?: string }[] }>;
  let replaced = 0;
  for (const [jobId, job] of Object.entries(jobs)) {
    job.steps.forEach((step, index) => {
      // act cannot download actions here: every other action must be checkout or a stand-in.
      if (step.uses && !step.uses.startsWith('dockrion/deploy@')) {
        if (!step.uses.startsWith('actions/checkout@') && !(step.uses in STAND_INS))
          throw new Error(`${name}: ${step.uses} has no stand-in in test/e2e-act/stand-ins (STAND_INS)`);
        return;
      }
      if (!step.uses) return;
      doc.setIn(['jobs', jobId, 'steps', index, 'uses'], './');
      for (const [key, value] of Object.entries(extraWith))
        doc.setIn(['jobs', jobId, 'steps', index, 'with', key], value);
      replaced++;
    });
  }
  if (replaced === 0) throw new Error(`${name} has no dockrion/deploy step`);
  return doc.toString();
}

/**
 * A user's repository for act to check out: examples/<agent> at the root, plus the Action itself
 * (action.yml, dist/, runtime/) so that `uses: ./` resolves, committed on main with an `origin`
 * on github.com (act derives github.repository from it).
 */
export function makeActWorkspace(dir: string, agent: string): string {
  const workspace = join(dir, 'workspace');
  cpSync(join(repoRoot, 'examples', agent), workspace, { recursive: true, filter: notBuildLitter });
  copyActionInto(workspace);
  return workspace;
}

const notBuildLitter = (p: string) => !/(__pycache__|\.egg-info|\/tests$|\.pytest_cache)/.test(p);

/** The Action itself (action.yml, dist/, runtime/) into `workspace`, so that `uses: ./` resolves. */
export function copyActionInto(workspace: string): void {
  cpSync(join(repoRoot, 'action.yml'), join(workspace, 'action.yml'));
  cpSync(join(repoRoot, 'dist'), join(workspace, 'dist'), { recursive: true });
  cpSync(join(repoRoot, 'runtime'), join(workspace, 'runtime'), { recursive: true, filter: notBuildLitter });
  mkdirSync(join(workspace, '.github/workflows'), { recursive: true });
}

/** What a recipe that deploys needs (act, the registry, the base image, age), checked as one. */
export function requireActDeployInfra(): ReturnType<typeof requireAllInfra> {
  const needs = { act: hasAct(), registry: hasRegistry(), 'base-image': hasBaseImage(), age: hasAge() };
  return requireAllInfra('act, docker, registry, base image and age', needs);
}
