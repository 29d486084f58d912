import { createHash } from 'node:crypto';

/**
 * Object names and labels, as fixed functions of the agent and environment, so every generator
 * (and the secrets stage, which must create the same Secret name) agrees on them.
 */

export const MANAGED_BY = 'dockrion';
export const ANNOTATION_PREFIX = 'dockrion.dev';
export const COMPOSE_LABEL_PREFIX = 'dev.dockrion';

/** The uid baked into the runtime image (docs/CONTRACTS.md "Image"). */
export const RUNTIME_UID = 10001;

export interface ObjectNames {
  /** Deployment, Service, ServiceAccount, container, Compose service. */
  workload: string;
  configMap: string;
  /** Secret holding the required (or, for github profiles, all) secrets; also its ExternalSecret. */
  secret: string;
  /** Default Secret for `ingress.tls: true`. */
  tlsSecret: string;
}

export function objectNames(agent: string): ObjectNames {
  return {
    workload: agent,
    configMap: `${agent}-config`,
    secret: `${agent}-secrets`,
    tlsSecret: `${agent}-tls`,
  };
}

const LABEL_VALUE_MAX = 63;

/**
 * The Secret (and ExternalSecret) of one optional secret of a vault/aws profile:
 * `<agent>-secrets-optional-<name>`, the name lowercased with `_` → `-`. One per key, because
 * External Secrets fails a whole ExternalSecret when any one key is missing. A name that does not
 * map to a DNS label as it is (`_TOKEN`), or a result over 63 characters, gets a hash suffix.
 */
export function optionalSecretName(agent: string, secretName: string): string {
  const slug = secretName.toLowerCase().replaceAll('_', '-');
  const name = `${agent}-secrets-optional-${slug}`;
  if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(slug) && name.length <= LABEL_VALUE_MAX) return name;
  const suffix = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  const head = name.slice(0, LABEL_VALUE_MAX - suffix.length - 1).replace(/-+$/, '');
  return `${head}-${suffix}`;
}

/**
 * A Kubernetes label value (≤ 63 chars, alphanumeric at both ends, `-_.` inside) that stays
 * recognisable: invalid characters become `-`, and a value that had to be shortened gets a hash
 * suffix so two long inputs do not collapse into one label.
 */
export function toLabelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned.length > 0 && cleaned.length <= LABEL_VALUE_MAX) return cleaned;
  const suffix = createHash('sha256').update(value).digest('hex').slice(0, 8);
  const head = cleaned.slice(0, LABEL_VALUE_MAX - suffix.length - 1).replace(/[^A-Za-z0-9]+$/, '');
  return head ? `${head}-${suffix}` : suffix;
}

/** The instance of one agent in one environment: `<agent>-<env>`, kept to a valid label value. */
export function instanceName(agent: string, environment: string): string {
  return toLabelValue(`${agent}-${environment}`);
}

/**
 * The Compose project of one agent in one environment: the `name:` of its compose.yaml and the
 * `--project-name` `dockrion apply` runs it under. One function, so the two never disagree (an
 * operator's `docker compose up` in the folder would otherwise start a second copy). Agent and
 * environment names are DNS labels, so the instance name is a valid Compose project name.
 */
export function composeProjectName(agent: string, environment: string): string {
  return instanceName(agent, environment);
}

/**
 * Labels a Deployment selects its pods by. Only name and instance: a selector is immutable,
 * so anything that changes between versions must stay out of it.
 */
export function selectorLabels(agent: string, environment: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': agent,
    'app.kubernetes.io/instance': instanceName(agent, environment),
  };
}

export function commonLabels(agent: string, environment: string, version: string): Record<string, string> {
  return {
    ...selectorLabels(agent, environment),
    'app.kubernetes.io/version': toLabelValue(version),
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [`${ANNOTATION_PREFIX}/environment`]: toLabelValue(environment),
  };
}
