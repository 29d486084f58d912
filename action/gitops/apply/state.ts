import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GitOpsError } from '../../../shared/errors.ts';

export interface AppliedAgent {
  /** The commit whose folder is running. */
  commit: string;
  /** Tree id of `<env>/<agent>/` at that commit: what "changed" is decided on. */
  tree: string;
  version: string | null;
  digest: string | null;
}

/** What a Compose host has applied, kept outside the repo (`<state-dir>/<env>/state.json`). */
export interface ApplyState {
  environment: string;
  /** The base-branch commit fully applied last (every agent healthy). */
  applied: { commit: string; at: string } | null;
  /** A commit that failed its health check and was rolled back; not retried until the branch moves. */
  failed: { commit: string; agents: string[]; at: string } | null;
  agents: Record<string, AppliedAgent>;
}

export async function loadState(file: string, environment: string): Promise<ApplyState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { environment, applied: null, failed: null, agents: {} };
  }
  try {
    const state = JSON.parse(text) as ApplyState;
    return {
      environment,
      applied: state.applied ?? null,
      failed: state.failed ?? null,
      agents: state.agents ?? {},
    };
  } catch (e: unknown) {
    throw new GitOpsError(`${file} is not valid JSON`, 'remove it to re-apply everything from scratch', e);
  }
}

/** Written to a temp file and renamed, so a crash never leaves half a state file. */
export async function saveState(file: string, state: ApplyState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}
