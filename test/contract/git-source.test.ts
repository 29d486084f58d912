/**
 * Dockfiles read from a commit with real git (no checkout): many agents in a handful of git
 * processes, includes from the commit, multi-byte text cut correctly out of `cat-file --batch`.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exec, nodeExec } from '../../action/adapters/exec.ts';
import { contractOf } from '../../action/contract/extract.ts';
import {
  loadDockfilesAtRevision,
  MissingAtRevisionError,
  parseRevisionPath,
} from '../../action/contract/git-source.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';
import { Git } from '../../action/gitops/git.ts';
import { git } from '../support/git.ts';

let work: string;

function write(relativePath: string, content: string | Buffer): void {
  const path = join(work, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function agentDockfile(name: string, description: string): string {
  return `version: "1.0"
agent:
  name: ${name}
  handler: app.main:handle
  description: "${description}"
io_schema:
  input: !include ../../shared/input.yaml
deploy:
  environments:
    staging: { target: compose }
`;
}

/** Real git through the exec seam, counting the processes it starts. */
function countingExec(): { exec: Exec; gitRuns: () => number } {
  const real = nodeExec();
  let runs = 0;
  return {
    exec: {
      run(command, args, options) {
        if (command === 'git') runs++;
        return real.run(command, args, options);
      },
    },
    gitRuns: () => runs,
  };
}

const AGENTS = Array.from({ length: 6 }, (_, i) => `agent-${i}`);
// Two- to four-byte characters: the batch output is cut by bytes, so these must not shift it.
const DESCRIPTIONS = [
  'Rechnungsprüfung',
  'facturación ✓',
  '請求書エージェント',
  'emoji 🧾 receipts',
  'plain',
  'naïve café',
];

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'dockrion-git-source-')));
  git(work, 'init', '-q', '-b', 'main');
  write(
    'shared/input.yaml',
    'type: object\nproperties:\n  question: { type: string }\nrequired: [question]\n',
  );
  AGENTS.forEach((name, i) => {
    write(`agents/${name}/Dockfile.yaml`, agentDockfile(name, DESCRIPTIONS[i] as string));
  });
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'agents');
  // The working tree differs, so reading it by mistake would show.
  write('shared/input.yaml', 'type: object\nproperties:\n  prompt: { type: string }\n');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('loadDockfilesAtRevision', () => {
  it('loads every agent of a commit with its includes, exactly as committed', async () => {
    const { exec } = countingExec();
    const repo = new Git({ exec, gitDir: join(work, '.git') });
    const paths = AGENTS.map((name) => `agents/${name}/Dockfile.yaml`);
    const loaded = await loadDockfilesAtRevision(repo, 'main', paths, { python: null, processEnv: {} });
    expect([...loaded.keys()]).toEqual(paths);
    AGENTS.forEach((name, i) => {
      const { result } = loaded.get(`agents/${name}/Dockfile.yaml`) ?? { result: undefined };
      expect(result?.errors).toEqual([]);
      expect(result?.file).toBe(`main:agents/${name}/Dockfile.yaml`);
      expect(result?.spec?.agent.description).toBe(DESCRIPTIONS[i]);
      const contract = contractOf(result?.spec as NonNullable<typeof result>['spec'] & object);
      expect(contract.io_schema.input).toEqual({
        properties: { question: { type: 'string' } },
        required: ['question'],
        type: 'object',
      });
    });
  });

  it('tells a Dockfile missing at the base (a new agent) by its error class, or skips it', async () => {
    const repo = new Git({ exec: nodeExec(), gitDir: join(work, '.git') });
    const paths = ['agents/agent-0/Dockfile.yaml', 'agents/new-agent/Dockfile.yaml'];
    const error = await loadDockfilesAtRevision(repo, 'main', paths, { python: null, processEnv: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingAtRevisionError);
    expect(error).toMatchObject({ rev: 'main', path: 'agents/new-agent/Dockfile.yaml', exitCode: 2 });
    const skipped = await loadDockfilesAtRevision(repo, 'main', paths, {
      python: null,
      processEnv: {},
      missing: 'skip',
    });
    expect([...skipped.keys()]).toEqual(['agents/agent-0/Dockfile.yaml']);
  });

  it('starts the same few git processes for two agents as for six', async () => {
    const counts: number[] = [];
    for (const count of [2, 6]) {
      const { exec, gitRuns } = countingExec();
      const repo = new Git({ exec, gitDir: join(work, '.git') });
      const paths = AGENTS.slice(0, count).map((name) => `agents/${name}/Dockfile.yaml`);
      await loadDockfilesAtRevision(repo, 'HEAD', paths, { python: null, processEnv: {} });
      counts.push(gitRuns());
    }
    // rev-parse, then ls-tree + cat-file for the Dockfiles and again for their includes.
    expect(counts).toEqual([5, 5]);
  });

  it('reads a file that is not UTF-8 one blob at a time, keeping the others intact', async () => {
    const branch = realpathSync(mkdtempSync(join(tmpdir(), 'dockrion-git-source-latin1-')));
    try {
      git(branch, 'init', '-q', '-b', 'main');
      mkdirSync(join(branch, 'a'));
      mkdirSync(join(branch, 'b'));
      // Latin-1 "é" (0xE9) in a comment: the batch cut goes off and the reader falls back.
      writeFileSync(
        join(branch, 'a', 'Dockfile.yaml'),
        Buffer.concat([
          Buffer.from('# caf'),
          Buffer.from([0xe9]),
          Buffer.from('\nversion: "1.0"\nagent:\n  name: a\n  handler: m:h\n'),
        ]),
      );
      writeFileSync(
        join(branch, 'b', 'Dockfile.yaml'),
        'version: "1.0"\nagent:\n  name: b\n  handler: m:h\n  description: "ünïcödé"\n',
      );
      git(branch, 'add', '.');
      git(branch, 'commit', '-q', '-m', 'x');
      const repo = new Git({ exec: nodeExec(), gitDir: join(branch, '.git') });
      const loaded = await loadDockfilesAtRevision(repo, 'HEAD', ['a/Dockfile.yaml', 'b/Dockfile.yaml'], {
        python: null,
        processEnv: {},
      });
      expect(loaded.get('a/Dockfile.yaml')?.result.spec?.agent.name).toBe('a');
      expect(loaded.get('b/Dockfile.yaml')?.result.spec?.agent.description).toBe('ünïcödé');
    } finally {
      rmSync(branch, { recursive: true, force: true });
    }
  });
});

describe('a Dockfile read from a commit is loaded to be compared', () => {
  it('its io_schema is not compiled: an unresolved $ref is compared as written, where validation reports it', async () => {
    const branch = realpathSync(mkdtempSync(join(tmpdir(), 'dockrion-git-source-ref-')));
    try {
      const text =
        'version: "1.0"\nagent: {name: r, handler: "m:h"}\nio_schema:\n  input: {type: object, properties: {a: {$ref: "#/$defs/gone"}}}\n';
      git(branch, 'init', '-q', '-b', 'main');
      writeFileSync(join(branch, 'Dockfile.yaml'), text);
      git(branch, 'add', '.');
      git(branch, 'commit', '-q', '-m', 'x');
      const repo = new Git({ exec: nodeExec(), gitDir: join(branch, '.git') });
      const loaded = await loadDockfilesAtRevision(repo, 'HEAD', ['Dockfile.yaml'], {
        python: null,
        processEnv: {},
      });
      const spec = loaded.get('Dockfile.yaml')?.result.spec;
      expect(contractOf(spec as NonNullable<typeof spec>).io_schema.input).toEqual({
        properties: { a: { $ref: '#/$defs/gone' } },
        type: 'object',
      });
      const validated = await validateDockfileText(text, 'Dockfile.yaml', {
        cwd: branch,
        python: null,
        processEnv: {},
      });
      expect(validated.errors.map((e) => `${e.code} ${e.path}`)).toEqual(['4004 io_schema.input']);
    } finally {
      rmSync(branch, { recursive: true, force: true });
    }
  });
});

describe('parseRevisionPath', () => {
  it.each([
    ['origin/main:Dockfile.yaml', { rev: 'origin/main', path: 'Dockfile.yaml' }],
    ['HEAD~1:agents/a/Dockfile.yaml', { rev: 'HEAD~1', path: 'agents/a/Dockfile.yaml' }],
    ['abc123:./Dockfile.yaml', { rev: 'abc123', path: './Dockfile.yaml' }],
    ['Dockfile.yaml', null],
    [':Dockfile.yaml', null],
    ['main:', null],
    ['--upload-pack=x:Dockfile.yaml', null],
    ['my branch:Dockfile.yaml', null],
  ])('%s', (arg, expected) => {
    expect(parseRevisionPath(arg)).toEqual(expected);
  });
});
