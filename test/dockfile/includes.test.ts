import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { brief, type TempRepo, tempRepo } from './helpers.ts';

const head = 'version: "1.0"\nagent:\n  name: inc-agent\n  handler: app:run\nauth:\n  mode: none\n';

describe('!include', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
  });
  afterEach(() => repo.cleanup());

  const load = () =>
    loadDockfile('Dockfile.yaml', { cwd: repo.root, root: repo.root, processEnv: {}, python: null });

  it('expands nested includes relative to the including file', async () => {
    repo.write('Dockfile.yaml', `${head}policies: !include policy/all.yaml\n`);
    repo.write('policy/all.yaml', 'tools: !include tools.yaml\nsafety:\n  max_output_chars: 100\n');
    repo.write('policy/tools.yaml', 'allowed: [search]\ndeny_by_default: true\n');
    const result = await load();
    expect(result.errors).toEqual([]);
    expect(result.spec?.policies?.tools?.allowed).toEqual(['search']);
  });

  it('reports a cycle with the chain of files (4009)', async () => {
    repo.write('Dockfile.yaml', `${head}policies: !include a.yaml\n`);
    repo.write('a.yaml', 'tools: !include b.yaml\n');
    repo.write('b.yaml', 'allowed: !include a.yaml\n');
    const result = await load();
    expect(brief(result.errors)).toEqual(['4009 policies.tools.allowed @b.yaml:1:10']);
    expect(result.errors[0]?.message).toBe('!include cycle: a.yaml → b.yaml → a.yaml');
  });

  it('reports a Dockfile that includes itself (4009)', async () => {
    repo.write('Dockfile.yaml', `${head}metadata: !include Dockfile.yaml\n`);
    const result = await load();
    expect(brief(result.errors)).toEqual(['4009 metadata @Dockfile.yaml:7:11']);
    expect(result.errors[0]?.message).toContain('cycle');
  });

  it('stops includes nested deeper than 8 levels (4009)', async () => {
    repo.write('Dockfile.yaml', `${head}metadata: !include d1.yaml\n`);
    for (let i = 1; i <= 10; i++) repo.write(`d${i}.yaml`, `next: !include d${i + 1}.yaml\n`);
    repo.write('d11.yaml', 'end: true\n');
    const result = await load();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.code).toBe(4009);
    expect(result.errors[0]?.message).toContain('more than 8 levels');
    expect(result.errors[0]?.file).toBe('d8.yaml');
  });

  it('rejects a path that leaves the repository with .. (4009)', async () => {
    repo.write('../outside.yaml', 'mode: none\n');
    repo.write(
      'Dockfile.yaml',
      `version: "1.0"\nagent:\n  name: a\n  handler: app:run\nauth: !include ../outside.yaml\n`,
    );
    const result = await load();
    expect(brief(result.errors)).toEqual(['4009 auth @Dockfile.yaml:5:7']);
    expect(result.errors[0]?.message).toBe('!include ../outside.yaml points outside the repository');
  });

  it('rejects a symlink that resolves outside the repository (4009)', async () => {
    const outside = repo.write('../secret.yaml', 'mode: none\n');
    repo.write(
      'Dockfile.yaml',
      `version: "1.0"\nagent:\n  name: a\n  handler: app:run\nauth: !include link.yaml\n`,
    );
    symlinkSync(outside, join(repo.root, 'link.yaml'));
    const result = await load();
    expect(brief(result.errors)).toEqual(['4009 auth @Dockfile.yaml:5:7']);
    expect(result.errors[0]?.message).toContain('through a symlink');
  });

  it('rejects absolute paths, missing files and non-string targets (4009)', async () => {
    repo.write(
      'Dockfile.yaml',
      `${head}metadata: !include /etc/hostname\npolicies: !include missing.yaml\narguments: !include\n`,
    );
    const result = await load();
    expect(brief(result.errors)).toEqual([
      '4009 metadata @Dockfile.yaml:7:11',
      '4009 policies @Dockfile.yaml:8:11',
      '4009 arguments @Dockfile.yaml:9:12',
    ]);
  });

  it('reports YAML errors inside an included file at that file (4000)', async () => {
    repo.write('Dockfile.yaml', `${head}metadata: !include meta.yaml\n`);
    repo.write('meta.yaml', 'tags: [a, b\nmaintainer: x\n');
    const result = await load();
    expect(result.errors.every((e) => e.code === 4000 && e.file === 'meta.yaml')).toBe(true);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('keeps validating the rest after a failed include, without follow-on noise', async () => {
    repo.write(
      'Dockfile.yaml',
      'version: "1.0"\nagent: !include missing-agent.yaml\nexpose: {rest: false, streaming: none}\npolicies: !!binary aGk=\nmodel: {provider: openia, name: x}\n',
    );
    const result = await load();
    expect(brief(result.errors)).toEqual([
      '4009 agent @Dockfile.yaml:2:8',
      '4010 expose.rest @Dockfile.yaml:3:16',
      '4000 policies @Dockfile.yaml:4:11',
      '4002 model.provider @Dockfile.yaml:5:19',
    ]);
  });
});
