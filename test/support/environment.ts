import { type ResolvedEnvironment, resolveEnvironment } from '../../generators/index.ts';
import type { DockSpec } from '../../schemas/dock-spec.ts';

/**
 * A spec with one of its environments resolved as the front doors resolve it (once, up front):
 * the `spec` and `environment` of the secrets stage's options.
 */
export function inEnvironment(
  spec: DockSpec,
  environment: string,
): { spec: DockSpec; environment: ResolvedEnvironment } {
  return { spec, environment: resolveEnvironment(spec, environment) };
}
