import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/infra.ts';

describe('dockrion secrets check against the aws provider, as a process', () => {
  it('prints one clear error and no AWS SDK Node-version notice', () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // No credentials anywhere, and no instance-metadata probing: the read fails at once.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    };
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'action/cli.ts'),
        'secrets',
        'check',
        'examples/langgraph-tools/Dockfile.yaml',
        '--env',
        'aws-prod',
      ],
      { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "dockrion secrets: no AWS credentials to read secret 'prod/agents/langgraph-tools'",
    );
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.stderr).not.toContain('(node:');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
