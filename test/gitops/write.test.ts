import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { GitOpsError } from '../../shared/errors.ts';
import {
  environmentsRepo,
  folderAt,
  git,
  manifestsFor,
  recordFor,
  type Sandbox,
  sandbox,
} from './fixtures.ts';
import { context, gitOpsFailure } from './support.ts';

describe('writing a deploy to the environments repo', () => {
  let box: Sandbox;
  let bare: string;
  beforeEach(() => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
  });
  afterEach(() => box.cleanup());

  it('commits exactly <env>/<agent>/ plus dockrion.json straight to main with direct', async () => {
    const ctx = context();
    const record = recordFor('invoice-copilot', 'staging', '1.0.0');
    const before = git(bare, ['rev-parse', 'main']);
    const out = await deployToEnvironments(
      { target: { url: bare }, record, files: manifestsFor(record), direct: true },
      ctx,
    );
    expect(out.operation).toBe('direct');
    expect(git(bare, ['rev-parse', 'main'])).toBe(out.commit);
    expect(git(bare, ['rev-parse', 'main^'])).toBe(before);
    // Only the agent's folder changed.
    const changed = git(bare, ['diff', '--name-only', before, 'main']).split('\n');
    expect(changed).toEqual([
      'staging/invoice-copilot/compose.yaml',
      'staging/invoice-copilot/dockrion.json',
      'staging/invoice-copilot/secrets.env.age',
    ]);
    expect(out.changedFiles.map((f) => `${f.status} ${f.path}`)).toEqual(changed.map((p) => `A ${p}`));
    const recordText = git(bare, ['show', 'main:staging/invoice-copilot/dockrion.json']);
    expect(Object.keys(JSON.parse(recordText))).toEqual([
      'agent',
      'digest',
      'dockfile_sha256',
      'environment',
      'image',
      'source',
      'version',
    ]);
    expect(recordText).not.toMatch(/20\d\d-\d\d-\d\d/);
    const message = git(bare, ['show', '-s', '--format=%B', 'main']);
    expect(message.split('\n')[0]).toBe(
      `deploy(invoice-copilot): staging 1.0.0 @ ${record.digest.slice(7, 19)}`,
    );
    const trailers = git(bare, ['show', '-s', '--format=%(trailers:only,unfold)', 'main']);
    expect(trailers).toContain('Dockrion-Agent: invoice-copilot');
    expect(trailers).toContain('Dockrion-Environment: staging');
    expect(trailers).toContain('Dockrion-Version: 1.0.0');
    expect(trailers).toContain(`Dockrion-Image: ${record.image}`);
    expect(trailers).toContain(`Dockrion-Source: acme/agents@${record.source.commit}`);
    expect(git(bare, ['show', '-s', '--format=%an <%ae>|%cn', 'main'])).toBe(
      'dockrion[bot] <dockrion-bot@users.noreply.github.com>|dockrion[bot]',
    );
  });

  it('replaces the folder wholesale: files no longer rendered are removed, other folders untouched', async () => {
    const ctx = context();
    const v1 = recordFor('invoice-copilot', 'staging', '1.0.0');
    await deployToEnvironments(
      {
        target: { url: bare },
        record: v1,
        files: [...manifestsFor(v1), { path: 'extra/old.yaml', content: 'x: 1\n' }],
        direct: true,
      },
      ctx,
    );
    ctx.tick(10);
    const v2 = recordFor('invoice-copilot', 'staging', '2.0.0');
    await deployToEnvironments(
      { target: { url: bare }, record: v2, files: manifestsFor(v2), direct: true },
      ctx,
    );
    const files = Object.keys(folderAt(bare, 'main', 'staging/invoice-copilot'));
    expect(files).toEqual([
      'staging/invoice-copilot/compose.yaml',
      'staging/invoice-copilot/dockrion.json',
      'staging/invoice-copilot/secrets.env.age',
    ]);
    expect(git(bare, ['show', 'main:staging/other-agent/compose.yaml'])).toBe('services: {}');
    expect(git(bare, ['show', 'main:README.md'])).toBe('# environments');
  });

  it('writes the same tree for the same input, and does nothing when nothing changed', async () => {
    const ctx = context();
    const record = recordFor('invoice-copilot', 'staging', '1.0.0');
    const first = await deployToEnvironments(
      { target: { url: bare }, record, files: manifestsFor(record), direct: true },
      ctx,
    );
    ctx.tick(60);
    const again = await deployToEnvironments(
      { target: { url: bare }, record, files: manifestsFor(record), direct: true },
      ctx,
    );
    expect(again.operation).toBe('unchanged');
    expect(again.commit).toBe(first.commit);
    expect(git(bare, ['rev-list', '--count', 'main'])).toBe('2');
    // A second repo seeded identically gets the identical tree.
    const other = environmentsRepo(box.dir, 'mirror');
    const mirrored = await deployToEnvironments(
      { target: { url: other }, record, files: manifestsFor(record), direct: true },
      ctx,
    );
    expect(git(other, ['rev-parse', `${mirrored.commit}^{tree}`])).toBe(
      git(bare, ['rev-parse', 'main^{tree}']),
    );
  });

  it('opens the change on dockrion/<env>/<agent> in PR mode and leaves main alone', async () => {
    const ctx = context();
    const before = git(bare, ['rev-parse', 'main']);
    const v1 = recordFor('invoice-copilot', 'staging', '1.0.0');
    const out = await deployToEnvironments(
      { target: { url: bare }, record: v1, files: manifestsFor(v1) },
      ctx,
    );
    expect(out.operation).toBe('pushed');
    expect(out.branch).toBe('dockrion/staging/invoice-copilot');
    expect(git(bare, ['rev-parse', 'main'])).toBe(before);
    expect(git(bare, ['rev-parse', 'dockrion/staging/invoice-copilot'])).toBe(out.commit);
    expect(ctx.lines.join('\n')).toContain('no GitHub repository configured');

    // The next deploy replaces the tool's own pending commit: the branch stays one commit ahead.
    ctx.tick(30);
    const v2 = recordFor('invoice-copilot', 'staging', '2.0.0');
    const next = await deployToEnvironments(
      { target: { url: bare }, record: v2, files: manifestsFor(v2) },
      ctx,
    );
    expect(next.operation).toBe('pushed');
    expect(git(bare, ['rev-list', '--count', 'main..dockrion/staging/invoice-copilot'])).toBe('1');
    expect(
      git(bare, ['show', 'dockrion/staging/invoice-copilot:staging/invoice-copilot/dockrion.json']),
    ).toContain('"version": "2.0.0"');
    // Same content again: no new commit.
    ctx.tick(30);
    const same = await deployToEnvironments(
      { target: { url: bare }, record: v2, files: manifestsFor(v2) },
      ctx,
    );
    expect(same.operation).toBe('unchanged');
    expect(same.commit).toBe(next.commit);
  });

  it("stops with a clear error instead of overwriting a human's commit on the PR branch", async () => {
    const ctx = context();
    const v1 = recordFor('invoice-copilot', 'staging', '1.0.0');
    await deployToEnvironments({ target: { url: bare }, record: v1, files: manifestsFor(v1) }, ctx);
    const work = `${box.dir}/human`;
    git(box.dir, ['clone', '--quiet', '--branch', 'dockrion/staging/invoice-copilot', bare, work]);
    git(work, ['commit', '--quiet', '--allow-empty', '-m', 'tweak replicas by hand']);
    git(work, ['push', '--quiet', 'origin', 'HEAD']);
    const human = git(work, ['rev-parse', 'HEAD']);

    ctx.tick(30);
    const v2 = recordFor('invoice-copilot', 'staging', '2.0.0');
    const attempt = deployToEnvironments({ target: { url: bare }, record: v2, files: manifestsFor(v2) }, ctx);
    await expect(attempt).rejects.toThrow(GitOpsError);
    await expect(attempt).rejects.toThrow(/did not make; refusing to overwrite/);
    expect(git(bare, ['rev-parse', 'dockrion/staging/invoice-copilot'])).toBe(human);
  });

  it('an amended dockrion commit that keeps the trailers is a human edit: not overwritten', async () => {
    const ctx = context();
    const v1 = recordFor('invoice-copilot', 'staging', '1.0.0');
    const first = await deployToEnvironments(
      { target: { url: bare }, record: v1, files: manifestsFor(v1) },
      ctx,
    );
    // dockrion records the commit it pushed, next to the branch.
    expect(git(bare, ['rev-parse', 'refs/dockrion/pushed/staging/invoice-copilot'])).toBe(first.commit);

    const work = `${box.dir}/amend`;
    git(box.dir, ['clone', '--quiet', '--branch', 'dockrion/staging/invoice-copilot', bare, work]);
    writeFileSync(
      `${work}/staging/invoice-copilot/deployment.yaml`,
      'replicas: 5 # reviewer asked for more\n',
    );
    git(work, ['commit', '--quiet', '-a', '--amend', '--no-edit']);
    git(work, ['push', '--quiet', '--force', 'origin', 'HEAD']);
    const amended = git(work, ['rev-parse', 'HEAD']);
    expect(
      git(work, ['show', '-s', '--format=%(trailers:key=Dockrion-Agent,valueonly)', 'HEAD']).trim(),
    ).toBe('invoice-copilot');

    ctx.tick(30);
    const v2 = recordFor('invoice-copilot', 'staging', '2.0.0');
    const error = await gitOpsFailure(
      deployToEnvironments({ target: { url: bare }, record: v2, files: manifestsFor(v2) }, ctx),
    );
    expect(error.message).toContain(`has commit ${amended.slice(0, 12)} that dockrion did not make`);
    expect(error.message).toContain(`dockrion last pushed ${first.commit?.slice(0, 12)} there`);
    expect(error.hint).toContain('delete the branch dockrion/staging/invoice-copilot');
    expect(git(bare, ['rev-parse', 'dockrion/staging/invoice-copilot'])).toBe(amended);
  });

  it('a deploy branch with trailers but no record of a dockrion push is not taken as ours', async () => {
    const ctx = context();
    const v1 = recordFor('invoice-copilot', 'staging', '1.0.0');
    await deployToEnvironments({ target: { url: bare }, record: v1, files: manifestsFor(v1) }, ctx);
    // As if someone pushed a trailer-bearing commit to the branch with plain git.
    git(bare, ['update-ref', '-d', 'refs/dockrion/pushed/staging/invoice-copilot']);
    const tip = git(bare, ['rev-parse', 'dockrion/staging/invoice-copilot']);

    ctx.tick(30);
    const v2 = recordFor('invoice-copilot', 'staging', '2.0.0');
    const error = await gitOpsFailure(
      deployToEnvironments({ target: { url: bare }, record: v2, files: manifestsFor(v2) }, ctx),
    );
    expect(error.message).toContain('there is no record that dockrion pushed it');
    expect(git(bare, ['rev-parse', 'dockrion/staging/invoice-copilot'])).toBe(tip);
  });

  it('refuses paths that would leave the agent folder and names that are not DNS labels', async () => {
    const ctx = context();
    const record = recordFor('invoice-copilot', 'staging', '1.0.0');
    await expect(
      deployToEnvironments(
        { target: { url: bare }, record, files: [{ path: '../prod/x.yaml', content: '' }], direct: true },
        ctx,
      ),
    ).rejects.toThrow(/not a plain relative path/);
    await expect(
      deployToEnvironments(
        { target: { url: bare }, record: { ...record, agent: 'Invoice_Copilot' }, files: [], direct: true },
        ctx,
      ),
    ).rejects.toThrow(/invalid agent name/);
    await expect(
      deployToEnvironments(
        { target: { url: bare }, record, files: [{ path: 'dockrion.json', content: '{}' }], direct: true },
        ctx,
      ),
    ).rejects.toThrow(/may not contain dockrion.json/);
    expect(git(bare, ['rev-list', '--count', 'main'])).toBe('1');
  });

  it('starts an empty environments repo with a root commit in direct mode', async () => {
    const ctx = context();
    const empty = `${box.dir}/empty.git`;
    git(box.dir, ['init', '--bare', '--quiet', '--initial-branch=main', empty]);
    const record = recordFor('invoice-copilot', 'prod', '1.0.0');
    const out = await deployToEnvironments(
      { target: { url: empty }, record, files: manifestsFor(record), direct: true },
      ctx,
    );
    expect(out.operation).toBe('direct');
    expect(git(empty, ['rev-list', '--count', 'main'])).toBe('1');
    await expect(
      deployToEnvironments(
        { target: { url: `${box.dir}/empty2.git` }, record, files: manifestsFor(record) },
        ctx,
      ),
    ).rejects.toThrow(GitOpsError);
  });

  it('keeps committed ciphertext when nothing else changed, so re-encrypting is not a change', async () => {
    const ctx = context();
    const record = recordFor('invoice-copilot', 'staging', '1.0.0');
    const withFreshCiphertext = () => [
      manifestsFor(record)[0] ?? { path: 'compose.yaml', content: '' },
      { path: 'secrets.env.age', content: randomBytes(64) },
    ];
    const request = { target: { url: bare }, record, direct: true, volatileFiles: ['secrets.env.age'] };
    const first = await deployToEnvironments({ ...request, files: withFreshCiphertext() }, ctx);
    const blob = git(bare, ['rev-parse', 'main:staging/invoice-copilot/secrets.env.age']);
    ctx.tick(60);
    const again = await deployToEnvironments({ ...request, files: withFreshCiphertext() }, ctx);
    expect(again.operation).toBe('unchanged');
    expect(again.commit).toBe(first.commit);
    // PR mode compares against the same folder and is a no-op too.
    const pr = await deployToEnvironments({ ...request, direct: false, files: withFreshCiphertext() }, ctx);
    expect(pr.operation).toBe('unchanged');
    // --force ships the new ciphertext (rotated secrets with an otherwise identical deploy).
    ctx.tick(60);
    const forced = await deployToEnvironments({ ...request, force: true, files: withFreshCiphertext() }, ctx);
    expect(forced.operation).toBe('direct');
    expect(forced.changedFiles.map((f) => f.path)).toEqual(['staging/invoice-copilot/secrets.env.age']);
    expect(git(bare, ['rev-parse', 'main:staging/invoice-copilot/secrets.env.age'])).not.toBe(blob);
  });
});
