import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { brief, fixtures, type TempRepo, tempRepo } from './helpers.ts';

describe('source positions', () => {
  let repo: TempRepo | undefined;
  afterEach(() => repo?.cleanup());

  it('points every error of a multi-error Dockfile at its line and column', async () => {
    const result = await loadDockfile('multi-error.yaml', { cwd: fixtures, processEnv: {} });
    expect(result.valid).toBe(false);
    expect(brief(result.errors)).toEqual([
      '4002 version @multi-error.yaml:1:10',
      '4002 agent.entrypoint @multi-error.yaml:2:1',
      '4002 agent.name @multi-error.yaml:3:9',
      '4002 agent.entrypont @multi-error.yaml:4:3',
      '4007 agent.framework @multi-error.yaml:5:14',
      '4002 model.temperature @multi-error.yaml:9:16',
      '4004 io_schema.output_class @multi-error.yaml:10:1',
      '4005 auth.jwt.secret_key @multi-error.yaml:14:3',
      '4005 auth.rate_limits.developer @multi-error.yaml:17:5',
      '4006 policies.safety.redact_patterns[0] @multi-error.yaml:20:23',
      '4010 expose.rest @multi-error.yaml:22:9',
      '4011 secrets.required[1].name @multi-error.yaml:27:13',
      '4012 deploy.image @multi-error.yaml:29:10',
      '4012 deploy.autoscaling.min @multi-error.yaml:30:23',
      '4012 deploy.resources.requests.cpu @multi-error.yaml:32:22',
      '4012 deploy.resources.requests.memory @multi-error.yaml:32:35',
      '4002 extra_key @multi-error.yaml:34:1',
      '4001 extra_key @multi-error.yaml:34:12',
    ]);
    expect(brief(result.warnings)).toEqual([
      '4103 auth.mode @multi-error.yaml:13:9',
      '4101 policies.safety.redact_patterns[1] @multi-error.yaml:20:36',
    ]);
    const byPath = Object.fromEntries(result.errors.map((e) => [`${e.code} ${e.path}`, e]));
    expect(byPath['4002 agent.entrypont']?.hint).toBe("did you mean 'entrypoint'?");
    expect(byPath['4007 agent.framework']?.hint).toBe("did you mean 'langgraph'?");
    expect(byPath['4002 version']?.hint).toBe('write version: "1.0" (quoted)');
  });

  it('points errors inside an included file at that file', async () => {
    repo = tempRepo();
    repo.write(
      'agent/Dockfile.yaml',
      'version: "1.0"\nagent:\n  name: ok-agent\n  handler: app.main:handle\nauth: !include config/auth.yaml\npolicies: !include config/policies.yaml\n',
    );
    repo.write('agent/config/auth.yaml', '# auth for the agent\nmode: jwt\njwt:\n  algoritms: [HS256]\n');
    repo.write('agent/config/policies.yaml', 'safety:\n  redact_patterns:\n    - "[unclosed"\n');
    const result = await loadDockfile(join(repo.root, 'agent/Dockfile.yaml'), {
      root: repo.root,
      processEnv: {},
    });
    const file = (name: string) => join(repo?.root ?? '', 'agent', name);
    expect(brief(result.errors)).toEqual([
      `4005 auth.jwt.secret_key @${file('config/auth.yaml')}:3:1`,
      `4002 auth.jwt.algoritms @${file('config/auth.yaml')}:4:3`,
      `4006 policies.safety.redact_patterns[0] @${file('config/policies.yaml')}:3:7`,
    ]);
    expect(result.errors[1]?.hint).toBe("did you mean 'algorithms'?");
  });

  it('names included files relative to the Dockfile path the user gave', async () => {
    repo = tempRepo();
    repo.write('Dockfile.yaml', 'version: "1.0"\nagent: !include parts/agent.yaml\n');
    repo.write('parts/agent.yaml', 'name: Bad_Name\nhandler: app:run\n');
    const result = await loadDockfile('Dockfile.yaml', { cwd: repo.root, processEnv: {} });
    expect(brief(result.errors)).toEqual(['4002 agent.name @parts/agent.yaml:1:7']);
    expect(result.errors[0]?.hint).toBe("use 'bad-name'");
  });
});
