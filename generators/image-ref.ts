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

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+|:[0-9]+|\/[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Refuses anything that is not pinned by a sha256 digest, with a message saying why. */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  if (at < 0) {
    throw new RenderError(
      `image reference '${ref}' has no digest; manifests must pin the image by @sha256:<digest>`,
      'pass the reference the build printed, e.g. ghcr.io/acme/agent:1.2.0@sha256:…',
    );
  }
  const name = ref.slice(0, at);
  const digest = ref.slice(at + 1);
  if (!DIGEST.test(digest)) {
    throw new RenderError(
      `image reference '${ref}' has an invalid digest '${digest}'; expected sha256: followed by 64 lowercase hex digits`,
    );
  }
  // A colon after the last slash separates the tag; one before it is a registry port.
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const repository = colon < 0 ? name : name.slice(0, colon);
  const tag = colon < 0 ? null : name.slice(colon + 1);
  if (!REPOSITORY.test(repository)) {
    throw new RenderError(`image reference '${ref}' has an invalid repository '${repository}'`);
  }
  if (tag !== null && !TAG.test(tag)) {
    throw new RenderError(`image reference '${ref}' has an invalid tag '${tag}'`);
  }
  return { repository, tag, digest, reference: `${repository}${tag === null ? '' : `:${tag}`}@${digest}` };
}
