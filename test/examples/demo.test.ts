/**
 * `npm run demo` (scripts/demo.mjs), really run:
 * - without Docker (`--no-docker`): validate → render → commit, with a clear message, and the
 *   committed secrets.env.age decrypts with the host key the demo generated;
 * - with Docker, a registry and the base image: the whole story — deploy 1.0.0, apply, /invoke,
 *   deploy 1.0.1, roll back — checked from the environments repo's log.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { armor, Decrypter } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import { baseImage, hasBaseImage, hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { repoRoot } from './python.ts';

const workspaces: string[] = [];
const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const kubectl = requireInfra('kubectl', kubectlPresent, 'kubectl is not on PATH');
afterAll(() => {
  for (const w of workspaces) rmSync(w, { recursive: true, force: true });
});

function demo(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, ['scripts/demo.mjs', '--keep', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env,
    timeout: 1_500_000,
  });
  const workspace = /workspace kept: (\S+)/.exec(r.stdout)?.[1];
  if (workspace) workspaces.push(workspace);
  return { ...r, workspace };
}

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();

describe('npm run demo', () => {
  it('without Docker: says so, then validates, renders and commits to the local environments repo', async () => {
    const r = demo(['--no-docker']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Docker is not available: --no-docker was given.');
    expect(r.stdout).toContain('validate → render → commit');
    expect(r.stdout).toContain('Dockfile.yaml: valid (0 errors, 0 warnings)');
    const workspace = r.workspace ?? '';
    expect(existsSync(workspace)).toBe(true);
    const repo = join(workspace, 'environments.git');
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe(
      'demo(langgraph-tools): rendered without Docker (placeholder digest, not deployable)',
    );
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    expect(files).toContain('staging/langgraph-tools/compose.yaml');
    expect(files).toContain('staging/langgraph-tools/secrets.env.age');
    expect(files).toContain('production/langgraph-tools/kustomization.yaml');
    expect(files).toContain('production/langgraph-tools/externalsecret.yaml');

    // The staging secrets are encrypted to the host key the demo generated, and only to it.
    const key = readFileSync(join(workspace, 'host-age.key'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('AGE-SECRET-KEY-'));
    expect(key).toBeDefined();
    const cipher = spawnSync('git', ['show', 'main:staging/langgraph-tools/secrets.env.age'], { cwd: repo });
    const decrypter = new Decrypter();
    decrypter.addIdentity(key ?? '');
    const text = cipher.stdout.toString('utf8');
    const bytes = text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----') ? armor.decode(text) : cipher.stdout;
    const plain = await decrypter.decrypt(bytes, 'text');
    expect(plain).toMatch(/^OPENAI_API_KEY="?demo-not-a-real-key"?$/m);
    expect(plain).toMatch(/^DOCKRION_API_KEY=/m);
    expect(git(repo, 'show', 'main:staging/langgraph-tools/compose.yaml')).not.toContain(
      'demo-not-a-real-key',
    );
  });

  kubectl.it(
    'docs/environments-repo.md: a hand-written <env>/kustomization.yaml builds the agent folders',
    () => {
      const workspace = workspaces.at(-1) ?? '';
      expect(existsSync(join(workspace, 'environments.git')), 'the no-Docker demo must have run').toBe(true);
      const checkout = join(workspace, 'checkout');
      spawnSync('git', ['clone', '-q', join(workspace, 'environments.git'), checkout]);
      writeFileSync(
        join(checkout, 'production/kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - langgraph-tools\n',
      );
      const built = spawnSync('kubectl', ['kustomize', join(checkout, 'production')], { encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      const kinds = [...built.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
      expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ExternalSecret', 'ConfigMap']));
      expect(built.stdout).not.toContain('dockfile_sha256'); // dockrion.json is not a resource
    },
  );
});

const infra = requireInfra('docker, registry and base image', hasRegistry() && hasBaseImage());

infra.describe('npm run demo with Docker', () => {
  infra.it(
    'deploys 1.0.0, applies, invokes, deploys 1.0.1, rolls back to 1.0.0',
    () => {
      // Unique per run: a Compose project is host-wide and other runs may share the engine.
      const agent = `demo-${randomBytes(3).toString('hex')}`;
      const r = demo([], {
        ...process.env,
        DOCKRION_DEMO_AGENT: agent,
        DOCKRION_DEMO_REGISTRY: registry() ?? '',
        DOCKRION_DEMO_BASE_IMAGE: baseImage() ?? '',
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('deployed 1.0.0 → 1.0.1, rolled back to 1.0.0');
      expect(r.stdout).toMatch(/→ 200 answer="3 x widget at \$2\.50 each = \$7\.50" version=1\.0\.0/);
      expect(r.stdout).toMatch(/→ 200 answer="12 \* \(3 \+ 4\) = 84" version=1\.0\.1/);
      expect(r.stdout).toMatch(/→ 200 answer="2 \*\* 10 = 1024" version=1\.0\.0/);
      const repo = join(r.workspace ?? '', 'environments.git');
      const subjects = git(repo, 'log', '--format=%s', 'main').split('\n');
      expect(subjects[0]).toBe(`rollback(${agent}): staging 1.0.1 → 1.0.0`);
      expect(subjects[1]).toMatch(new RegExp(`^deploy\\(${agent}\\): staging 1\\.0\\.1 @ [0-9a-f]{12}$`));
      expect(subjects[2]).toMatch(new RegExp(`^deploy\\(${agent}\\): staging 1\\.0\\.0 @ [0-9a-f]{12}$`));
      // The compose project (compose.yaml's `name:`, which apply also uses) was taken down at the end.
      const ps = spawnSync('docker', ['compose', '-p', `${agent}-staging`, 'ps', '-q'], {
        encoding: 'utf8',
      });
      expect(ps.stdout.trim()).toBe('');
    },
    1_500_000,
  );
});
