/**
 * The Action's `history` and `rollback` modes, run through action/main.ts `run()` (the harness)
 * against a real environments repo served by git http-backend and the loopback GitHub REST API,
 * and the rollback recipe (docs/workflows/rollback.yml) step by step.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { repoRoot } from '../examples/python.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from '../gitops/fixtures.ts';
import { context } from '../gitops/support.ts';
import { captureCli } from '../support/cli.ts';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.ts';
import { pullRoutes, pullsState } from '../support/github-server/pulls.ts';
import { type GitHubServer, startGitHubServer } from '../support/github-server.ts';
import { type ActionRun, createActionRun } from './harness.ts';

const AGENT = 'invoice-copilot';
const DIR = `staging/${AGENT}`;
const TOKEN = 'ghp_rollbackEnvironmentsToken01';
const DOCKFILE = `version: "1.0"\nagent:\n  name: ${AGENT}\n  entrypoint: app.graph:build_graph\n  framework: langgraph\n`;

describe('action history and rollback modes (workflow_dispatch)', () => {
  let box: Sandbox;
  let bare: string;
  let gitServer: GitHttpServer;
  let github: GitHubServer;
  let action: ActionRun;
  let commits: Record<string, string>;

  beforeEach(async () => {
    box = sandbox();
    mkdirSync(join(box.dir, 'acme'));
    bare = environmentsRepo(join(box.dir, 'acme'));
    // Two deploys on main, as merged deployment PRs leave them.
    const ctx = context();
    commits = {};
    for (const version of ['1.0.0', '2.0.0']) {
      ctx.tick(60);
      const record = recordFor(AGENT, 'staging', version);
      const out = await deployToEnvironments(
        { target: { url: bare }, record, files: manifestsFor(record), direct: true },
        ctx,
      );
      commits[version] = out.commit ?? '';
    }
    gitServer = await startGitHttpServer({ root: box.dir, token: TOKEN });
    github = await startGitHubServer({ routes: [pullRoutes] });
    github.state.tokens.set(TOKEN, { login: 'deploy-bot', id: 8, type: 'User', canReadUser: true });
    pullsState(github).collaborators.add('alice');
    action = createActionRun({
      apiUrl: github.url,
      eventName: 'workflow_dispatch',
      payload: { inputs: { environment: 'staging', to: '1.0.0' } },
      repository: 'acme/agents',
      serverUrl: gitServer.url('').replace(/\/$/, ''),
    });
    action.write('Dockfile.yaml', DOCKFILE);
  }, 60_000);

  afterEach(async () => {
    action?.cleanup();
    await gitServer?.close();
    await github?.close();
    box?.cleanup();
  });

  const common = (extra: Record<string, string> = {}) => ({
    environment: 'staging',
    'environments-repo': 'acme/environments',
    'environments-token': TOKEN,
    'github-token': 'ghs_workflow_token',
    ...extra,
  });

  it("history with agent '*': the latest deploy of every agent, the same document as `dockrion history --env`", async () => {
    const ctx = context(1_800_001_000);
    const other = recordFor('pricing-bot', 'staging', '0.3.0');
    await deployToEnvironments(
      { target: { url: bare }, record: other, files: manifestsFor(other), direct: true },
      ctx,
    );
    const { code, stdout } = await action.invoke(common({ command: 'history', agent: '*' }));
    expect(code, stdout).toBe(0);
    const report = JSON.parse(action.outputs()['history-json'] ?? '{}');
    expect(report.scope).toBe('latest');
    expect(
      report.deployments.map((d: { agent: string; version: string }) => `${d.agent}@${d.version}`),
    ).toEqual([`${AGENT}@2.0.0`, 'pricing-bot@0.3.0']);
    const cli = captureCli({ cwd: box.dir, logger: 'silent' });
    const exit = await cli.run([
      'history',
      '--environments-repo',
      bare,
      '--env',
      'staging',
      '--format',
      'json',
    ]);
    expect(exit).toBe(0);
    expect(report).toEqual(JSON.parse(cli.stdout()));
    const summary = action.summary();
    expect(summary).toContain('### dockrion history: every agent in `staging`');
    expect(summary).toContain('| agent | commit | date | kind | version | digest | source |');
    expect(summary).toContain(`| \`pricing-bot\` | \``);
  });

  it('history: a job-summary table and history-json, the same document as `dockrion history --format json`', async () => {
    const { code, stdout } = await action.invoke(common({ command: 'history' }));
    expect(code, stdout).toBe(0);
    const report = JSON.parse(action.outputs()['history-json'] ?? '{}');
    expect(report.environment).toBe('staging');
    expect(report.agent).toBe(AGENT); // from the Dockfile's agent.name
    expect(report.deployments.map((d: { version: string }) => d.version)).toEqual(['2.0.0', '1.0.0']);

    const cli = captureCli({ cwd: box.dir, logger: 'silent' });
    const exit = await cli.run([
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
    expect(exit).toBe(0);
    expect(report).toEqual(JSON.parse(cli.stdout()));

    const summary = action.summary();
    expect(summary).toContain(`### dockrion history: \`${AGENT}\` in \`staging\``);
    expect(summary).toContain('| commit | date | kind | version | digest | source |');
    expect(summary).toContain(`| \`${commits['2.0.0']?.slice(0, 12)}\` |`);
    expect(summary).toContain('| deploy | `1.0.0` |');
    // The token travelled as a header, never in a URL or the output.
    expect(gitServer.seenUrls.join('\n')).not.toContain(TOKEN);
    expect(JSON.stringify(action.outputs()) + summary).not.toContain(TOKEN);
  });

  it('rollback through a PR: draft and reviewers honoured, outputs set, the restored tree is the target deploy’s', async () => {
    const { code, stdout } = await action.invoke(
      common({ command: 'rollback', to: '1.0.0', draft: 'true', reviewers: 'alice' }),
    );
    expect(code, stdout).toBe(0);
    const outputs = action.outputs();
    const target = recordFor(AGENT, 'staging', '1.0.0');
    expect(outputs).toMatchObject({
      operation: 'created',
      version: '1.0.0',
      digest: target.digest,
      image: target.image,
      'pr-number': '1',
      'pr-url': 'https://github.com/acme/environments/pull/1',
    });
    const branch = `dockrion/${DIR}`;
    expect(git(bare, ['rev-parse', branch])).toBe(outputs.commit);
    expect(git(bare, ['log', '-1', '--format=%s', branch])).toBe(`rollback(${AGENT}): staging 2.0.0 → 1.0.0`);
    expect(git(bare, ['rev-parse', `${branch}:${DIR}`])).toBe(
      git(bare, ['rev-parse', `${commits['1.0.0']}:${DIR}`]),
    );
    // main is untouched until the PR is merged.
    expect(git(bare, ['rev-parse', 'main'])).toBe(commits['2.0.0']);

    const [pr] = pullsState(github).pulls;
    expect(pr).toMatchObject({ head: branch, base: 'main', draft: true, requestedReviewers: ['alice'] });
    expect(pr?.labels).toEqual(['dockrion', 'env:staging']);
    expect(pr?.body).toContain(`Rollback \`${AGENT}\` \`1.0.0\` to \`staging\``);

    const summary = action.summary();
    expect(summary).toContain(`### dockrion rollback: \`${AGENT}\` in \`staging\``);
    expect(summary).toContain('| Operation | `created` |');
    expect(summary).toContain('| Pull request | [#1](https://github.com/acme/environments/pull/1) |');
  });

  it('rollback with auto-merge enables it on the PR', async () => {
    const { code, stdout } = await action.invoke(
      common({ command: 'rollback', to: commits['1.0.0']?.slice(0, 10) ?? '', 'auto-merge': 'true' }),
    );
    expect(code, stdout).toBe(0);
    expect(action.outputs().version).toBe('1.0.0');
    expect(pullsState(github).pulls[0]?.autoMerge?.mergeMethod).toBe('SQUASH');
  });

  it('rollback with direct commits to the base branch and opens no PR; a repeat is unchanged', async () => {
    const { code, stdout } = await action.invoke(
      common({ command: 'rollback', to: '1.0.0', direct: 'true', agent: AGENT }),
    );
    expect(code, stdout).toBe(0);
    const outputs = action.outputs();
    expect(outputs).toMatchObject({ operation: 'direct', version: '1.0.0', 'pr-url': '', 'pr-number': '' });
    expect(git(bare, ['rev-parse', 'main'])).toBe(outputs.commit);
    expect(git(bare, ['rev-parse', `main:${DIR}`])).toBe(
      git(bare, ['rev-parse', `${commits['1.0.0']}:${DIR}`]),
    );
    expect(pullsState(github).pulls).toEqual([]);

    const again = await action.invoke(common({ command: 'rollback', to: '1.0.0', direct: 'true' }));
    expect(again.code, again.stdout).toBe(0);
    expect(action.outputs().operation).toBe('unchanged');

    // History now shows the rollback on top.
    await action.invoke(common({ command: 'history' }));
    const report = JSON.parse(action.outputs()['history-json'] ?? '{}');
    expect(report.deployments[0]).toMatchObject({
      kind: 'rollback',
      version: '1.0.0',
      undoes: commits['2.0.0'],
    });
  });

  it('an unknown target fails the step with one line: code, problem and fix', async () => {
    const { code, stdout, failed } = await action.invoke(common({ command: 'rollback', to: '7.7.7' }));
    expect(code).toBe(1);
    expect(failed).toBe(true);
    const failures = stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(failures).toEqual([
      "::error::gitops: no deployment '7.7.7' in this environment's history — fix: known versions (newest first): 2.0.0, 1.0.0",
    ]);
    expect(action.summary()).toContain('dockrion rollback of `invoice-copilot` in `staging` failed');
    expect(pullsState(github).pulls).toEqual([]);
  });

  it('asks for the inputs it needs before touching anything', async () => {
    const noTarget = await action.invoke(common({ command: 'rollback' }));
    expect(noTarget.code).toBe(2);
    expect(noTarget.stdout).toContain("::error::usage: input 'to' is required for rollback — fix: ");
    const noEnvironment = await action.invoke({ command: 'history', 'github-token': 'ghs_workflow_token' });
    expect(noEnvironment.code).toBe(2);
    expect(noEnvironment.stdout).toContain("::error::usage: input 'environment' is required for history");
    action.write('Dockfile.yaml', 'version: "1.0"\n');
    const noAgent = await action.invoke(common({ command: 'history' }));
    expect(noAgent.code).toBe(2);
    expect(noAgent.stdout).toContain(
      "::error::usage: input 'agent' is not set and Dockfile.yaml has no agent.name — fix: set agent: <agent.name>",
    );
    // Several Dockfiles name several agents: which one to roll back must be said.
    const glob = await action.invoke(common({ command: 'history', dockfile: 'agents/*/Dockfile.yaml' }));
    expect(glob.code).toBe(2);
    expect(glob.stdout).toContain(
      "::error::usage: input 'agent' is not set and 'dockfile' names several Dockfiles — fix: set agent: <agent.name>",
    );
    expect(github.state.requests).toEqual([]);
    expect(gitServer.seenUrls).toEqual([]);
  });

  it('docs/workflows/rollback.yml: its history and rollback steps run as written', async () => {
    type Step = { uses?: string; with?: Record<string, string> };
    const recipe = parse(readFileSync(join(repoRoot, 'docs/workflows/rollback.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    const dispatch: Record<string, string> = { environment: 'staging', agent: '', to: '1.0.0' };
    // What the runner does with `${{ … }}` in `with:`; environments-repo stays the recipe's own.
    const evaluate = (value: string) =>
      value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
        if (expr.startsWith('inputs.')) return dispatch[expr.slice(7)] ?? '';
        if (expr === 'secrets.ENVIRONMENTS_TOKEN') return TOKEN;
        throw new Error(`unexpected expression ${expr}`);
      });
    const steps = Object.values(recipe.jobs).flatMap((j) => j.steps);
    const dockrion = steps.filter((s) => s.uses?.startsWith('dockrion/deploy@'));
    expect(dockrion).toHaveLength(2);
    for (const step of dockrion) {
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(String(v))]),
      );
      const { code, stdout } = await action.invoke({ 'github-token': 'ghs_workflow_token', ...inputs });
      expect(code, stdout).toBe(0);
    }
    // The harness keeps one GITHUB_OUTPUT file for both steps: the history step's output is there too.
    expect(JSON.parse(action.outputs()['history-json'] ?? '{}').agent).toBe(AGENT);
    expect(action.outputs().operation).toBe('created');
    expect(pullsState(github).pulls).toHaveLength(1);
    expect(git(bare, ['log', '-1', '--format=%s', `dockrion/${DIR}`])).toBe(
      `rollback(${AGENT}): staging 2.0.0 → 1.0.0`,
    );
  });
});
