/** Many agents per repository: which Dockfiles the input names, and which of them a change touches. */
export {
  type AgentEntry,
  type AgentSelection,
  type ChangeBase,
  changeBaseOf,
  changedPaths,
  describeAgents,
  selectChangedAgents,
  touchesAgent,
} from './changes.ts';
export { mapLimit, parallelLimit } from './parallel.ts';
export { type DockfileSelection, parseDockfileInput, resolveDockfiles } from './selection.ts';
