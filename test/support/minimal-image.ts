import { createHash } from 'node:crypto';

/**
 * Pushes the smallest image a registry accepts (an OCI manifest with a config and no layers) and
 * returns its `host/repo:tag@sha256:…`. For deploy tests that promote an existing image
 * (`--image`): the pipeline only checks that the digest exists, and building a real image
 * would cost minutes without testing anything more here.
 */
export async function pushMinimalImage(host: string, repository: string, tag: string): Promise<string> {
  const base = `http://${host}`;
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const started = await fetch(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  const location = started.headers.get('location');
  if (started.status !== 202 || !location) throw new Error(`blob upload start: ${started.status}`);
  const upload = new URL(location, base);
  upload.searchParams.set('digest', configDigest);
  const put = await fetch(upload, {
    method: 'PUT',
    body: config,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: [],
    }),
  );
  const pushed = await fetch(`${base}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (pushed.status !== 201) throw new Error(`manifest push: ${pushed.status} ${await pushed.text()}`);
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  return `${host}/${repository}:${tag}@${digest}`;
}
