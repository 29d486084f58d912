import { Docker } from '../../action/adapters/docker.ts';
import { nodeExec } from '../../action/adapters/exec.ts';
import { parseReference, registryBaseUrl } from '../../action/image/index.ts';

export const exec = nodeExec();
/** The product's Docker seam on the real engine, for the code under test (setup calls `docker` below). */
export const dockerClient = new Docker({ exec });

export async function docker(...args: string[]): Promise<string> {
  return (await exec.run('docker', args, { timeoutMs: 300_000 })).stdout.trim();
}

export interface RunningContainer {
  id: string;
  url: string;
  /** Milliseconds from `docker run` returning to the first 200 on /ready. */
  readyAfterMs: number;
  logs(): Promise<string>;
}

/**
 * One GET with a 1 s limit. The limit is a plain (ref'd) timer: docker-proxy accepts the
 * connection before the app listens, and AbortSignal.timeout's unref'd timer would then let a
 * script's event loop drain mid-request (Node exits 13).
 */
async function probeStatus(url: string): Promise<number | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 1000);
  try {
    const response = await fetch(url, { signal: controller.signal });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the image on a random loopback port (default bridge network) and waits for /ready. */
export async function runUntilReady(
  ref: string,
  env: Record<string, string>,
  options: { port?: number; timeoutMs?: number; containers: string[]; platform?: string },
): Promise<RunningContainer> {
  const port = options.port ?? 8080;
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const platformArgs = options.platform ? ['--platform', options.platform] : [];
  const id = await docker(
    'run',
    '--detach',
    ...platformArgs,
    '--publish',
    `127.0.0.1::${port}`,
    ...envArgs,
    ref,
  );
  options.containers.push(id);
  const started = Date.now();
  const mapping = await docker('port', id, `${port}/tcp`);
  const url = `http://${mapping.split('\n')[0]}`;
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    if ((await probeStatus(`${url}/ready`)) === 200) break;
    if (Date.now() > deadline) {
      const logs = (await exec.run('docker', ['logs', id], { allowFailure: true })).stderr;
      throw new Error(
        `container ${id.slice(0, 12)} not ready after ${options.timeoutMs ?? 60_000} ms:\n${logs}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const readyAfterMs = Date.now() - started;
  return {
    id,
    url,
    readyAfterMs,
    logs: async () => {
      const r = await exec.run('docker', ['logs', id], { allowFailure: true });
      return r.stdout + r.stderr;
    },
  };
}

export async function removeContainers(ids: string[]): Promise<void> {
  for (const id of ids.splice(0))
    await exec.run('docker', ['rm', '--force', '--volumes', id], { allowFailure: true });
}

/** Removes images by id (a rebuild under the same tag leaves the earlier one untagged). */
export async function removeImageIds(ids: string[]): Promise<void> {
  for (const id of ids.splice(0))
    await exec.run('docker', ['image', 'rm', '--force', id], { allowFailure: true });
}

/** Removes local tags and deletes the pushed manifests from the test registry. */
export async function removeImages(refs: string[]): Promise<void> {
  for (const ref of refs.splice(0)) {
    const { host, repository, tag, digest } = parseReference(ref);
    const name = `${host}/${repository}`;
    await exec.run('docker', ['image', 'rm', '--force', tag ? `${name}:${tag}` : ref], {
      allowFailure: true,
    });
    if (digest) {
      await fetch(`${registryBaseUrl(host)}/v2/${repository}/manifests/${digest}`, {
        method: 'DELETE',
      }).catch(() => undefined);
    }
  }
}

/**
 * Removes every local image under `<registry>/<namespace>/`, with its manifests in the registry: a
 * test that deploys several times under a namespace of its own cleans up all it built, not only
 * the references its outputs named.
 */
export async function removeImagesUnder(registryHost: string, namespace: string): Promise<void> {
  const prefix = `${registryHost}/${namespace}/`;
  const listed = await exec.run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], {
    allowFailure: true,
  });
  const refs = listed.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((ref) => ref.startsWith(prefix) && !ref.endsWith(':<none>'));
  for (const ref of refs) {
    const inspected = await exec.run(
      'docker',
      ['image', 'inspect', '--format', '{{json .RepoDigests}}', ref],
      {
        allowFailure: true,
      },
    );
    const digests = inspected.code === 0 ? (JSON.parse(inspected.stdout) as string[]) : [];
    const pinned = digests.filter((d) => d.startsWith(prefix));
    await removeImages(pinned.length > 0 ? [`${ref}@${pinned[0]?.split('@')[1]}`] : [ref]);
    for (const other of pinned.slice(1)) await removeImages([other]);
  }
}

export interface ImageConfig {
  Id: string;
  RepoDigests: string[];
  Config: {
    User: string;
    Labels: Record<string, string>;
    ExposedPorts: Record<string, unknown>;
    StopSignal?: string;
    Healthcheck?: { Test: string[] };
    Env: string[];
  };
  RootFS: { Layers: string[] };
  Size: number;
}

export async function inspectImage(ref: string): Promise<ImageConfig> {
  return (JSON.parse(await docker('image', 'inspect', ref)) as ImageConfig[])[0] as ImageConfig;
}
