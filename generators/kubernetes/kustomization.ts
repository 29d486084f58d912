import type { RenderContext } from '../render-context.ts';

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * Lists the object files and sets the namespace for all of them. Labels are written into each
 * object rather than through `labels`/`commonLabels`, which would also rewrite the immutable
 * selectors with the per-version label.
 */
export function kustomization(ctx: RenderContext, resourceFiles: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: ctx.env.namespace,
    resources: [...resourceFiles].sort(),
  };
}
