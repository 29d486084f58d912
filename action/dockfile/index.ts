/** Dockfile v1: load (YAML with positions, !include, ${VAR}), validate, normalize. */
export { codeName, ErrorCode, WarningCode } from './codes.ts';
export { formatPath } from './diagnostics.ts';
export { type NormalizedConfig, normalizeDockfile, runtimeDefaults } from './normalize.ts';
export { dockfileSchema } from './schema.ts';
export type * from './types.ts';
export { loadDockfile, validateDockfileText } from './validate.ts';
