import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeImages, removeImagesUnder } from '../image/docker.ts';
import {
  plainHandlerSecretValues,
  stagingAgeKey,
  startEnvironmentsRemote,
  startLoopbackGitHub,
} from '../support/deploy-services.ts';
import { git } from '../support/git.ts';
import type { GitHttpServer } from '../support/git-http-server.ts';
import { pullsState, seedPullRequest } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { baseImage, hasAge, hasBaseImage, hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { changeAgentCode, THREE_AGENTS, writeThreeAgents } from '../support/three-agents.ts';
import { onPullRequest, pushToMain, type RunnerContext, runAction } from './runner.ts';

const REPOSITORY = 'acme/agents';
const WORKFLOW_TOKEN = 'ghs_e2eManyWorkflowToken000000000000';
const ENV_TOKEN = 'ghp_e2eManyEnvironmentsToken00000000';
const SECRET_VALUES = plainHandlerSecretValues();
const GLOB = 'agents/*/Dockfile.yaml';

let dir: string;
let workspace: string;
let github: GitHubServer;
const commit = (message: string) => {
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '-m', message);
  return git(workspace, 'rev-parse', 'HEAD');
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockrion-e2e-many-'));
  workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  git(dir, 'init', '-q', '-b', 'main', workspace);
  writeThreeAgents(workspace);
  commit('three agents');
  github = await startLoopbackGitHub({ workflow: WORKFLOW_TOKEN, environments: ENV_TOKEN });
});

afterAll(async () => {
  await github?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('e2e many agents: pull_request validates only the touched agent', () => {
  const pullRequest = (number: number, base: string, head: string): RunnerContext => {
    const repo = { full_name: REPOSITORY, name: 'agents', owner: { login: 'acme' } };
    return onPullRequest({
      number,
      payload: {
        action: 'synchronize',
        number,
        pull_request: {
          number,
          head: { ref: 'feature', sha: head, repo },
          base: { ref: 'main', sha: base, repo },
        },
        repository: repo,
      },
      repository: REPOSITORY,
      sha: head,
      apiUrl: github.url,
      workspace,
      token: WORKFLOW_TOKEN,
    });
  };
  const comments = (number: number) => github.state.issueComments.get(`${REPOSITORY}#${number}`) ?? [];

  it('a broken triage Dockfile: only triage is validated, fails, and gets its own sticky comment', async () => {
    const base = git(workspace, 'rev-parse', 'HEAD');
    git(workspace, 'checkout', '-q', '-b', 'pr-21');
    const dockfile = join(workspace, 'agents/triage/Dockfile.yaml');
    writeFileSync(
      dockfile,
      readFileSync(dockfile, 'utf8').replace('  rest: true', '  rest: true\n  rests: true'),
    );
    changeAgentCode(workspace, 'triage', 'a triage change');
    const head = commit('triage: a typo in expose');

    const step = await runAction(pullRequest(21, base, head), { dockfile: GLOB });
    expect(step.code, step.stdout + step.stderr).toBe(1);
    expect(JSON.parse(step.outputs.agents ?? 'null')).toEqual(['triage']);
    expect(step.outputs.valid).toBe('false');
    const reports = JSON.parse(step.outputs['reports-json'] ?? '{}');
    expect(Object.keys(reports)).toEqual(['triage']);
    expect(reports.triage).toMatchObject({ valid: false, file: 'agents/triage/Dockfile.yaml' });
    expect(step.outputs['errors-json']).toBeUndefined();
    expect(step.stdout).toContain('1 of 3 agent(s) changed since the pull request base');
    expect(step.stdout).toContain('unchanged, not validating: billing (agents/billing/Dockfile.yaml)');
    expect(step.stdout).toMatch(/::error title=4002 [^\n]*file=agents\/triage\/Dockfile\.yaml/);
    expect(step.stdout).not.toMatch(/file=agents\/(billing|support)\//);
    expect(step.summary).toContain('agents/triage/Dockfile.yaml');
    expect(step.summary).not.toContain('agents/billing/Dockfile.yaml');

    expect(comments(21)).toHaveLength(1);
    expect(comments(21)[0]?.body).toContain('<!-- dockrion:validate:agents/triage/Dockfile.yaml -->');
    expect(comments(21)[0]?.body).toContain('4002');
  });

  it('the fix turns the same comment ✅; a change to no agent validates nothing and passes', async () => {
    const base = git(workspace, 'rev-parse', 'main');
    const id = comments(21)[0]?.id;
    const dockfile = join(workspace, 'agents/triage/Dockfile.yaml');
    writeFileSync(dockfile, readFileSync(dockfile, 'utf8').replace('\n  rests: true', ''));
    const fixed = commit('triage: fix expose');
    const step = await runAction(pullRequest(21, base, fixed), { dockfile: GLOB });
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(JSON.parse(step.outputs.agents ?? 'null')).toEqual(['triage']);
    expect(comments(21)).toHaveLength(1);
    expect(comments(21)[0]?.id).toBe(id);
    expect(comments(21)[0]?.body).toContain('✅');

    git(workspace, 'checkout', '-q', 'main');
    git(workspace, 'checkout', '-q', '-b', 'pr-22');
    writeFileSync(join(workspace, 'README.md'), '# three agents, documented\n');
    const docs = commit('docs only');
    const quiet = await runAction(pullRequest(22, base, docs), { dockfile: GLOB });
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(quiet.outputs).toMatchObject({ agents: '[]', valid: 'true', 'reports-json': '{}' });
    expect(quiet.summary).toContain('No agent is touched by this change (3 Dockfile(s) matched)');
    expect(comments(22)).toEqual([]);
    git(workspace, 'checkout', '-q', 'main');
  });

  it('a base commit that cannot be read: every agent is validated, with a notice saying why', async () => {
    const head = git(workspace, 'rev-parse', 'HEAD');
    const step = await runAction(pullRequest(23, 'e'.repeat(40), head), { dockfile: GLOB });
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(JSON.parse(step.outputs.agents ?? 'null')).toEqual([...THREE_AGENTS]);
    expect(step.stdout).toMatch(
      /::notice::validating every matched agent \(3\): the base commit eeeeeeeeeeee is not in the checkout/,
    );
  });

  it('contract changes: each agent its own section; one breaking agent labels the PR, another does not undo it', async () => {
    const base = git(workspace, 'rev-parse', 'main');
    const seeded = seedPullRequest(github, {
      owner: 'acme',
      repo: 'agents',
      head: 'pr-contract',
      base: 'main',
    });
    git(workspace, 'checkout', '-q', '-b', 'pr-contract');
    // billing: a new required input field (breaking); support: a new optional one (compatible).
    const edit = (agent: string, edit: (text: string) => string) => {
      const dockfile = join(workspace, 'agents', agent, 'Dockfile.yaml');
      writeFileSync(dockfile, edit(readFileSync(dockfile, 'utf8')));
    };
    const withLocale = (text: string) =>
      text.replace(
        '    properties:\n      message:',
        '    properties:\n      locale: { type: string }\n      message:',
      );
    edit('billing', (t) =>
      withLocale(t).replace('    required: [message]\n', '    required: [message, locale]\n'),
    );
    edit('support', withLocale);
    const head = commit('billing needs a locale, support accepts one');
    const step = await runAction(pullRequest(seeded.number, base, head), { dockfile: GLOB });
    git(workspace, 'checkout', '-q', 'main');
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(JSON.parse(step.outputs.agents ?? 'null')).toEqual(['billing', 'support']);
    const byAgent = (agent: string) =>
      comments(seeded.number).find((c) => c.body.includes(`dockrion:validate:agents/${agent}/Dockfile.yaml`));
    expect(byAgent('billing')?.body).toContain('**Breaking** (1)');
    expect(byAgent('billing')?.body).toContain('io_schema.input.properties.locale');
    expect(byAgent('support')?.body).not.toContain('**Breaking**');
    expect(step.summary.match(/### Contract changes against/g)).toHaveLength(2);
    // support's review has no breaking change, yet billing's label stays.
    expect(
      pullsState(github).pulls.find((p) => p.number === seeded.number && p.repo === 'agents')?.labels,
    ).toEqual(['dockrion:breaking']);
  });

  it('bad input fails the step with one clear line: a glob matching nothing, twin agent names', async () => {
    const head = git(workspace, 'rev-parse', 'HEAD');
    const none = await runAction(pullRequest(24, head, head), { dockfile: 'agnets/*/Dockfile.yaml' });
    expect(none.code).toBe(2);
    expect(none.stdout).toContain(
      "::error::usage: input 'dockfile': 'agnets/*/Dockfile.yaml' matches no file in the workspace — fix: ",
    );

    const outside = await runAction(pullRequest(24, head, head), { dockfile: '../*/Dockfile.yaml' });
    expect(outside.code).toBe(2);
    expect(outside.stdout).toContain("'../*/Dockfile.yaml' is outside the workspace");

    const twin = join(workspace, 'agents/billing-copy');
    mkdirSync(twin);
    writeFileSync(join(twin, 'Dockfile.yaml'), readFileSync(join(workspace, 'agents/billing/Dockfile.yaml')));
    const twins = await runAction(pullRequest(24, head, head), { dockfile: GLOB });
    rmSync(twin, { recursive: true });
    expect(twins.code).toBe(2);
    expect(twins.stdout).toContain(
      "two Dockfiles name the same agent 'billing': agents/billing-copy/Dockfile.yaml and agents/billing/Dockfile.yaml",
    );
  });
});

const infra = requireInfra(
  'docker, registry, base image and age',
  hasRegistry() && hasBaseImage() && hasAge(),
);

infra.describe('e2e many agents: push deploys only the changed agents', () => {
  let gitServer: GitHttpServer;
  let bare: string;
  let recipient: string;
  let namespace: string;
  const images = new Set<string>();

  beforeAll(async () => {
    ({ bare, gitServer } = await startEnvironmentsRemote(join(dir, 'git'), ENV_TOKEN));
    ({ recipient } = stagingAgeKey(dir));
    namespace = `e2e-many-${randomBytes(4).toString('hex')}`;
  }, 120_000);

  afterAll(async () => {
    await gitServer?.close();
    if (images.size > 0) await removeImages([...images]);
    // Later deploys under the namespace (promotions, re-deploys) built more than the outputs named.
    const registryHost = registry();
    if (namespace && registryHost) await removeImagesUnder(registryHost, namespace);
  });

  const push = (before: string): RunnerContext => {
    const sha = git(workspace, 'rev-parse', 'HEAD');
    return pushToMain({
      repository: REPOSITORY,
      sha,
      before,
      apiUrl: github.url,
      serverUrl: gitServer.url('').replace(/\/$/, ''),
      workspace,
      token: WORKFLOW_TOKEN,
    });
  };
  const deploy = (before: string, extra: Record<string, string> = {}) =>
    runAction(
      push(before),
      {
        ...extra,
        dockfile: GLOB,
        environment: 'staging',
        'environments-repo': 'acme/environments',
        'environments-token': ENV_TOKEN,
        registry: registry() ?? '',
        'image-namespace': namespace,
        'base-image': baseImage() ?? '',
        provenance: 'false',
        secrets: JSON.stringify(SECRET_VALUES),
      },
      { STAGING_AGE_RECIPIENT: recipient },
    );
  const json = (text: string | undefined) => JSON.parse(text ?? 'null') as Record<string, string>;
  /**
   * Commits what the test changed in the workspace and deploys that push with
   * `pull-request: per-environment`: the step passes and deploys exactly `agents`.
   */
  const deployGrouped = async (message: string, agents: string[]) => {
    const before = git(workspace, 'rev-parse', 'HEAD');
    commit(message);
    const step = await deploy(before, { 'pull-request': 'per-environment' });
    expect(step.code, `${step.stdout}\n${step.stderr}`).toBe(0);
    expect(json(step.outputs.agents)).toEqual(agents);
    for (const image of Object.values(json(step.outputs.images))) images.add(image);
    return step;
  };

  infra.it(
    'a push creating the branch deploys all three, each in its own PR; outputs are maps by agent',
    async () => {
      git(workspace, 'checkout', '-q', 'main');
      const step = await deploy('0'.repeat(40));
      expect(step.code, `${step.stdout}\n${step.stderr}`).toBe(0);
      expect(json(step.outputs.agents)).toEqual([...THREE_AGENTS]);
      const imageMap = json(step.outputs.images);
      for (const image of Object.values(imageMap)) images.add(image);
      for (const agent of THREE_AGENTS) {
        expect(imageMap[agent]).toMatch(
          new RegExp(`^${registry()}/${namespace}/${agent}:2\\.1\\.0@sha256:[0-9a-f]{64}$`),
        );
        expect(json(step.outputs.digests)[agent]).toBe(imageMap[agent]?.split('@')[1]);
        expect(json(step.outputs.operations)[agent]).toBe('created');
        const pr = pullsState(github).pulls.find((p) => p.head === `dockrion/staging/${agent}`);
        expect(json(step.outputs['pr-urls'])[agent]).toContain(`/acme/environments/pull/${pr?.number}`);
        const files = git(bare, 'diff', '--name-only', 'main', `dockrion/staging/${agent}`).split('\n');
        expect(files.every((f) => f.startsWith(`staging/${agent}/`))).toBe(true);
      }
      // The singular outputs belong to a single-path `dockfile`.
      expect(step.outputs.image).toBeUndefined();
      expect(step.stdout).toContain('every matched agent (3): the push created the branch');
      expect(step.stdout).toMatch(/\[triage\] ── Build and push image/);
      expect(step.summary).toContain('3 of 3 agent(s) changed');
      for (const value of Object.values(SECRET_VALUES))
        expect(step.summary + step.stderr).not.toContain(value);
    },
    1_800_000,
  );

  infra.it(
    'a push changing only triage builds only triage; only its deployment PR moves',
    async () => {
      const before = git(workspace, 'rev-parse', 'HEAD');
      const tips = Object.fromEntries(
        THREE_AGENTS.map((a) => [a, git(bare, 'rev-parse', `refs/heads/dockrion/staging/${a}`)]),
      );
      changeAgentCode(workspace, 'triage', 'faster triage');
      const dockfile = join(workspace, 'agents/triage/Dockfile.yaml');
      writeFileSync(dockfile, readFileSync(dockfile, 'utf8').replace('version: 2.1.0', 'version: 2.2.0'));
      commit('triage 2.2.0');
      const step = await deploy(before);
      expect(step.code, `${step.stdout}\n${step.stderr}`).toBe(0);
      expect(json(step.outputs.agents)).toEqual(['triage']);
      expect(json(step.outputs.versions)).toEqual({ triage: '2.2.0' });
      expect(json(step.outputs.operations)).toEqual({ triage: 'updated' });
      images.add(json(step.outputs.images).triage ?? '');
      expect(step.stdout).toContain('1 of 3 agent(s) changed since the previous tip of the branch');
      expect(step.stdout).toContain('[triage] ── Build and push image');
      expect(step.stdout).not.toMatch(/\[(billing|support)\]/);
      expect(git(bare, 'rev-parse', 'refs/heads/dockrion/staging/billing')).toBe(tips.billing);
      expect(git(bare, 'rev-parse', 'refs/heads/dockrion/staging/support')).toBe(tips.support);
      expect(git(bare, 'rev-parse', 'refs/heads/dockrion/staging/triage')).not.toBe(tips.triage);
      const record = JSON.parse(git(bare, 'show', 'dockrion/staging/triage:staging/triage/dockrion.json'));
      expect(record).toMatchObject({ agent: 'triage', version: '2.2.0' });
      expect(step.summary).toContain('1 of 3 agent(s) changed');
    },
    1_200_000,
  );

  infra.it(
    'pull-request: per-environment puts the changed agents into one PR for staging, one commit each',
    async () => {
      changeAgentCode(workspace, 'billing', 'invoices in EUR');
      changeAgentCode(workspace, 'support', 'warmer replies');
      const step = await deployGrouped('billing and support', ['billing', 'support']);
      const group = 'dockrion/staging/_all';
      const pr = pullsState(github).pulls.find((p) => p.head === group);
      expect(pr?.title).toBe('deploy: staging (billing 2.1.0, support 2.1.0)');
      expect(pr?.body).toContain('| `billing` | `2.1.0` (new) |');
      const urls = json(step.outputs['pr-urls']);
      expect(urls.billing).toContain(`/acme/environments/pull/${pr?.number}`);
      expect(urls.support).toBe(urls.billing);
      expect(json(step.outputs.operations)).toEqual({ billing: 'created', support: 'created' });
      const subjects = git(bare, 'log', '--format=%s', `main..${group}`).split('\n').reverse();
      expect(subjects).toEqual([
        expect.stringMatching(/^deploy\(billing\): staging 2\.1\.0 @ /),
        expect.stringMatching(/^deploy\(support\): staging 2\.1\.0 @ /),
      ]);
      const commits = json(step.outputs.commits);
      expect(git(bare, 'rev-parse', group)).toBe(commits.support);
      expect(step.stdout).toContain('Commit 2 agent(s) to the environments repo (one PR for staging)');
    },
    1_200_000,
  );

  infra.it(
    'per-environment: each agent shows its contract changes against what is merged; a widening agent labels the PR until a compatible deploy',
    async () => {
      const group = 'dockrion/staging/_all';
      // The reviewer merges the grouped PR (a merge commit, as GitHub makes).
      const merger = join(dir, 'merge-group');
      git(dir, 'clone', '-q', bare, merger);
      git(merger, 'merge', '-q', '--no-ff', '-m', 'Merge pull request', `origin/${group}`);
      git(merger, 'push', '-q', 'origin', 'HEAD:main');
      rmSync(merger, { recursive: true, force: true });
      for (const p of pullsState(github).pulls) if (p.head === group) p.state = 'closed';
      const groupPull = () => pullsState(github).pulls.find((p) => p.head === group && p.state === 'open');
      const section = (body: string, agent: string) => {
        const start = body.indexOf(`### \`${agent}\``);
        expect(start, body).toBeGreaterThan(-1);
        const next = body.indexOf('\n### `', start + 1);
        return body.slice(start, next === -1 ? undefined : next);
      };
      const billingDockfile = join(workspace, 'agents/billing/Dockfile.yaml');
      const original = readFileSync(billingDockfile, 'utf8');

      // billing: anyone may call it now (widening); support: a code change only.
      writeFileSync(billingDockfile, original.replace('  mode: api_key', '  mode: none'));
      changeAgentCode(workspace, 'support', 'shorter replies');
      const widened = await deployGrouped('billing opens up, support replies shorter', [
        'billing',
        'support',
      ]);
      const pr = groupPull();
      const body = pr?.body ?? '';
      const billing = section(body, 'billing');
      expect(billing).toContain('#### Contract changes against `2.1.0 (deployed)`');
      expect(billing).toMatch(/\*\*Widening \(security\)\*\* \(\d+\)/);
      expect(billing).toContain('- `auth.mode`: ');
      expect(section(body, 'support')).toContain(
        '#### Contract changes against `2.1.0 (deployed)`\n\nNo contract changes.',
      );
      expect(body).toMatch(/\| `billing` \|[^\n]*\| \d+ widening[^|]* \| \d+ \|/);
      expect(pr?.labels).toEqual(['dockrion', 'env:staging', 'dockrion:widening']);
      // Each agent's deploy result carries its own review (the job summary shows it per agent).
      expect(widened.summary).toMatch(
        /\| `billing` \|[^\n]*\| `\d+ widening[^`]*against 2\.1\.0 \(deployed\)` \|/,
      );
      expect(widened.summary).toMatch(
        /\| `support` \|[^\n]*\| `no contract changes against 2\.1\.0 \(deployed\)` \|/,
      );

      // billing goes back to api_key (with a code change, so it is built and deployed again);
      // support stays pending in the PR. No agent widens any more: the label comes off the same PR.
      writeFileSync(billingDockfile, original);
      changeAgentCode(workspace, 'billing', 'api keys again');
      const compatible = await deployGrouped('billing: api keys again', ['billing']);
      expect(compatible.stdout).toContain('kept in the PR from earlier runs: support');
      const after = groupPull();
      expect(after?.number).toBe(pr?.number);
      expect(section(after?.body ?? '', 'billing')).toContain(
        '#### Contract changes against `2.1.0 (deployed)`\n\nNo contract changes.',
      );
      expect(section(after?.body ?? '', 'support')).toContain('No contract changes.');
      expect(after?.labels).toEqual(['dockrion', 'env:staging']);
    },
    1_200_000,
  );
});
