import { ImageError } from '../../shared/errors.ts';
import { parseReference } from './names.ts';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface VerifyDigestOptions {
  fetch: typeof fetch;
  credentials?: RegistryCredentials;
  /** What to suggest when the digest is absent: after a build the push failed; for a promotion the ref is wrong. */
  missingHint?: string;
}

/** Every manifest kind a build can push: OCI index (attestations on), OCI/Docker single manifests. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

/** Loopback registries (the test registry, a local cache) speak plain HTTP, as Docker allows. */
export function registryBaseUrl(host: string): string {
  const name = host.replace(/:[0-9]+$/, '');
  const loopback = name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '[::1]';
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (RFC 6750 challenge, as the v2 API sends it). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) {
    if (m[1] !== undefined && m[2] !== undefined) params[m[1]] = m[2];
  }
  return { scheme, params };
}

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

async function bearerToken(
  params: Record<string, string>,
  repository: string,
  options: VerifyDigestOptions,
): Promise<string> {
  if (!params.realm) throw new ImageError('registry sent a Bearer challenge without a realm');
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', params.scope ?? `repository:${repository}:pull`);
  const response = await options.fetch(url, {
    headers: options.credentials ? { Authorization: basic(options.credentials) } : {},
  });
  if (!response.ok) {
    throw new ImageError(
      `registry token endpoint ${url.origin}${url.pathname} answered ${response.status}`,
      options.credentials
        ? 'check that the token may read packages'
        : 'the image is private: pass credentials',
    );
  }
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new ImageError('registry token endpoint returned no token');
  return token;
}

/**
 * Checks that `ref` (`host/repo:tag@sha256:…`) names a manifest that exists in its registry:
 * a HEAD on `/v2/<repo>/manifests/<digest>` accepting index and single-manifest types,
 * answering a Bearer (GHCR) or Basic challenge once. Resolves when the registry has it and, if it
 * says which digest it served, that digest is the one asked for; throws ImageError otherwise.
 */
export async function verifyDigest(ref: string, options: VerifyDigestOptions): Promise<void> {
  const { host, repository, digest } = parseReference(ref);
  if (!digest) throw new ImageError(`${ref} is not pinned by digest`);
  const url = `${registryBaseUrl(host)}/v2/${repository}/manifests/${digest}`;
  const accept = MANIFEST_MEDIA_TYPES.join(', ');
  const head = (authorization?: string) =>
    options.fetch(url, {
      method: 'HEAD',
      headers: authorization ? { Accept: accept, Authorization: authorization } : { Accept: accept },
    });

  let response: Response;
  try {
    response = await head();
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
      if (challenge.scheme === 'bearer') {
        response = await head(`Bearer ${await bearerToken(challenge.params, repository, options)}`);
      } else if (challenge.scheme === 'basic' && options.credentials) {
        response = await head(basic(options.credentials));
      }
    }
  } catch (e: unknown) {
    if (e instanceof ImageError) throw e;
    throw new ImageError(`cannot reach registry ${host} to verify ${digest}`, null, e);
  }

  if (response.status === 404) {
    throw new ImageError(
      `${host}/${repository}@${digest} does not exist in the registry`,
      options.missingHint ?? 'the push did not land; rerun the build',
    );
  }
  if (!response.ok) {
    throw new ImageError(`registry ${host} answered ${response.status} for ${repository}@${digest}`);
  }
  const served = response.headers.get('docker-content-digest');
  if (served !== null && served !== digest) {
    throw new ImageError(`registry ${host} served ${served} when asked for ${digest}`);
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (type !== '' && !(MANIFEST_MEDIA_TYPES as readonly string[]).includes(type)) {
    throw new ImageError(`registry ${host} served ${type} for ${digest}, which is not an image manifest`);
  }
}
