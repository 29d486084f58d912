import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type BuildSource, imageLabels } from '../../../generators/dockerfile/labels.ts';
import { type Framework, renderDockerfile } from '../../../generators/dockerfile/render.ts';
import type { DockSpec } from '../../../schemas/dock-spec.ts';
import { ImageError } from '../../../shared/errors.ts';
import { dockfileSha256 } from '../../dockfile/digest.ts';
import { normalizeDockfile } from '../../dockfile/index.ts';
import { selectAgentFiles } from './select.ts';

export type { BuildSource };

export interface BuildContextInput {
  spec: DockSpec;
  dockfilePath: string;
  /** The `runtime/` directory holding the `dockrion_runtime` package and its pyproject.toml. */
  runtimeDir: string;
  /** Created if missing; must be empty if present. */
  outDir: string;
  version: string;
  source: BuildSource;
}

export interface BuildContext {
  dir: string;
  /** Every file in the context, relative and `/`-separated, sorted. */
  files: string[];
  /** The rendered Dockerfile (also written to `<dir>/Dockerfile`). */
  dockerfile: string;
}

/** What of `runtime/` goes into the image: the package and what pip needs to build it. */
const RUNTIME_EXCLUDED = new Set(['tests', 'build', 'dist', '__pycache__', '.pytest_cache', '.venv']);

export function frameworkOf(spec: DockSpec): Framework {
  return spec.agent.framework ?? 'custom';
}

function entryOf(spec: DockSpec): string {
  const entry = spec.agent.entrypoint ?? spec.agent.handler;
  if (!entry) throw new ImageError('agent has neither entrypoint nor handler');
  return entry;
}

function runtimeFiles(runtimeDir: string): string[] {
  if (!existsSync(join(runtimeDir, 'pyproject.toml'))) {
    throw new ImageError(
      `${runtimeDir} has no pyproject.toml`,
      'runtimeDir must be the repository’s runtime/ directory',
    );
  }
  const out: string[] = [];
  const visit = (rel: string): void => {
    for (const entry of readdirSync(join(runtimeDir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (RUNTIME_EXCLUDED.has(entry.name) || entry.name.endsWith('.egg-info')) continue;
        visit(path);
      } else if (entry.isFile() && !entry.name.endsWith('.pyc')) {
        out.push(path);
      }
    }
  };
  visit('');
  return out.sort();
}

/** JSON with keys sorted at every level, so the config layer depends only on the content. */
function canonicalJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function readPort(config: unknown): number {
  const port = (config as { expose?: { port?: unknown } }).expose?.port;
  if (typeof port !== 'number') throw new ImageError('the normalized config has no expose.port');
  return port;
}

function prepareOutDir(outDir: string): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new ImageError(`${outDir} is not empty`, 'the build context is written to a fresh directory');
  }
  mkdirSync(outDir, { recursive: true });
}

function copyInto(outDir: string, target: string, source: string): void {
  const destination = join(outDir, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(source, destination);
  // Only the owner-execute bit survives: the layer must not depend on the checkout's umask.
  chmodSync(destination, statSync(source).mode & 0o100 ? 0o755 : 0o644);
}

function writeInto(outDir: string, target: string, content: string): void {
  const destination = join(outDir, target);
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, content, { mode: 0o644 });
  chmodSync(destination, 0o644);
}

/** BuildKit copies mtimes into layers; pinning them to the commit time keeps layers reproducible. */
function pinTimes(dir: string, epochSeconds: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o755);
      pinTimes(path, epochSeconds);
    }
    utimesSync(path, epochSeconds, epochSeconds);
  }
  utimesSync(dir, epochSeconds, epochSeconds);
}

/**
 * Writes the Docker build context for one agent into `outDir`:
 * `Dockerfile`, `config/dockrion.json` (normalized Dockfile), `runtime/` (the dockrion_runtime package),
 * `requirements.txt` (when the agent has one) and `agent/` (the selected agent code).
 * Reads only the agent directory (the Dockfile's) and `runtimeDir`. No secret value is an input,
 * and `.env` files are never copied (see ALWAYS_EXCLUDED).
 */
export function assembleBuildContext(input: BuildContextInput): BuildContext {
  const { spec, source } = input;
  const dockfilePath = resolve(input.dockfilePath);
  const agentDir = dirname(dockfilePath);
  const outDir = resolve(input.outDir);
  const runtimeDir = resolve(input.runtimeDir);
  if (!Number.isInteger(source.commitTime) || source.commitTime < 0) {
    throw new ImageError(`source.commitTime must be Unix seconds, got ${source.commitTime}`);
  }
  prepareOutDir(outDir);

  const config = normalizeDockfile(spec);

  const requirementsSetting = spec.build?.requirements;
  const requirementsPath = join(agentDir, requirementsSetting ?? 'requirements.txt');
  if (requirementsSetting !== undefined && !existsSync(requirementsPath)) {
    throw new ImageError(`build.requirements: ${requirementsSetting} does not exist next to the Dockfile`);
  }
  const hasRequirements = existsSync(requirementsPath);

  const agentFiles = selectAgentFiles(agentDir, {
    include: spec.build?.include,
    exclude: spec.build?.exclude,
    entry: entryOf(spec),
    alsoExclude: [relative(agentDir, dockfilePath), 'dockrion.json'],
    skipDirectories: [outDir],
  });
  if (agentFiles.length === 0)
    throw new ImageError('no agent files selected', 'check build.include and build.exclude');

  const dockerfile = renderDockerfile({
    framework: frameworkOf(spec),
    python: spec.build?.python,
    baseImage: spec.build?.base_image,
    port: readPort(config),
    systemPackages: spec.build?.system_packages,
    hasRequirements,
    labels: imageLabels({
      agent: spec.agent.name,
      description: spec.agent.description,
      version: input.version,
      source,
      dockfileSha256: dockfileSha256(dockfilePath),
    }),
  });

  writeInto(outDir, 'Dockerfile', dockerfile);
  writeInto(outDir, 'config/dockrion.json', canonicalJson(config));
  if (hasRequirements) copyInto(outDir, 'requirements.txt', requirementsPath);
  for (const file of runtimeFiles(runtimeDir)) copyInto(outDir, `runtime/${file}`, join(runtimeDir, file));
  for (const file of agentFiles) copyInto(outDir, `agent/${file}`, join(agentDir, file));
  pinTimes(outDir, source.commitTime);

  const files = [
    'Dockerfile',
    'config/dockrion.json',
    ...(hasRequirements ? ['requirements.txt'] : []),
    ...runtimeFiles(runtimeDir).map((f) => `runtime/${f}`),
    ...agentFiles.map((f) => `agent/${f}`),
  ].sort();
  return { dir: outDir, files, dockerfile };
}
