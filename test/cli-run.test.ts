/**
 * `dockrion run`: the real CLI (tsx action/cli.ts run …) serves a real agent with the Python
 * runtime on a loopback port; SIGINT stops it cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { envFileValues, parseRunArgs } from '../action/commands/run.ts';
import { locateRuntimeDir } from '../action/image/runtime-dir.ts';

const repo = resolve(import.meta.dirname, '..');
const python = process.env.DOCKRION_PYTHON ?? join(repo, '.venv', 'bin', 'python');
const API_KEY = 'local-dev-key-0123456789';

const workDirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  // The whole group: npx leaves tsx, node and python behind when only it is killed.
  for (const child of children.splice(0)) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
});

/** Signals the CLI's whole process group (npx, tsx, node, python), as a terminal's Ctrl-C does. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function agentProject(dockfileExtra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-run-test-'));
  workDirs.push(dir);
  writeFileSync(
    join(dir, 'agent.py'),
    'import os\n\nasync def handle(payload):\n    return {"answer": payload["question"].upper(), "model": os.environ.get("MODEL_NAME")}\n',
  );
  writeFileSync(
    join(dir, 'Dockfile.yaml'),
    `version: "1.0"
agent:
  name: local-agent
  handler: agent:handle
io_schema:
  input:
    type: object
    required: [question]
    properties:
      question: { type: string }
  output:
    type: object
    properties:
      answer: { type: string }
auth:
  mode: api_key
secrets:
  required:
    - name: DOCKRION_API_KEY
  optional:
    - name: MODEL_NAME
metadata:
  version: 0.1.0
${dockfileExtra}`,
  );
  writeFileSync(
    join(dir, 'dev.env'),
    `# local secrets\nDOCKRION_API_KEY="${API_KEY}"\nexport MODEL_NAME=fake-model\n`,
  );
  return dir;
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DOCKRION_PYTHON: python, ...env };
  delete childEnv.DOCKRION_API_KEY;
  // The tsx that `npx tsx` runs, without npm's wrapper: npm re-raises a Ctrl-C on itself, which
  // would hide the CLI's own exit status.
  const child = spawn(join(repo, 'node_modules', '.bin', 'tsx'), ['action/cli.ts', 'run', ...args], {
    cwd: repo,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a Ctrl-C can be delivered like a terminal does
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exit };
}

async function waitReady(url: string, running: Running): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`dockrion run exited early:\n${running.output()}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not ready within 60 s:\n${running.output()}`);
}

describe('dockrion run', () => {
  it('serves the agent from the working tree, then stops cleanly on SIGINT', async () => {
    const dir = agentProject();
    const port = await freePort();
    const running = startCli([
      join(dir, 'Dockfile.yaml'),
      '--port',
      String(port),
      '--env-file',
      join(dir, 'dev.env'),
    ]);
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, running);

    const ok = await fetch(`${url}/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
      body: JSON.stringify({ question: 'hello' }),
    });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { success: boolean; output: unknown; metadata: { agent: string } };
    expect(body.success).toBe(true);
    expect(body.output).toEqual({ answer: 'HELLO', model: 'fake-model' });
    expect(body.metadata.agent).toBe('local-agent');

    const denied = await fetch(`${url}/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: 'hello' }),
    });
    expect(denied.status).toBe(401);

    killGroup(running.child.pid as number, 'SIGINT');
    expect(await running.exit).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    expect(running.output()).toContain('serving local-agent on http://127.0.0.1:');
    expect(running.output()).toContain('shutting down: draining in-flight requests');
    expect(running.output()).not.toContain(API_KEY);
  });

  it('passes the runtime exit status through: a missing secret is 78 and named', async () => {
    const dir = agentProject();
    // Through the active-virtualenv path this time (no DOCKRION_PYTHON).
    const running = startCli([join(dir, 'Dockfile.yaml'), '--port', String(await freePort())], {
      DOCKRION_PYTHON: '',
      VIRTUAL_ENV: dirname(dirname(python)),
    });
    expect(await running.exit).toBe(78);
    expect(running.output()).toContain('active virtualenv');
    expect(running.output()).toContain('missing required secret: DOCKRION_API_KEY');
  });

  it('a relative DOCKRION_PYTHON is taken from where the command runs, not from the agent folder', async () => {
    const dir = agentProject();
    const relativePython = relative(repo, python);
    expect(relativePython.startsWith('/')).toBe(false);
    const running = startCli([join(dir, 'Dockfile.yaml'), '--port', String(await freePort())], {
      DOCKRION_PYTHON: relativePython,
    });
    expect(await running.exit).toBe(78);
    expect(running.output()).not.toContain('ENOENT');
    expect(running.output()).toContain('missing required secret: DOCKRION_API_KEY');
  });

  it('without an active Python, builds a cached virtualenv once and reuses it', async () => {
    const dir = agentProject();
    const cache = mkdtempSync(join(tmpdir(), 'dockrion-cache-'));
    workDirs.push(cache);
    const env = { DOCKRION_PYTHON: '', VIRTUAL_ENV: '', XDG_CACHE_HOME: cache };
    const first = startCli([join(dir, 'Dockfile.yaml'), '--port', String(await freePort())], env);
    // No DOCKRION_API_KEY: the runtime starts from the new venv and stops at the missing secret.
    expect(await first.exit).toBe(78);
    expect(first.output()).toContain('preparing a virtualenv for the runtime');
    const venvs = readdirSync(join(cache, 'dockrion'));
    expect(venvs).toHaveLength(1);
    expect(venvs[0]).toMatch(/^venv-[0-9a-f]{16}$/);
    expect(existsSync(join(cache, 'dockrion', venvs[0] as string, '.dockrion-ready'))).toBe(true);

    const second = startCli([join(dir, 'Dockfile.yaml'), '--port', String(await freePort())], env);
    expect(await second.exit).toBe(78);
    expect(second.output()).not.toContain('preparing a virtualenv');
    expect(second.output()).toContain(`cached virtualenv ${join(cache, 'dockrion', venvs[0] as string)}`);
  }, 300_000);

  it('an invalid Dockfile is reported with its diagnostics and exit 1, without starting Python', async () => {
    const dir = agentProject('bogus_key: true\n');
    const running = startCli([join(dir, 'Dockfile.yaml')], { DOCKRION_PYTHON: '/nonexistent/python' });
    expect(await running.exit).toBe(1);
    expect(running.output()).toContain('bogus_key');
    expect(running.output()).toContain('invalid');
  });
});

describe('dockrion run arguments', () => {
  it('parses options and rejects bad ones as usage errors', () => {
    expect(parseRunArgs(['x.yaml', '--port', '9000', '--env-file', 'a.env', '--env', 'A=1'])).toEqual({
      path: 'x.yaml',
      port: 9000,
      host: '127.0.0.1',
      envFiles: ['a.env'],
      env: { A: '1' },
    });
    expect(parseRunArgs([])).toMatchObject({ path: 'Dockfile.yaml', port: undefined });
    expect(() => parseRunArgs(['--port', 'abc'])).toThrow(/--port must be an integer/);
    expect(() => parseRunArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseRunArgs(['--nope'])).toThrow();
    expect(() => parseRunArgs(['a.yaml', 'b.yaml'])).toThrow(/one Dockfile path/);
  });

  it('reads env files like dotenv and names the line of a problem, never the value', () => {
    const parsed = envFileValues(
      'A=1\n# comment\nexport B = two words # trailing\nC="x\\ny \\"q\\""\nD=\'raw \\n\'\n\nE=\n',
      'f.env',
    );
    expect(parsed).toEqual({ A: '1', B: 'two words', C: 'x\ny "q"', D: 'raw \\n', E: '' });
    expect(() => envFileValues('GOOD=1\nnot a pair\n', 'f.env')).toThrow('f.env:2: expected KEY=VALUE');
    expect(() => envFileValues('S="secret-value\n', 'f.env')).toThrow(/unterminated/);
    expect(() => envFileValues('S="secret-value\n', 'f.env')).not.toThrow(/secret-value/);
  });

  it('finds the runtime package next to the CLI source', () => {
    expect(locateRuntimeDir({})).toBe(join(repo, 'runtime'));
    expect(() => locateRuntimeDir({ DOCKRION_RUNTIME_DIR: '/nonexistent' })).toThrow(/no pyproject.toml/);
  });
});
