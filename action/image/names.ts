import {
  isImageDigest,
  isImageRepository,
  isImageTag,
  isRegistry,
  splitReference,
} from '../../generators/image-ref.ts';
import { ImageError } from '../../shared/errors.ts';

export interface ParsedReference {
  /** `host[:port]`. */
  host: string;
  /** Repository path inside the registry, e.g. `acme/triage`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** `<registry>/<agent>`, lowercased: GHCR rejects uppercase owners, which GitHub allows. */
export function imageName(registry: string, agent: string): string {
  const trimmed = registry.replace(/\/+$/, '');
  if (
    !isRegistry(trimmed) ||
    (!trimmed.includes('.') && !trimmed.includes(':') && !trimmed.startsWith('localhost'))
  ) {
    throw new ImageError(
      `registry ${JSON.stringify(registry)} is not HOST[/NAMESPACE]`,
      'e.g. ghcr.io/acme or 127.0.0.1:5000/team',
    );
  }
  return `${trimmed}/${agent}`.toLowerCase();
}

/** The host of `ghcr.io/acme` (what credentials are for); `imageName` checks the whole registry. */
export function registryHostOf(registry: string): string {
  return registry.slice(0, registry.indexOf('/') === -1 ? undefined : registry.indexOf('/'));
}

/**
 * The image tag for a version: SemVer build metadata (`+`) is not allowed in tags, so it becomes
 * `-` (what docker/metadata-action does); anything else outside the tag grammar is an error.
 */
export function versionTag(version: string): string {
  const tag = version.replace(/\+/g, '-');
  if (!isImageTag(tag)) {
    throw new ImageError(
      `version ${JSON.stringify(version)} cannot be an image tag`,
      'use letters, digits, _ . - (max 128), e.g. 1.4.0 or 1.4.0-rc.1',
    );
  }
  return tag;
}

/** `0.0.0-g<sha7>`: the version of a build whose Dockfile has no `metadata.version`. */
export function versionFromCommit(commit: string): string {
  if (!/^[0-9a-f]{7,64}$/.test(commit)) throw new ImageError(`${JSON.stringify(commit)} is not a commit SHA`);
  return `0.0.0-g${commit.slice(0, 7)}`;
}

export function resolveVersion(metadataVersion: string | undefined, commit: string): string {
  return metadataVersion ?? versionFromCommit(commit);
}

/** The tags every build gets: the version and `sha-<short>` of the commit. */
export function imageTags(version: string, commit: string): string[] {
  return [...new Set([versionTag(version), `sha-${commit.slice(0, 7)}`])];
}

/** Splits `host[:port]/repo/path[:tag][@sha256:…]`. The first component is always the host. */
export function parseReference(reference: string): ParsedReference {
  const { name, tag, digest } = splitReference(reference);
  const slash = name.indexOf('/');
  if (slash === -1) throw new ImageError(`${reference} has no registry host`);
  if (digest !== null && !isImageDigest(digest)) throw new ImageError(`${reference} has a malformed digest`);
  if (!isImageRepository(name) || (tag !== null && !isImageTag(tag))) {
    throw new ImageError(`${reference} is not a valid image reference`, 'e.g. ghcr.io/acme/agent:1.0.0');
  }
  return {
    host: name.slice(0, slash),
    repository: name.slice(slash + 1),
    ...(tag === null ? {} : { tag }),
    ...(digest === null ? {} : { digest }),
  };
}
