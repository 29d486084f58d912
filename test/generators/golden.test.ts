import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDockfile } from '../../action/dockfile/index.ts';
import type { DockSpec } from '../../action/dockfile/types.ts';
import { renderManifests } from '../../generators/index.ts';
import { repoRoot, requireInfra } from '../support/infra.ts';
import { validateAgainstSchema } from './kubernetes-validate.ts';
import { DIGEST, parseFile, runTool, toolAnswers, writeTemp } from './support.ts';

/**
 * Golden files: every example × environment × target, rendered from the real Dockfile through the
 * real loader. `UPDATE_GOLDEN=1 npx vitest run test/generators/golden.test.ts` rewrites them.
 */
const GOLDEN_ROOT = path.join(repoRoot, 'test/generators/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const EXAMPLES = ['langchain-runnable', 'langgraph-tools', 'plain-handler'];
const TARGETS = ['compose', 'kubernetes'] as const;

async function loadExample(example: string): Promise<DockSpec> {
  const file = path.join(repoRoot, 'examples', example, 'Dockfile.yaml');
  const result = await loadDockfile(file, { processEnv: {}, python: null });
  if (!result.valid || !result.spec) {
    throw new Error(`${file} is invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  return result.spec;
}

function renderExample(spec: DockSpec, environment: string, target: (typeof TARGETS)[number]) {
  const version = String(spec.metadata?.version ?? '0.0.0');
  return renderManifests({
    spec,
    environment,
    target,
    image: `ghcr.io/acme/${spec.agent.name}:${version}@${DIGEST}`,
    version,
    secretVersions: 'sha256:5ecre7-versions-not-values',
    source: { repo: 'acme/agents', commit: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
  });
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const kubectl = toolAnswers('kubectl', ['version', '--client']);
const compose = toolAnswers('docker', ['compose', 'version']);
const { it: itWithKubectl } = requireInfra('kubectl', kubectl.present, kubectl.reason);
const { it: itWithCompose } = requireInfra('docker compose v2', compose.present, compose.reason);

describe.each(EXAMPLES)('golden: examples/%s', (example) => {
  it('matches the committed golden files for every environment and target', async () => {
    const spec = await loadExample(example);
    const environments = Object.keys(spec.deploy?.environments ?? {}).sort();
    expect(environments.length).toBeGreaterThanOrEqual(2);
    const exampleDir = path.join(GOLDEN_ROOT, example);
    if (UPDATE) rmSync(exampleDir, { recursive: true, force: true });
    const expected: string[] = [];
    for (const environment of environments) {
      for (const target of TARGETS) {
        for (const file of renderExample(spec, environment, target).files) {
          const relative = path.join(environment, target, file.path);
          expected.push(relative);
          const goldenPath = path.join(exampleDir, relative);
          if (UPDATE) {
            mkdirSync(path.dirname(goldenPath), { recursive: true });
            writeFileSync(goldenPath, file.content);
          }
          expect(existsSync(goldenPath), `${goldenPath} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
          expect(file.content, `${relative} differs from its golden file`).toBe(
            readFileSync(goldenPath, 'utf8'),
          );
        }
      }
    }
    expect(listFiles(exampleDir), 'golden files no render produces any more').toEqual(expected.sort());
  });

  it('validates every Kubernetes object against the upstream schemas', async () => {
    const spec = await loadExample(example);
    for (const environment of Object.keys(spec.deploy?.environments ?? {})) {
      const { files } = renderExample(spec, environment, 'kubernetes');
      const objects = files.filter((f) => f.path !== 'kustomization.yaml').flatMap(parseFile);
      expect(objects.length).toBeGreaterThanOrEqual(4);
      for (const object of objects) validateAgainstSchema(object);
    }
  });

  itWithKubectl('builds every environment with kubectl kustomize', async () => {
    const spec = await loadExample(example);
    for (const environment of Object.keys(spec.deploy?.environments ?? {})) {
      const { files } = renderExample(spec, environment, 'kubernetes');
      const temp = writeTemp(files);
      cleanups.push(temp.cleanup);
      const built = runTool('kubectl', ['kustomize', temp.dir]);
      expect(built.stderr, `${example}/${environment}`).toBe('');
      expect(built.stdout.split(/^---$/m)).toHaveLength(files.length - 1);
    }
  });

  itWithCompose('passes docker compose config for every environment', async () => {
    const spec = await loadExample(example);
    for (const environment of Object.keys(spec.deploy?.environments ?? {})) {
      const { files } = renderExample(spec, environment, 'compose');
      const temp = writeTemp(files, { 'secrets.env': '' });
      cleanups.push(temp.cleanup);
      const result = runTool('docker', ['compose', '-f', 'compose.yaml', 'config', '--quiet'], temp.dir);
      expect(result.stderr, `${example}/${environment}`).toBe('');
      expect(result.code).toBe(0);
    }
  });
});
