import { describe, expect, it } from 'vitest';
import { buildxArgs, Docker } from '../../action/adapters/docker.ts';
import { nodeExec } from '../../action/adapters/exec.ts';
import { parseBuildArgs, registryCredentials } from '../../action/commands/build.ts';
import { checkCapabilities, digestFromMetadata, resolveProvenance } from '../../action/image/buildx.ts';
import {
  imageName,
  imageTags,
  parseReference,
  registryHostOf,
  resolveVersion,
  versionTag,
} from '../../action/image/names.ts';
import { parseChallenge, registryBaseUrl } from '../../action/image/registry.ts';
import { repositoryUrl } from '../../action/image/source.ts';
import { ImageError, UsageError } from '../../shared/errors.ts';
import { captureCli } from '../support/cli.ts';
import { hasDocker, requireInfra } from '../support/infra.ts';

const digest = `sha256:${'a1'.repeat(32)}`;

describe('image names', () => {
  it('lowercases the image name (GHCR requires it) and keeps host and namespace', () => {
    expect(imageName('ghcr.io/Acme-Corp', 'triage')).toBe('ghcr.io/acme-corp/triage');
    expect(imageName('127.0.0.1:5000', 'triage')).toBe('127.0.0.1:5000/triage');
    expect(imageName('registry.example.com:443/team/sub/', 'triage')).toBe(
      'registry.example.com:443/team/sub/triage',
    );
  });

  it.each(['', 'ghcr.io/acme corp', 'acme', 'ghcr.io/acme;rm', 'https://ghcr.io/acme'])(
    'refuses the registry %j',
    (registry) => {
      expect(() => imageName(registry, 'triage')).toThrow(ImageError);
    },
  );

  it('tags the version and sha-<short>; build metadata becomes -', () => {
    expect(imageTags('1.4.0', 'abcdef0123456789')).toEqual(['1.4.0', 'sha-abcdef0']);
    expect(versionTag('1.4.0+build.7')).toBe('1.4.0-build.7');
    expect(() => versionTag('1.0 beta')).toThrow(ImageError);
    expect(() => versionTag('-leading')).toThrow(ImageError);
  });

  it('derives 0.0.0-g<sha7> when the Dockfile has no metadata.version', () => {
    expect(resolveVersion(undefined, '0123456789abcdef0123456789abcdef01234567')).toBe('0.0.0-g0123456');
    expect(resolveVersion('2.0.0', '0123456789abcdef0123456789abcdef01234567')).toBe('2.0.0');
  });

  it('splits references into host, repository, tag and digest', () => {
    expect(parseReference(`127.0.0.1:5000/team/triage:1.0.0@${digest}`)).toEqual({
      host: '127.0.0.1:5000',
      repository: 'team/triage',
      tag: '1.0.0',
      digest,
    });
    expect(parseReference('ghcr.io/acme/triage')).toEqual({ host: 'ghcr.io', repository: 'acme/triage' });
    expect(() => parseReference('ghcr.io/acme/triage@sha256:xyz')).toThrow(ImageError);
  });

  it('uses the one reference grammar (generators/image-ref.ts) for every part', () => {
    expect(() => parseReference('ghcr.io/Acme/triage:1.0.0')).toThrow('is not a valid image reference');
    expect(() => parseReference('ghcr.io/acme/triage:bad/tag')).toThrow('is not a valid image reference');
    expect(() => parseReference('ghcr.io/acme/triage:-1')).toThrow('is not a valid image reference');
    expect(parseReference('localhost:5000/a__b/c-d.e:v1').repository).toBe('a__b/c-d.e');
    expect(registryHostOf('ghcr.io/Acme')).toBe('ghcr.io');
    expect(registryHostOf('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });

  it('speaks plain HTTP only to loopback registries', () => {
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('127.0.0.1.example.com')).toBe('https://127.0.0.1.example.com');
  });

  it('parses the bearer challenge GHCR sends', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/triage:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/triage:pull' },
    });
  });

  it('turns git remotes into browsable repository URLs without credentials', () => {
    expect(repositoryUrl('git@github.com:acme/agents.git')).toBe('https://github.com/acme/agents');
    expect(repositoryUrl('https://x-access-token:ghs_secret@github.com/acme/agents.git')).toBe(
      'https://github.com/acme/agents',
    );
    expect(repositoryUrl('ssh://git@github.com/acme/agents.git')).toBe('https://github.com/acme/agents');
  });
});

describe('buildx arguments', () => {
  const base = {
    contextDir: '/tmp/ctx',
    tags: ['ghcr.io/acme/triage:1.0.0', 'ghcr.io/acme/triage:sha-abcdef0'],
    platforms: ['linux/amd64'],
    push: true,
    metadataFile: '/tmp/meta.json',
    provenance: 'max' as const,
    sbom: true,
  };

  it('pushes with a metadata file, both tags, max provenance and an SBOM', () => {
    expect(buildxArgs({ ...base, baseImage: 'dockrion/test-base:1' })).toEqual([
      'buildx',
      'build',
      '--progress',
      'plain',
      '--file',
      '/tmp/ctx/Dockerfile',
      '--platform',
      'linux/amd64',
      '--tag',
      'ghcr.io/acme/triage:1.0.0',
      '--tag',
      'ghcr.io/acme/triage:sha-abcdef0',
      '--build-arg',
      'BASE_IMAGE=dockrion/test-base:1',
      '--provenance=mode=max',
      '--sbom=true',
      '--metadata-file',
      '/tmp/meta.json',
      '--output',
      'type=registry,rewrite-timestamp=true',
      '/tmp/ctx',
    ]);
  });

  it('turns attestations off explicitly, loads instead of pushing, and joins platforms', () => {
    const args = buildxArgs({
      ...base,
      push: false,
      provenance: false,
      sbom: false,
      noCache: true,
      builder: 'ci',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(args).toContain('--provenance=false');
    expect(args).toContain('--sbom=false');
    expect(args[args.indexOf('--output') + 1]).toBe('type=docker,rewrite-timestamp=true');
    expect(args).toContain('--no-cache');
    expect(args).not.toContain('--push');
    expect(args).not.toContain('--cache-to');
    expect(args.slice(args.indexOf('--builder'), args.indexOf('--builder') + 2)).toEqual(['--builder', 'ci']);
    expect(args[args.indexOf('--platform') + 1]).toBe('linux/amd64,linux/arm64');
  });

  it('refuses attestations and multi-platform builds on a builder that cannot do them', () => {
    const docker = { driver: 'docker', attestations: false, multiPlatform: false, cacheExport: false };
    expect(() =>
      checkCapabilities(docker, { provenance: 'max', sbom: false, platforms: ['linux/amd64'] }),
    ).toThrow(/cannot attach provenance/);
    expect(() =>
      checkCapabilities(docker, { provenance: false, sbom: true, platforms: ['linux/amd64'] }),
    ).toThrow(ImageError);
    expect(() =>
      checkCapabilities(docker, {
        provenance: false,
        sbom: false,
        platforms: ['linux/amd64', 'linux/arm64'],
      }),
    ).toThrow(/several platforms/);
    expect(() =>
      checkCapabilities(
        { driver: 'docker-container', attestations: true, multiPlatform: true, cacheExport: true },
        { provenance: 'max', sbom: true, platforms: ['linux/amd64', 'linux/arm64'] },
      ),
    ).not.toThrow();
  });

  it('passes every cache spec as its own flag', () => {
    const args = buildxArgs({
      ...base,
      cacheFrom: ['type=registry,ref=r.io/a:buildcache', 'type=gha,scope=a'],
      cacheTo: ['type=registry,ref=r.io/a:buildcache,mode=max'],
    });
    const pairs = args.flatMap((a, i) => (a.startsWith('--cache-') ? [`${a} ${args[i + 1]}`] : []));
    expect(pairs).toEqual([
      '--cache-from type=registry,ref=r.io/a:buildcache',
      '--cache-from type=gha,scope=a',
      '--cache-to type=registry,ref=r.io/a:buildcache,mode=max',
    ]);
  });

  it('reads containerimage.digest from the metadata file', () => {
    expect(digestFromMetadata(JSON.stringify({ 'containerimage.digest': digest }))).toBe(digest);
    expect(() => digestFromMetadata('{}')).toThrow(/containerimage.digest/);
    expect(() => digestFromMetadata('not json')).toThrow(ImageError);
  });
});

describe('dockrion build arguments', () => {
  it('parses the documented options', () => {
    expect(
      parseBuildArgs([
        'agents/triage',
        '--registry',
        'ghcr.io/acme',
        '--push',
        '--platform',
        'linux/amd64,linux/arm64',
        '--provenance',
        'false',
        '--format',
        'json',
        '--env',
        'A=b=c',
      ]),
    ).toEqual({
      path: 'agents/triage',
      registry: 'ghcr.io/acme',
      push: true,
      baseImage: undefined,
      platforms: ['linux/amd64', 'linux/arm64'],
      provenance: false,
      sbom: false,
      noCache: false,
      builder: undefined,
      cache: {},
      env: { A: 'b=c' },
      format: 'json',
    });
  });

  it('takes --cache-from/--cache-to in buildx syntax, repeatable, none to turn one off', () => {
    const parsed = parseBuildArgs([
      '--registry',
      'r.io/x',
      '--cache-from',
      'type=registry,ref=r.io/x/a:buildcache',
      '--cache-from',
      'type=gha,scope=a',
      '--cache-to',
      'none',
    ]);
    expect(parsed !== 'help' && parsed.cache).toEqual({
      from: ['type=registry,ref=r.io/x/a:buildcache', 'type=gha,scope=a'],
      to: ['none'],
    });
  });

  it.each([
    [[]],
    [['--registry', 'r.io/x', '--format', 'yaml']],
    [['--registry', 'r.io/x', '--provenance', 'on']],
    [['--bogus']],
    [['--registry', 'r.io/x', '--cache-to', 'type=s4']],
    [['--registry', 'r.io/x', '--cache-from', 'none', '--cache-from', 'type=gha']],
  ])('rejects %j as a usage error', (argv) => {
    expect(() => parseBuildArgs(argv)).toThrow(UsageError);
  });

  it('logs in with explicit credentials, or the workflow token for ghcr.io only', () => {
    expect(registryCredentials('ghcr.io', { GITHUB_TOKEN: 't', GITHUB_ACTOR: 'octo' })).toEqual({
      username: 'octo',
      password: 't',
    });
    expect(registryCredentials('registry.example.com', { GITHUB_TOKEN: 't' })).toBeUndefined();
    expect(
      registryCredentials('registry.example.com', {
        DOCKRION_REGISTRY_USERNAME: 'u',
        DOCKRION_REGISTRY_PASSWORD: 'p',
      }),
    ).toEqual({ username: 'u', password: 'p' });
  });
});

describe('dockrion build front door', () => {
  const context = () => captureCli({ cwd: process.cwd(), logger: 'silent' });

  it('prints its usage with --help and exits 0', async () => {
    const c = context();
    expect(await c.run(['build', '--help'])).toBe(0);
    expect(c.stdout()).toContain('usage: dockrion build [PATH=Dockfile.yaml] --registry HOST[/NAMESPACE]');
  });

  it('exits 2 with a hint when --registry is missing or the Dockfile does not exist', async () => {
    const missingRegistry = context();
    expect(await missingRegistry.run(['build'])).toBe(2);
    expect(missingRegistry.stderr()).toContain('--registry is required');
    const missingFile = context();
    expect(await missingFile.run(['build', 'nope/Dockfile.yaml', '--registry', 'ghcr.io/acme'])).toBe(2);
    expect(missingFile.stderr()).toContain('no such Dockfile');
  });

  it('names the engine, once, when Docker is not reachable', async () => {
    const c = captureCli({
      cwd: process.cwd(),
      logger: 'silent',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(await c.run(['build', 'examples/plain-handler', '--registry', '127.0.0.1:5000/acme'])).toBe(1);
    expect(c.stderr()).toContain('Cannot connect to the Docker daemon');
    expect(c.stderr()).toContain('hint: start the Docker engine, or point DOCKER_HOST at a running one');
    expect(c.stderr()).not.toMatch(/\n\s+at /);
  });
});

describe('provenance auto', () => {
  requireInfra('docker', hasDocker()).it(
    'asks the real builder and says so when it turns attestations off',
    async () => {
      const notes: string[] = [];
      const logger = {
        debug: () => {},
        info: (m: string) => notes.push(m),
        warn: () => {},
        error: () => {},
        group: <T>(_n: string, fn: () => Promise<T>) => fn(),
        setSecret: () => {},
      };
      const { provenance, capabilities } = await resolveProvenance(
        'auto',
        new Docker({ exec: nodeExec() }),
        logger,
      );
      expect(capabilities).toBeDefined();
      if (capabilities?.attestations) {
        expect(provenance).toBe('max');
        expect(notes).toEqual([]);
      } else {
        expect(provenance).toBe(false);
        expect(notes).toEqual([
          `provenance off: the ${capabilities?.driver} builder cannot attach attestations`,
        ]);
      }
      expect(await resolveProvenance(false, new Docker({ exec: nodeExec() }), logger)).toEqual({
        provenance: false,
      });
    },
  );
});
