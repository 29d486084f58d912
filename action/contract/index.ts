/** The agent's contract (io_schema, exposure, auth, policies, secrets, deployment) and its classified diff. */
export { changeCount, type DiffOptions, diffContracts, isEmptyDiff } from './diff.ts';
export {
  ANY_ENVIRONMENT,
  ContractFormatError,
  contractOf,
  parseContract,
  serializeContract,
} from './extract.ts';
export {
  loadDockfileAtRevision,
  loadDockfilesAtRevision,
  MissingAtRevisionError,
  parseRevisionPath,
  type RevisionDockfile,
  type RevisionLoadOptions,
  type RevisionPath,
} from './git-source.ts';
export {
  type ContractMarkdownOptions,
  contractDiffJson,
  contractDiffMarkdown,
  contractDiffSummary,
  contractDiffText,
} from './render.ts';
export {
  describeProblem,
  inlineLocalRefs,
  isSubsetSchema,
  type SubsetOptions,
  type SubsetProblem,
  type SubsetProblemKind,
  subsetProblems,
  type UndeclaredProperties,
} from './schema-subset.ts';
export * from './types.ts';
