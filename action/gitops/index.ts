export { DEFAULT_IDENTITY, type GitIdentity, redactUrl } from './git.ts';
export { type Deployment, type DeploymentKind, listDeployments, rolledBackFrom } from './history.ts';
export { agentDir, deployBranch, RECORD_FILE } from './layout.ts';
export {
  type CommittedFile,
  checkEnvironmentsRepo,
  type DeployOutcome,
  type DeployRequest,
  deployToEnvironments,
  type EnvironmentsTarget,
  type GitOpsContext,
  type GitOpsOutcome,
  type HistoryReport,
  type HistoryRequest,
  type RollbackOutcome,
  type RollbackReport,
  type RollbackRequest,
  readHistory,
  rollbackCommand,
  rollbackEnvironment,
  rollbackReport,
} from './operations.ts';
export type { Operation } from './publish.ts';
export { type GitHubRepo, githubRepoFromUrl, type PullRequestOptions } from './pull-request.ts';
export { type DeployRecord, parseRecord, serializeRecord, shortDigest } from './record.ts';
export { TOKEN_HINT } from './remote-errors.ts';
export { EnvironmentsRepo, type RenderedFile } from './repo.ts';
