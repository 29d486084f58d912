import type { ResolvedEnvironment } from '../../generators/index.ts';
import { SecretsError } from '../../shared/errors.ts';
import { type ClusterDelivery, deliveryIssue, isClusterDelivery } from '../dockfile/delivery.ts';
import type { DockSpec } from '../dockfile/types.ts';

type EnvironmentSpec = NonNullable<NonNullable<NonNullable<DockSpec['deploy']>['environments']>[string]>;

/** `deploy.environments.<env>.secrets` as the frozen DockSpec holds it. */
export type EnvironmentSecretProfile = NonNullable<EnvironmentSpec['secrets']>;

export interface DeclaredSecret {
  name: string;
  required: boolean;
  default?: string;
}

export function declaredSecrets(spec: DockSpec): DeclaredSecret[] {
  const required = (spec.secrets?.required ?? []).map((s) => ({ name: s.name, required: true }));
  const optional = (spec.secrets?.optional ?? []).map((s) =>
    s.default === undefined
      ? { name: s.name, required: false }
      : { name: s.name, required: false, default: s.default },
  );
  return [...required, ...optional];
}

export interface SecretsDelivery {
  /** The generators write ExternalSecret manifests; values never leave the store. */
  externalSecret: boolean;
  /** The gitops stage writes `secrets.env.age` encrypted to `recipients`. */
  ageFile: boolean;
  /**
   * The secrets stage writes an encrypted Secret manifest the cluster decrypts: SOPS (Flux) or a
   * SealedSecret (Sealed Secrets controller). github provider on Kubernetes only.
   */
  manifest: ClusterDelivery | null;
  recipients: readonly string[];
}

/**
 * How an environment's values reach the running service (docs/CONTRACTS.md, "Secrets delivery").
 * Compose hosts cannot run the External Secrets operator, so Compose always gets the age file,
 * whatever the provider.
 */
export function secretsDelivery(
  environment: Pick<ResolvedEnvironment, 'target' | 'secrets'>,
): SecretsDelivery {
  const { profile } = environment.secrets;
  const { target } = environment;
  const recipients = profile.age_recipients ?? [];
  const externalSecret = target === 'kubernetes' && profile.provider !== 'github';
  const manifest =
    target === 'kubernetes' && profile.provider === 'github' && isClusterDelivery(profile.delivery)
      ? profile.delivery
      : null;
  const ageFile = manifest === null && (!externalSecret || recipients.length > 0);
  return { externalSecret, ageFile, manifest, recipients };
}

/**
 * Throws when the environment's secrets could not reach the service (the same rule `validate`
 * reports), so a deploy stops before building an image that could never start.
 */
export function assertDeliverable(environment: ResolvedEnvironment): void {
  const { profile, required, optional } = environment.secrets;
  const issue = deliveryIssue(environment.name, {
    provider: profile.provider,
    target: environment.target,
    delivery: profile.delivery,
    recipients: (profile.age_recipients ?? []).length,
    declaredSecrets: required.length + optional.length,
  });
  if (issue) throw new SecretsError(issue.message, issue.hint);
}
