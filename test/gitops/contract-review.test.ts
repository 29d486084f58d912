/**
 * contract.json in the agent folder, and the deployment PR's "Contract changes" section and
 * labels, through the library a deploy uses (real git, Octokit against the loopback GitHub, which
 * checks every request against GitHub's API description).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { contractOf, parseContract, serializeContract } from '../../action/contract/index.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';
import type { DockSpec } from '../../action/dockfile/types.ts';
import { deployToEnvironments, type EnvironmentsTarget } from '../../action/gitops/index.ts';
import { fullSpec, withSpec } from '../generators/support.ts';
import { captureCli } from '../support/cli.ts';
import { pullsState } from '../support/github-server/pulls.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { pushMinimalImage } from '../support/minimal-image.ts';
import { environmentsRepo, git, manifestsFor, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { composeDockfile, context, freshEnvironments, startPullsGitHub } from './support.ts';

const TOKEN = 'ghp_contractReviewPat0001';
const AGENT = 'invoice-copilot';

const contractText = (spec: DockSpec) => serializeContract(contractOf(spec));
/** The same agent with `auth.mode: none`: anyone may call it. */
const openSpec = () =>
  withSpec(fullSpec(), (s) => {
    s.auth = { mode: 'none' };
  });

/**
 * fullSpec() as a Dockfile whose staging ingress carries `${SOME_TOKEN}` in an annotation, loaded
 * by the real loader with SOME_TOKEN=`token` in its environment.
 */
async function specWithTokenAnnotation(token: string, cwd: string): Promise<DockSpec> {
  const spec = withSpec(fullSpec(), (s) => {
    const staging = s.deploy?.environments?.staging;
    if (!staging) throw new Error('fullSpec() has no staging environment');
    staging.target = 'kubernetes';
    staging.secrets = { ...staging.secrets, provider: 'github', delivery: 'sops' };
    staging.ingress = {
      host: 'invoices.staging.example.com',
      annotations: {
        'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/check?key=${SOME_TOKEN}',
      },
    };
  });
  const result = await validateDockfileText(stringify(spec), 'Dockfile.yaml', {
    cwd,
    python: null,
    processEnv: { SOME_TOKEN: token },
  });
  if (!result.valid || !result.spec) throw new Error(result.errors.map((e) => e.message).join('\n'));
  expect(JSON.stringify(result.spec)).toContain(token);
  return result.spec;
}

describe('contract.json and the Contract changes section of the deployment PR', () => {
  let github: GitHubServer;
  let box: Sandbox;
  let bare: string;
  let target: EnvironmentsTarget;

  beforeAll(async () => {
    github = await startPullsGitHub(TOKEN);
  });
  afterAll(() => github.close());
  beforeEach(() => {
    ({ box, bare, target } = freshEnvironments(github, TOKEN));
  });
  afterEach(() => box.cleanup());

  const openPull = () => pullsState(github).pulls.find((p) => p.state === 'open');
  /** Merges the open deployment PR the way GitHub does (a merge commit on main). */
  const mergeOpenPull = () => {
    const work = `${box.dir}/merge-${Date.now()}-${Math.random().toString(16).slice(2)}`;
    git(box.dir, ['clone', '--quiet', bare, work]);
    git(work, ['merge', '--quiet', '--no-ff', '-m', 'Merge', `origin/dockrion/staging/${AGENT}`]);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    for (const pr of pullsState(github).pulls) pr.state = 'closed';
  };
  const deploy = (version: string, spec: DockSpec | null, ctx = context(), direct = false) => {
    const record = recordFor(AGENT, 'staging', version);
    return deployToEnvironments(
      {
        target,
        record,
        files: manifestsFor(record),
        contract: spec ? contractText(spec) : null,
        direct,
      },
      ctx,
    );
  };

  it('writes contract.json next to dockrion.json; a widening deploy shows it and is labelled, until it no longer widens', async () => {
    const ctx = context();
    const first = await deploy('1.0.0', fullSpec(), ctx);
    expect(first.changedFiles.map((f) => f.path)).toContain(`staging/${AGENT}/contract.json`);
    const written = git(bare, ['show', `dockrion/staging/${AGENT}:staging/${AGENT}/contract.json`]);
    expect(`${written}\n`).toBe(contractText(fullSpec()));
    expect(parseContract(written, 'contract.json').agent).toBe(AGENT);
    expect(openPull()?.body).toContain('### Contract changes\n\nFirst deploy: no contract to compare.');
    expect(openPull()?.labels).toEqual(['dockrion', 'env:staging']);
    expect(first.contractChanges?.diff).toBeNull();
    mergeOpenPull();

    ctx.tick(60);
    const second = await deploy('1.1.0', openSpec(), ctx);
    const pr = openPull();
    expect(pr?.body).toContain('### Contract changes against `1.0.0 (deployed)`');
    expect(pr?.body).toMatch(/\*\*Widening \(security\)\*\* \(\d+\)/);
    expect(pr?.body).toContain('`auth.mode`');
    expect(pr?.labels).toEqual(['dockrion', 'env:staging', 'dockrion:widening']);
    expect(second.contractChanges?.diff?.widening.length).toBeGreaterThan(0);
    // The section comes before the file list: it is what the reviewer decides on.
    const body = pr?.body ?? '';
    expect(body.indexOf('Contract changes')).toBeLessThan(body.indexOf('### Changed files'));

    // A newer deploy onto the same open PR that no longer widens: the label comes off.
    ctx.tick(60);
    await deploy('1.1.1', fullSpec(), ctx);
    expect(openPull()?.number).toBe(pr?.number);
    expect(openPull()?.body).toContain(
      '### Contract changes against `1.0.0 (deployed)`\n\nNo contract changes.',
    );
    expect(openPull()?.labels).toEqual(['dockrion', 'env:staging']);
    const removals = github.state.requests.filter((r) => r.method === 'DELETE');
    expect(removals.map((r) => decodeURIComponent(r.path))).toEqual([
      `/repos/acme/environments/issues/${pr?.number}/labels/dockrion:widening`,
    ]);
  });

  it('an annotation value from the environment: neither contract.json nor the PR shows it, its change is named', async () => {
    const [token, rotated] = ['tok_live_9e8d7c6b5a4f3021', 'tok_live_1029384756abcdef'];
    const ctx = context();
    await deploy('1.0.0', await specWithTokenAnnotation(token, box.dir), ctx);
    const written = git(bare, ['show', `dockrion/staging/${AGENT}:staging/${AGENT}/contract.json`]);
    expect(written).toContain('"nginx.ingress.kubernetes.io/auth-url": "sha256:');
    expect(written).not.toContain(token);
    mergeOpenPull();

    ctx.tick(60);
    await deploy('1.1.0', await specWithTokenAnnotation(rotated, box.dir), ctx);
    const body = openPull()?.body ?? '';
    expect(body).toContain(
      '`deploy.environments.staging.ingress.annotations.nginx.ingress.kubernetes.io/auth-url`: `value changed (values are not shown)`',
    );
    // Nothing sent to GitHub (the PR body, its edits, labels) holds either value.
    const sent = JSON.stringify(github.state.requests.map((r) => r.body));
    expect(sent).not.toContain(token);
    expect(sent).not.toContain(rotated);
  });

  it('a folder deployed before contracts were recorded: one line saying so, no label', async () => {
    const ctx = context();
    await deploy('1.0.0', null, ctx);
    expect(
      git(bare, ['ls-tree', '--name-only', `dockrion/staging/${AGENT}`, `staging/${AGENT}/`]),
    ).not.toContain('contract.json');
    mergeOpenPull();
    ctx.tick(60);
    await deploy('1.1.0', openSpec(), ctx);
    expect(openPull()?.body).toContain(
      'No contract to compare: the deployed version has no `contract.json` (it was deployed before dockrion recorded contracts).',
    );
    expect(openPull()?.labels).toEqual(['dockrion', 'env:staging']);
  });

  it('a direct deploy has no PR but still reports the changes (CLI output, job summary)', async () => {
    const ctx = context();
    await deploy('1.0.0', fullSpec(), ctx, true);
    ctx.tick(60);
    const direct = await deploy('1.1.0', openSpec(), ctx, true);
    expect(direct.operation).toBe('direct');
    expect(direct.contractChanges?.summary).toMatch(/^\d+ widening.* against 1\.0\.0 \(deployed\)$/);
    expect(pullsState(github).pulls).toEqual([]);
  });

  it('an unreadable contract.json on the base is named, and the deploy goes on', async () => {
    const ctx = context();
    await deploy('1.0.0', fullSpec(), ctx, true);
    // A hand edit leaves something in its place that is not a contract.
    const work = `${box.dir}/edit`;
    git(box.dir, ['clone', '--quiet', bare, work]);
    writeFileSync(`${work}/staging/${AGENT}/contract.json`, '{"format": 99}\n');
    git(work, ['commit', '--quiet', '-am', 'hand edit']);
    git(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    ctx.tick(60);
    const out = await deploy('1.1.0', openSpec(), ctx);
    expect(out.operation).toBe('created');
    expect(openPull()?.body).toContain('No contract to compare: `contract.json` cannot be read: `');
    expect(openPull()?.body).toContain('format is 99');
  });
});

const infra = requireInfra('registry', hasRegistry());

infra.describe('dockrion deploy prints the contract changes', () => {
  let box: Sandbox;
  let source: string;
  let image: string;
  const dockfile = (mode: string) => composeDockfile('printed', mode);
  beforeAll(async () => {
    box = sandbox();
    environmentsRepo(box.dir);
    source = join(box.dir, 'agents');
    mkdirSync(join(source, 'app'), { recursive: true });
    writeFileSync(join(source, 'Dockfile.yaml'), dockfile('api_key'));
    writeFileSync(join(source, 'app', '__init__.py'), '');
    writeFileSync(join(source, 'app', 'handler.py'), 'def handle(payload):\n    return payload\n');
    git(box.dir, ['init', '--quiet', '--initial-branch=main', source]);
    git(source, ['add', '-A']);
    git(source, ['commit', '--quiet', '-m', 'agent']);
    image = await pushMinimalImage(
      registry() ?? '',
      `dockrion-test/contract-cli-${Date.now().toString(36)}`,
      '1.0.0',
    );
  });
  afterAll(() => box?.cleanup());

  const deploy = async (format: 'text' | 'json') => {
    const cli = captureCli({
      cwd: source,
      env: { PATH: process.env.PATH, HOME: box.dir, XDG_CACHE_HOME: join(box.dir, 'cache') },
      logger: 'silent',
    });
    const code = await cli.run([
      'deploy',
      join(source, 'Dockfile.yaml'),
      '--env',
      'staging',
      '--environments-repo',
      join(box.dir, 'environments.git'),
      '--image',
      image,
      '--direct',
      '--format',
      format,
    ]);
    expect(code, cli.stderr()).toBe(0);
    return cli.stdout();
  };

  infra.it('first deploy: one line; then the widening, in text and in JSON', async () => {
    expect(await deploy('text')).toContain('contract: First deploy: no contract to compare\n');
    writeFileSync(join(source, 'Dockfile.yaml'), dockfile('none'));
    git(source, ['commit', '--quiet', '-am', 'open up']);
    const text = await deploy('text');
    expect(text).toContain('Contract changes: 1 widening against 1.0.0 (deployed)\n');
    expect(text).toMatch(/Widening \(security\) \(1\):\n {2}auth\.mode: loosened from api_key to none/);
    writeFileSync(join(source, 'Dockfile.yaml'), dockfile('api_key'));
    git(source, ['commit', '--quiet', '-am', 'close again']);
    const json = JSON.parse(await deploy('json'));
    expect(json.contract_changes.summary).toMatch(/^1 breaking against 1\.0\.0 \(deployed\)$/);
    expect(json.contract_changes.changes.breaking[0]).toMatchObject({ class: 'breaking', path: 'auth.mode' });
  });
});
