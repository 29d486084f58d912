import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ResolvedAutoscaling } from '../environment.ts';
import { objectNames, selectorLabels } from '../names.ts';
import type { RenderContext } from '../render-context.ts';
import { objectMeta } from './metadata.ts';

export function horizontalPodAutoscaler(
  ctx: RenderContext,
  scaling: ResolvedAutoscaling,
): IHorizontalPodAutoscaler {
  const name = objectNames(ctx.env.agent).workload;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: objectMeta(ctx, name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: scaling.min,
      maxReplicas: scaling.max,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.cpu } },
        },
      ],
    },
  };
}

/** Only worth having with more than one pod; with one, `maxUnavailable: 1` still lets nodes drain. */
export function needsDisruptionBudget(ctx: RenderContext): boolean {
  return ctx.env.autoscaling !== null || ctx.env.replicas > 1;
}

export function podDisruptionBudget(ctx: RenderContext): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).workload),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels(ctx.env.agent, ctx.env.name) },
    },
  };
}
