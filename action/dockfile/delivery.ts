/**
 * Which delivery an environment's secrets can use: the one rule `validate` reports and the
 * secrets stage enforces before anything is built (docs/secrets.md).
 */

/** Encrypted Secret manifests a cluster decrypts itself. */
export const CLUSTER_DELIVERIES = ['sops', 'sealed-secrets'] as const;
export type ClusterDelivery = (typeof CLUSTER_DELIVERIES)[number];

/** Where each cluster-side decrypter is documented: named in every hint. */
export const DELIVERY_GUIDES: Readonly<Record<ClusterDelivery, string>> = {
  sops: 'https://fluxcd.io/flux/guides/mozilla-sops/',
  'sealed-secrets': 'https://github.com/bitnami-labs/sealed-secrets#overview',
};

export const CLUSTER_DELIVERY_HINT =
  `set secrets.delivery: sops (a SOPS-encrypted Secret that Flux's kustomize-controller decrypts with the cluster's age key, ${DELIVERY_GUIDES.sops}) ` +
  `or sealed-secrets (a SealedSecret that the Sealed Secrets controller unseals, ${DELIVERY_GUIDES['sealed-secrets']})`;

export interface DeliveryFacts {
  provider: string;
  target: string;
  /** `secrets.delivery` as written, if at all. */
  delivery: string | undefined;
  recipients: number;
  declaredSecrets: number;
}

export interface DeliveryIssue {
  /** The profile key the finding is about. */
  field: 'delivery' | 'age_recipients';
  message: string;
  hint: string;
}

export function isClusterDelivery(delivery: string | undefined): delivery is ClusterDelivery {
  return (CLUSTER_DELIVERIES as readonly string[]).includes(delivery ?? '');
}

/** The first problem with an environment's delivery, or null when its secrets can reach the service. */
export function deliveryIssue(environment: string, facts: DeliveryFacts): DeliveryIssue | null {
  const { provider, target, delivery } = facts;
  const clusterSide = isClusterDelivery(delivery);
  if (clusterSide && target !== 'kubernetes') {
    return {
      field: 'delivery',
      message: `environment ${environment}: secrets.delivery ${delivery} is for Kubernetes, but the target is ${target}`,
      hint: 'a Compose host reads secrets.env.age (delivery age-file, decrypted by dockrion apply): remove secrets.delivery or set it to age-file',
    };
  }
  if (clusterSide && provider !== 'github') {
    return {
      field: 'delivery',
      message: `environment ${environment}: secrets.delivery ${delivery} is for provider github; with provider ${provider} the values stay in the store and an ExternalSecret brings them in`,
      hint: 'remove secrets.delivery',
    };
  }
  if (provider === 'github' && target === 'kubernetes' && facts.declaredSecrets > 0 && !clusterSide) {
    return {
      field: 'delivery',
      message:
        `environment ${environment}: GitHub secrets on Kubernetes need a delivery the cluster can decrypt ` +
        `(secrets.delivery is ${delivery === undefined ? 'not set' : delivery}); nothing would create the Secret the pod reads`,
      hint: CLUSTER_DELIVERY_HINT,
    };
  }
  if (delivery === 'sops' && facts.recipients === 0) {
    return {
      field: 'age_recipients',
      message: `environment ${environment}: delivery sops encrypts to the cluster's age keys, and age_recipients lists none`,
      hint: `list the age public key (age1…) of the key Flux decrypts with (the sops-age Secret, ${DELIVERY_GUIDES.sops})`,
    };
  }
  return null;
}
