/**
 * Changed-agent detection against real git repositories in temp dirs: which Dockfiles a change
 * touches (agent directory, the Dockfile, `!include`d files, `build.include` paths), the base
 * commit each event names, and fetching that base into a one-commit-deep clone as
 * actions/checkout leaves it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { silentLogger } from '../../action/adapters/logger.ts';
import {
  changeBaseOf,
  changedPaths,
  describeAgents,
  selectChangedAgents,
  touchesAgent,
} from '../../action/agents/index.ts';
import { UsageError } from '../../shared/errors.ts';
import { git } from '../support/git.ts';

const dockfile = (name: string, extra = '') =>
  `version: "1.0"\nagent:\n  name: ${name}\n  handler: app.main:handle\n${extra}`;

let dir: string;
let origin: string;
const write = (root: string, path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const commit = (root: string, message: string) => {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', message);
  return git(root, 'rev-parse', 'HEAD');
};
const DOCKFILES = [
  'agents/billing/Dockfile.yaml',
  'agents/support/Dockfile.yaml',
  'agents/triage/Dockfile.yaml',
];
const exec = nodeExec();
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockrion-agents-changes-'));
  origin = join(dir, 'origin');
  git(dir, 'init', '-q', '-b', 'main', origin);
  write(
    origin,
    'agents/billing/Dockfile.yaml',
    dockfile('billing', 'policies: !include ../../shared/policies.yaml\n'),
  );
  write(origin, 'agents/billing/app/main.py', 'def handle(x):\n    return x\n');
  write(
    origin,
    'agents/support/Dockfile.yaml',
    dockfile(
      'support',
      'build:\n  include:\n    directories: [app, ../../libs/prompts]\n    files: [../../shared/tools.py]\n',
    ),
  );
  write(origin, 'agents/support/app/main.py', 'def handle(x):\n    return x\n');
  write(origin, 'agents/triage/Dockfile.yaml', dockfile('triage'));
  write(origin, 'agents/triage/app/main.py', 'def handle(x):\n    return x\n');
  write(origin, 'shared/policies.yaml', 'tools:\n  allowed: [search]\n');
  write(origin, 'shared/tools.py', 'TOOLS = []\n');
  write(origin, 'libs/prompts/system.txt', 'be brief\n');
  write(origin, 'README.md', '# agents\n');
  commit(origin, 'three agents');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('changeBaseOf', () => {
  const sha = 'a'.repeat(40);
  it('pull_request compares with the PR base, merge_group with the queue base', () => {
    expect(changeBaseOf('pull_request', { pull_request: { base: { sha } } })).toMatchObject({
      kind: 'commit',
      sha,
    });
    expect(changeBaseOf('pull_request_target', { pull_request: { base: { sha } } })).toMatchObject({ sha });
    expect(changeBaseOf('merge_group', { merge_group: { base_sha: sha } })).toMatchObject({ sha });
    expect(changeBaseOf('pull_request', {})).toMatchObject({ kind: 'everything' });
  });

  it('push compares with `before`; a new branch, a force push or no `before` is everything', () => {
    expect(changeBaseOf('push', { before: sha })).toMatchObject({ kind: 'commit', sha });
    expect(changeBaseOf('push', { before: '0'.repeat(40) })).toEqual({
      kind: 'everything',
      why: 'the push created the branch (no previous commit)',
    });
    expect(changeBaseOf('push', { before: sha, forced: true })).toMatchObject({
      kind: 'everything',
      why: expect.stringContaining('force push'),
    });
    expect(changeBaseOf('push', { before: 'not-a-sha; rm -rf /' })).toMatchObject({ kind: 'everything' });
  });

  it('workflow_dispatch and schedule have no base', () => {
    expect(changeBaseOf('workflow_dispatch', {})).toMatchObject({ kind: 'everything' });
    expect(changeBaseOf('schedule', { before: sha })).toMatchObject({ kind: 'everything' });
  });
});

describe('describeAgents / touchesAgent', () => {
  it('each agent reaches its directory, its !include files and build.include paths outside it', () => {
    const [billing, support, triage] = describeAgents(origin, DOCKFILES);
    expect(billing).toMatchObject({
      name: 'billing',
      dir: 'agents/billing',
      files: ['shared/policies.yaml'],
    });
    expect(support).toMatchObject({
      name: 'support',
      files: ['shared/tools.py'],
      directories: ['libs/prompts'],
    });
    expect(triage).toMatchObject({ name: 'triage', files: [], directories: [] });
    const touched = (path: string) =>
      [billing, support, triage].filter((a) => a && touchesAgent(a, path)).map((a) => a?.name);
    expect(touched('agents/billing/app/main.py')).toEqual(['billing']);
    expect(touched('agents/triage/Dockfile.yaml')).toEqual(['triage']);
    expect(touched('shared/policies.yaml')).toEqual(['billing']);
    expect(touched('shared/tools.py')).toEqual(['support']);
    expect(touched('libs/prompts/system.txt')).toEqual(['support']);
    // A sibling whose name starts like an agent directory is not inside it.
    expect(touched('agents/billing-v2/x.py')).toEqual([]);
    expect(touched('README.md')).toEqual([]);
  });

  it('a Dockfile at the repository root is touched by every change', () => {
    const root = join(dir, 'root-agent');
    write(root, 'Dockfile.yaml', dockfile('solo'));
    const [solo] = describeAgents(root, ['Dockfile.yaml']);
    expect(solo && touchesAgent(solo, 'docs/anything.md')).toBe(true);
  });

  it('two Dockfiles naming the same agent are an error naming both', () => {
    const twins = join(dir, 'twins');
    write(twins, 'a/Dockfile.yaml', dockfile('same'));
    write(twins, 'b/Dockfile.yaml', dockfile('same'));
    const call = () => describeAgents(twins, ['a/Dockfile.yaml', 'b/Dockfile.yaml']);
    expect(call).toThrow(UsageError);
    expect(call).toThrow("two Dockfiles name the same agent 'same': a/Dockfile.yaml and b/Dockfile.yaml");
  });

  it('a broken or interpolated Dockfile still has a footprint (its directory), without a name', () => {
    const broken = join(dir, 'broken');
    write(broken, 'x/Dockfile.yaml', 'version: "1.0"\nagent: [unclosed\n');
    write(broken, 'y/Dockfile.yaml', dockfile('${AGENT_NAME}'));
    const [x, y] = describeAgents(broken, ['x/Dockfile.yaml', 'y/Dockfile.yaml']);
    expect(x).toMatchObject({ name: null, dir: 'x' });
    expect(y).toMatchObject({ name: null, dir: 'y' });
  });
});

describe('changedPaths / selectChangedAgents on real clones', () => {
  /** A PR-like change on top of origin/main, in a one-commit-deep clone (actions/checkout's default). */
  function shallowCloneWithChange(name: string, change: (root: string) => void) {
    const base = git(origin, 'rev-parse', 'HEAD');
    const clone = join(dir, name);
    git(dir, 'clone', '-q', '--depth=1', '--no-local', `file://${origin}`, clone);
    change(clone);
    commit(clone, 'change');
    git(clone, 'push', '-q', 'origin', `HEAD:refs/heads/${name}`);
    const checkout = join(dir, `${name}-checkout`);
    git(dir, 'clone', '-q', '--depth=1', '--branch', name, `file://${origin}`, checkout);
    return { base, checkout };
  }

  it('fetches the base into a depth-1 checkout and selects only the touched agent', async () => {
    const { base, checkout } = shallowCloneWithChange('pr-triage', (root) =>
      write(root, 'agents/triage/app/main.py', 'def handle(x):\n    return [x]\n'),
    );
    // As actions/checkout leaves it: the PR base is not in the one-commit clone.
    expect(() => git(checkout, 'cat-file', '-e', `${base}^{commit}`)).toThrow();
    const selected = await selectChangedAgents({
      workspace: checkout,
      dockfiles: DOCKFILES,
      base: { kind: 'commit', sha: base, what: 'the pull request base' },
      exec,
      env,
      logger: silentLogger(),
    });
    expect(selected.everythingBecause).toBeNull();
    expect(selected.all.map((a) => a.name)).toEqual(['billing', 'support', 'triage']);
    expect(selected.changed.map((a) => a.name)).toEqual(['triage']);
    // Still shallow: the base came one commit deep, not with the whole history.
    expect(git(checkout, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });

  it('a change to a shared included file selects the agents that include it', async () => {
    const { base, checkout } = shallowCloneWithChange('pr-shared', (root) => {
      write(root, 'shared/policies.yaml', 'tools:\n  allowed: [search, email]\n');
      write(root, 'libs/prompts/system.txt', 'be briefer\n');
      write(root, 'README.md', '# agents, documented\n');
    });
    const diff = await changedPaths({ workspace: checkout, base, exec, env, logger: silentLogger() });
    expect(diff.paths).toEqual(['README.md', 'libs/prompts/system.txt', 'shared/policies.yaml']);
    const selected = await selectChangedAgents({
      workspace: checkout,
      dockfiles: DOCKFILES,
      base: { kind: 'commit', sha: base, what: 'base' },
      exec,
      env,
      logger: silentLogger(),
    });
    expect(selected.changed.map((a) => a.name)).toEqual(['billing', 'support']);
  });

  it('a base that cannot be fetched selects every agent and says why', async () => {
    const { checkout } = shallowCloneWithChange('pr-gone', (root) =>
      write(root, 'agents/billing/app/main.py', 'def handle(x):\n    return 1\n'),
    );
    const missing = 'c'.repeat(40);
    const selected = await selectChangedAgents({
      workspace: checkout,
      dockfiles: DOCKFILES,
      base: { kind: 'commit', sha: missing, what: 'base' },
      exec,
      env,
      logger: silentLogger(),
    });
    expect(selected.changed).toHaveLength(3);
    expect(selected.everythingBecause).toMatch(
      /^the base commit cccccccccccc is not in the checkout and could not be fetched from origin/,
    );
  });

  it('a new branch (everything) needs no git at all; a non-checkout falls back to everything', async () => {
    const plain = join(dir, 'not-a-checkout');
    write(plain, 'agents/triage/Dockfile.yaml', dockfile('triage'));
    const all = await selectChangedAgents({
      workspace: plain,
      dockfiles: ['agents/triage/Dockfile.yaml'],
      base: { kind: 'everything', why: 'new branch' },
      exec,
      env,
      logger: silentLogger(),
    });
    expect(all).toMatchObject({ everythingBecause: 'new branch' });
    const noGit = await changedPaths({
      workspace: plain,
      base: 'd'.repeat(40),
      exec,
      env,
      logger: silentLogger(),
    });
    expect(noGit).toEqual({ paths: null, why: 'the workspace is not a git checkout' });
  });

  it('a workspace below the repository top level sees paths relative to itself', async () => {
    const mono = join(dir, 'mono');
    git(dir, 'init', '-q', '-b', 'main', mono);
    write(mono, 'platform/agents/a/Dockfile.yaml', dockfile('a'));
    write(mono, 'platform/agents/b/Dockfile.yaml', dockfile('b'));
    write(mono, 'other/x.txt', 'x\n');
    const base = commit(mono, 'base');
    write(mono, 'platform/agents/b/app.py', 'print(1)\n');
    write(mono, 'other/x.txt', 'y\n');
    commit(mono, 'change b');
    const workspace = join(mono, 'platform');
    const diff = await changedPaths({ workspace, base, exec, env, logger: silentLogger() });
    expect(diff.paths).toEqual(['agents/b/app.py']);
  });
});
