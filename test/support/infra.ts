/**
 * Which real components of the test infrastructure (docs/CONTRACTS.md "Test
 * infrastructure") are available, and `requireInfra` to gate tests on them.
 *
 * Locally a missing component skips the gated tests with a printed reason. Under `CI=true` a
 * missing component throws, so CI can never go green by skipping.
 *
 * Values come from the process environment first, then from the env file that
 * `scripts/dev-services.sh` / `.ci/run` write (`/tmp/dockrion-ci.env`, or `$DOCKRION_CI_ENV_FILE`),
 * so a developer does not have to source it. All probes are synchronous (usable while vitest
 * collects tests) and cached per process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** True when running under CI (`CI=true` or `CI=1`), where absent infrastructure is an error. */
export function isCI(): boolean {
  const v = (process.env.CI ?? '').toLowerCase();
  return v === 'true' || v === '1';
}

let envFileCache: Record<string, string> | undefined;

/** `export NAME=value` lines of the services env file (empty when it does not exist). */
export function envFileValues(): Record<string, string> {
  if (envFileCache) return envFileCache;
  const file = process.env.DOCKRION_CI_ENV_FILE ?? '/tmp/dockrion-ci.env';
  const out: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*export\s+([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
      if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  envFileCache = out;
  return out;
}

/** A test-infrastructure variable: process env first, then the services env file. */
export function infraEnv(name: string): string | undefined {
  const v = process.env[name];
  if (v !== undefined && v !== '') return v;
  return envFileValues()[name];
}

interface Probe {
  present: boolean;
  reason: string;
}
const probes = new Map<string, Probe>();

function probe(name: string, fn: () => Probe): boolean {
  let p = probes.get(name);
  if (!p) {
    try {
      p = fn();
    } catch (e: unknown) {
      p = { present: false, reason: e instanceof Error ? e.message : String(e) };
    }
    probes.set(name, p);
  }
  return p.present;
}

/** Why a probed component is absent (or a description of it when present). */
export function infraReason(name: string): string | undefined {
  return probes.get(name)?.reason;
}

function run(cmd: string, args: string[], timeoutMs = 15_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  const firstErr = (r.error?.message ?? r.stderr ?? '').trim().split('\n')[0] ?? '';
  return { ok: r.status === 0, stdout: (r.stdout ?? '').trim(), err: firstErr };
}

/** The Docker engine answers `docker info` (client and daemon cooperate). */
export function hasDocker(): boolean {
  return probe('docker', () => {
    const r = run('docker', ['info', '--format', '{{.ServerVersion}}']);
    return r.ok
      ? { present: true, reason: `dockerd ${r.stdout}` }
      : { present: false, reason: `\`docker info\` failed: ${r.err || 'no answer'}` };
  });
}

/** Host:port of the test OCI registry (`DOCKRION_TEST_REGISTRY`), if configured. */
export function registry(): string | undefined {
  return infraEnv('DOCKRION_TEST_REGISTRY');
}

/** The test registry answers `GET /v2/` with 200. */
export function hasRegistry(): boolean {
  return probe('registry', () => {
    const host = registry();
    if (!host) return { present: false, reason: 'DOCKRION_TEST_REGISTRY is not set' };
    const script = `fetch(${JSON.stringify(`http://${host}/v2/`)}, { signal: AbortSignal.timeout(5000) })
      .then((r) => process.exit(r.status === 200 ? 0 : 3), () => process.exit(4));`;
    const r = run(process.execPath, ['-e', script], 10_000);
    return r.ok
      ? { present: true, reason: `registry at ${host}` }
      : { present: false, reason: `registry at ${host} does not answer GET /v2/` };
  });
}

/** The `age` CLI is on PATH. */
export function hasAge(): boolean {
  return probe('age', () => {
    const r = run('age', ['--version']);
    return r.ok
      ? { present: true, reason: `age ${r.stdout}` }
      : { present: false, reason: `\`age --version\` failed: ${r.err || 'not found'}` };
  });
}

/** A real Vault dev server (`scripts/ci/vault.sh start`): its address, root token and binary. */
export function vaultDevServer(): { address: string; rootToken: string; binary: string } | undefined {
  const address = infraEnv('DOCKRION_TEST_VAULT_ADDR');
  const rootToken = infraEnv('DOCKRION_TEST_VAULT_TOKEN');
  const binary = infraEnv('DOCKRION_TEST_VAULT_BIN');
  return address && rootToken && binary ? { address, rootToken, binary } : undefined;
}

/** The Vault dev server is unsealed, its root token works, and its binary runs. */
export function hasVault(): boolean {
  return probe('vault', () => {
    const server = vaultDevServer();
    if (!server) {
      return {
        present: false,
        reason: 'DOCKRION_TEST_VAULT_ADDR/_TOKEN/_BIN are not set (scripts/ci/vault.sh build && start)',
      };
    }
    const version = run(server.binary, ['version']);
    if (!version.ok) return { present: false, reason: `${server.binary} does not run: ${version.err}` };
    const script = `fetch(${JSON.stringify(`${server.address}/v1/auth/token/lookup-self`)}, {
        headers: { 'X-Vault-Token': process.env.VAULT_PROBE_TOKEN }, signal: AbortSignal.timeout(5000) })
      .then((r) => process.exit(r.status === 200 ? 0 : 3), () => process.exit(4));`;
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, VAULT_PROBE_TOKEN: server.rootToken },
    });
    return r.status === 0
      ? { present: true, reason: `${version.stdout} at ${server.address}` }
      : { present: false, reason: `Vault at ${server.address} does not accept DOCKRION_TEST_VAULT_TOKEN` };
  });
}

/** The Python interpreter for runtime tests: `DOCKRION_PYTHON`, else `.venv/bin/python`. */
export function pythonPath(): string {
  return infraEnv('DOCKRION_PYTHON') ?? path.join(repoRoot, '.venv', 'bin', 'python');
}

/** The test Python (with the runtime package installed when it exists) runs. */
export function hasPython(): boolean {
  return probe('python', () => {
    const py = pythonPath();
    const r = run(py, ['-c', 'import sys; print(sys.version.split()[0])']);
    return r.ok
      ? { present: true, reason: `python ${r.stdout} at ${py}` }
      : { present: false, reason: `${py} does not run (run scripts/setup-python.sh): ${r.err}` };
  });
}

/** Reference of the debootstrapped test base image (`DOCKRION_TEST_BASE_IMAGE`), if configured. */
export function baseImage(): string | undefined {
  return infraEnv('DOCKRION_TEST_BASE_IMAGE');
}

/** The base image is configured and loaded in the Docker engine. */
export function hasBaseImage(): boolean {
  return probe('base-image', () => {
    const ref = baseImage();
    if (!ref) return { present: false, reason: 'DOCKRION_TEST_BASE_IMAGE is not set' };
    if (!hasDocker()) return { present: false, reason: `docker is absent (${infraReason('docker')})` };
    const r = run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]);
    return r.ok
      ? { present: true, reason: `${ref} (${r.stdout.slice(0, 19)})` }
      : { present: false, reason: `${ref} is not loaded in dockerd (run scripts/dev-services.sh)` };
  });
}

export type InfraDescribe = ReturnType<typeof describe.skipIf>;
export type InfraIt = ReturnType<typeof it.skipIf>;

const warned = new Set<string>();

/**
 * Gate tests on a component: `const { describe: dDescribe } = requireInfra('docker', hasDocker());`.
 * Present → vitest's own `describe`/`it`. Absent → locally `describe.skip`/`it.skip` plus one
 * printed reason; under `CI=true` it throws (the test file fails) so CI can't pass by skipping.
 */
export function requireInfra(
  name: string,
  present: boolean,
  reason?: string,
): { describe: InfraDescribe; it: InfraIt } {
  if (!present) {
    const why = reason ?? infraReason(name) ?? 'not available';
    if (isCI()) {
      throw new Error(
        `test infrastructure "${name}" is required under CI=true but absent: ${why}. ` +
          'Start it with .ci/run or scripts/dev-services.sh (docs/CONTRACTS.md "Test infrastructure").',
      );
    }
    if (!warned.has(name)) {
      warned.add(name);
      console.warn(
        `[infra] skipping tests that need ${name}: ${why} (run: sudo bash scripts/dev-services.sh)`,
      );
    }
  }
  return { describe: describe.skipIf(!present), it: it.skipIf(!present) };
}

/** `requireInfra` for several pieces at once: the reason names each missing piece and why. */
export function requireAllInfra(
  name: string,
  needs: Record<string, boolean>,
): { describe: InfraDescribe; it: InfraIt } {
  return requireInfra(
    name,
    Object.values(needs).every(Boolean),
    Object.entries(needs)
      .filter(([, present]) => !present)
      .map(([piece]) => `${piece}: ${infraReason(piece)}`)
      .join('; '),
  );
}

/** The buildx builder on a real BuildKit daemon (`remote` driver) that scripts/ci/buildkit.sh starts. */
export function buildkitBuilder(): string | undefined {
  return infraEnv('DOCKRION_TEST_BUILDKIT_BUILDER');
}

/** `buildctl` and the daemon address, for what buildx cannot do (`prune --all`, `du`). */
export function buildctl(): { bin: string; addr: string } | undefined {
  const bin = infraEnv('DOCKRION_TEST_BUILDKIT_BUILDCTL');
  const addr = infraEnv('DOCKRION_TEST_BUILDKIT_ADDR');
  return bin && addr ? { bin, addr } : undefined;
}

/** The test base image in the test registry, for linux/amd64 and linux/arm64 (BuildKit pulls it). */
export function buildkitBaseImage(): string | undefined {
  return infraEnv('DOCKRION_TEST_BUILDKIT_BASE_IMAGE');
}

/**
 * A real BuildKit answers: the builder is a running `remote` builder that lists linux/arm64 (QEMU),
 * `buildctl` reaches the daemon, and the multi-platform base image is in the registry.
 */
export function hasBuildkit(): boolean {
  return probe('buildkit', () => {
    const builder = buildkitBuilder();
    const ctl = buildctl();
    const base = buildkitBaseImage();
    if (!builder || !ctl || !base) {
      return {
        present: false,
        reason:
          'DOCKRION_TEST_BUILDKIT_* are not set (run: bash scripts/ci/buildkit.sh build && bash scripts/ci/buildkit.sh start)',
      };
    }
    const inspect = run('docker', ['buildx', 'inspect', builder], 30_000);
    if (!inspect.ok)
      return { present: false, reason: `docker buildx inspect ${builder} failed: ${inspect.err}` };
    if (!/^Driver:\s*remote$/m.test(inspect.stdout) || !/^Status:\s*running$/m.test(inspect.stdout)) {
      return { present: false, reason: `builder ${builder} is not a running remote builder` };
    }
    if (!/^Platforms:.*linux\/arm64/m.test(inspect.stdout)) {
      return {
        present: false,
        reason: `builder ${builder} cannot build linux/arm64 (qemu-aarch64 binfmt missing)`,
      };
    }
    const workers = run(ctl.bin, ['--addr', ctl.addr, 'debug', 'workers'], 15_000);
    if (!workers.ok) return { present: false, reason: `buildctl cannot reach ${ctl.addr}: ${workers.err}` };
    return { present: true, reason: `builder ${builder} (${ctl.addr}), base ${base}` };
  });
}

/** The act version the recipes are tested with (scripts/ci/act.sh builds it). */
export const ACT_VERSION = '0.2.89';

/**
 * The act binary: `DOCKRION_ACT` (set by .ci/run), else the one scripts/ci/act.sh caches, else
 * `act` on PATH.
 */
export function actPath(): string {
  const fromEnv = infraEnv('DOCKRION_ACT');
  if (fromEnv) return fromEnv;
  const cached = path.join(
    process.env.DOCKRION_CI_CACHE ?? '/var/cache/dockrion-ci',
    'tools',
    `act-v${ACT_VERSION}`,
    'act',
  );
  return existsSync(cached) ? cached : 'act';
}

/** act answers `--version` with the pinned version. */
export function hasAct(): boolean {
  return probe('act', () => {
    const bin = actPath();
    const r = run(bin, ['--version']);
    if (!r.ok)
      return {
        present: false,
        reason: `\`${bin} --version\` failed: ${r.err || 'not found'} (run scripts/ci/act.sh)`,
      };
    return r.stdout === `act version ${ACT_VERSION}`
      ? { present: true, reason: `${r.stdout} at ${bin}` }
      : { present: false, reason: `${bin} is ${r.stdout}, not ${ACT_VERSION} (run scripts/ci/act.sh)` };
  });
}
