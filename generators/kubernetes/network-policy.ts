import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { ResolvedDns } from '../environment.ts';
import { objectNames, selectorLabels } from '../names.ts';
import type { RenderContext } from '../render-context.ts';
import { objectMeta } from './metadata.ts';

/**
 * Ingress only to the agent's port. Egress stays open unless `network_policy.egress` lists CIDRs;
 * then only those, plus DNS to the cluster DNS pods (`network_policy.dns`: kube-system on port 53
 * by default, `openshift-dns` on 5353 on OpenShift), since an agent that cannot resolve its model
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
              dnsEgress(env.networkPolicy.dns),
            ],
          }
        : {}),
    },
  };
}

/** DNS over UDP and TCP (large answers) on each port, to the DNS pods' namespace (and labels). */
function dnsEgress(dns: ResolvedDns): INetworkPolicyEgressRule {
  const peer: Record<string, unknown> = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.namespace } },
  };
  if (Object.keys(dns.podLabels).length > 0) peer.podSelector = { matchLabels: { ...dns.podLabels } };
  return {
    to: [peer],
    ports: dns.ports.flatMap((port) => [
      { port, protocol: 'UDP' },
      { port, protocol: 'TCP' },
    ]),
  };
}
