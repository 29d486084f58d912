import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { ANNOTATION_PREFIX, commonLabels } from '../names.ts';
import type { RenderContext } from '../render-context.ts';

export type ObjectMeta = NonNullable<IDeployment['metadata']>;

/**
 * Metadata every object carries. No namespace: kustomization.yaml sets it for all of them, so the
 * objects stay valid in any namespace an operator renders them into.
 */
export function objectMeta(
  ctx: RenderContext,
  name: string,
  extraAnnotations?: Record<string, string>,
): ObjectMeta {
  const meta: ObjectMeta = { name, labels: commonLabels(ctx.env.agent, ctx.env.name, ctx.version) };
  const annotations = { ...sourceAnnotations(ctx), ...extraAnnotations };
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  return meta;
}

function sourceAnnotations(ctx: RenderContext): Record<string, string> {
  if (ctx.source === null) return {};
  return {
    [`${ANNOTATION_PREFIX}/source-repo`]: ctx.source.repo,
    [`${ANNOTATION_PREFIX}/source-commit`]: ctx.source.commit,
  };
}
