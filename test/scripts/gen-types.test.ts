import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUNTIME_DEFAULTS } from '../../schemas/runtime-defaults.ts';
import { repoRoot } from '../support/infra.ts';

/**
 * scripts/gen-types.mjs (`npm run gen:types`, and `-- --check` in .ci/run) run for real in a temp
 * copy of the files it writes: it writes them relative to its working directory.
 */
const GENERATED = [
  'schemas/dockfile.v1.schema.json',
  'schemas/dockfile.v1.ts',
  'runtime/dockrion_runtime/_defaults.py',
] as const;
const PYTHON_DEFAULTS = 'runtime/dockrion_runtime/_defaults.py';

const sandboxes: string[] = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOfGenerated(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-gen-types-'));
  sandboxes.push(dir);
  for (const file of GENERATED) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(dir, file));
  }
  return dir;
}

function genTypes(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts/gen-types.mjs'), ...args], {
    cwd,
    encoding: 'utf8',
  });
}

describe('npm run gen:types: the Python runtime defaults', () => {
  it('writes one Final constant per RUNTIME_DEFAULTS value, named by its path', () => {
    const text = readFileSync(join(repoRoot, PYTHON_DEFAULTS), 'utf8');
    expect(text).toMatch(
      /^"""[^\n]*\n[\s\S]*Generated from schemas\/runtime-defaults\.ts[^\n]*Do not edit\./,
    );
    expect(text).toContain(`EXPOSE_PORT: Final = ${RUNTIME_DEFAULTS.expose.port}\n`);
    expect(text).toContain(`AUTH_API_KEYS_ENV_VAR: Final = "${RUNTIME_DEFAULTS.auth.apiKeys.env_var}"\n`);
    expect(text).toContain(`HANDLER_FRAMEWORK: Final = "${RUNTIME_DEFAULTS.handlerFramework}"\n`);
    expect(text).toContain('POLICIES_SAFETY_HALT_ON_VIOLATION: Final = False\n');
    const leaves = (value: object): number =>
      Object.values(value).reduce<number>((n, v) => n + (typeof v === 'object' ? leaves(v) : 1), 0);
    expect(text.match(/^[A-Z_]+: Final = /gm)).toHaveLength(leaves(RUNTIME_DEFAULTS));
  });

  it('--check passes on current files, fails on a stale or missing one without writing, and a run repairs it', () => {
    const dir = copyOfGenerated();
    const fresh = genTypes(dir, '--check');
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);

    const target = join(dir, PYTHON_DEFAULTS);
    const current = readFileSync(target, 'utf8');
    const edited = current.replace(/^EXPOSE_PORT: Final = \d+$/m, 'EXPOSE_PORT: Final = 9090');
    expect(edited).not.toBe(current);
    writeFileSync(target, edited);
    const stale = genTypes(dir, '--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toBe(`${PYTHON_DEFAULTS} is stale: run \`npm run gen:types\`.\n`);
    expect(readFileSync(target, 'utf8')).toBe(edited);

    rmSync(target);
    const missing = genTypes(dir, '--check');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${PYTHON_DEFAULTS} is stale`);

    const regenerated = genTypes(dir);
    expect(regenerated.status).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(current);
    expect(genTypes(dir, '--check').status).toBe(0);
  });
});
