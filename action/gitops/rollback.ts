import { GitOpsError } from '../../shared/errors.ts';
import { type Deployment, findTarget, listDeployments } from './history.ts';
import { agentDir, RECORD_FILE } from './layout.ts';
import { rollbackMessage } from './messages.ts';
import { type DeployRecord, parseRecord } from './record.ts';
import type { EnvironmentsRepo } from './repo.ts';

export interface RollbackPlan {
  target: Deployment;
  record: DeployRecord;
  /** The tree `<env>/<agent>/` had at the target deploy; the rollback commit restores exactly it. */
  tree: string;
  current: Deployment | null;
  message: string;
}

/** Works out what `rollback --to` restores, from the base branch as it is now. */
export async function planRollback(
  repo: EnvironmentsRepo,
  baseTip: string | null,
  environment: string,
  agent: string,
  to: string,
): Promise<RollbackPlan> {
  const dir = agentDir(environment, agent);
  const history = await listDeployments(repo, baseTip, environment, agent);
  const target = findTarget(history, to);
  const tree = await repo.subtree(target.commit, dir);
  if (repo.partial) await repo.prefetchBlobs(await repo.folderBlobs([target.commit], dir));
  const recordText = tree ? await repo.readFile(target.commit, `${dir}/${RECORD_FILE}`) : null;
  if (!tree || recordText === null) {
    throw new GitOpsError(`${dir}/ is empty at ${target.commit.slice(0, 12)}; there is nothing to restore`);
  }
  const record = parseRecord(recordText, `${dir}/${RECORD_FILE} at ${target.commit.slice(0, 12)}`);
  const current = history[0] ?? null;
  const message = rollbackMessage({
    target: record,
    targetCommit: target.commit,
    fromVersion: current?.version ?? null,
    fromCommit: current?.commit ?? null,
  });
  return { target, record, tree, current, message };
}
