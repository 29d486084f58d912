/**
 * The bundle `dockrion validate` runs (scripts/build.mjs): it loads only what validating needs,
 * with the schema validators precompiled, and reports exactly what the sources report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { repoRoot } from '../support/infra.ts';

interface Metafile {
  outputs: Record<
    string,
    { imports: { path: string; kind: string }[]; inputs: Record<string, unknown>; entryPoint?: string }
  >;
}

let work: string;
let meta: Metafile;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dockrion-validate-path-'));
  const built = spawnSync(
    process.execPath,
    ['scripts/build.mjs', `--outdir=${join(work, 'dist')}`, `--metafile=${join(work, 'meta.json')}`],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  meta = JSON.parse(readFileSync(join(work, 'meta.json'), 'utf8'));
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The outputs a module loads before running: itself and its static imports, transitively. */
function staticClosure(start: string): Set<string> {
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const output = pending.pop() as string;
    if (seen.has(output)) continue;
    seen.add(output);
    for (const i of meta.outputs[output]?.imports ?? [])
      if (i.kind === 'import-statement') pending.push(i.path);
  }
  return seen;
}

function validatePathInputs(): string[] {
  const cli = Object.keys(meta.outputs).find((o) => meta.outputs[o]?.entryPoint === 'action/cli.ts');
  expect(cli).toBeDefined();
  const command = meta.outputs[cli as string]?.imports.filter(
    (i) => i.kind === 'dynamic-import' && meta.outputs[i.path]?.entryPoint === 'action/commands/validate.ts',
  );
  expect(command).toHaveLength(1);
  const outputs = new Set([...staticClosure(cli as string), ...staticClosure(command?.[0]?.path as string)]);
  return [...outputs].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
}

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];

describe('dist/ for `dockrion validate`', () => {
  it('loads no AWS SDK, Octokit, Handlebars, node-vault or GitHub toolkit', () => {
    const packages = new Set(
      validatePathInputs()
        .map(packageOf)
        .filter((p) => p !== undefined),
    );
    for (const heavy of [
      /^@aws-sdk\//,
      /^@smithy\//,
      /^@octokit\//,
      /^handlebars$/,
      /^node-vault$/,
      /^@actions\//,
    ])
      expect([...packages].filter((p) => heavy.test(p))).toEqual([]);
    // What it does load: the YAML parser, the RE2 engine for redact patterns, ajv's run time.
    expect(packages).toContain('yaml');
    expect(packages).toContain('re2js');
  });

  it('bundles the precompiled schema validators in place of compiling them at run time', () => {
    const sizes = Object.values(meta.outputs).map(
      (o) =>
        (o.inputs['action/dockfile/precompiled-validators.ts'] as { bytesInOutput?: number })?.bytesInOutput,
    );
    // The source module is a few hundred bytes; ajv standalone code for both schemas is ~300 kB.
    expect(Math.max(...sizes.filter((n) => n !== undefined))).toBeGreaterThan(100_000);
  });

  const files = [
    ...['langchain-runnable/Dockfile.yaml', 'langgraph-tools/Dockfile.yaml', 'plain-handler/Dockfile.yaml']
      .concat('plain-handler/Dockfile.streaming.yaml')
      .map((f) => join(repoRoot, 'examples', f)),
    ...['prd-minimal.yaml', 'prd-full.yaml', 'auth-omitted.yaml', 'multi-error.yaml'].map((f) =>
      join(repoRoot, 'test/fixtures/dockfiles', f),
    ),
  ];
  it.each(files.map((f) => [relative(repoRoot, f), f]))(
    '%s: the bundle reports exactly what the sources report',
    (_name, file) => sameReport(file),
  );

  it('an invalid inline io_schema: the precompiled meta-schema reports what ajv reports', async () => {
    const file = join(work, 'Dockfile.yaml');
    writeFileSync(
      file,
      [
        'version: "1.0"',
        'agent: { name: inline-schemas, handler: app.main:handle }',
        'io_schema:',
        '  input: { type: object, required: 5, properties: { a: { type: seven } } }',
        "  output: { type: object, properties: { b: { $ref: '#/nowhere' } } }",
        '',
      ].join('\n'),
    );
    const report = await sameReport(file);
    expect(report.errors.map((e: { code: number; path: string }) => `${e.code} ${e.path}`)).toEqual([
      '4004 io_schema.input.required',
      '4004 io_schema.output',
      '4100 auth',
    ]);
  });
});

async function sameReport(file: string) {
  const env = { JWT_SECRET: 'k'.repeat(32), LANGFUSE_PUBLIC: 'pk', LANGFUSE_SECRET: 'sk' };
  const bundled = spawnSync(
    process.execPath,
    [join(work, 'dist', 'cli.js'), 'validate', file, '--format', 'json', '--strict'],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } },
  );
  const fromSources = await loadDockfile(file, {
    cwd: repoRoot,
    strict: true,
    processEnv: { ...process.env, ...env },
  });
  const report = JSON.parse(bundled.stdout);
  expect(report.valid).toBe(fromSources.valid);
  // The JSON report leaves out `severity`: the list a diagnostic is in says it.
  const plain = (list: unknown[]) =>
    JSON.parse(JSON.stringify(list, (k, v) => (k === 'severity' ? undefined : v)));
  expect(report.errors).toEqual(plain(fromSources.errors));
  expect(report.warnings).toEqual(plain(fromSources.warnings));
  expect(report.errors.length + report.warnings.length).toBe(
    fromSources.errors.length + fromSources.warnings.length,
  );
  expect(bundled.status).toBe(fromSources.valid ? 0 : 1);
  return report;
}
