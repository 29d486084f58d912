import { describe, expect, it } from 'vitest';
import { sbomScannerFailure } from '../../action/adapters/docker.ts';
import {
  actionsCacheAvailable,
  checkCacheSpec,
  parseCacheSpecs,
  resolveCache,
} from '../../action/image/cache.ts';
import { ImageError, UsageError } from '../../shared/errors.ts';

const remote = { driver: 'remote', attestations: true, multiPlatform: true, cacheExport: true };
const docker = { driver: 'docker', attestations: false, multiPlatform: false, cacheExport: false };
const image = 'ghcr.io/acme/triage';
const actionsEnv = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token',
  ACTIONS_RESULTS_URL: 'https://results-receiver.actions.githubusercontent.com/',
};

describe('build cache specs', () => {
  it('accepts buildx cache specs and none', () => {
    expect(checkCacheSpec(' type=registry,ref=ghcr.io/acme/a:buildcache,mode=max ', 'cache-to')).toBe(
      'type=registry,ref=ghcr.io/acme/a:buildcache,mode=max',
    );
    expect(checkCacheSpec('type=gha,scope=a', 'cache-from')).toBe('type=gha,scope=a');
    expect(checkCacheSpec('type=inline', 'cache-to')).toBe('type=inline');
    expect(checkCacheSpec('none', 'cache-to')).toBe('none');
  });

  it.each([
    ['ghcr.io/acme/a:buildcache', /is not key=value/],
    ['type=s4', /type must be one of registry, gha/],
    ['ref=ghcr.io/acme/a:buildcache', /type must be one of .* got none/],
    ['type=registry,mode=max', /type=registry needs ref=/],
    ['type=registry, ref=a b', /is not key=value/],
  ])('refuses %j naming the field', (spec, message) => {
    expect(() => checkCacheSpec(spec, "input 'cache-to'")).toThrow(UsageError);
    expect(() => checkCacheSpec(spec, "input 'cache-to'")).toThrow(message);
    expect(() => checkCacheSpec(spec, "input 'cache-to'")).toThrow(/^input 'cache-to': /);
  });

  it('refuses inline as an import, and none next to another spec', () => {
    expect(() => checkCacheSpec('type=inline', '--cache-from')).toThrow(/only exports/);
    expect(() => parseCacheSpecs(['none\ntype=gha'], 'cache-from')).toThrow(/cannot be combined/);
  });

  it('reads one spec per line (Action inputs) and several flags; nothing given is undefined', () => {
    expect(parseCacheSpecs(['type=gha,scope=a\n\n type=registry,ref=r.io/a:c '], 'cache-from')).toEqual([
      'type=gha,scope=a',
      'type=registry,ref=r.io/a:c',
    ]);
    expect(parseCacheSpecs([''], 'cache-from')).toBeUndefined();
    expect(parseCacheSpecs(undefined, 'cache-from')).toBeUndefined();
  });
});

describe('the default build cache', () => {
  it('is the registry, next to the image, for a pushed build on a builder that can export', () => {
    const plan = resolveCache({ capabilities: remote, push: true, image, env: {} });
    expect(plan.from).toEqual(['type=registry,ref=ghcr.io/acme/triage:buildcache']);
    expect(plan.to).toEqual(['type=registry,ref=ghcr.io/acme/triage:buildcache,mode=max,ignore-error=true']);
    expect(plan.summary).toMatch(/^build cache: from type=registry.* \(default: the registry\)$/);
  });

  it('is the GitHub Actions cache when the runner provides it (v1 or v2 service)', () => {
    expect(actionsCacheAvailable(actionsEnv)).toBe(true);
    expect(actionsCacheAvailable({ ...actionsEnv, ACTIONS_RESULTS_URL: undefined })).toBe(false);
    expect(
      actionsCacheAvailable({ ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'https://artifactcache/' }),
    ).toBe(true);
    const plan = resolveCache({ capabilities: remote, push: true, image, env: actionsEnv });
    expect(plan.from).toEqual(['type=gha,scope=ghcr.io/acme/triage']);
    expect(plan.to).toEqual(['type=gha,scope=ghcr.io/acme/triage,mode=max,ignore-error=true']);
    // buildx reads the token from its environment: it is never an argument or a log line.
    expect(JSON.stringify(plan)).not.toContain('runtime-token');
  });

  it('is none on the docker driver, with one line that says why', () => {
    const plan = resolveCache({ capabilities: docker, push: true, image, env: actionsEnv });
    expect(plan).toEqual({
      from: [],
      to: [],
      summary:
        'build cache: none exported: the docker builder cannot export a build cache, so only its local cache is used (a fresh runner builds cold; a docker-container or remote builder can export one)',
    });
  });

  it('is none when nothing is pushed', () => {
    const plan = resolveCache({ capabilities: remote, push: false, image, env: {} });
    expect(plan.from).toEqual([]);
    expect(plan.to).toEqual([]);
    expect(plan.summary).toContain('nothing is pushed');
  });
});

describe('explicit build cache', () => {
  it('replaces the default part by part; none turns one part off', () => {
    const plan = resolveCache({
      request: { from: ['type=registry,ref=r.io/shared:cache'], to: ['none'] },
      capabilities: remote,
      push: true,
      image,
      env: {},
    });
    expect(plan.from).toEqual(['type=registry,ref=r.io/shared:cache']);
    expect(plan.to).toEqual([]);
    const onlyTo = resolveCache({
      request: { to: ['type=local,dest=/tmp/c'] },
      capabilities: remote,
      push: true,
      image,
      env: {},
    });
    expect(onlyTo.from).toEqual(['type=registry,ref=ghcr.io/acme/triage:buildcache']);
    expect(onlyTo.to).toEqual(['type=local,dest=/tmp/c']);
  });

  it('refuses an export the docker driver cannot do, but lets inline through', () => {
    const refuse = () =>
      resolveCache({
        request: { to: ['type=registry,ref=r.io/a:c'] },
        capabilities: docker,
        push: true,
        image,
        env: {},
      });
    expect(refuse).toThrow(ImageError);
    expect(refuse).toThrow(/docker builder cannot export a build cache \(cache-to type=registry\)/);
    const inline = resolveCache({
      request: { to: ['type=inline'], from: ['type=registry,ref=r.io/a:1'] },
      capabilities: docker,
      push: true,
      image,
      env: {},
    });
    expect(inline.to).toEqual(['type=inline']);
    expect(inline.from).toEqual(['type=registry,ref=r.io/a:1']);
  });
});

describe('a missing SBOM scanner', () => {
  it('is recognised on the failing line of a build log, with the image it names', () => {
    const stderr = [
      '#2 resolve image config for docker-image://docker.io/docker/buildkit-syft-scanner:stable-1',
      '#2 ERROR: docker.io/docker/buildkit-syft-scanner:stable-1: not found',
      'ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/buildkit-syft-scanner:stable-1: docker.io/docker/buildkit-syft-scanner:stable-1: not found',
    ].join('\n');
    expect(sbomScannerFailure(stderr)).toEqual({
      image: 'docker.io/docker/buildkit-syft-scanner:stable-1',
      line: 'ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/buildkit-syft-scanner:stable-1: docker.io/docker/buildkit-syft-scanner:stable-1: not found',
    });
    expect(
      sbomScannerFailure('ERROR: failed to solve: process "/bin/sh -c pip install" did not complete'),
    ).toBeUndefined();
  });
});
