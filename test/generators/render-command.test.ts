import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.ts';
import { repoRoot } from '../support/infra.ts';
import { DIGEST } from './support.ts';

const EXAMPLE = path.join(repoRoot, 'examples/langgraph-tools/Dockfile.yaml');
const IMAGE = `ghcr.io/acme/langgraph-tools:1.0.0@${DIGEST}`;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockrion-render-cli-'));
  temps.push(dir);
  return dir;
}

async function dockrion(args: string[], cwd = repoRoot) {
  const c = captureCli({ cwd, env: { PATH: process.env.PATH ?? '' }, logger: 'silent' });
  const code = await c.run(args);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('dockrion render', () => {
  it('writes the Kubernetes files of an environment and lists them', async () => {
    const out = tempDir();
    const result = await dockrion(['render', EXAMPLE, '--env', 'production', '--image', IMAGE, '--out', out]);
    expect(result.stderr).toContain('rendered kubernetes manifests for langgraph-tools (production)');
    expect(result.code).toBe(0);
    const written = readdirSync(out).sort();
    expect(written).toContain('deployment.yaml');
    expect(written).toContain('externalsecret.yaml');
    expect(result.stdout.trim().split('\n')).toEqual(written.map((f) => path.join(out, f)));
    expect(readFileSync(path.join(out, 'deployment.yaml'), 'utf8')).toContain(`image: ${IMAGE}`);
  });

  it('--format json prints one document; --target overrides the environment target', async () => {
    const out = tempDir();
    const result = await dockrion([
      'render',
      'examples/langgraph-tools',
      '--env',
      'production',
      '--target',
      'compose',
      '--image',
      IMAGE,
      '--out',
      out,
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      target: 'compose',
      environment: 'production',
      out,
      files: ['compose.yaml'],
      // production is vault on Kubernetes; rendered for Compose, the host reads the age file.
      secrets: { delivery: 'age-file', file: null },
    });
    expect(readFileSync(path.join(out, 'compose.yaml'), 'utf8')).toContain('DOCKRION_VERSION: 1.0.0');
  });

  it('refuses an image without a digest with exit 2, before touching anything', async () => {
    const out = tempDir();
    const result = await dockrion([
      'render',
      EXAMPLE,
      '--env',
      'production',
      '--image',
      'ghcr.io/acme/a:1.0.0',
      '--out',
      out,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--image: image reference 'ghcr.io/acme/a:1.0.0' has no digest");
    expect(readdirSync(out)).toEqual([]);
  });

  it('prints the validation errors and exits 1 for an invalid Dockfile', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'Dockfile.yaml'),
      'version: "1.0"\nagent:\n  name: invoice_copilot\n  handler: app:run\n',
    );
    const result = await dockrion(
      ['render', '--env', 'dev', '--image', IMAGE, '--out', path.join(dir, 'out')],
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('agent.name');
    expect(result.stderr).toContain('invoice-copilot');
    // The source line is quoted even though the file is relative to the command's cwd, not the process's.
    expect(result.stderr).toContain('   3 |   name: invoice_copilot');
    expect(readdirSync(dir)).toEqual(['Dockfile.yaml']);
  });

  it('names the known environments for an unknown one, with exit 1', async () => {
    const result = await dockrion(['render', EXAMPLE, '--env', 'prod', '--image', IMAGE, '--out', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "unknown environment 'prod'; the Dockfile defines: aws-prod, production, staging",
    );
  });

  it('refuses an --out that is a file (or under one) with exit 2, before writing anything', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'compose.yaml');
    writeFileSync(file, 'keep me\n');
    for (const out of [file, path.join(file, 'sub')]) {
      const result = await dockrion(
        ['render', EXAMPLE, '--env', 'staging', '--image', IMAGE, '--out', out],
        dir,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--out ${out}`);
      expect(result.stderr).toContain('compose.yaml is a file, not a directory');
      expect(result.stderr).not.toMatch(/EEXIST|ENOTDIR|\n\s+at /);
      expect(result.stdout).toBe('');
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    expect(readdirSync(dir)).toEqual(['compose.yaml']);
  });

  it('names a directory without a Dockfile.yaml as such, with exit 2', async () => {
    const dir = tempDir();
    const result = await dockrion([
      'render',
      dir,
      '--env',
      'staging',
      '--image',
      IMAGE,
      '--out',
      path.join(dir, 'out'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`dockrion render: ${dir} is a directory without a Dockfile.yaml`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['--image', IMAGE, '--out', 'x'], '--env is required'],
    [['--env', 'dev', '--out', 'x'], '--image is required'],
    [['--env', 'dev', '--image', IMAGE], '--out is required'],
    [
      ['--env', 'dev', '--image', IMAGE, '--out', 'x', '--target', 'nomad'],
      "--target must be one of compose, kubernetes, got 'nomad'",
    ],
  ])('usage error: %j', async (args, message) => {
    const result = await dockrion(['render', EXAMPLE, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
