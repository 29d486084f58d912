import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeProjectName, renderManifests } from '../../generators/index.ts';
import { requireInfra } from '../support/infra.ts';
import {
  fullSpec,
  IMAGE,
  minimalSpec,
  parseOne,
  runTool,
  toolAnswers,
  withSpec,
  writeTemp,
} from './support.ts';

const render = (environment: string, spec = fullSpec(), secretVersions?: string) =>
  renderManifests({
    spec,
    environment,
    image: IMAGE,
    version: '1.4.2',
    target: 'compose',
    ...(secretVersions ? { secretVersions } : {}),
    source: { repo: 'acme/invoice-copilot', commit: 'a1b2c3d' },
  });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('compose.yaml', () => {
  it('is the only file, with one hardened service pinned by digest', () => {
    const { target, files } = render('staging', fullSpec(), 'sv-1');
    expect(target).toBe('compose');
    expect(files.map((f) => f.path)).toEqual(['compose.yaml']);
    const compose = parseOne(files, 'compose.yaml');
    expect(compose.name).toBe('invoice-copilot-staging');
    expect(Object.keys(compose.services)).toEqual(['invoice-copilot']);
    const service = compose.services['invoice-copilot'];
    expect(service).toMatchObject({
      image: IMAGE,
      user: '10001:10001',
      read_only: true,
      tmpfs: ['/tmp:size=256m,mode=1777'],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      restart: 'unless-stopped',
      stop_signal: 'SIGTERM',
      stop_grace_period: '30s',
      ports: [{ target: 8081, published: '8081', protocol: 'tcp', mode: 'host' }],
      deploy: { resources: { limits: { cpus: '1', memory: '1g' }, reservations: { memory: '256m' } } },
      env_file: [{ path: 'secrets.env', required: true }],
      labels: {
        'dev.dockrion.agent': 'invoice-copilot',
        'dev.dockrion.environment': 'staging',
        'dev.dockrion.version': '1.4.2',
        'dev.dockrion.image-digest': IMAGE.split('@')[1],
        'dev.dockrion.managed-by': 'dockrion',
        'dev.dockrion.secret-versions': 'sv-1',
        'dev.dockrion.source': 'acme/invoice-copilot@a1b2c3d',
      },
    });
  });

  it('checks health with python3 (the image has no curl) on the agent port', () => {
    const service = parseOne(render('staging').files, 'compose.yaml').services['invoice-copilot'];
    expect(service.healthcheck.test.slice(0, 3)).toEqual(['CMD', 'python3', '-c']);
    expect(service.healthcheck.test[3]).toContain("urlopen('http://127.0.0.1:8081/");
    expect(service.healthcheck.start_period).toBe('300s');
  });

  it('the health check probes readiness (/ready), not liveness (/health), so compose up --wait waits for a loaded agent', () => {
    const service = parseOne(render('staging').files, 'compose.yaml').services['invoice-copilot'];
    expect(service.healthcheck.test[3]).toContain("urlopen('http://127.0.0.1:8081/ready'");
    expect(service.healthcheck.test[3]).not.toContain('/health');
  });

  it('one Compose project name: compose.yaml `name:` is what apply passes as --project-name', () => {
    const compose = parseOne(render('staging').files, 'compose.yaml');
    expect(compose.name).toBe(composeProjectName('invoice-copilot', 'staging'));
  });

  it('escapes $ so Compose passes plain config through literally', () => {
    const service = parseOne(render('staging').files, 'compose.yaml').services['invoice-copilot'];
    expect(service.environment).toEqual({
      DOCKRION_ENV: 'staging',
      DOCKRION_SHUTDOWN_GRACE_SECONDS: '25',
      DOCKRION_VERSION: '1.4.2',
      FEATURE_X: 'true',
      GREETING: 'price is $$5, $${OPENAI_API_KEY}',
      LOG_FORMAT: 'text',
      MAX_ITEMS: '25',
    });
  });

  it('makes secrets.env optional when no secret is required, and drops it when none is declared', () => {
    const onlyOptional = withSpec(fullSpec(), (s) => {
      s.secrets.required = [];
    });
    const service = parseOne(render('staging', onlyOptional).files, 'compose.yaml').services[
      'invoice-copilot'
    ];
    expect(service.env_file).toEqual([{ path: 'secrets.env', required: false }]);
    const none = parseOne(render('dev', minimalSpec()).files, 'compose.yaml').services.hello;
    expect(none.env_file).toBeUndefined();
  });

  it('publishes an agent without auth on 127.0.0.1 only', () => {
    const open = withSpec(minimalSpec(), (s) => {
      s.auth = { mode: 'none' };
    });
    const service = parseOne(render('dev', open).files, 'compose.yaml').services.hello;
    expect(service.ports).toEqual([
      { target: 8080, published: '8080', protocol: 'tcp', mode: 'host', host_ip: '127.0.0.1' },
    ]);
  });
});

const compose = toolAnswers('docker', ['compose', 'version']);
const { describe: withCompose } = requireInfra('docker compose v2', compose.present, compose.reason);

withCompose('compose.yaml: docker compose config', () => {
  const cases: [string, ReturnType<typeof fullSpec>][] = [
    ['staging', fullSpec()],
    ['production', fullSpec()],
    ['dev', minimalSpec()],
  ];
  it.each(cases)(
    '%s passes `docker compose config --quiet` and reads back as written',
    (environment, spec) => {
      const { files } = render(environment, spec);
      const temp = writeTemp(files, { 'secrets.env': '' });
      cleanups.push(temp.cleanup);
      const quiet = runTool('docker', ['compose', '-f', 'compose.yaml', 'config', '--quiet'], temp.dir);
      expect(quiet.stderr).toBe('');
      expect(quiet.code).toBe(0);
      // A value Compose interpolated would come back as 'leaked'; an escaped one comes back escaped.
      const normalized = runTool(
        'docker',
        ['compose', '-f', 'compose.yaml', 'config', '--format', 'json'],
        temp.dir,
        {
          OPENAI_API_KEY: 'leaked',
        },
      );
      expect(normalized.code).toBe(0);
      expect(normalized.stdout).not.toContain('leaked');
      const config = parse(normalized.stdout);
      const name = spec.agent.name;
      const service = config.services[name];
      expect(service.image).toBe(IMAGE);
      expect(service.read_only).toBe(true);
      expect(service.user).toBe('10001:10001');
      expect(service.healthcheck.start_period).toBe('5m0s');
      expect(service.stop_grace_period).toBe('30s');
      if (environment === 'staging') {
        expect(service.environment.GREETING).toBe('price is $$5, $${OPENAI_API_KEY}');
        expect(Number(service.deploy.resources.limits.memory)).toBe(2 ** 30);
        expect(service.deploy.resources.limits.cpus).toBe(1);
      }
    },
  );

  it('refuses to run without secrets.env when secrets are required', () => {
    const { files } = render('staging');
    const temp = writeTemp(files);
    cleanups.push(temp.cleanup);
    const result = runTool('docker', ['compose', '-f', 'compose.yaml', 'config', '--quiet'], temp.dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('secrets.env');
  });
});
