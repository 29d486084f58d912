/**
 * The published schema (schemas/dockfile.v1.schema.json) and `dockrion validate` agree, checked
 * with two independent validators an editor or CI uses: check-jsonschema (Python
 * `jsonschema`, PyPI) and yaml-language-server (the engine of the VS Code YAML extension, driven
 * headless over its language-server protocol). Every example and valid golden vector passes both;
 * every schema error of an invalid vector is reported by both at the JSON path the CLI names.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { loadDockfile, validateDockfileText } from '../../action/dockfile/index.ts';
import { repoRoot, requireInfra } from '../support/infra.ts';
import {
  type LspDiagnostic,
  YamlLanguageServer,
  yamlLanguageServerBin,
} from '../support/yaml-language-server.ts';
import { fixture, fixtures, fullExampleEnv } from './helpers.ts';

const schemaFile = join(repoRoot, 'schemas/dockfile.v1.schema.json');
const schemaUri = pathToFileURL(schemaFile).href;
const published = JSON.parse(readFileSync(schemaFile, 'utf8'));
const checkJsonschema = join(repoRoot, '.venv/bin/check-jsonschema');

const cjs = requireInfra(
  'check-jsonschema',
  existsSync(checkJsonschema),
  `${checkJsonschema} is missing: run bash scripts/setup-python.sh`,
);
const yls = requireInfra(
  'yaml-language-server',
  existsSync(yamlLanguageServerBin()),
  'yaml-language-server is missing: run npm ci',
);

const examples = ['langchain-runnable/Dockfile.yaml', 'langgraph-tools/Dockfile.yaml']
  .concat(['plain-handler/Dockfile.yaml', 'plain-handler/Dockfile.streaming.yaml'])
  .map((f) => join(repoRoot, 'examples', f));
const validVectors = ['prd-minimal.yaml', 'prd-full.yaml', 'auth-omitted.yaml'].map((f) => join(fixtures, f));

const minimal = fixture('prd-minimal.yaml');
const full = fixture('prd-full.yaml');
/** An example without its `$schema` line, which points at the schema relative to examples/. */
const example = readFileSync(examples[1] as string, 'utf8').replace(/^# yaml-language-server: .*\n/, '');

/** Invalid vectors with exactly one schema error each: [name, text]. */
const invalidVectors: [string, string][] = [
  ['agent.name pattern', minimal.replace('name: doc-summarizer', 'name: doc_summarizer')],
  ['agent.framework enum', minimal.replace('framework: langgraph', 'framework: langgrph')],
  ['version type', minimal.replace('version: "1.0"', 'version: 1.0')],
  ['model.temperature maximum', full.replace('temperature: 0.2', 'temperature: 3')],
  ['auth.mode enum', full.replace('mode: jwt', 'mode: basic')],
  ['expose.port type', full.replace('port: 8080', 'port: "8080"')],
  [
    'unknown key in agent',
    minimal.replace('  framework: langgraph\n', '  framework: langgraph\n  entrypont: x\n'),
  ],
  ['list item pattern', full.replace('allowed: [extract_invoice,', 'allowed: ["extract invoice!",')],
  [
    'age recipient pattern (literal, not a reference)',
    example.replace(/\$\{STAGING_AGE_RECIPIENT:-(age1[0-9a-z]+)\}/, 'age1tooshort'),
  ],
  [
    'literal next to a reference is still checked',
    minimal.replace('name: doc-summarizer', 'name: Doc_Summarizer'),
  ],
];

/** `${VAR}` references in constrained fields: valid for editors; the CLI checks what they resolve to. */
const withReferences = minimal
  .replace('name: doc-summarizer', 'name: ${AGENT_NAME}')
  .replace('framework: langgraph', 'framework: ${FRAMEWORK:-langgraph}');

/** The CLI's schema errors as JSON paths (`agent.name` → `agent.name`, root → ''). */
async function cliErrorPaths(text: string): Promise<string[]> {
  const result = await validateDockfileText(text, join(repoRoot, 'examples/langgraph-tools/Dockfile.yaml'), {
    env: fullExampleEnv,
    processEnv: {},
  });
  return result.errors.map((e) => e.path);
}

function runCheckJsonschema(files: string[]): { path: string; file: string; message: string }[] {
  const answer = spawnSync(checkJsonschema, ['--schemafile', schemaFile, '-o', 'json', ...files], {
    encoding: 'utf8',
  });
  const report = JSON.parse(answer.stdout) as {
    errors?: { filename: string; path: string; message: string }[];
    parse_errors?: unknown[];
  };
  expect(report.parse_errors ?? []).toEqual([]);
  return (report.errors ?? []).map((e) => {
    // jsonschema reports an unexpected key at its parent; the CLI at the key itself.
    const extra = /\('([^']+)' was unexpected\)|^'([^']+)' does not match any of the regexes/.exec(e.message);
    const at = e.path.replace(/^\$\.?/, '');
    const key = extra?.[1] ?? extra?.[2];
    return { file: e.filename, message: e.message, path: key ? (at ? `${at}.${key}` : key) : at };
  });
}

/** The JSON path of the deepest key or value a diagnostic starts on. */
function pathAt(text: string, diagnostic: LspDiagnostic): string {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const offset = (lines.lineStarts[diagnostic.range.start.line] ?? 0) + diagnostic.range.start.character;
  const inside = (node: Node | null | undefined) =>
    node?.range !== undefined && node.range !== null && offset >= node.range[0] && offset < node.range[1];
  let path = '';
  let node = doc.contents as Node | null;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (inside(p.key as Node) || inside(p.value as Node)));
      if (!pair) return path;
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      path = path ? `${path}.${key}` : key;
      if (inside(pair.key as Node)) return path;
      node = pair.value as Node;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => inside(item as Node));
      if (index === -1) return path;
      path = `${path}[${index}]`;
      node = node.items[index] as Node;
    } else return path;
  }
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dockrion-editor-schema-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeVector(name: string, text: string): string {
  const file = join(work, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  writeFileSync(file, text);
  return file;
}

cjs.describe('check-jsonschema with the published schema', () => {
  const valid = [...examples, ...validVectors];
  cjs.it('accepts every example Dockfile and every valid golden vector', () => {
    expect(runCheckJsonschema(valid)).toEqual([]);
  });

  cjs.it('accepts ${VAR} references in constrained fields, as the loader resolves them', async () => {
    expect(runCheckJsonschema([writeVector('with-references', withReferences)])).toEqual([]);
    // …and the CLI checks the value a reference resolves to, not the reference.
    const resolved = await validateDockfileText(withReferences, 'Dockfile.yaml', {
      env: { AGENT_NAME: 'doc-summarizer' },
      processEnv: {},
    });
    expect(resolved.errors).toEqual([]);
    const bad = await validateDockfileText(withReferences, 'Dockfile.yaml', {
      env: { AGENT_NAME: 'Doc_Summarizer', FRAMEWORK: 'langgrph' },
      processEnv: {},
    });
    expect(bad.errors.map((e) => e.path)).toEqual(['agent.name', 'agent.framework']);
  });

  cjs.it.each(invalidVectors)('reports "%s" at the path the CLI names', async (name, text) => {
    const cli = await cliErrorPaths(text);
    expect(cli).toHaveLength(1);
    const reported = runCheckJsonschema([writeVector(name, text)]);
    expect(reported.length).toBeGreaterThan(0);
    expect([...new Set(reported.map((e) => e.path))]).toEqual(cli);
  });
});

yls.describe('yaml-language-server with the published schema', () => {
  let server: YamlLanguageServer;
  const documentUri = (name: string) =>
    pathToFileURL(join(work, name.replace(/[^a-z0-9]+/gi, '-'), 'Dockfile.yaml')).href;
  beforeAll(async () => {
    // Bound by the file-name patterns the schema registers for itself, as a SchemaStore catalog does.
    server = await YamlLanguageServer.start(
      {
        schemas: { [schemaUri]: published['x-schemastore'].fileMatch },
        customTags: ['!include scalar:object'],
      },
      pathToFileURL(work).href,
    );
  }, 60_000);
  afterAll(() => server?.stop());

  yls.it.each([...examples, ...validVectors].map((f) => [relative(repoRoot, f), f]))(
    '%s has no diagnostics',
    async (_name, file) => {
      // A file that names the schema in its first line (relative to itself) is opened where it
      // is; the others as Dockfile.yaml, which the schema's fileMatch binds.
      const text = readFileSync(file, 'utf8');
      const uri = text.startsWith('# yaml-language-server: $schema=')
        ? pathToFileURL(file).href
        : documentUri(relative(repoRoot, file));
      const diagnostics = await server.diagnostics(uri, text);
      expect(diagnostics).toEqual([]);
    },
  );

  yls.it('accepts ${VAR} references in constrained fields', async () => {
    expect(await server.diagnostics(documentUri('with-references'), withReferences)).toEqual([]);
  });

  yls.it.each(invalidVectors)('reports "%s" at the path the CLI names', async (name, text) => {
    const cli = await cliErrorPaths(text);
    const diagnostics = await server.diagnostics(documentUri(name), text);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect([...new Set(diagnostics.map((d) => pathAt(text, d)))]).toEqual(cli);
  });

  yls.it('binds the schema to every fileMatch pattern and to nothing else', async () => {
    const bad = invalidVectors[0]?.[1] as string;
    for (const name of ['Dockfile.yaml', 'Dockfile.yml', 'Dockfile.staging.yaml', 'Dockfile.prod.yml']) {
      const uri = pathToFileURL(join(work, 'bound', name)).href;
      expect(await server.diagnostics(uri, bad), name).not.toEqual([]);
    }
    expect(await server.diagnostics(pathToFileURL(join(work, 'bound', 'values.yaml')).href, bad)).toEqual([]);
  });

  yls.it('accepts !include of a map with the documented customTags setting, as the CLI does', async () => {
    const text = `${minimal}policies: !include policies.yaml\n`;
    const dir = mkdtempSync(join(work, 'include-'));
    writeFileSync(join(dir, 'Dockfile.yaml'), text);
    writeFileSync(join(dir, 'policies.yaml'), 'safety:\n  max_output_chars: 100\n');
    const cli = await loadDockfile(join(dir, 'Dockfile.yaml'), { processEnv: {} });
    expect(cli.errors).toEqual([]);
    expect(await server.diagnostics(pathToFileURL(join(dir, 'Dockfile.yaml')).href, text)).toEqual([]);

    // Without the setting the editor marks the line: the setting is what makes it work.
    const plain = await YamlLanguageServer.start(
      { schemas: { [schemaUri]: ['Dockfile.yaml'] } },
      pathToFileURL(dir).href,
    );
    try {
      const diagnostics = await plain.diagnostics(pathToFileURL(join(dir, 'Dockfile.yaml')).href, text);
      expect(diagnostics.map((d) => pathAt(text, d))).toEqual(['policies']);
    } finally {
      await plain.stop();
    }
  });
});
