import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { captureCli } from '../support/cli.ts';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.ts';
import { hasRegistry, registry, requireInfra } from '../support/infra.ts';
import { pushMinimalImage } from '../support/minimal-image.ts';
import { environmentsRepo, git, type Sandbox, sandbox } from './fixtures.ts';
import { composeDockfile } from './support.ts';

const TOKEN = 'ghs_concurrentDeploysToTheEnvironmentsRepo';
const AGENTS = Array.from({ length: 16 }, (_, i) => `swarm-${String(i).padStart(2, '0')}`);

const infra = requireInfra('registry', hasRegistry());

/**
 * Sixteen `dockrion deploy --direct` runs of different agents at once, through the CLI, against a
 * real smart-HTTP server (git http-backend). Each writes a different folder, so every rejected
 * push is a race on the ref, never a conflict: all must land.
 */
infra.describe('16 concurrent deploy --direct of different agents (git http-backend)', () => {
  let box: Sandbox;
  let server: GitHttpServer;
  let bare: string;
  let source: string;
  const images = new Map<string, string>();
  beforeAll(async () => {
    box = sandbox();
    bare = environmentsRepo(box.dir);
    // The server logs every accepted update of main (post-receive runs after the ref moved), to
    // prove it only ever moved forward.
    const hook = join(bare, 'hooks', 'post-receive');
    const log = join(box.dir, 'main-updates.log');
    writeFileSync(hook, `#!/bin/sh\ngrep ' refs/heads/main$' >> '${log}'\nexit 0\n`);
    chmodSync(hook, 0o755);
    server = await startGitHttpServer({ root: box.dir, token: TOKEN });
    source = join(box.dir, 'agents');
    mkdirSync(source);
    git(source, ['init', '--quiet', '--initial-branch=main']);
    for (const agent of AGENTS) {
      mkdirSync(join(source, agent, 'app'), { recursive: true });
      writeFileSync(join(source, agent, 'Dockfile.yaml'), composeDockfile(agent));
      writeFileSync(join(source, agent, 'app', '__init__.py'), '');
      writeFileSync(join(source, agent, 'app', 'handler.py'), 'def handle(payload):\n    return payload\n');
      images.set(
        agent,
        await pushMinimalImage(registry() ?? '', `dockrion-test/concurrency/${agent}`, '1.0.0'),
      );
    }
    git(source, ['add', '-A']);
    git(source, ['commit', '--quiet', '-m', 'agents']);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    box?.cleanup();
  });

  infra.it(
    'every deploy lands, main only moves forward, each folder is exactly its own deploy',
    async () => {
      const before = git(bare, ['rev-parse', 'main']);
      const runs = AGENTS.map(async (agent) => {
        const cli = captureCli({
          cwd: source,
          env: {
            PATH: process.env.PATH,
            HOME: box.dir,
            XDG_CACHE_HOME: join(box.dir, 'cache'),
            DOCKRION_ENVIRONMENTS_TOKEN: TOKEN,
          },
        });
        const code = await cli.run([
          'deploy',
          join(source, agent, 'Dockfile.yaml'),
          '--env',
          'staging',
          '--environments-repo',
          server.url('environments.git'),
          '--image',
          images.get(agent) ?? '',
          '--direct',
          '--format',
          'json',
        ]);
        return { agent, code, stdout: cli.stdout(), stderr: cli.stderr() };
      });
      const results = await Promise.all(runs);
      for (const r of results) {
        expect(r.code, `${r.agent}: ${r.stderr}`).toBe(0);
        const out = JSON.parse(r.stdout) as { operation: string; commit: string };
        expect(out.operation, r.agent).toBe('direct');
        // The folder on main is exactly what this deploy's commit wrote there.
        const dir = `staging/${r.agent}`;
        expect(git(bare, ['rev-parse', `main:${dir}`])).toBe(
          git(bare, ['rev-parse', `${out.commit}:${dir}`]),
        );
        git(bare, ['merge-base', '--is-ancestor', out.commit, 'main']);
        const record = JSON.parse(git(bare, ['show', `main:${dir}/dockrion.json`])) as { image: string };
        expect(record.image).toBe(images.get(r.agent));
      }
      // One commit per deploy on top of the seed, in a straight line; nothing else changed.
      expect(git(bare, ['rev-list', '--count', `${before}..main`])).toBe(String(AGENTS.length));
      expect(git(bare, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
      expect(git(bare, ['show', 'main:staging/other-agent/compose.yaml'])).toBe('services: {}');
      // Every accepted update of main was a fast-forward of the one before.
      const updates = readFileSync(join(box.dir, 'main-updates.log'), 'utf8').trim().split('\n');
      expect(updates).toHaveLength(AGENTS.length);
      // Hooks of concurrent pushes may log out of order; the updates must still form one chain.
      const next = new Map<string, string>();
      for (const line of updates) {
        const [oldId = '', newId = ''] = line.split(' ');
        expect(next.has(oldId), `main moved from ${oldId} twice`).toBe(false);
        expect(git(bare, ['rev-parse', `${newId}^`])).toBe(oldId);
        next.set(oldId, newId);
      }
      let tip = before;
      for (let i = 0; i < AGENTS.length; i++) tip = next.get(tip) ?? '(chain broken)';
      expect(tip).toBe(git(bare, ['rev-parse', 'main']));
    },
    600_000,
  );
});
