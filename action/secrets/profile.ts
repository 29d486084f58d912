import type { ResolvedEnvironment } from '../../generators/index.ts';
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
  recipients: readonly string[];
}

/**
 * How an environment's values reach the running service (DESIGN §6). Compose hosts cannot run
 * the External Secrets operator, so Compose always gets the age file, whatever the provider.
 */
export function secretsDelivery(environment: ResolvedEnvironment): SecretsDelivery {
  const { profile } = environment.secrets;
  const recipients = profile.age_recipients ?? [];
  const externalSecret = environment.target === 'kubernetes' && profile.provider !== 'github';
  const ageFile = !externalSecret || recipients.length > 0;
  return { externalSecret, ageFile, recipients };
}
