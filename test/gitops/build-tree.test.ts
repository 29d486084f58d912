import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { EnvironmentsRepo } from '../../action/gitops/repo.ts';
import { environmentsRepo, git, type Sandbox, sandbox } from './fixtures.ts';

/**
 * `buildTree` rewrites only the trees on the path to `<env>/<agent>/` (it never reads the whole
 * environment into an index). The oracle here is the parent's full listing with that folder's
 * entries swapped: everything else must come out byte for byte the same.
 */
describe('building the tree of a deploy on top of the base tip', () => {
  let box: Sandbox;
  let repo: EnvironmentsRepo;
  let tip: string;
  beforeEach(async () => {
    box = sandbox();
    const bare = environmentsRepo(box.dir);
    repo = await EnvironmentsRepo.open({
      url: bare,
      token: null,
      base: 'main',
      exec: nodeExec(),
      dir: join(box.dir, 'local'),
    });
    tip = (await repo.fetch()) ?? '';
  });
  afterEach(async () => {
    await repo.close();
    box.cleanup();
  });

  const listing = (tree: string) => git(repo.git.gitDir, ['ls-tree', '-r', tree]).split('\n').filter(Boolean);
  const outside = (tree: string, dir: string) => listing(tree).filter((l) => !l.includes(`\t${dir}/`));
  const inside = (tree: string, dir: string) =>
    listing(tree)
      .filter((l) => l.includes(`\t${dir}/`))
      .map((l) => l.replace(`\t${dir}/`, '\t'));

  it('replaces the files of one folder and keeps every other entry', async () => {
    const tree = await repo.buildTree(tip, 'staging/other-agent', {
      files: [
        { path: 'compose.yaml', content: 'services: {web: {}}\n' },
        { path: 'nested/extra.yaml', content: 'a: 1\n' },
      ],
    });
    expect(outside(tree, 'staging/other-agent')).toEqual(outside(`${tip}^{tree}`, 'staging/other-agent'));
    expect(inside(tree, 'staging/other-agent').map((l) => l.split('\t')[1])).toEqual([
      'compose.yaml',
      'nested/extra.yaml',
    ]);
    expect(git(repo.git.gitDir, ['cat-file', 'blob', `${tree}:staging/other-agent/compose.yaml`])).toBe(
      'services: {web: {}}',
    );
  });

  it('adds a new folder beside the others, and a new environment', async () => {
    const restored = (await repo.subtree(tip, 'staging/other-agent')) ?? '';
    for (const dir of ['staging/new-agent', 'prod/new-agent']) {
      const tree = await repo.buildTree(tip, dir, { tree: restored });
      expect(outside(tree, dir)).toEqual(listing(`${tip}^{tree}`));
      expect(inside(tree, dir)).toEqual(inside(`${tip}^{tree}`, 'staging/other-agent'));
    }
  });

  it('removes a folder, and the environment with its last folder', async () => {
    const tree = await repo.buildTree(tip, 'staging/other-agent', { remove: true });
    expect(listing(tree)).toEqual(listing(`${tip}^{tree}`).filter((l) => !l.includes('\tstaging/')));
    expect(await repo.subtree(tree, 'staging')).toBeNull();
    // An absent folder stays absent: the root tree is the parent's.
    expect(await repo.buildTree(tip, 'staging/never-deployed', { remove: true })).toBe(
      await repo.treeOf(tip),
    );
  });

  it('gives the same tree as building on no parent when the parent holds only that folder', async () => {
    const files = [{ path: 'compose.yaml', content: 'services: {}\n' }];
    const alone = await repo.buildTree(null, 'staging/other-agent', { files });
    const onTip = await repo.buildTree(tip, 'staging/other-agent', { files });
    expect(await repo.subtree(onTip, 'staging/other-agent')).toBe(
      await repo.subtree(alone, 'staging/other-agent'),
    );
  });
});
