import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeDockfile } from '../../action/dockfile/index.ts';
import { assembleBuildContext } from '../../action/image/build-context/assemble.ts';
import { ImageError } from '../../shared/errors.ts';
import { specOf, type TempTree, tempTree } from './agent-tree.ts';

const runtimeDir = join(import.meta.dirname, '../../runtime');
const source = {
  repo: 'https://github.com/acme/agents',
  commit: 'c0ffee'.padEnd(40, '0'),
  commitTime: 1764064800,
};

const dockfile = (extra = '') => `version: "1.0"
agent:
  name: triage
  description: Sorts tickets.
  handler: app.handler:handle
expose:
  port: 8080
secrets:
  required:
    - name: OPENAI_API_KEY
model:
  provider: openai
  name: gpt-4o-mini
  extra:
    api_key: \${OPENAI_API_KEY}
${extra}`;

let trees: TempTree[] = [];
afterEach(() => {
  for (const t of trees) t.dispose();
  trees = [];
});

function agent(
  files: Record<string, string>,
  extra = '',
): { tree: TempTree; dockfilePath: string; out: string } {
  const tree = tempTree('agent');
  const out = tempTree('context');
  trees.push(tree, out);
  const dockfilePath = tree.write('Dockfile.yaml', dockfile(extra));
  tree.write('app/__init__.py', '');
  tree.write('app/handler.py', 'def handle(payload):\n    return {"ok": True}\n');
  for (const [path, content] of Object.entries(files)) tree.write(path, content);
  return { tree, dockfilePath, out: join(out.root, 'ctx') };
}

function assemble(a: ReturnType<typeof agent>, extra = '', version = '1.2.3') {
  return assembleBuildContext({
    spec: specOf(dockfile(extra)),
    dockfilePath: a.dockfilePath,
    runtimeDir,
    outDir: a.out,
    version,
    source,
  });
}

const agentFiles = (files: string[]) => files.filter((f) => f.startsWith('agent/')).map((f) => f.slice(6));

function snapshotTree(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = statSync(full);
      const rel = relative(dir, full);
      if (st.isDirectory()) {
        out.push(`${rel}/ ${st.mode.toString(8)} ${st.mtimeMs}`);
        visit(full);
      } else {
        out.push(`${rel} ${st.mode.toString(8)} ${st.mtimeMs} ${readFileSync(full).toString('base64')}`);
      }
    }
  };
  visit(dir);
  return out;
}

describe('assembleBuildContext', () => {
  it('writes the Dockerfile, config, runtime package, requirements and agent code', () => {
    const a = agent({ 'requirements.txt': 'httpx==0.27.0\n', 'README.md': '# triage\n' });
    const ctx = assemble(a);
    expect(ctx.dir).toBe(a.out);
    expect(ctx.files).toContain('Dockerfile');
    expect(ctx.files).toContain('config/dockrion.json');
    expect(ctx.files).toContain('requirements.txt');
    expect(ctx.files).toContain('runtime/pyproject.toml');
    expect(
      ctx.files.some((f) => f.startsWith('runtime/dockrion_runtime/') && f.endsWith('__init__.py')),
    ).toBe(true);
    expect(ctx.files.some((f) => f.startsWith('runtime/tests/') || f.includes('.egg-info'))).toBe(false);
    expect(agentFiles(ctx.files)).toEqual([
      'README.md',
      'app/__init__.py',
      'app/handler.py',
      'requirements.txt',
    ]);
    expect([...ctx.files].sort()).toEqual(ctx.files);
    expect(readFileSync(join(a.out, 'Dockerfile'), 'utf8')).toBe(ctx.dockerfile);
    expect(readFileSync(join(a.out, 'requirements.txt'), 'utf8')).toBe('httpx==0.27.0\n');
    // Every file listed exists and nothing else does.
    const onDisk = snapshotTree(a.out)
      .filter((l) => !l.split(' ')[0]?.endsWith('/'))
      .map((l) => l.split(' ')[0]);
    expect(onDisk).toEqual(ctx.files);
  });

  it('writes the normalized Dockfile as dockrion.json, with secret references not values', () => {
    const a = agent({});
    assemble(a);
    const written = JSON.parse(readFileSync(join(a.out, 'config/dockrion.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(normalizeDockfile(specOf(dockfile())))));
    expect(written.model.extra.api_key).toBe('${OPENAI_API_KEY}');
    expect(written.expose.port).toBe(8080);
  });

  it('labels the image with the source, version, commit time and Dockfile digest', () => {
    const a = agent({});
    const { dockerfile } = assemble(a);
    const sha = createHash('sha256').update(readFileSync(a.dockfilePath)).digest('hex');
    expect(dockerfile).toContain(`LABEL dev.dockrion.dockfile-sha256="${sha}"`);
    expect(dockerfile).toContain('LABEL org.opencontainers.image.created="2025-11-25T10:00:00Z"');
    expect(dockerfile).toContain('LABEL org.opencontainers.image.version="1.2.3"');
    expect(dockerfile).toContain(`LABEL org.opencontainers.image.revision="${source.commit}"`);
    expect(dockerfile).toContain('LABEL dev.dockrion.agent="triage"');
    expect(dockerfile).toContain('LABEL org.opencontainers.image.description="Sorts tickets."');
    expect(dockerfile).toContain('"/usr/src/dockrion/runtime"');
    expect(dockerfile).not.toContain('COPY requirements.txt');
  });

  it('never copies .env files, secret files, VCS state, caches or the Dockfile, even when .dockerignore re-includes them', () => {
    const a = agent({
      '.env': 'OPENAI_API_KEY=canary\n',
      '.env.production': 'X=1\n',
      'app/.env': 'Y=2\n',
      'secrets.env': 'Z=3\n',
      'staging/secrets.env.age': 'age\n',
      '.git/config': '[core]\n',
      'app/__pycache__/handler.cpython-311.pyc': 'x',
      '.venv/bin/python': '',
      'node_modules/x/index.js': '',
      'dockrion.json': '{}',
      '.dockerignore': '!.env\n!secrets.env\n',
    });
    const ctx = assemble(a);
    expect(agentFiles(ctx.files)).toEqual(['app/__init__.py', 'app/handler.py']);
  });

  it('honours .dockerignore, including ! exceptions and ** globs', () => {
    const a = agent({
      '.dockerignore': '# docs are not needed\ndocs\n**/*.md\n!KEEP.md\ntests/\n',
      'docs/guide.txt': 'x',
      'app/notes.md': 'x',
      'KEEP.md': 'x',
      'tests/test_handler.py': 'x',
      'app/data/prompts.txt': 'x',
    });
    expect(agentFiles(assemble(a).files)).toEqual([
      'KEEP.md',
      'app/__init__.py',
      'app/data/prompts.txt',
      'app/handler.py',
    ]);
  });

  it('with build.include takes only what it names plus the entry module, then applies build.exclude', () => {
    const extra = `build:
  include:
    directories: [prompts]
    files: [config/settings.toml]
    patterns: ["data/**/*.json"]
  exclude: ["prompts/drafts"]
`;
    const a = agent(
      {
        'prompts/system.txt': 'x',
        'prompts/drafts/wip.txt': 'x',
        'config/settings.toml': 'x',
        'config/other.toml': 'x',
        'data/a.json': 'x',
        'data/deep/b.json': 'x',
        'data/c.csv': 'x',
        'scratch.py': 'x',
      },
      extra,
    );
    expect(agentFiles(assemble(a, extra).files)).toEqual([
      'app/__init__.py',
      'app/handler.py',
      'config/settings.toml',
      'data/a.json',
      'data/deep/b.json',
      'prompts/system.txt',
    ]);
  });

  it('fails clearly when build.include names something that does not exist', () => {
    const extra = 'build:\n  include:\n    directories: [missing]\n';
    const a = agent({}, extra);
    expect(() => assemble(a, extra)).toThrow(/build.include.directories: missing/);
  });

  it('uses build.requirements when given and fails when it is missing', () => {
    const extra = 'build:\n  requirements: deps/prod.txt\n';
    const a = agent({ 'deps/prod.txt': 'langchain-core>=0.3\n' }, extra);
    const ctx = assemble(a, extra);
    expect(readFileSync(join(a.out, 'requirements.txt'), 'utf8')).toBe('langchain-core>=0.3\n');
    expect(ctx.dockerfile).toContain('COPY requirements.txt');

    const b = agent({}, extra);
    expect(() => assemble(b, extra)).toThrow(ImageError);
  });

  it('is deterministic: same input gives the same bytes, modes and mtimes (pinned to the commit time)', () => {
    const a = agent({ 'requirements.txt': 'x\n', 'run.sh': '#!/bin/sh\n' });
    const first = assemble(a);
    const b = agent({ 'requirements.txt': 'x\n', 'run.sh': '#!/bin/sh\n' });
    assemble(b);
    expect(snapshotTree(b.out)).toEqual(snapshotTree(first.dir));
    expect(statSync(join(first.dir, 'agent/app/handler.py')).mtimeMs).toBe(source.commitTime * 1000);
    expect(statSync(join(first.dir, 'agent/app/handler.py')).mode & 0o777).toBe(0o644);
  });

  it('refuses a non-empty output directory and a symlink that leaves the agent directory', () => {
    const a = agent({});
    assemble(a);
    expect(() => assemble(a)).toThrow(/not empty/);

    const b = agent({});
    symlinkSync('/etc/hostname', join(b.tree.root, 'app/leak.txt'));
    expect(() => assemble(b)).toThrow(/symbolic link/);
  });

  it('skips the output directory when it sits inside the agent directory', () => {
    const a = agent({});
    const ctx = assembleBuildContext({
      spec: specOf(dockfile()),
      dockfilePath: a.dockfilePath,
      runtimeDir,
      outDir: join(a.tree.root, 'build-out'),
      version: '1.0.0',
      source,
    });
    expect(agentFiles(ctx.files)).toEqual(['app/__init__.py', 'app/handler.py']);
  });
});
