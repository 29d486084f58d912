import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { objectNames, selectorLabels } from '../names.ts';
import type { RenderContext } from '../render-context.ts';
import { objectMeta } from './metadata.ts';

/**
 * Ingress only to the agent's port. Egress stays open unless `network_policy.egress` lists CIDRs;
 * then only those, plus DNS to kube-system, since an agent that cannot resolve its model
 * endpoint's name is broken in a way that is hard to see.
 */
export function networkPolicy(ctx: RenderContext): INetworkPolicy {
  const { env } = ctx;
  const restrictEgress = env.networkPolicy.egress.length > 0;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(ctx, objectNames(env.agent).workload),
    spec: {
      podSelector: { matchLabels: selectorLabels(env.agent, env.name) },
      policyTypes: restrictEgress ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: [{ ports: [{ port: env.port, protocol: 'TCP' }] }],
      ...(restrictEgress
        ? {
            egress: [
              { to: env.networkPolicy.egress.map((cidr) => ({ ipBlock: { cidr } })) },
              {
                to: [
                  { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } },
                ],
                ports: [
                  { port: 53, protocol: 'UDP' },
                  { port: 53, protocol: 'TCP' },
                ],
              },
            ],
          }
        : {}),
    },
  };
}
