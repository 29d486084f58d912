import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { SecretProfile } from '../../schemas/dock-spec.ts';
import { DeployConfigError } from '../../shared/errors.ts';
import { objectMeta } from '../kubernetes/metadata.ts';
import { objectNames, optionalSecretName } from '../names.ts';
import type { RenderContext } from '../render-context.ts';

/** Store names used when a profile gives no `store.name` (documented in CONTRACTS.md). */
export const DEFAULT_STORE_NAMES = { vault: 'dockrion-vault', aws: 'dockrion-aws' } as const;
export const DEFAULT_REFRESH_INTERVAL = '1h';

/** A Kubernetes Secret the pod reads with `envFrom`, and the ExternalSecret that fills it, if any. */
export interface SecretSource {
  secretName: string;
  /** `secretRef.optional`: true unless the pod cannot start without this Secret. */
  optional: boolean;
  externalSecret: IExternalSecret | null;
  /** The file the ExternalSecret is written to (null without one). */
  file: string | null;
}

/**
 * Where the pod's secrets come from.
 *
 * - `github` (or no profile): one Secret `<agent>-secrets` holding every declared secret, made in
 *   the cluster from `secrets.env.age`; nothing here creates it (see CONTRACTS.md).
 * - `vault` / `aws`: the required secrets in one ExternalSecret → `<agent>-secrets`, and each
 *   optional one in an ExternalSecret of its own → `<agent>-secrets-optional-<name>`. ESO fails a
 *   whole ExternalSecret (and writes nothing) when any one of its keys is missing, so one per
 *   optional key means a missing optional secret never stops the required ones, the pod, or the
 *   other optional ones from arriving; the pod reads each with `optional: true`.
 */
export function secretSources(ctx: RenderContext): SecretSource[] {
  const { required, optional, profile } = ctx.env.secrets;
  const names = objectNames(ctx.env.agent);
  if (required.length + optional.length === 0) return [];
  if (profile.provider === 'github') {
    return [{ secretName: names.secret, optional: required.length === 0, externalSecret: null, file: null }];
  }
  const sources: SecretSource[] = [];
  if (required.length > 0) {
    sources.push({
      secretName: names.secret,
      optional: false,
      externalSecret: externalSecret(ctx, names.secret, required, profile),
      file: 'externalsecret.yaml',
    });
  }
  for (const secretName of optional) {
    const name = optionalSecretName(ctx.env.agent, secretName);
    sources.push({
      secretName: name,
      optional: true,
      externalSecret: externalSecret(ctx, name, [secretName], profile),
      file: `externalsecret-${name.slice(ctx.env.agent.length + 1).replace(/^secrets-/, '')}.yaml`,
    });
  }
  return sources;
}

/**
 * Every field External Secrets Operator would default is written out, so a GitOps controller
 * comparing git with the live object sees no difference after admission.
 */
function externalSecret(
  ctx: RenderContext,
  name: string,
  secretNames: readonly string[],
  profile: SecretProfile,
): IExternalSecret {
  const provider = profile.provider as 'vault' | 'aws';
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: objectMeta(ctx, name),
    spec: {
      refreshInterval: profile.refresh_interval ?? DEFAULT_REFRESH_INTERVAL,
      secretStoreRef: {
        name: profile.store?.name ?? DEFAULT_STORE_NAMES[provider],
        kind: profile.store?.kind ?? 'SecretStore',
      },
      target: { name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: secretNames.map((secretName) => ({
        secretKey: secretName,
        remoteRef: {
          ...remoteLocation(profile, secretName, ctx.env.name),
          conversionStrategy: 'Default',
          decodingStrategy: 'None',
          metadataPolicy: 'None',
        },
      })),
    },
  };
}

/**
 * Vault: the key is the profile's path inside the store's mount, the property the mapped field.
 * AWS: the key is the secret id, the property the mapped JSON field, and `version` the version
 * stage when one is pinned (ESO reads a version without the `uuid/` prefix as a stage).
 */
function remoteLocation(
  profile: SecretProfile,
  secretName: string,
  environment: string,
): { key: string; property: string; version?: string } {
  const property = profile.map?.[secretName] ?? secretName;
  if (profile.provider === 'vault') {
    if (!profile.vault) throw missingProviderBlock('vault', environment);
    return { key: profile.vault.path, property };
  }
  if (!profile.aws) throw missingProviderBlock('aws', environment);
  const location: { key: string; property: string; version?: string } = {
    key: profile.aws.secret_id,
    property,
  };
  if (profile.aws.version_stage) location.version = profile.aws.version_stage;
  return location;
}

function missingProviderBlock(provider: 'vault' | 'aws', environment: string): DeployConfigError {
  return new DeployConfigError(
    `deploy.environments.${environment}.secrets.${provider}`,
    `a secret profile with provider '${provider}' needs an '${provider}' block`,
  );
}
