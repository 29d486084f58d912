/**
 * The examples served by the real runtime, as the image runs them: the Dockfile is loaded and
 * normalized into dockrion.json, `python -m dockrion_runtime --config … --app-dir examples/<x>`
 * is started with the fake model, and real HTTP requests go to /invoke and /invoke/stream.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDockfile, normalizeDockfile } from '../../action/dockfile/index.ts';
import { examplesDir, python } from './python.ts';

const API_KEY = 'example-test-key';
const secretsEnv = {
  DOCKRION_FAKE_MODEL: '1',
  OPENAI_API_KEY: 'not-a-real-key',
  HELPDESK_API_TOKEN: 'helpdesk-test-token',
  DOCKRION_API_KEY: API_KEY,
};

const tmp = mkdtempSync(join(tmpdir(), 'dockrion-examples-serve-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Served {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function writeConfig(dockfile: string, name: string): Promise<string> {
  const result = await loadDockfile(dockfile, { processEnv: {} });
  expect(result.errors).toEqual([]);
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(normalizeDockfile(result.spec as NonNullable<typeof result.spec>)));
  return file;
}

function start(config: string, appDir: string, port: number, env: Record<string, string>): Served {
  let output = '';
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env };
  for (const k of Object.keys(secretsEnv)) if (!(k in env)) delete childEnv[k];
  const child = spawn(
    python(),
    [
      '-m',
      'dockrion_runtime',
      '--config',
      config,
      '--app-dir',
      appDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

async function serve(dockfile: string, name: string): Promise<Served> {
  const served = start(await writeConfig(dockfile, name), dirname(dockfile), await freePort(), secretsEnv);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (served.child.exitCode !== null)
      throw new Error(`runtime exited ${served.child.exitCode}:\n${served.output()}`);
    try {
      const ready = await fetch(`${served.url}/ready`);
      if (ready.status === 200) return served;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`runtime not ready after 30s:\n${served.output()}`);
}

async function invoke(served: Served, body: unknown, path = '/invoke', key: string | null = API_KEY) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['X-API-Key'] = key;
  const res = await fetch(`${served.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

function sseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) };
    });
}

describe('examples served by dockrion_runtime (fake model)', () => {
  it('langgraph-tools: /invoke answers with both tools; the key is required; tool calls stream', async () => {
    const served = await serve(join(examplesDir, 'langgraph-tools/Dockfile.yaml'), 'langgraph-tools');
    const ok = await invoke(served, { question: 'how much are 3 widgets?' });
    expect(ok.status, ok.text).toBe(200);
    const body = JSON.parse(ok.text);
    expect(body.success).toBe(true);
    expect(body.output).toMatchObject({
      answer: '3 x widget at $2.50 each = $7.50',
      tool_calls: ['price_lookup', 'calculator'],
    });
    expect(body.metadata).toMatchObject({ agent: 'langgraph-tools', version: '1.0.0' });

    expect((await invoke(served, { question: 'hi' }, '/invoke', null)).status).toBe(401);
    expect((await invoke(served, { question: 'hi' }, '/invoke', 'wrong-key')).status).toBe(401);
    expect((await invoke(served, { wrong: 'field' })).status).toBe(422);

    const stream = await invoke(served, { question: 'what is 2 * 21?' }, '/invoke/stream');
    expect(stream.status).toBe(200);
    const events = sseEvents(stream.text);
    expect(events[0]?.event).toBe('start');
    expect(events).toContainEqual({
      event: 'tool_call',
      data: { name: 'calculator', args: { expression: '2 * 21' }, id: 'call_1' },
    });
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { output: { answer: '2 * 21 = 42' } } });
  });

  it('langchain-runnable: /invoke returns the shaped summary', async () => {
    const served = await serve(join(examplesDir, 'langchain-runnable/Dockfile.yaml'), 'langchain-runnable');
    const res = await invoke(served, {
      text: 'Dockrion ships agents to production. It uses GitOps.',
      style: 'bullet',
    });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      success: true,
      output: { summary: '- Dockrion ships agents to production.', words: 5 },
      metadata: { agent: 'langchain-runnable', version: '0.3.0' },
    });
  });

  it('plain-handler: the sync handler answers; streaming is not exposed', async () => {
    const served = await serve(join(examplesDir, 'plain-handler/Dockfile.yaml'), 'plain-handler');
    const res = await invoke(served, { message: 'I cannot log in, my account is locked' });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      success: true,
      output: {
        category: 'account',
        priority: 'normal',
        ticket_ref: expect.stringMatching(/^TCK-[0-9a-f]{12}$/),
      },
      metadata: { agent: 'plain-handler', version: '2.1.0' },
    });
    expect((await invoke(served, { message: 'x' }, '/invoke/stream')).status).not.toBe(200);
  });

  it('plain-handler-stream: the async generator streams tokens over SSE and /invoke gets the output', async () => {
    const served = await serve(
      join(examplesDir, 'plain-handler/Dockfile.streaming.yaml'),
      'plain-handler-stream',
    );
    const stream = await invoke(served, { message: 'the website is down!' }, '/invoke/stream');
    expect(stream.status, stream.text).toBe(200);
    const events = sseEvents(stream.text);
    expect(events.map((e) => e.event)).toContain('triage');
    const tokens = events.filter((e) => e.event === 'token').map((e) => (e.data as { text: string }).text);
    expect(tokens.join('')).toBe('We are sorry for the disruption; the on-call engineer has been paged.');
    expect(events.at(-1)).toMatchObject({
      event: 'end',
      data: { output: { category: 'outage', priority: 'high' } },
    });

    const res = await invoke(served, { message: 'refund please' });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).output).toMatchObject({ category: 'billing' });
  });

  it('a missing required secret stops the runtime with exit 78 and names it', async () => {
    const dockfile = join(examplesDir, 'langgraph-tools/Dockfile.yaml');
    const config = await writeConfig(dockfile, 'langgraph-tools-missing');
    const { OPENAI_API_KEY: _omitted, ...env } = secretsEnv;
    const served = start(config, dirname(dockfile), await freePort(), env);
    const code = await new Promise<number | null>((r) => served.child.once('exit', r));
    expect(code).toBe(78);
    expect(served.output()).toContain('missing required secret: OPENAI_API_KEY');
  });
});
