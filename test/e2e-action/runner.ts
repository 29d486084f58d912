/**
 * Runs the bundled Action (`dist/main.js`) the way the GitHub runner does: a child `node` with
 * `INPUT_*` variables (every input given, defaults from action.yml filled in with the expressions
 * evaluated), the `GITHUB_*` run variables, an event payload file, and fresh `GITHUB_OUTPUT` /
 * `GITHUB_STEP_SUMMARY` files. No part of the Action is imported into the test process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bundle = join(repoRoot, 'dist/main.js');

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

export function actionYml(): ActionYml {
  return parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionYml;
}

export interface RunnerContext {
  eventName: 'pull_request' | 'push' | 'workflow_dispatch';
  payload: Record<string, unknown>;
  repository: string;
  sha: string;
  ref: string;
  apiUrl: string;
  serverUrl: string;
  workspace: string;
  token: string;
}

/**
 * The context of a `push` to main of `repository` that moved it from `before` (all zeros: a new
 * branch) to `sha`; the payload carries what the Action reads of GitHub's push event.
 */
export function pushToMain(
  where: Omit<RunnerContext, 'eventName' | 'payload' | 'ref'> & { before?: string },
): RunnerContext {
  const { before = '0'.repeat(40), ...context } = where;
  return {
    ...context,
    eventName: 'push',
    payload: {
      ref: 'refs/heads/main',
      before,
      after: where.sha,
      repository: { full_name: where.repository },
    },
    ref: 'refs/heads/main',
  };
}

/** The context of a `pull_request` event for PR `number` on github.com, at its head `sha`. */
export function onPullRequest(
  where: Omit<RunnerContext, 'eventName' | 'ref' | 'serverUrl'> & { number: number },
): RunnerContext {
  const { number, ...context } = where;
  return {
    ...context,
    eventName: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    serverUrl: 'https://github.com',
  };
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** `${{ github.token }}`-style defaults, evaluated as the runner would for this run. */
function evaluateDefault(value: string, ctx: RunnerContext): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    switch (expr) {
      case 'github.token':
        return ctx.token;
      case 'github.api_url':
        return ctx.apiUrl;
      case 'github.server_url':
        return ctx.serverUrl;
      case 'github.repository':
        return ctx.repository;
      default:
        throw new Error(`action.yml default uses an expression the e2e runner does not know: ${expr}`);
    }
  });
}

/** GITHUB_OUTPUT holds `name<<delimiter\nvalue\ndelimiter` blocks (and `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** `env` is what a workflow's `env:` would add (job or step level). */
export async function runAction(
  ctx: RunnerContext,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<StepResult> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const spec = actionYml();
  for (const name of Object.keys(inputs)) {
    if (!(name in spec.inputs)) throw new Error(`'${name}' is not an input of action.yml`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-e2e-step-'));
  try {
    const eventPath = join(dir, 'event.json');
    const outputPath = join(dir, 'output');
    const summaryPath = join(dir, 'summary.md');
    const runnerTemp = join(dir, 'runner-temp');
    mkdirSync(runnerTemp);
    writeFileSync(eventPath, JSON.stringify(ctx.payload));
    writeFileSync(outputPath, '');
    writeFileSync(summaryPath, '');

    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: ctx.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: ctx.repository,
      GITHUB_REPOSITORY_OWNER: ctx.repository.split('/')[0],
      GITHUB_SHA: ctx.sha,
      GITHUB_REF: ctx.ref,
      GITHUB_WORKSPACE: ctx.workspace,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_API_URL: ctx.apiUrl,
      GITHUB_SERVER_URL: ctx.serverUrl,
      GITHUB_ACTOR: 'octocat',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKFLOW: 'dockrion',
      GITHUB_JOB: 'deploy',
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: 'Linux',
    };
    // The runner passes every input, given or defaulted, as INPUT_<NAME> (upper-cased, spaces → _).
    for (const [name, def] of Object.entries(spec.inputs)) {
      const value = inputs[name] ?? (def.default !== undefined ? evaluateDefault(def.default, ctx) : '');
      childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    }

    const child = spawn(process.execPath, [join(repoRoot, spec.runs.main)], {
      cwd: ctx.workspace,
      env: childEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number>((res) => child.once('close', (c) => res(c ?? -1)));
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
      summary: readFileSync(summaryPath, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
