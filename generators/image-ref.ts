import { RenderError } from '../shared/errors.ts';

/** `repository[:tag]@sha256:<64 hex>`, split. Manifests always name an image by digest. */
export interface ImageRef {
  /** e.g. `ghcr.io/acme/invoice-copilot` (may carry a registry port). */
  repository: string;
  tag: string | null;
  /** `sha256:<64 hex>`. */
  digest: string;
  /** The reference as manifests write it: `repository[:tag]@digest`. */
  reference: string;
}

/**
 * The one image-reference grammar (docker/distribution's `reference` package): every stage that
 * reads or checks an image reference splits and tests it here.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** `[domain[:port]/]component(/component)*`: a repository without tag or digest. */
const REPOSITORY = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);
/** `host[:port]` optionally followed by namespace components, any case (image names are lowercased). */
const REGISTRY = new RegExp(`^${DOMAIN}(?:/${COMPONENT})*$`, 'i');
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface ReferenceParts {
  /** Everything before the tag and digest: `[domain[:port]/]path`. */
  name: string;
  tag: string | null;
  digest: string | null;
}

/** Splits `name[:tag][@digest]` without judging the parts (see the `is…` tests). */
export function splitReference(reference: string): ReferenceParts {
  const at = reference.indexOf('@');
  const digest = at < 0 ? null : reference.slice(at + 1);
  const nameAndTag = at < 0 ? reference : reference.slice(0, at);
  // A colon after the last slash separates the tag; one before it is a registry port.
  const colon = nameAndTag.indexOf(':', nameAndTag.lastIndexOf('/') + 1);
  return {
    name: colon < 0 ? nameAndTag : nameAndTag.slice(0, colon),
    tag: colon < 0 ? null : nameAndTag.slice(colon + 1),
    digest,
  };
}

export const isImageRepository = (name: string): boolean => REPOSITORY.test(name);
export const isImageTag = (tag: string): boolean => TAG.test(tag);
export const isImageDigest = (digest: string): boolean => DIGEST.test(digest);
/** `name[:tag][@sha256:…]` as `docker pull` accepts it (no spaces, quotes, `$` or backslashes). */
export function isImageReference(reference: string): boolean {
  const { name, tag, digest } = splitReference(reference);
  return (
    isImageRepository(name) && (tag === null || isImageTag(tag)) && (digest === null || isImageDigest(digest))
  );
}
/** `ghcr.io/acme`, `127.0.0.1:5000/team`: where images are pushed (`<registry>/<agent>`). */
export const isRegistry = (registry: string): boolean => REGISTRY.test(registry);

/** Refuses anything that is not pinned by a sha256 digest, with a message saying why. */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  if (at < 0) {
    throw new RenderError(
      `image reference '${ref}' has no digest; manifests must pin the image by @sha256:<digest>`,
      'pass the reference the build printed, e.g. ghcr.io/acme/agent:1.2.0@sha256:…',
    );
  }
  const { name: repository, tag, digest } = splitReference(ref);
  if (digest === null || !isImageDigest(digest)) {
    throw new RenderError(
      `image reference '${ref}' has an invalid digest '${digest}'; expected sha256: followed by 64 lowercase hex digits`,
    );
  }
  if (!isImageRepository(repository)) {
    throw new RenderError(`image reference '${ref}' has an invalid repository '${repository}'`);
  }
  if (tag !== null && !isImageTag(tag)) {
    throw new RenderError(`image reference '${ref}' has an invalid tag '${tag}'`);
  }
  return { repository, tag, digest, reference: `${repository}${tag === null ? '' : `:${tag}`}@${digest}` };
}
