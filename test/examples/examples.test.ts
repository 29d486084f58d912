/**
 * Each example agent's Python module imports with only langgraph/langchain-core installed and
 * answers sample inputs with the offline fake model (DOCKRION_FAKE_MODEL=1) — exactly as the
 * runtime loads it: the example directory on sys.path, the factory called, then invoke/astream.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { examplesDir, python, repoRoot, runPython } from './python.ts';

/** Every Dockfile*.yaml under examples/. */
const dockfiles = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(examplesDir, d.name))
      .filter((f) => /^Dockfile.*\.ya?ml$/.test(f))
      .map((f) => join(examplesDir, d.name, f)),
  )
  .sort();

describe('example Dockfiles', () => {
  it('there are three examples with four Dockfiles', () => {
    expect(dockfiles.map((f) => relative(examplesDir, f))).toEqual([
      'langchain-runnable/Dockfile.yaml',
      'langgraph-tools/Dockfile.yaml',
      'plain-handler/Dockfile.streaming.yaml',
      'plain-handler/Dockfile.yaml',
    ]);
  });

  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/dockfile.v1.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it.each(dockfiles.map((f) => [relative(repoRoot, f), f]))(
    '%s matches the published JSON Schema',
    (_rel, file) => {
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../../schemas/dockfile.v1.schema.json',
      );
      // What an editor sees after `${VAR:-default}` interpolation; `${SECRET}` references stay as written.
      const doc = parse(text.replace(/\$\{[A-Z_][A-Z0-9_]*:-([^}]*)\}/g, '$1'));
      expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
      // The contract the issue asks every example to show.
      for (const key of ['io_schema', 'auth', 'policies', 'expose', 'secrets', 'deploy'])
        expect(doc).toHaveProperty(key);
      expect(doc.auth).toMatchObject({ mode: 'api_key', api_keys: { env_var: 'DOCKRION_API_KEY' } });
      expect(doc.metadata.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(doc.secrets.required.length).toBeGreaterThan(0);
      expect(doc.secrets.optional.every((s: { default?: string }) => typeof s.default === 'string')).toBe(
        true,
      );
      const envs = doc.deploy.environments;
      const target = (e: { target?: string }) => e.target ?? doc.deploy.target ?? 'kubernetes';
      expect(envs.staging.secrets).toMatchObject({ provider: 'github' });
      expect(envs.staging.secrets.age_recipients[0]).toMatch(/^age1[0-9a-z]{58}$/);
      expect(target(envs.staging)).toBe('compose');
      expect(envs.production.secrets).toMatchObject({
        provider: 'vault',
        store: { name: expect.any(String) },
      });
      expect(target(envs.production)).toBe('kubernetes');
      expect(envs['aws-prod'].secrets).toMatchObject({ provider: 'aws' });
      expect(target(envs['aws-prod'])).toBe('kubernetes');
    },
  );
});

describe('example Dockfiles through the validator', () => {
  it.each(dockfiles.map((f) => [relative(repoRoot, f), f]))(
    '%s is valid with --strict --check-imports (no warnings)',
    async (_rel, file) => {
      const result = await loadDockfile(file, {
        strict: true,
        checkImports: true,
        python: python(),
        processEnv: {},
      });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.spec?.agent.name).toMatch(/^[a-z][a-z0-9-]+$/);
    },
  );

  it('declared secrets stay references; ${VAR:-default} takes the environment first', async () => {
    const file = join(examplesDir, 'langgraph-tools/Dockfile.yaml');
    const recipient = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
    const result = await loadDockfile(file, { processEnv: { STAGING_AGE_RECIPIENT: recipient } });
    expect(result.valid).toBe(true);
    expect(result.spec?.model?.endpoint).toBe('${OPENAI_BASE_URL}');
    expect(result.spec?.deploy?.environments?.staging?.secrets?.age_recipients).toEqual([recipient]);
    const byDefault = await loadDockfile(file, { processEnv: {} });
    expect(byDefault.spec?.deploy?.environments?.staging?.secrets?.age_recipients).toEqual([
      'age174x7sr47v0hh7y6zefh32g0c7gl3tqlhjf4vpppg98au3gn99ajqtdp9f4',
    ]);
  });

  it('the README command `dockrion validate` accepts all of them (real CLI, json output)', () => {
    for (const file of dockfiles) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'action/cli.ts', 'validate', relative(repoRoot, file), '--format', 'json'],
        {
          cwd: repoRoot,
          encoding: 'utf8',
        },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, errors: [], warnings: [] });
    }
  });
});

const fake = { DOCKRION_FAKE_MODEL: '1', OPENAI_API_KEY: 'any-value', HELPDESK_API_TOKEN: 'test-token' };

function json(code: string, dir: string, env: Record<string, string | undefined> = fake): unknown {
  const r = runPython(code, dir, env);
  expect(r.stderr, `python failed (exit ${r.code}):\n${r.stderr}`).not.toMatch(/Traceback/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
}

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

/** A directory whose `langchain_openai` package fails to import, put first on PYTHONPATH. */
function withoutLangchainOpenai(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-no-openai-'));
  tmp.push(dir);
  mkdirSync(join(dir, 'langchain_openai'));
  writeFileSync(
    join(dir, 'langchain_openai', '__init__.py'),
    'raise ImportError("langchain_openai is absent")\n',
  );
  return dir;
}

describe('examples/langgraph-tools', () => {
  const dir = join(examplesDir, 'langgraph-tools');

  it('the compiled graph calls the calculator and answers', () => {
    const out = json(
      `import json; from app.graph import build_graph
g = build_graph()
print(json.dumps(g.invoke({"question": "what is 12 * (3 + 4)?"})))`,
      dir,
    );
    expect(out).toEqual({ answer: '12 * (3 + 4) = 84', tool_calls: ['calculator'] });
  });

  it('chains two tools (price_lookup then calculator) and streams the tool calls', () => {
    const out = json(
      `import asyncio, json; from app.graph import build_graph
async def main():
    nodes, final = [], None
    async for mode, chunk in build_graph().astream({"question": "how much are 3 widgets?"}, stream_mode=["updates", "values"]):
        if mode == "updates": nodes.extend(chunk)
        else: final = chunk
    print(json.dumps({"nodes": nodes, "answer": final["answer"], "tool_calls": final["tool_calls"]}))
asyncio.run(main())`,
      dir,
    );
    expect(out).toEqual({
      nodes: ['start', 'agent', 'tools', 'agent', 'tools', 'agent', 'finish'],
      answer: '3 x widget at $2.50 each = $7.50',
      tool_calls: ['price_lookup', 'calculator'],
    });
  });

  it('the calculator refuses anything but arithmetic', () => {
    const out = json(
      `import json; from app.graph import calculator
print(json.dumps([calculator.invoke({"expression": e}) for e in ["2 ** 10", "__import__('os')", "1/0"]]))`,
      dir,
    );
    expect(out).toEqual([
      '1024',
      'error: only numbers and + - * / // % ** ( ) are allowed',
      'error: division by zero',
    ]);
  });

  it('without the fake model and without langchain-openai it fails with a clear message', () => {
    const r = runPython('from app.graph import build_graph\nbuild_graph()', dir, {
      DOCKRION_FAKE_MODEL: undefined,
      OPENAI_API_KEY: 'x',
      PYTHONPATH: withoutLangchainOpenai(),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('langchain-openai is not installed');
    expect(r.stderr).toContain('DOCKRION_FAKE_MODEL=1');
  });
});

describe('examples/langchain-runnable', () => {
  const dir = join(examplesDir, 'langchain-runnable');

  it('prompt | fake model | parser returns the shaped summary', () => {
    const out = json(
      `import json; from app.chain import build_chain
c = build_chain()
print(json.dumps([c.invoke({"text": "Revenue grew 12 percent. Costs stayed flat."}),
                  c.invoke({"text": "Ship it today! Then rest.", "style": "bullet"})]))`,
      dir,
    );
    expect(out).toEqual([
      { summary: 'Revenue grew 12 percent.', words: 4 },
      { summary: '- Ship it today!', words: 3 },
    ]);
  });

  it('the fake chat model streams word by word', () => {
    const out = json(
      `import json; from langchain_core.messages import HumanMessage; from app.chain import FakeSummaryModel
print(json.dumps([c.content for c in FakeSummaryModel().stream([HumanMessage("<text>\\nalpha beta gamma.\\n</text>")]) if c.content]))`,
      dir,
    );
    expect(out).toEqual(['alpha', ' beta', ' gamma.']);
  });

  it('without the fake model and without langchain-openai it fails with a clear message', () => {
    const r = runPython('from app.chain import build_chain\nbuild_chain()', dir, {
      DOCKRION_FAKE_MODEL: undefined,
      PYTHONPATH: withoutLangchainOpenai(),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('langchain-openai is not installed');
  });
});

describe('examples/plain-handler', () => {
  const dir = join(examplesDir, 'plain-handler');

  it('the sync handler triages; the ticket reference is keyed by HELPDESK_API_TOKEN', () => {
    const code = `import json; from app.handler import handle
print(json.dumps(handle({"message": "I was charged twice for my invoice!"})))`;
    const a = json(code, dir) as Record<string, string>;
    const b = json(code, dir, { ...fake, HELPDESK_API_TOKEN: 'another-token' }) as Record<string, string>;
    expect(a).toMatchObject({ category: 'billing', priority: 'high', queue: 'billing' });
    expect(a.reply).toMatch(/billing team/);
    expect(a.ticket_ref).toMatch(/^TCK-[0-9a-f]{12}$/);
    expect(b.ticket_ref).toMatch(/^TCK-[0-9a-f]{12}$/);
    expect(b.ticket_ref).not.toBe(a.ticket_ref);
  });

  it('uncategorised messages go to HELPDESK_QUEUE', () => {
    const out = json(
      `import json; from app.handler import handle
print(json.dumps(handle({"message": "hello there"})))`,
      dir,
      { ...fake, HELPDESK_QUEUE: 'frontline' },
    );
    expect(out).toMatchObject({ category: 'general', priority: 'normal', queue: 'frontline' });
  });

  it('the async-generator variant yields an event, tokens, then the output event', () => {
    const out = json(
      `import asyncio, json; from app.handler import stream
async def main():
    items = [x async for x in stream({"message": "the site is down"})]
    print(json.dumps(items))
asyncio.run(main())`,
      dir,
    ) as unknown[];
    expect(out[0]).toEqual({ event: 'triage', data: { category: 'outage', priority: 'high' } });
    const tokens = out.filter((x): x is string => typeof x === 'string');
    expect(tokens.join('')).toBe('We are sorry for the disruption; the on-call engineer has been paged.');
    expect(out.at(-1)).toMatchObject({ event: 'output', data: { category: 'outage', priority: 'high' } });
  });
});
