import { describeError } from '../../shared/errors.ts';
import { type Contract, parseContract } from '../contract/index.ts';
import type { TextBudget } from '../report/limits.ts';
import {
  type ContractReview,
  type NoContract,
  noContractReview,
  reviewContract,
} from '../review/contract-section.ts';
import { CONTRACT_FILE, RECORD_FILE } from './layout.ts';
import { parseRecord } from './record.ts';
import type { EnvironmentsRepo } from './repo.ts';

export interface DeployedContractRequest {
  /** The commit that carries the new folder. */
  commit: string;
  /** What the branch held before it: the contract deployed now. Null: an empty repository. */
  parent: string | null;
  /** `<env>/<agent>`: per-environment settings are compared for that environment only. */
  dir: string;
  budget: TextBudget;
}

/**
 * The folder's `contract.json` at `commit` against the one at `parent`, for the deployment PR:
 * what merging changes about the agent's callers, its permissions and its operators. Both sides
 * are read from the environments repo itself, so the section describes exactly what the PR merges
 * (a rollback too: it restores an older contract.json).
 */
export async function deployedContractReview(
  repo: EnvironmentsRepo,
  request: DeployedContractRequest,
): Promise<ContractReview> {
  const file = `${request.dir}/${CONTRACT_FILE}`;
  const after = await readContract(repo, request.commit, file);
  if (after === null)
    return noContractReview({ why: `Not compared: this version has no \`${CONTRACT_FILE}\`` });
  if (!('format' in after)) return noContractReview(after);
  const folderBefore = request.parent ? await repo.subtree(request.parent, request.dir) : null;
  if (folderBefore === null) return noContractReview({ why: 'First deploy: no contract to compare' });
  const before = await readContract(repo, request.parent as string, file);
  if (before === null) {
    return noContractReview({
      why: `No contract to compare: the deployed version has no \`${CONTRACT_FILE}\` (it was deployed before dockrion recorded contracts)`,
    });
  }
  if (!('format' in before)) return noContractReview(before);
  const environment = request.dir.split('/')[0] ?? '';
  return reviewContract(
    { kind: 'contract', contract: before, label: await deployedLabel(repo, request) },
    after,
    {
      budget: request.budget,
      environment,
    },
  );
}

/** `2.1.0 (deployed)`: the version the base branch runs, from its record. */
async function deployedLabel(repo: EnvironmentsRepo, request: DeployedContractRequest): Promise<string> {
  const file = `${request.dir}/${RECORD_FILE}`;
  const text = await repo.readFile(request.parent as string, file);
  try {
    return text === null ? 'deployed' : `${parseRecord(text, file).version} (deployed)`;
  } catch {
    return 'deployed';
  }
}

async function readContract(
  repo: EnvironmentsRepo,
  commit: string,
  file: string,
): Promise<Contract | NoContract | null> {
  const text = await repo.readFile(commit, file);
  if (text === null) return null;
  try {
    return parseContract(text, `${file} at ${commit.slice(0, 12)}`);
  } catch (e: unknown) {
    return { why: `No contract to compare: \`${CONTRACT_FILE}\` cannot be read`, detail: describeError(e) };
  }
}
