import { execFileSync } from 'node:child_process';
import { afterEach, expect } from 'vitest';
import {
  baseImage,
  hasAge,
  hasBaseImage,
  hasDocker,
  hasPython,
  hasRegistry,
  isCI,
  pythonPath,
  registry,
  requireInfra,
} from './infra.ts';

const { describe, it } = requireInfra('test-infrastructure', true);

describe('requireInfra', () => {
  const savedCI = process.env.CI;
  afterEach(() => {
    if (savedCI === undefined) delete process.env.CI;
    else process.env.CI = savedCI;
  });

  it('throws for an absent component under CI=true, naming it and the reason', () => {
    process.env.CI = 'true';
    expect(() => requireInfra('flux-capacitor', false, 'not installed')).toThrow(
      /"flux-capacitor" is required under CI=true but absent: not installed/,
    );
  });

  it('skips (does not throw) for an absent component outside CI', () => {
    delete process.env.CI;
    const gated = requireInfra('flux-capacitor', false, 'not installed');
    expect(typeof gated.describe).toBe('function');
    expect(typeof gated.it).toBe('function');
  });

  it('under CI every component is present', () => {
    if (!isCI()) return;
    const status = {
      docker: hasDocker(),
      registry: hasRegistry(),
      age: hasAge(),
      python: hasPython(),
      baseImage: hasBaseImage(),
    };
    expect(status).toEqual({ docker: true, registry: true, age: true, python: true, baseImage: true });
  });
});

const docker = requireInfra('docker', hasDocker());
docker.describe('docker engine', () => {
  docker.it('answers `docker info` and has the buildx and compose v2 plugins', () => {
    const server = execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
    expect(server.trim()).toMatch(/^\d+\.\d+/);
    expect(execFileSync('docker', ['buildx', 'version'], { encoding: 'utf8' })).toMatch(/buildx v?\d/);
    expect(execFileSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' }).trim()).toMatch(
      /^v?2\./,
    );
  });
});

const reg = requireInfra('registry', hasRegistry());
reg.describe('OCI registry', () => {
  reg.it('speaks the distribution API on a loopback address', async () => {
    const host = registry() ?? '';
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`http://${host}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });
});

const base = requireInfra('base-image', hasBaseImage());
base.describe('test base image', () => {
  base.it('runs python3 with venv support, also as the non-root runtime uid', () => {
    for (const user of ['0', '10001']) {
      const args = [
        'run',
        '--rm',
        '-u',
        user,
        baseImage() ?? '',
        'python3',
        '-c',
        'import venv, ssl; print("ok")',
      ];
      const out = execFileSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
      expect(out.trim()).toBe('ok');
    }
  });
});

const age = requireInfra('age', hasAge());
age.describe('age CLI', () => {
  age.it('generates a key and round-trips a message', () => {
    const identity = execFileSync('age-keygen', [], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const recipient = execFileSync('age-keygen', ['-y'], { input: identity, encoding: 'utf8' }).trim();
    expect(recipient).toMatch(/^age1[0-9a-z]+$/);
    const cipher = execFileSync('age', ['-r', recipient, '-a'], { input: 'hello' });
    // age -d reads the identity from a file; /dev/stdin is taken by the ciphertext, so pass it via fd 3.
    const plain = execFileSync('bash', ['-c', 'age -d -i <(printf "%s" "$ID")'], {
      input: cipher,
      env: { ...process.env, ID: identity },
      encoding: 'utf8',
    });
    expect(plain).toBe('hello');
  });
});

const py = requireInfra('python', hasPython());
py.describe('python venv', () => {
  py.it('has pytest and the moto server', () => {
    const out = execFileSync(pythonPath(), ['-c', 'import pytest, moto.server; print("ok")'], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('ok');
  });
});
