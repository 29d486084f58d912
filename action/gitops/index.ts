export { DEFAULT_IDENTITY, type GitIdentity, redactUrl } from './git.ts';
export {
  deployEnvironmentGroup,
  type GroupAgentOutcome,
  type GroupDeployOutcome,
  type GroupDeployRequest,
  type GroupMember,
} from './group.ts';
export {
  type AgentDeployment,
  type Deployment,
  type DeploymentKind,
  listDeployments,
  listEnvironmentDeployments,
  rolledBackFrom,
} from './history.ts';
export { agentDir, deployBranch, groupBranch, RECORD_FILE } from './layout.ts';
export {
  type CommittedFile,
  checkEnvironmentsRepo,
  type DeployOutcome,
  type DeployRequest,
  deployToEnvironments,
  type EnvironmentHistoryReport,
  type EnvironmentHistoryRequest,
  type EnvironmentsTarget,
  type GitOpsContext,
  type GitOpsOutcome,
  type HistoryReport,
  type HistoryRequest,
  type RollbackOutcome,
  type RollbackReport,
  type RollbackRequest,
  readEnvironmentHistory,
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
