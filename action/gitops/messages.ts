import type { DeployRecord } from './record.ts';
import { shortDigest } from './record.ts';

export const TRAILER = {
  agent: 'Dockrion-Agent',
  environment: 'Dockrion-Environment',
  version: 'Dockrion-Version',
  image: 'Dockrion-Image',
  source: 'Dockrion-Source',
  rollbackOf: 'Dockrion-Rollback-Of',
  restores: 'Dockrion-Restores',
} as const;

function sourceTrailer(record: DeployRecord): string {
  const { repository, commit } = record.source;
  if (repository && commit) return `${repository}@${commit}`;
  return repository ?? commit ?? 'unknown';
}

/**
 * One line: a value with a line break (a version read back from a hand-edited record, say) would
 * otherwise split the subject and push the rest into the body, where it could pose as a trailer.
 */
function oneLine(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029\v\f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function withTrailers(subject: string, body: string | null, trailers: Array<[string, string]>): string {
  const lines = trailers.map(([k, v]) => `${k}: ${v.replace(/\s+/g, ' ')}`);
  return `${oneLine(subject)}\n\n${body ? `${oneLine(body)}\n\n` : ''}${lines.join('\n')}\n`;
}

function recordTrailers(record: DeployRecord): Array<[string, string]> {
  return [
    [TRAILER.agent, record.agent],
    [TRAILER.environment, record.environment],
    [TRAILER.version, record.version],
    [TRAILER.image, record.image],
    [TRAILER.source, sourceTrailer(record)],
  ];
}

export function deployMessage(record: DeployRecord): string {
  const subject = `deploy(${record.agent}): ${record.environment} ${record.version} @ ${shortDigest(record.digest)}`;
  return withTrailers(subject, null, recordTrailers(record));
}

export interface RollbackMessageInput {
  /** What is being restored. */
  target: DeployRecord;
  targetCommit: string;
  /** The version deployed before the rollback (null when the folder was empty). */
  fromVersion: string | null;
  /** The commit whose deploy is being undone. */
  fromCommit: string | null;
}

export function rollbackMessage(input: RollbackMessageInput): string {
  const { target } = input;
  const subject = `rollback(${target.agent}): ${target.environment} ${input.fromVersion ?? 'none'} → ${target.version}`;
  const body = `Restores ${target.environment}/${target.agent}/ as deployed by ${input.targetCommit}.`;
  const trailers = recordTrailers(target);
  if (input.fromCommit) trailers.push([TRAILER.rollbackOf, input.fromCommit]);
  trailers.push([TRAILER.restores, input.targetCommit]);
  return withTrailers(subject, body, trailers);
}

/** Trailers of a commit message: the last paragraph's `Key: value` lines (as git interprets them). */
export function parseTrailers(message: string): Map<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1] : '';
  const trailers = new Map<string, string>();
  for (const line of (last ?? '').split('\n')) {
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) trailers.set(m[1].toLowerCase(), m[2].trim());
  }
  return trailers;
}

export function trailer(trailers: Map<string, string>, key: string): string | null {
  return trailers.get(key.toLowerCase()) ?? null;
}

/** `git revert` writes "This reverts commit <sha>." into the body. */
export function revertedCommit(message: string): string | null {
  const m = /This reverts commit ([0-9a-f]{7,64})/.exec(message);
  return m?.[1] ?? null;
}
