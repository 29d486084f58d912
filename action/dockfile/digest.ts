import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The sha256 of the Dockfile's bytes as committed: the `dev.dockrion.dockfile-sha256` image label
 * and the deploy record's `dockfileSha256` are this one value.
 */
export function dockfileSha256(dockfilePath: string): string {
  return createHash('sha256').update(readFileSync(dockfilePath)).digest('hex');
}
