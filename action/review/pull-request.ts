import { describeError } from '../../shared/errors.ts';
import type { Exec } from '../adapters/exec.ts';
import { type Contract, contractOf, loadDockfileAtRevision } from '../contract/index.ts';
import type { DockSpec } from '../dockfile/types.ts';
import { diagnosticsLine } from '../report/failure.ts';
import type { TextBudget } from '../report/limits.ts';
import { readDockfileAtBase } from './base-dockfile.ts';
import {
  type ContractBaseline,
  type ContractReview,
  type NoContract,
  noContractReview,
  reviewContract,
} from './contract-section.ts';

export interface PullRequestContractRequest {
  exec: Exec;
  /** The environment `${VAR}`s of both versions are read from (the same for both). */
  processEnv: Readonly<Record<string, string | undefined>>;
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** The Dockfile, relative to the workspace. */
  dockfile: string;
  /** The head version's spec; null when it is invalid (nothing to compare then). */
  head: DockSpec | null;
  /** `pull_request.base.sha`, and the base branch's name for the heading. */
  base: { sha: string | null; ref: string | null };
  budget: TextBudget;
}

/**
 * The "Contract changes" section of a pull request's validation: the head Dockfile's contract
 * against the base commit's, the Dockfile and its `!include`s read with git from the checkout
 * (the base commit is fetched alone when the clone lacks it).
 */
export async function reviewPullRequestContract(
  request: PullRequestContractRequest,
): Promise<ContractReview> {
  if (request.head === null) return noContractReview({ why: 'Not compared: this Dockfile is invalid' });
  const after = contractOrWhy(request.head, 'Not compared: the contract of this Dockfile could not be read');
  if (!('format' in after)) return noContractReview(after);
  return reviewContract(await baseline(request), after, { budget: request.budget });
}

function contractOrWhy(spec: DockSpec, why: string): Contract | NoContract {
  try {
    return contractOf(spec);
  } catch (e: unknown) {
    return { why, detail: describeError(e) };
  }
}

async function baseline(request: PullRequestContractRequest): Promise<ContractBaseline> {
  const base = await readDockfileAtBase({
    exec: request.exec,
    workspace: request.workspace,
    dockfile: request.dockfile,
    base: request.base.sha,
    env: request.processEnv as NodeJS.ProcessEnv,
  });
  if (base.kind === 'unavailable') {
    return { kind: 'none', why: `No contract to compare: ${base.why}`, ...optionalDetail(base.detail) };
  }
  if (base.kind === 'absent') return { kind: 'none', why: 'First version: no contract to compare' };
  const sha = base.commit.slice(0, 12);
  // The Dockfile and its `!include`s as the base has them (diagnostics name them `<sha>:<path>`).
  const { result: loaded } = await loadDockfileAtRevision(
    base.git,
    { rev: sha, path: base.path },
    { processEnv: request.processEnv, exec: request.exec },
  );
  if (!loaded.valid || !loaded.spec) {
    return {
      kind: 'none',
      why: 'No contract to compare: the Dockfile at the base is invalid',
      detail: diagnosticsLine(loaded.errors, 'that version'),
    };
  }
  const contract = contractOrWhy(
    loaded.spec,
    'No contract to compare: the contract at the base could not be read',
  );
  if (!('format' in contract)) return { kind: 'none', ...contract };
  return { kind: 'contract', contract, label: request.base.ref ? `${request.base.ref} (${sha})` : sha };
}

function optionalDetail(detail: string | undefined): { detail?: string } {
  return detail === undefined ? {} : { detail };
}
