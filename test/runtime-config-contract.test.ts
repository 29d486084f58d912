/**
 * The contract between `normalizeDockfile` (TypeScript, writes dockrion.json) and `parse_config`
 * (Python, reads it in the image). For every example Dockfile and a minimal one, the real Python
 * runtime parses both the normalized config and the document as written (every default omitted):
 *   - both resolve to the same config, so Python's defaults are RUNTIME_DEFAULTS;
 *   - every value normalizeDockfile wrote that the runtime models reads back unchanged.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadDockfile, normalizeDockfile } from '../action/dockfile/index.ts';
import type { Dockfile, DockSpec } from '../action/dockfile/types.ts';
import { RUNTIME_DEFAULTS } from '../schemas/runtime-defaults.ts';
import { pythonPath, repoRoot, requireInfra } from './support/infra.ts';

// Each secret's value is its own reference, so substitution leaves every `${NAME}` as written.
const PARSE = `
import json, sys
from dockrion_runtime.config import parse_config
out = []
for case in json.load(sys.stdin):
    environ = {name: "\${" + name + "}" for name in case["secrets"]}
    resolved = []
    for raw in (case["normalized"], case["bare"]):
        config = parse_config(raw, environ)
        dump = config.model_dump(mode="json")
        dump["agent"]["framework"] = config.agent.effective_framework
        resolved.append(dump)
    out.append(resolved)
json.dump(out, sys.stdout)
`;

type Json = Record<string, unknown>;

interface Case {
  name: string;
  normalized: Json;
  bare: Json;
  secrets: string[];
}

function secretNames(spec: DockSpec | Dockfile): string[] {
  const declared = [...(spec.secrets?.required ?? []), ...(spec.secrets?.optional ?? [])];
  return declared.map((entry) => (typeof entry === 'string' ? entry : (entry as { name: string }).name));
}

function caseOf(name: string, spec: DockSpec | Dockfile): Case {
  return {
    name,
    normalized: normalizeDockfile(spec) as unknown as Json,
    bare: structuredClone(spec) as unknown as Json,
    secrets: secretNames(spec),
  };
}

/** Every leaf (arrays count as one) of `value` with its dotted path. */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[path, value]];
  return Object.entries(value as Json).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

function at(value: unknown, path: string): { found: boolean; value?: unknown } {
  let node = value;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in (node as Json))) return { found: false };
    node = (node as Json)[key];
  }
  return { found: true, value: node };
}

async function exampleCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const example of readdirSync(join(repoRoot, 'examples'), { withFileTypes: true })) {
    if (!example.isDirectory()) continue;
    const dir = join(repoRoot, 'examples', example.name);
    for (const file of readdirSync(dir).filter((f) => /^Dockfile.*\.ya?ml$/.test(f))) {
      const result = await loadDockfile(join(dir, file), { processEnv: {}, python: null });
      expect(result.errors, `${example.name}/${file}`).toEqual([]);
      if (result.spec) cases.push(caseOf(`${example.name}/${file}`, result.spec));
    }
  }
  return cases;
}

const python = requireInfra(
  'the Python runtime',
  spawnSync(pythonPath(), ['-c', 'import dockrion_runtime'], { stdio: 'ignore' }).status === 0,
  'run scripts/setup-python.sh',
);

python.describe('dockrion.json: normalizeDockfile and the runtime’s parse_config agree', () => {
  it('on every example and on a Dockfile that omits every optional block', async () => {
    const cases = await exampleCases();
    expect(cases.length).toBeGreaterThanOrEqual(4);
    cases.push(caseOf('minimal', { version: '1.0', agent: { name: 'minimal', handler: 'app:run' } }));

    const run = spawnSync(pythonPath(), ['-c', PARSE], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
      cwd: repoRoot,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const resolved = JSON.parse(run.stdout) as [Json, Json][];

    for (const [index, testCase] of cases.entries()) {
      const [fromNormalized, fromBare] = resolved[index] as [Json, Json];
      // Python's defaults for an omitted block are the ones normalizeDockfile wrote.
      expect(fromBare, testCase.name).toEqual(fromNormalized);
      // Every value written that the runtime models reads back as written.
      const compared = leaves(testCase.normalized).filter(([path, value]) => {
        const read = at(fromNormalized, path);
        if (read.found) expect(read.value, `${testCase.name}: ${path}`).toEqual(value);
        return read.found;
      });
      expect(compared.length, testCase.name).toBeGreaterThan(10);
    }

    const [minimal] = resolved.at(-1) as [Json, Json];
    expect(at(minimal, 'expose').value).toMatchObject(RUNTIME_DEFAULTS.expose);
    expect(at(minimal, 'auth.api_keys').value).toMatchObject(RUNTIME_DEFAULTS.auth.apiKeys);
    expect(at(minimal, 'auth.mode').value).toBe(RUNTIME_DEFAULTS.auth.mode);
    expect(at(minimal, 'policies.tools').value).toMatchObject(RUNTIME_DEFAULTS.policies.tools);
    expect(at(minimal, 'policies.safety').value).toMatchObject(RUNTIME_DEFAULTS.policies.safety);
    expect(at(minimal, 'observability.log_level').value).toBe(RUNTIME_DEFAULTS.observability.log_level);
    expect(at(minimal, 'agent.framework').value).toBe(RUNTIME_DEFAULTS.handlerFramework);
  });
});
