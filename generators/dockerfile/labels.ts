export interface BuildSource {
  /** Repository URL, e.g. `https://github.com/acme/agents` (the `org.opencontainers.image.source` label). */
  repo: string;
  /** Full commit SHA. */
  commit: string;
  /** Commit time in Unix seconds: `created` label, SOURCE_DATE_EPOCH and every file's mtime. */
  commitTime: number;
}

export interface LabelInput {
  agent: string;
  description?: string;
  version: string;
  source: BuildSource;
  dockfileSha256: string;
}

/** The image's labels (docs/CONTRACTS.md "Image"): OCI annotations plus dockrion's own. Values are raw here. */
export function imageLabels(input: LabelInput): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.title': input.agent,
    'org.opencontainers.image.source': input.source.repo,
    'org.opencontainers.image.revision': input.source.commit,
    'org.opencontainers.image.version': input.version,
    'org.opencontainers.image.created': new Date(input.source.commitTime * 1000)
      .toISOString()
      .replace('.000Z', 'Z'),
    'dev.dockrion.agent': input.agent,
    'dev.dockrion.dockfile-sha256': input.dockfileSha256,
  };
  if (input.description) labels['org.opencontainers.image.description'] = input.description;
  return labels;
}
