import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { consoleLogger, silentLogger } from '../../action/adapters/logger.ts';
import { main } from '../../action/cli.ts';
import type { CliContext } from '../../action/commands/context.ts';
import { loadDockfile } from '../../action/dockfile/index.ts';
import { assembleBuildContext, buildImage, locateRuntimeDir } from '../../action/image/index.ts';
import { labelValueAsBuilt } from '../../generators/dockerfile/escape.ts';
import { canaryValues, filesLeakingCanaries, leakedCanaries } from '../support/canary.ts';
import { baseImage, hasBaseImage, hasRegistry, registry, repoRoot, requireInfra } from '../support/infra.ts';
import { tempTree } from './agent-tree.ts';
import {
  docker,
  dockerClient,
  exec,
  inspectImage,
  removeContainers,
  removeImageIds,
  removeImages,
  runUntilReady,
} from './docker.ts';

const infra = requireInfra('docker, registry and base image', hasRegistry() && hasBaseImage());

/** What the description should read in the image; the Dockfile spells `${` as `$${` (no interpolation). */
const hostileDescription = [
  'line one\nRUN touch /pwned-newline',
  'quote " LABEL injected=1',
  'sub $(touch /pwned-sub) `id`',
  'expand ${HOME} $HOME ${X:-$(id)}',
  'backslash-newline \\\nRUN touch /pwned-continuation',
  'trailing \\',
].join(' | ');

const canaries = canaryValues('CANARY');
const apiKey = `key-${randomBytes(8).toString('hex')}`;

function dockfileText(): string {
  const declared = [...Object.keys(canaries.values), 'DOCKRION_API_KEY', 'HELPDESK_API_TOKEN'];
  return `version: "1.0"
agent:
  name: canary-agent
  description: ${JSON.stringify(hostileDescription.replaceAll('${', () => '$${'))}
  handler: app.handler:handle
model:
  provider: custom
  name: fake
  extra:
    token: \${CANARY_PLAIN}
    multi: \${CANARY_MULTILINE}
    quoted: \${CANARY_QUOTED}
auth:
  mode: api_key
expose:
  port: 8080
  streaming: none
metadata:
  version: 2.0.0
secrets:
  required:
${declared.map((name) => `    - name: ${name}`).join('\n')}
`;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
      GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
    },
  }).trim();
}

infra.describe('secrets stay out of the image; user values cannot inject instructions (real build)', () => {
  const repo = tempTree('canary-repo');
  const svc = join(repo.root, 'svc');
  const namespace = `${registry()}/dockrion-test-${randomBytes(4).toString('hex')}`;
  const containers: string[] = [];
  const images: string[] = [];
  let result: { image: string; tag: string; digest: string; ref: string };
  let cliLog = '';
  let cliStdout = '';
  let exitCode = -1;

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/plain-handler/app'), join(svc, 'app'), { recursive: true });
    cpSync(join(repoRoot, 'examples/plain-handler/requirements.txt'), join(svc, 'requirements.txt'));
    repo.write('svc/Dockfile.yaml', dockfileText());
    git(repo.root, 'init', '-q', '-b', 'main');
    git(repo.root, 'remote', 'add', 'origin', 'git@github.com:Acme/Agents.git');
    git(repo.root, 'add', '.');
    git(repo.root, 'commit', '-q', '-m', 'agent');
    // Secret sources planted after the commit, as on a developer machine or a runner.
    const dotEnv = Object.entries(canaries.values)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n');
    repo.write('svc/.env', `${dotEnv}\n`);
    repo.write('svc/app/.env.local', `${dotEnv}\n`);
    const secretsJson = JSON.stringify(canaries.values);
    repo.write('secrets.json', secretsJson);

    const logger = consoleLogger({ verbose: true, write: (s) => (cliLog += s) });
    const ctx: CliContext = {
      cwd: repo.root,
      env: { ...process.env, ...canaries.values, DOCKRION_SECRETS_JSON: secretsJson },
      stdout: (s) => (cliStdout += s),
      stderr: (s) => (cliLog += s),
      logger,
      exec,
    };
    const envArgs = Object.entries(canaries.values).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    exitCode = await main(
      [
        'build',
        'svc',
        '--registry',
        namespace,
        '--push',
        '--base-image',
        baseImage() as string,
        '--format',
        'json',
        ...envArgs,
      ],
      ctx,
    );
    if (exitCode === 0) {
      result = JSON.parse(cliStdout);
      images.push(result.ref, `${result.image}:sha-${git(repo.root, 'rev-parse', 'HEAD').slice(0, 7)}`);
    }
  }, 900_000);

  afterAll(async () => {
    await removeContainers(containers);
    await removeImages(images);
    repo.dispose();
  });

  infra.it('dockrion build --push --format json prints one JSON document with the pinned ref', () => {
    expect(exitCode, cliLog.slice(-3000)).toBe(0);
    const commit = git(repo.root, 'rev-parse', 'HEAD');
    expect(Object.keys(result).sort()).toEqual(['digest', 'image', 'ref', 'tag']);
    expect(result.image).toBe(`${namespace}/canary-agent`);
    expect(result.tag).toBe('2.0.0');
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.ref).toBe(`${result.image}:2.0.0@${result.digest}`);
    expect(cliLog).toContain(`pushed ${result.ref}`);
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
  });

  infra.it('no canary in the image filesystem, history, config, or the build log', async () => {
    expect(exitCode).toBe(0);
    const id = await docker('create', result.ref);
    containers.push(id);
    const tar = join(repo.root, 'export.tar');
    await docker('export', '--output', tar, id);
    const filesystem = readFileSync(tar);
    expect(filesystem.length).toBeGreaterThan(10_000_000);
    expect(leakedCanaries(filesystem, canaries)).toEqual([]);
    // The detector works on this very archive: the agent code it contains is found.
    expect(filesystem.includes('def handle(payload')).toBe(true);

    const history = await docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', result.ref);
    expect(history).toContain('COPY');
    expect(leakedCanaries(history, canaries)).toEqual([]);
    const config = await docker('image', 'inspect', result.ref);
    expect(leakedCanaries(config, canaries)).toEqual([]);
    expect(leakedCanaries(cliLog + cliStdout, canaries)).toEqual([]);

    // The config still references the secrets by name, for the runtime to resolve at start-up.
    const dockrionJson = await docker('run', '--rm', '--entrypoint', 'cat', result.ref, '/app/dockrion.json');
    expect(dockrionJson).toContain('${CANARY_PLAIN}');
    const appFiles = await docker(
      'run',
      '--rm',
      '--entrypoint',
      'find',
      result.ref,
      '/app',
      '-name',
      '.env*',
    );
    expect(appFiles).toBe('');
  });

  infra.it('the assembled build context holds no canary either', async () => {
    const loaded = await loadDockfile(join(svc, 'Dockfile.yaml'), {
      env: canaries.values,
      processEnv: { ...canaries.values },
      root: repo.root,
      python: null,
    });
    expect(loaded.errors).toEqual([]);
    const out = tempTree('canary-context');
    try {
      assembleBuildContext({
        spec: loaded.spec as NonNullable<typeof loaded.spec>,
        dockfilePath: join(svc, 'Dockfile.yaml'),
        runtimeDir: locateRuntimeDir(),
        outDir: join(out.root, 'ctx'),
        version: '2.0.0',
        source: { repo: 'https://github.com/acme/agents', commit: 'a'.repeat(40), commitTime: 1767323045 },
      });
      expect(filesLeakingCanaries(join(out.root, 'ctx'), canaries)).toEqual([]);
    } finally {
      out.dispose();
    }
  });

  infra.it('a hostile description becomes one literal label and no instruction', async () => {
    expect(exitCode).toBe(0);
    const config = await inspectImage(result.ref);
    expect(config.Config.Labels['org.opencontainers.image.description']).toBe(
      labelValueAsBuilt(hostileDescription),
    );
    expect(config.Config.Labels.injected).toBeUndefined();
    expect(config.Config.Labels['org.opencontainers.image.source']).toBe('https://github.com/Acme/Agents');
    expect(config.Config.Labels['org.opencontainers.image.created']).toBe('2026-01-02T03:04:05Z');
    const pwned = await exec.run(
      'docker',
      ['run', '--rm', '--entrypoint', 'sh', result.ref, '-c', 'ls /pwned-* 2>/dev/null | wc -l'],
      {},
    );
    expect(pwned.stdout.trim()).toBe('0');
  });

  infra.it('the container starts with secrets given only at run time', async () => {
    expect(exitCode).toBe(0);
    const env = { ...canaries.values, DOCKRION_API_KEY: apiKey, HELPDESK_API_TOKEN: 't' };
    const container = await runUntilReady(result.ref, env, { containers });
    const response = await fetch(`${container.url}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-API-Key': apiKey },
      body: JSON.stringify({ message: 'the site is down' }),
    });
    expect(response.status).toBe(200);
    expect(leakedCanaries(await container.logs(), canaries)).toEqual([]);
  });
});

infra.describe('layer cache: a one-line agent change rebuilds only the agent layer', () => {
  const namespace = `${registry()}/dockrion-test-${randomBytes(4).toString('hex')}`;
  const images: string[] = [];
  const agent = tempTree('layers');

  afterAll(async () => {
    await removeImages(images);
    agent.dispose();
  });

  infra.it(
    'rebuild after editing handler.py changes only the agent layer',
    async () => {
      cpSync(join(repoRoot, 'examples/plain-handler'), join(agent.root, 'agent'), { recursive: true });
      // runtime/ is edited in this work tree while tests run; both builds must see the same one.
      cpSync(join(repoRoot, 'runtime'), join(agent.root, 'runtime'), { recursive: true });
      const dockfilePath = join(agent.root, 'agent/Dockfile.yaml');
      const loaded = await loadDockfile(dockfilePath, { root: agent.root, processEnv: {}, python: null });
      expect(loaded.errors).toEqual([]);
      const build = (commit: string) =>
        buildImage({
          spec: loaded.spec as NonNullable<typeof loaded.spec>,
          dockfilePath,
          registry: namespace,
          push: false,
          baseImage: baseImage(),
          runtimeDir: join(agent.root, 'runtime'),
          version: `1.0.0-${commit.slice(0, 7)}`,
          source: { repo: 'https://github.com/acme/agents', commit, commitTime: 1767323045 },
          provenance: false,
          sbom: false,
          docker: dockerClient,
          logger: silentLogger(),
        });
      const first = await build('1'.repeat(40));
      images.push(`${first.image}:${first.tag}`, `${first.image}:${first.tags[1]}`);
      const handler = join(agent.root, 'agent/app/handler.py');
      // A line no earlier run has built, so the agent layer is really rebuilt.
      const edit = `Thanks (${randomBytes(4).toString('hex')}) for reaching out`;
      expect(readFileSync(handler, 'utf8')).toContain('Thanks for reaching out');
      writeFileSync(handler, readFileSync(handler, 'utf8').replace('Thanks for reaching out', edit));
      const second = await build('2'.repeat(40));
      images.push(`${second.image}:${second.tag}`, `${second.image}:${second.tags[1]}`);

      const before = (await inspectImage(`${first.image}:${first.tag}`)).RootFS.Layers;
      const after = (await inspectImage(`${second.image}:${second.tag}`)).RootFS.Layers;
      expect(after.length).toBe(before.length);
      const changed = after.map((layer, i) => (layer === before[i] ? -1 : i)).filter((i) => i >= 0);
      expect(changed).toHaveLength(1);
      // Only WORKDIR's empty layer may follow the agent layer.
      const emptyLayer = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';
      expect(after.slice((changed[0] as number) + 1).every((layer) => layer === emptyLayer)).toBe(true);
    },
    600_000,
  );
});

infra.describe('reproducibility: the same commit built twice without cache', () => {
  const namespace = `${registry()}/dockrion-test-${randomBytes(4).toString('hex')}`;
  const pushed: string[] = [];
  const imageIds: string[] = [];
  const tree = tempTree('repro');

  afterAll(async () => {
    await removeImages(pushed);
    await removeImageIds(imageIds);
    tree.dispose();
  });

  infra.it(
    'gives the same manifest digest (layers, config and history all byte-identical)',
    async () => {
      cpSync(join(repoRoot, 'examples/plain-handler'), join(tree.root, 'agent'), { recursive: true });
      cpSync(join(repoRoot, 'runtime'), join(tree.root, 'runtime'), { recursive: true });
      const dockfilePath = join(tree.root, 'agent/Dockfile.yaml');
      const loaded = await loadDockfile(dockfilePath, { root: tree.root, processEnv: {}, python: null });
      expect(loaded.errors).toEqual([]);
      const build = () =>
        buildImage({
          spec: loaded.spec as NonNullable<typeof loaded.spec>,
          dockfilePath,
          registry: namespace,
          push: true,
          noCache: true,
          baseImage: baseImage(),
          runtimeDir: join(tree.root, 'runtime'),
          version: '3.0.0',
          source: { repo: 'https://github.com/acme/agents', commit: '3'.repeat(40), commitTime: 1767323045 },
          provenance: false,
          sbom: false,
          docker: dockerClient,
          logger: silentLogger(),
        });
      const first = await build();
      pushed.push(first.ref);
      imageIds.push((await inspectImage(`${first.image}:${first.tag}`)).Id);
      const second = await build();
      pushed.push(second.ref, `${second.image}:${second.tags[1]}`);
      imageIds.push((await inspectImage(`${second.image}:${second.tag}`)).Id);
      expect(second.digest).toBe(first.digest);
    },
    900_000,
  );
});

infra.describe('build.system_packages', () => {
  const namespace = `${registry()}/dockrion-test-${randomBytes(4).toString('hex')}`;
  const images: string[] = [];
  const tree = tempTree('apt');

  afterAll(async () => {
    await removeImages(images);
    tree.dispose();
  });

  infra.it(
    'are installed with apt and usable by the non-root user',
    async () => {
      cpSync(join(repoRoot, 'examples/plain-handler/app'), join(tree.root, 'app'), { recursive: true });
      const dockfilePath = tree.write(
        'Dockfile.yaml',
        'version: "1.0"\nagent:\n  name: apt-agent\n  handler: app.handler:handle\nbuild:\n  system_packages: [jq]\n',
      );
      const loaded = await loadDockfile(dockfilePath, { root: tree.root, processEnv: {}, python: null });
      expect(loaded.errors).toEqual([]);
      const image = await buildImage({
        spec: loaded.spec as NonNullable<typeof loaded.spec>,
        dockfilePath,
        registry: namespace,
        push: false,
        baseImage: baseImage(),
        version: '1.0.0',
        source: { repo: 'https://github.com/acme/agents', commit: '5'.repeat(40), commitTime: 1767323045 },
        provenance: false,
        sbom: false,
        docker: dockerClient,
        logger: silentLogger(),
      });
      images.push(`${image.image}:${image.tag}`, `${image.image}:${image.tags[1]}`);
      const out = await docker(
        'run',
        '--rm',
        '--entrypoint',
        'sh',
        `${image.image}:${image.tag}`,
        '-c',
        `id -u; echo '{"a":[1,2]}' | jq -c '.a'`,
      );
      expect(out.split('\n')).toEqual(['10001', '[1,2]']);
    },
    600_000,
  );
});
