import { GitOpsError } from '../../shared/errors.ts';

/**
 * `dockrion.json` in `<env>/<agent>/`: what is deployed there. No timestamps, so writing the same
 * deploy twice gives the same bytes (and an unchanged tree).
 */
export interface DeployRecord {
  agent: string;
  environment: string;
  version: string;
  /** `<repository>:<tag>@sha256:<hex>` */
  image: string;
  /** `sha256:<hex>` */
  digest: string;
  /** The source repository (`owner/name` or URL) and the commit the image was built from. */
  source: { repository: string | null; commit: string | null };
  /** sha256 (hex) of the Dockfile as committed in the source repo. */
  dockfile_sha256: string | null;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function serializeRecord(record: DeployRecord): string {
  return `${JSON.stringify(sortKeys(record), null, 2)}\n`;
}

export function parseRecord(text: string, where: string): DeployRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e: unknown) {
    throw new GitOpsError(`${where} is not valid JSON`, null, e);
  }
  const r = data as Partial<DeployRecord> | null;
  if (!r || typeof r.agent !== 'string' || typeof r.version !== 'string' || typeof r.digest !== 'string') {
    throw new GitOpsError(`${where} lacks agent, version or digest`);
  }
  return {
    agent: r.agent,
    environment: typeof r.environment === 'string' ? r.environment : '',
    version: r.version,
    image: typeof r.image === 'string' ? r.image : '',
    digest: r.digest,
    source: {
      repository: r.source?.repository ?? null,
      commit: r.source?.commit ?? null,
    },
    dockfile_sha256: r.dockfile_sha256 ?? null,
  };
}

/** The first 12 hex digits of a digest, as in the commit subject. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
