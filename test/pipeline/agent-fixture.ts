import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../gitops/fixtures.ts';
import { baseImage } from '../support/infra.ts';

export interface AgentFixtureOptions {
  name: string;
  version: string;
  /** Host port the Compose service publishes (127.0.0.1 only: auth mode none). */
  port: number;
  /** age recipients per environment (public keys). */
  recipients: string;
  /** A build whose process dies on start, for health-failure tests. */
  crash?: boolean;
  /** A build that starts and stays live (/health 200) but never finishes loading (/ready 503). */
  neverReady?: boolean;
}

/** Public key and identity file of a fresh age key pair (the Debian `age` tools). */
export function ageKeyPair(dir: string): { recipient: string; identityFile: string } {
  const identityFile = join(dir, 'host-age.key');
  execFileSync('age-keygen', ['-o', identityFile], { stdio: 'pipe' });
  const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
  return { recipient, identityFile };
}

/**
 * `dockrion deploy` flags that build FROM the test base image and push to `namespace`, without
 * attestations (the engine's docker driver cannot attach them).
 */
export function pushToTestRegistry(namespace: string): string[] {
  return ['--registry', namespace, '--push', '--base-image', baseImage() ?? '', '--provenance', 'false'];
}

export const SECRET_NAMES = ['CANARY_PLAIN', 'CANARY_MULTILINE', 'CANARY_QUOTED'] as const;

function dockfile(o: AgentFixtureOptions): string {
  return `version: "1.0"
agent:
  name: ${o.name}
  description: answers with the version it was deployed as
  handler: app.handler:handle
auth:
  mode: none
expose:
  rest: true
  streaming: none
  port: ${o.port}
metadata:
  version: ${o.version}
secrets:
  required:
${SECRET_NAMES.map((n) => `    - name: ${n}`).join('\n')}
build:
  include:
    directories: [app]
deploy:
  target: compose
  resources:
    limits: { cpu: 500m, memory: 256Mi }
${
  // A process stuck in its load does not exit on SIGTERM: without a drain budget, Compose kills it
  // 5 s after, instead of after the default grace, when apply replaces it.
  o.neverReady ? '  env:\n    DOCKRION_SHUTDOWN_GRACE_SECONDS: 0\n' : ''
}  environments:
    staging:
      target: compose
      secrets:
        provider: github
        age_recipients: [${o.recipients}]
    prod:
      target: compose
      secrets:
        provider: github
        age_recipients: [${o.recipients}]
`;
}

/**
 * Seconds the handler module takes to import, as a real agent's model load does. `/health`
 * answers meanwhile and `/ready` does not, so a deploy is only "up" once this has passed.
 */
export const LOAD_SECONDS = 6;

function handler(o: AgentFixtureOptions): string {
  const crash = o.crash
    ? 'os._exit(3)  # this build is broken on purpose\n'
    : o.neverReady
      ? 'import threading\nthreading.Event().wait()  # this build never finishes loading\n'
      : '';
  return `import hashlib
import os
import time

${crash}
time.sleep(${LOAD_SECONDS})  # a slow load: the agent is live but not ready meanwhile


def handle(payload):
    secret = os.environ.get("CANARY_PLAIN", "")
    return {
        "version": os.environ.get("DOCKRION_VERSION", ""),
        "environment": os.environ.get("DOCKRION_ENV", ""),
        "secret_sha256": hashlib.sha256(secret.encode()).hexdigest(),
        "echo": payload.get("message", ""),
    }
`;
}

/** Writes (or rewrites) the agent's source repo and commits; returns the Dockfile path. */
export function writeAgentSource(dir: string, o: AgentFixtureOptions): string {
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'Dockfile.yaml'), dockfile(o));
  writeFileSync(join(dir, 'app', '__init__.py'), '');
  writeFileSync(join(dir, 'app', 'handler.py'), handler(o));
  writeFileSync(join(dir, 'requirements.txt'), '# standard library only\n');
  try {
    git(dir, ['rev-parse', '--git-dir']);
  } catch {
    git(dir, ['init', '--quiet', '--initial-branch=main']);
    git(dir, ['remote', 'add', 'origin', 'https://github.com/acme/agents.git']);
  }
  git(dir, ['add', '-A']);
  const note = o.crash ? ' (broken)' : o.neverReady ? ' (never ready)' : '';
  git(dir, ['commit', '--quiet', '--allow-empty', '-m', `agent ${o.version}${note}`]);
  return join(dir, 'Dockfile.yaml');
}
