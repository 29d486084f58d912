import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Docker } from '../../action/adapters/docker.ts';
import { nodeExec } from '../../action/adapters/exec.ts';
import { silentLogger } from '../../action/adapters/logger.ts';
import { ComposeApplier } from '../../action/gitops/apply/applier.ts';
import { saveState } from '../../action/gitops/apply/state.ts';
import { deployToEnvironments } from '../../action/gitops/index.ts';
import { dockerShim } from './docker-shim.ts';
import { environmentsRepo, recordFor, type Sandbox, sandbox } from './fixtures.ts';
import { context, gitOpsFailure } from './support.ts';

/** A docker that reports new versions once, then (as the real one at a missing socket) fails. */
function shimmedEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: dockerShim(dir, { engine: '26.1.5', compose: '2.26.1', once: true }),
    DOCKER_HOST: `unix://${join(dir, 'no-such-docker.sock')}`,
  };
}

describe('apply when the Docker engine goes away after the version check', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => box.cleanup());

  it('fails without marking the commit bad, so the next pass applies it again', async () => {
    const bare = environmentsRepo(box.dir);
    const record = recordFor('alpha', 'staging', '1.0.0');
    await deployToEnvironments(
      {
        target: { url: bare },
        record,
        files: [{ path: 'compose.yaml', content: `services:\n  alpha:\n    image: ${record.image}\n` }],
        direct: true,
      },
      context(),
    );
    const stateDir = join(box.dir, 'state');
    const env = shimmedEnv(box.dir);
    const applier = new ComposeApplier({
      target: { url: bare },
      environment: 'staging',
      identityFile: null,
      stateDir,
      waitTimeoutSeconds: 5,
      exec: nodeExec(),
      docker: new Docker({ exec: nodeExec(), env }),
      logger: silentLogger(),
      now: () => Date.now(),
      env,
    });
    const error = await gitOpsFailure(applier.applyOnce());
    expect(error.message).toContain('cannot reach the Docker engine while applying staging/alpha');
    expect(error.hint).toContain('dockerd');
    const stateFile = join(stateDir, 'staging', 'state.json');
    const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : null;
    expect(state?.failed ?? null).toBeNull();
    // The materialized folder is outside the repo and holds what compose needs.
    expect(readFileSync(join(stateDir, 'staging', 'run', 'alpha', 'compose.yaml'), 'utf8')).toContain(
      record.image,
    );
    expect(
      JSON.parse(readFileSync(join(stateDir, 'staging', 'run', 'alpha', 'dockrion.json'), 'utf8')).version,
    ).toBe('1.0.0');
  });

  it('takes down agents whose folder is gone from the branch and forgets them', async () => {
    const bare = environmentsRepo(box.dir);
    const stateDir = join(box.dir, 'state');
    await saveState(join(stateDir, 'staging', 'state.json'), {
      environment: 'staging',
      applied: null,
      failed: null,
      agents: { ghost: { commit: 'a'.repeat(40), tree: 'b'.repeat(40), version: '0.9.0', digest: null } },
    });
    const lines: string[] = [];
    const env = shimmedEnv(box.dir);
    const applier = new ComposeApplier({
      target: { url: bare },
      environment: 'staging',
      identityFile: null,
      stateDir,
      waitTimeoutSeconds: 5,
      exec: nodeExec(),
      docker: new Docker({ exec: nodeExec(), env }),
      logger: { ...silentLogger(), info: (m) => lines.push(m), warn: (m) => lines.push(m) },
      now: () => Date.now(),
      env,
    });
    const report = await applier.applyOnce();
    expect(report.status).toBe('applied');
    expect(report.agents.map((a) => `${a.agent} ${a.status} ${a.version}`)).toEqual(['ghost removed 0.9.0']);
    expect(lines.some((l) => l.includes('removing staging/ghost'))).toBe(true);
    const state = JSON.parse(readFileSync(join(stateDir, 'staging', 'state.json'), 'utf8'));
    expect(state.agents).toEqual({});
    expect(state.applied.commit).toBe(report.commit);
  });
});
