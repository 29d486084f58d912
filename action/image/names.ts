import { ImageError } from '../errors.ts';

// host[:port] followed by optional lowercase path components (the namespace).
const REGISTRY = /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

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
    !REGISTRY.test(trimmed) ||
    (!trimmed.includes('.') && !trimmed.includes(':') && !trimmed.startsWith('localhost'))
  ) {
    throw new ImageError(
      `registry ${JSON.stringify(registry)} is not HOST[/NAMESPACE]`,
      'e.g. ghcr.io/acme or 127.0.0.1:5000/team',
    );
  }
  return `${trimmed}/${agent}`.toLowerCase();
}

/**
 * The image tag for a version: SemVer build metadata (`+`) is not allowed in tags, so it becomes
 * `-` (what docker/metadata-action does); anything else outside the tag grammar is an error.
 */
export function versionTag(version: string): string {
  const tag = version.replace(/\+/g, '-');
  if (!TAG.test(tag)) {
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
  const at = reference.indexOf('@');
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const nameAndTag = at === -1 ? reference : reference.slice(0, at);
  const slash = nameAndTag.indexOf('/');
  if (slash === -1) throw new ImageError(`${reference} has no registry host`);
  const host = nameAndTag.slice(0, slash);
  const rest = nameAndTag.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  const repository = colon === -1 ? rest : rest.slice(0, colon);
  const tag = colon === -1 ? undefined : rest.slice(colon + 1);
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new ImageError(`${reference} has a malformed digest`);
  }
  return {
    host,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}
