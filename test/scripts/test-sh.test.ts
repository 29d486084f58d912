import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/infra.ts';

/**
 * scripts/test.sh itself, in a sandbox where its heavy steps are stubs that record their calls:
 * setup-python, the dist build and vitest. The script under test is the real one.
 */
const sandboxes: string[] = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-test-sh-'));
  sandboxes.push(dir);
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  copyFileSync(join(repoRoot, 'scripts/test.sh'), join(dir, 'scripts/test.sh'));
  writeFileSync(join(dir, 'scripts/setup-python.sh'), 'echo setup-python >> calls.log\n');
  writeFileSync(
    join(dir, 'scripts/build.mjs'),
    "import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';\n" +
      "appendFileSync('calls.log', 'build\\n');\n" +
      "mkdirSync('dist', { recursive: true });\n" +
      "writeFileSync('dist/cli.js', '');\nwriteFileSync('dist/main.js', '');\n",
  );
  const vitest = join(dir, 'node_modules/.bin/vitest');
  writeFileSync(vitest, '#!/bin/sh\necho "vitest $*" >> calls.log\n');
  chmodSync(vitest, 0o755);
  writeFileSync(join(dir, 'package.json'), '{"name":"sandbox","private":true}\n');
  return dir;
}

function runTestSh(dir: string, args: string[]) {
  return spawnSync('bash', ['scripts/test.sh', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH}`, HOME: process.env.HOME },
    timeout: 60_000,
  });
}

describe('scripts/test.sh (npm test)', () => {
  it('builds dist/ before the suites when a fresh checkout has none', () => {
    const dir = sandbox();
    const r = runTestSh(dir, ['test/some.test.ts']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('[test] dist/ is missing: npm run build');
    expect(readFileSync(join(dir, 'calls.log'), 'utf8')).toBe(
      'setup-python\nbuild\nvitest run test/some.test.ts\n',
    );
    expect(existsSync(join(dir, 'dist/cli.js'))).toBe(true);
  });

  it('leaves an existing dist/ alone', () => {
    const dir = sandbox();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/cli.js'), '// kept\n');
    writeFileSync(join(dir, 'dist/main.js'), '// kept\n');
    const r = runTestSh(dir, ['test/some.test.ts']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8')).toBe('setup-python\nvitest run test/some.test.ts\n');
    expect(readFileSync(join(dir, 'dist/cli.js'), 'utf8')).toBe('// kept\n');
  });
});
