import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

/**
 * Upstream schemas: kubernetes-models 4.5.1 is generated from the Kubernetes v1.27.1 OpenAPI
 * spec; @kubernetes-models/external-secrets 2.0.0 from the external-secrets.io/v1 API types of
 * External Secrets Operator (the same types its CRD openAPIV3Schema is generated from).
 */
export const KUBERNETES_SCHEMA_VERSION = '1.27.1';

type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'external-secrets.io/v1/ExternalSecret': ExternalSecret,
};

/** Validates one object against its upstream schema; throws naming the kind and the problem. */
export function validateAgainstSchema(object: Record<string, unknown>): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (!Model)
    throw new Error(`no schema registered for ${key}; add it to test/generators/kubernetes-validate.ts`);
  try {
    new Model(object as never).validate();
  } catch (e: unknown) {
    throw new Error(
      `${key} ${(object.metadata as { name?: string })?.name}: ${e instanceof Error ? e.message : e}`,
    );
  }
}
