import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { objectNames, selectorLabels } from '../names.ts';
import type { RenderContext } from '../render-context.ts';
import { CONTAINER_PORT_NAME } from './deployment.ts';
import { objectMeta } from './metadata.ts';

/** In-cluster clients reach the agent on port 80 of the Service, whatever port it listens on. */
export const SERVICE_PORT = 80;

export function service(ctx: RenderContext): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).workload),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(ctx.env.agent, ctx.env.name),
      ports: [
        { name: CONTAINER_PORT_NAME, port: SERVICE_PORT, targetPort: CONTAINER_PORT_NAME, protocol: 'TCP' },
      ],
    },
  };
}

/** The agent needs no Kubernetes API access, so its token is never mounted. */
export function serviceAccount(ctx: RenderContext): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: objectMeta(ctx, objectNames(ctx.env.agent).workload),
    automountServiceAccountToken: false,
  };
}
