import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const examplesDir = resolve(repoRoot, 'examples');

/** `${DOCKRION_PYTHON:-.venv/bin/python}` (the venv made by scripts/setup-python.sh). */
export function python(): string {
  const p = process.env.DOCKRION_PYTHON || resolve(repoRoot, '.venv/bin/python');
  if (!existsSync(p)) {
    throw new Error(`no Python at ${p}: run 'bash scripts/setup-python.sh' (or set DOCKRION_PYTHON)`);
  }
  return p;
}

export interface PyResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a Python snippet with `cwd` on sys.path (as the runtime's --app-dir does). */
export function runPython(code: string, cwd: string, env: Record<string, string | undefined> = {}): PyResult {
  const merged: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const r = spawnSync(python(), ['-c', code], { cwd, env: merged, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
