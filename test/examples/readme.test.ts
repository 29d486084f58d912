/**
 * README.md stays true: its quick-start commands run word for word, its tables match action.yml
 * and the diagnostic codes, its CLI synopsis only uses options the real commands accept, and
 * every relative link points at a file that exists.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { codeName, ErrorCode, WarningCode } from '../../action/dockfile/index.ts';
import { python, repoRoot } from './python.ts';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

function section(title: string): string {
  const start = readme.indexOf(`\n${title}\n`);
  expect(start, `README has no '${title}'`).toBeGreaterThan(-1);
  const rest = readme.slice(start + title.length + 2);
  const next = rest.search(/\n#{2,3} /);
  return next === -1 ? rest : rest.slice(0, next);
}

function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .map((l, i, all) => ({ l, header: all[i + 1]?.startsWith('|---') === true }))
    .filter(({ l, header }) => l.startsWith('| ') && !header)
    .map(({ l }) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

const codeBlocks = (text: string, lang: string) =>
  [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => (m[1] ?? '').trim());

describe('README', () => {
  it('the quick start is exactly: npm ci, npm test, npx dockrion validate …, npm run demo', () => {
    expect(codeBlocks(section('## Quick start'), 'bash')).toEqual([
      'npm ci\nnpm test',
      'npx dockrion validate examples/langgraph-tools/Dockfile.yaml',
      'npm run demo',
    ]);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBeDefined();
    expect(pkg.scripts.demo).toBe('node scripts/demo.mjs');
    expect(pkg.bin.dockrion).toBe('dist/cli.js');
  });

  it('`npx dockrion validate examples/langgraph-tools/Dockfile.yaml` works word for word', () => {
    expect(existsSync(join(repoRoot, 'dist/cli.js')), 'dist/cli.js is missing: run `npm run build`').toBe(
      true,
    );
    const command = codeBlocks(section('## Quick start'), 'bash')[1] ?? '';
    const r = spawnSync('sh', ['-c', command], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('examples/langgraph-tools/Dockfile.yaml: valid (0 errors, 0 warnings)');
  });

  it('the inputs table lists every action.yml input with its default', () => {
    const rows = tableRows(section('### Inputs'));
    expect(rows.map((r) => r[0])).toEqual(Object.keys(action.inputs).map((k) => `\`${k}\``));
    for (const [name, def, description] of rows) {
      expect(description).toBeTruthy();
      const declared = action.inputs[(name ?? '').replaceAll('`', '')]?.default;
      if (declared !== undefined && /^`.*`$/.test(def ?? '')) expect(def).toBe(`\`${declared}\``);
    }
  });

  it('the outputs table lists every action.yml output', () => {
    const rows = tableRows(section('### Outputs'));
    expect(rows.map((r) => r[0])).toEqual(Object.keys(action.outputs).map((k) => `\`${k}\``));
  });

  it('the error-code tables list every code with its stable name', () => {
    const rows = tableRows(section('## Error codes'));
    const all = [...Object.values(ErrorCode), ...Object.values(WarningCode)].sort((a, b) => a - b);
    expect(rows.map((r) => Number(r[0]))).toEqual(all);
    for (const [code, name] of rows) expect(name).toBe(codeName(Number(code)));
  });

  it('the CLI synopsis uses only commands and options the real CLI accepts', () => {
    const synopsis = codeBlocks(section('## CLI'), '').at(0) ?? '';
    const lines = synopsis.split('\n').filter((l) => l.startsWith('dockrion '));
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual([
      'validate',
      'diff',
      'run',
      'secrets',
      'render',
      'build',
      'deploy',
      'history',
      'rollback',
      'apply',
    ]);
    for (const line of lines) {
      const command = line.split(/\s+/)[1] ?? '';
      const help = spawnSync(process.execPath, ['--import', 'tsx', 'action/cli.ts', command, '--help'], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      expect(help.status, `${command} --help: ${help.stderr}`).toBe(0);
      for (const option of line.match(/--[a-z][a-z-]*/g) ?? []) {
        expect(help.stdout + help.stderr, `dockrion ${command} does not document ${option}`).toContain(
          option,
        );
      }
    }
  });

  it('every relative link resolves', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(existsSync(join(repoRoot, link)), link).toBe(true);
  });

  it('every yaml block in the README and docs/environments-repo.md parses', () => {
    for (const file of ['README.md', 'docs/environments-repo.md']) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      // Untrimmed: excerpts start indented, as they sit inside a job.
      const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
      expect(blocks.length, file).toBeGreaterThan(0);
      for (const block of blocks) {
        // README excerpts are fragments of a job; indent-only fragments must still be valid YAML.
        for (const doc of parseAllDocuments(block)) expect(doc.errors, `${file}:\n${block}`).toEqual([]);
      }
    }
  });

  it('the `dockrion run` + curl blocks under Examples work (on a free port)', async () => {
    const blocks = codeBlocks(section('## Examples'), 'bash');
    expect(blocks).toHaveLength(2);
    const [serve, call] = blocks as [string, string];
    expect(serve).toContain('npx dockrion run examples/langgraph-tools/Dockfile.yaml --port 8080');
    const port = String(await freePort());
    // Its own process group, so the shell, npx, node and the Python runtime stop together.
    const child = spawn('sh', ['-c', serve.replace('--port 8080', `--port ${port}`)], {
      cwd: repoRoot,
      env: { ...process.env, DOCKRION_PYTHON: python() },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let log = '';
    child.stderr.on('data', (d) => {
      log += d;
    });
    try {
      const deadline = Date.now() + 60_000;
      let ready = false;
      while (!ready && Date.now() < deadline && child.exitCode === null) {
        ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (!ready) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready, log).toBe(true);
      const r = spawnSync('sh', ['-c', call.replace('127.0.0.1:8080', `127.0.0.1:${port}`)], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout);
      expect(body.output.answer).toBe('3 x widget at $2.50 each = $7.50');
      expect(body.output.tool_calls).toEqual(['price_lookup', 'calculator']);
    } finally {
      const exited = new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }, 90_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
