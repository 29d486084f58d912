import { describe, expect, it } from 'vitest';
import { DEFAULTS, DeployConfigError, parseImageRef, resolveEnvironment } from '../../generators/index.ts';
import { RenderError } from '../../shared/errors.ts';
import { DIGEST, fullSpec, minimalSpec, withSpec } from './support.ts';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e: unknown) {
    return e;
  }
  throw new Error('expected an error');
}

describe('resolveEnvironment', () => {
  it('gives any environment name the defaults when the Dockfile has no deploy.environments', () => {
    const env = resolveEnvironment(minimalSpec(), 'preview-42');
    expect(env).toEqual({
      name: 'preview-42',
      agent: 'hello',
      target: 'kubernetes',
      namespace: 'preview-42',
      port: 8080,
      authMode: 'api_key',
      replicas: 1,
      resources: { requests: { ...DEFAULTS.requests }, limits: { ...DEFAULTS.limits } },
      autoscaling: null,
      networkPolicy: {
        enabled: false,
        egress: [],
        dns: { namespace: 'kube-system', podLabels: {}, ports: [53] },
      },
      env: {},
      drainSeconds: 25,
      ingress: null,
      secrets: { profile: { provider: 'github' }, required: [], optional: [] },
    });
  });

  it('refuses an unknown environment with code 4012, naming the known ones', () => {
    const error = thrown(() => resolveEnvironment(fullSpec(), 'prod'));
    expect(error).toBeInstanceOf(DeployConfigError);
    expect(error).toBeInstanceOf(RenderError);
    const e = error as DeployConfigError;
    expect(e.code).toBe('4012');
    expect(e.numericCode).toBe(4012);
    expect(e.path).toBe('deploy.environments');
    expect(e.message).toContain("unknown environment 'prod'");
    expect(e.message).toContain('aws-prod, production, staging');
  });

  it('hints the closest environment for a typo, and never an unrelated first one', () => {
    const typo = thrown(() => resolveEnvironment(fullSpec(), 'stagin')) as DeployConfigError;
    expect(typo.hint).toBe('did you mean --env staging? Or add deploy.environments.stagin');
    const far = thrown(() => resolveEnvironment(fullSpec(), 'qa')) as DeployConfigError;
    expect(far.hint).toBe('use --env aws-prod | production | staging, or add deploy.environments.qa');
  });

  it('does not take Object.prototype names for declared environments', () => {
    for (const name of ['constructor', 'tostring', 'hasownproperty']) {
      const e = thrown(() => resolveEnvironment(fullSpec(), name)) as DeployConfigError;
      expect(e.code).toBe('4012');
      expect(e.message).toContain(`unknown environment '${name}'`);
    }
    for (const name of ['__proto__', 'toString']) {
      const e = thrown(() => resolveEnvironment(fullSpec(), name)) as DeployConfigError;
      expect(e.message).toContain('is not a DNS-1123 label');
    }
    // Without deploy.environments any label is accepted, with the defaults, not Object.prototype members.
    expect(resolveEnvironment(minimalSpec(), 'constructor').replicas).toBe(DEFAULTS.replicas);
  });

  it('refuses an environment name that cannot be a namespace or label', () => {
    const e = thrown(() => resolveEnvironment(minimalSpec(), 'Prod_EU')) as DeployConfigError;
    expect(e.code).toBe('4012');
    expect(e.message).toContain("'Prod_EU' is not a DNS-1123 label");
  });

  it('merges deploy defaults with the environment: scalars replaced, env by key, resources by field', () => {
    const spec = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.resources = { limits: { memory: '2Gi' } };
      s.deploy.environments.production.env = { LOG_FORMAT: 'logfmt', REGION: 'eu' };
    });
    const env = resolveEnvironment(spec, 'production');
    expect(env.target).toBe('kubernetes');
    expect(env.namespace).toBe('agents');
    expect(env.replicas).toBe(3);
    expect(env.port).toBe(8081);
    expect(env.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1', memory: '2Gi' },
    });
    expect(env.env).toEqual({
      FEATURE_X: 'true',
      GREETING: 'price is $5, ${OPENAI_API_KEY}',
      LOG_FORMAT: 'logfmt',
      MAX_ITEMS: '25',
      REGION: 'eu',
    });
    expect(Object.keys(env.env)).toEqual(['FEATURE_X', 'GREETING', 'LOG_FORMAT', 'MAX_ITEMS', 'REGION']);
    expect(env.autoscaling).toEqual({ min: 3, max: 10, cpu: 65 });
    expect(env.networkPolicy).toEqual({
      enabled: true,
      egress: ['10.0.0.0/8', '192.168.0.0/16'],
      dns: { namespace: 'kube-system', podLabels: {}, ports: [53] },
    });
    expect(env.secrets.profile.provider).toBe('vault');
    expect(env.secrets.required).toEqual(['DOCKRION_API_KEY', 'OPENAI_API_KEY']);
    expect(env.secrets.optional).toEqual(['LANGFUSE_SECRET_KEY']);
  });

  it('takes the environment target over deploy.target', () => {
    expect(resolveEnvironment(fullSpec(), 'staging').target).toBe('compose');
    expect(resolveEnvironment(fullSpec(), 'staging').namespace).toBe('staging');
  });

  it('starts the HPA from the replica count when autoscaling.min is not given, capped at max', () => {
    const spec = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.autoscaling = { max: 2 };
    });
    expect(resolveEnvironment(spec, 'production').autoscaling).toEqual({ min: 2, max: 2, cpu: 70 });
  });

  it('refuses autoscaling.min above max', () => {
    const spec = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.autoscaling = { min: 5, max: 2 };
    });
    const e = thrown(() => resolveEnvironment(spec, 'production')) as DeployConfigError;
    expect(e.path).toBe('deploy.environments.production.autoscaling');
    expect(e.message).toContain('min (5) is greater than max (2)');
  });

  it('lowers a defaulted request to a smaller given limit, and raises the default limit to a larger request', () => {
    const small = withSpec(minimalSpec(), (s) => {
      s.deploy = { resources: { limits: { cpu: '50m', memory: '128Mi' } } };
    });
    expect(resolveEnvironment(small, 'dev').resources).toEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { cpu: '50m', memory: '128Mi' },
    });
    const big = withSpec(minimalSpec(), (s) => {
      s.deploy = { resources: { requests: { cpu: 2, memory: '4Gi' } } };
    });
    expect(resolveEnvironment(big, 'dev').resources).toEqual({
      requests: { cpu: '2', memory: '4Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    });
  });

  it('refuses a request above a given limit, naming both fields', () => {
    const spec = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.resources = { requests: { memory: '3Gi' } };
    });
    const e = thrown(() => resolveEnvironment(spec, 'production')) as DeployConfigError;
    expect(e.path).toBe('deploy.environments.production.resources.requests.memory');
    expect(e.message).toContain(
      'memory request 3Gi is greater than the limit 1Gi (deploy.resources.limits.memory)',
    );
  });

  it('refuses a drain budget that is not a number of seconds, naming where it was set', () => {
    const spec = withSpec(fullSpec(), (s) => {
      s.deploy.env.DOCKRION_SHUTDOWN_GRACE_SECONDS = 'forever';
    });
    const e = thrown(() => resolveEnvironment(spec, 'production')) as DeployConfigError;
    expect(e.path).toBe('deploy.env.DOCKRION_SHUTDOWN_GRACE_SECONDS');
    expect(e.message).toContain("must be a number of seconds from 0 to 3600, got 'forever'");
  });

  it('refuses plain config that shadows a declared secret or a dockrion key', () => {
    const shadow = withSpec(fullSpec(), (s) => {
      s.deploy.environments.staging.env = { OPENAI_API_KEY: 'sk-not-here' };
    });
    const e = thrown(() => resolveEnvironment(shadow, 'staging')) as DeployConfigError;
    expect(e.path).toBe('deploy.environments.staging.env.OPENAI_API_KEY');
    expect(e.message).toContain('is a declared secret');
    expect(e.message).not.toContain('sk-not-here');
    const reserved = withSpec(fullSpec(), (s) => {
      s.deploy.env.DOCKRION_ENV = 'x';
    });
    expect((thrown(() => resolveEnvironment(reserved, 'staging')) as DeployConfigError).path).toBe(
      'deploy.env.DOCKRION_ENV',
    );
  });
});

describe('parseImageRef', () => {
  it('splits repository, tag and digest, keeping a registry port', () => {
    expect(parseImageRef(`127.0.0.1:5000/acme/agent:1.0.0@${DIGEST}`)).toEqual({
      repository: '127.0.0.1:5000/acme/agent',
      tag: '1.0.0',
      digest: DIGEST,
      reference: `127.0.0.1:5000/acme/agent:1.0.0@${DIGEST}`,
    });
    expect(parseImageRef(`ghcr.io/acme/agent@${DIGEST}`).tag).toBeNull();
  });

  it.each([
    ['ghcr.io/acme/agent:1.0.0', 'has no digest'],
    ['ghcr.io/acme/agent:latest', 'has no digest'],
    ['ghcr.io/acme/agent@sha256:abc', 'invalid digest'],
    [`ghcr.io/acme/agent@sha512:${'a'.repeat(64)}`, 'invalid digest'],
    [`ghcr.io/acme/agent@sha256:${'A'.repeat(64)}`, 'invalid digest'],
    [`GHCR.io/Acme/agent@${DIGEST}`, 'invalid repository'],
    [`ghcr.io/acme/agent:bad/tag@${DIGEST}`, 'invalid repository'],
  ])('refuses %s (%s)', (ref, why) => {
    const e = thrown(() => parseImageRef(ref));
    expect(e).toBeInstanceOf(RenderError);
    expect((e as RenderError).message).toContain(why);
  });
});
