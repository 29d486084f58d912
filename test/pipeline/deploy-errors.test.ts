import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeExec } from '../../action/adapters/exec.ts';
import { consoleLogger } from '../../action/adapters/logger.ts';
import { main } from '../../action/cli.ts';
import { environmentsRepo, git, type Sandbox, sandbox } from '../gitops/fixtures.ts';
import { captureCli } from '../support/cli.ts';
import { hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { writeAgentSource } from './agent-fixture.ts';

const RECIPIENT = 'age1vselqvf00e9wzkhnfyyz2zgnwmaz05k4kapgpp5s8w52l060hapsgpt6kv';

describe('dockrion deploy stops before building when an earlier stage fails', () => {
  let box: Sandbox;
  let bare: string;
  let agentDir: string;
  beforeEach(() => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    agentDir = join(box.dir, 'agent');
    mkdirSync(agentDir);
    writeAgentSource(agentDir, {
      name: 'gitops-errors',
      version: '1.0.0',
      port: 18_999,
      recipients: RECIPIENT,
    });
  });
  afterEach(() => box.cleanup());

  const deploy = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const c = captureCli({ cwd: box.dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    const code = await c.run(['deploy', agentDir, '--env', 'staging', '--environments-repo', bare, ...args]);
    return { code, stdout: c.stdout(), stderr: c.stderr() };
  };
  const mainTip = () => git(bare, ['rev-parse', 'main']);

  it('a missing required secret names it and builds nothing', async () => {
    const before = mainTip();
    const r = await deploy(['--registry', '127.0.0.1:5999/acme', '--push'], {
      DOCKRION_SECRETS_JSON: JSON.stringify({ CANARY_PLAIN: 'x' }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing required secrets? .*CANARY_MULTILINE, CANARY_QUOTED/);
    expect(r.stderr).not.toContain('Build and push image');
    expect(mainTip()).toBe(before);
  });

  it('an unreachable environments repo fails before anything is built', async () => {
    const notARepo = join(box.dir, 'not-a-repo');
    mkdirSync(notARepo);
    const c = captureCli({
      cwd: box.dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DOCKRION_SECRETS_JSON: JSON.stringify({
          CANARY_PLAIN: 'plain-canary-value',
          CANARY_MULTILINE: 'multi\nline-canary',
          CANARY_QUOTED: 'quoted"canary',
        }),
      },
    });
    const code = await c.run([
      'deploy',
      agentDir,
      '--env',
      'staging',
      '--environments-repo',
      notARepo,
      '--registry',
      '127.0.0.1:5999/acme',
      '--push',
    ]);
    const stderr = c.stderr();
    expect(code).toBe(1);
    expect(stderr).toContain('Check environments repo');
    expect(stderr).toMatch(/does not appear to be a git repository/);
    expect(stderr).not.toContain('Build and push image');
  });

  const canarySecrets = {
    DOCKRION_SECRETS_JSON: JSON.stringify({
      CANARY_PLAIN: 'plain-canary-value',
      CANARY_MULTILINE: 'multi\nline-canary',
      CANARY_QUOTED: 'quoted"canary',
    }),
  };

  it('--env Staging (wrong case) fails before secrets, build and push, even without deploy.environments', async () => {
    // Without deploy.environments the secrets stage has no list to reject a name against; only
    // the environment's resolution (a DNS label, it becomes a namespace) can, and it runs first.
    const dockfile = join(agentDir, 'Dockfile.yaml');
    const text = readFileSync(dockfile, 'utf8');
    writeFileSync(dockfile, text.slice(0, text.indexOf('  environments:\n')));
    git(agentDir, ['commit', '--quiet', '-am', 'no environments']);
    const before = mainTip();
    const c = captureCli({
      cwd: box.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...canarySecrets },
    });
    const code = await c.run([
      'deploy',
      agentDir,
      '--env',
      'Staging',
      '--environments-repo',
      bare,
      '--registry',
      '127.0.0.1:5999/acme',
      '--push',
    ]);
    expect(code).toBe(1);
    expect(c.stderr()).toContain("environment name 'Staging' is not a DNS-1123 label");
    expect(c.stderr()).not.toContain('Check secrets');
    expect(c.stderr()).not.toContain('Build and push image');
    expect(mainTip()).toBe(before);
  });

  it('an invalid Dockfile lists its errors with positions', async () => {
    writeFileSync(
      join(agentDir, 'Dockfile.yaml'),
      'version: "1.0"\nagent:\n  name: Bad_Name\n  handler: app.handler:handle\n',
    );
    const r = await deploy(['--registry', '127.0.0.1:5999/acme', '--push']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Dockfile\.yaml is invalid \(\d+ error/);
    expect(r.stderr).toMatch(/Dockfile\.yaml:3:\d+ 4002/);
    expect(r.stderr).not.toContain('Check secrets');
  });

  it('usage mistakes exit 2: no --env, an --image without a digest, no registry', async () => {
    const secrets = {
      DOCKRION_SECRETS_JSON: JSON.stringify({
        CANARY_PLAIN: 'plain-canary-value',
        CANARY_MULTILINE: 'multi\nline-canary',
        CANARY_QUOTED: 'quoted"canary',
      }),
    };
    const noEnv = await main(['deploy', agentDir, '--environments-repo', bare], {
      cwd: box.dir,
      env: {},
      stdout: () => {},
      stderr: () => {},
      logger: consoleLogger({ write: () => {} }),
      exec: nodeExec(),
    });
    expect(noEnv).toBe(2);
    const undigested = await deploy(['--image', '127.0.0.1:5999/acme/gitops-errors:1.0.0'], secrets);
    expect(undigested.code).toBe(2);
    expect(undigested.stderr).toContain('is not pinned by digest');
    const noRegistry = await deploy(['--push'], secrets);
    expect(noRegistry.code).toBe(2);
    expect(noRegistry.stderr).toContain('deploy needs --registry');
  });

  requireInfra('registry', hasRegistry()).it(
    'promoting a digest the registry does not have says to copy the earlier ref, not to rebuild',
    async () => {
      const before = mainTip();
      const absent = `${registry()}/acme/gitops-errors:1.0.0@sha256:${'0'.repeat(64)}`;
      const r = await deploy(['--image', absent], {
        DOCKRION_SECRETS_JSON: JSON.stringify({
          CANARY_PLAIN: 'a',
          CANARY_MULTILINE: 'b',
          CANARY_QUOTED: 'c',
        }),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('does not exist in the registry');
      expect(r.stderr).toContain('promotion deploys an image that already exists');
      expect(r.stderr).not.toContain('rerun the build');
      expect(mainTip()).toBe(before);
    },
  );
});
