import { type ClusterDelivery, deliveryIssue, isClusterDelivery } from '../dockfile/delivery.ts';
import { closest } from '../dockfile/suggest.ts';
import type { DockSpec, SecretProfile } from '../dockfile/types.ts';
import { SecretsError } from '../errors.ts';

type EnvironmentSpec = NonNullable<NonNullable<NonNullable<DockSpec['deploy']>['environments']>[string]>;

/** `deploy.environments.<env>.secrets` as the frozen DockSpec holds it. */
export type EnvironmentSecretProfile = NonNullable<EnvironmentSpec['secrets']>;

/** With no `deploy.environments.<env>.secrets`, values come from GitHub Secrets (issue #6). */
const DEFAULT_PROFILE: SecretProfile = { provider: 'github' };

export function profileFor(spec: DockSpec, environment: string): EnvironmentSecretProfile {
  const environments = spec.deploy?.environments;
  const known = environments ? Object.keys(environments) : [];
  // Own keys only: `--env constructor` or `--env __proto__` must not pass as a declared environment.
  if (environments && known.length > 0 && !Object.hasOwn(environments, environment)) {
    const guess = closest(environment, known);
    throw new SecretsError(
      `unknown environment '${environment}': the Dockfile declares ${known.map((e) => `'${e}'`).join(', ')}`,
      guess
        ? `did you mean --env ${guess}? Or add deploy.environments.${environment}`
        : `pass one of them, or add deploy.environments.${environment}`,
    );
  }
  const own =
    environments && Object.hasOwn(environments, environment) ? environments[environment] : undefined;
  return own?.secrets ?? DEFAULT_PROFILE;
}

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

export type DeployTarget = 'compose' | 'kubernetes';

export function targetFor(spec: DockSpec, environment: string): DeployTarget {
  return spec.deploy?.environments?.[environment]?.target ?? spec.deploy?.target ?? 'kubernetes';
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
 * How an environment's values reach the running service (DESIGN §6). Compose hosts cannot run
 * the External Secrets operator, so Compose always gets the age file, whatever the provider.
 */
export function secretsDelivery(spec: DockSpec, environment: string): SecretsDelivery {
  const profile = profileFor(spec, environment);
  const target = targetFor(spec, environment);
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
export function assertDeliverable(spec: DockSpec, environment: string): void {
  const profile = profileFor(spec, environment);
  const issue = deliveryIssue(environment, {
    provider: profile.provider,
    target: targetFor(spec, environment),
    delivery: profile.delivery,
    recipients: (profile.age_recipients ?? []).length,
    declaredSecrets: declaredSecrets(spec).length,
  });
  if (issue) throw new SecretsError(issue.message, issue.hint);
}
