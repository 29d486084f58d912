import { DEFAULTS } from '../../../generators/environment.ts';
import { isImageRepository, splitReference } from '../../../generators/image-ref.ts';
import { quantitySize, requestOverLimit } from '../../../generators/kubernetes/quantity.ts';
import { ErrorCode, WarningCode } from '../codes.ts';
import type { DiagnosticSink, DocPath } from '../diagnostics.ts';
import { asRecord, asString, type Doc } from './values.ts';

/** Image reference, autoscaling bounds and request ≤ limit, at the top level and per environment. */
export function checkDeploymentSettings(doc: Doc, sink: DiagnosticSink): void {
  const deploy = asRecord(doc.deploy);
  if (!deploy) return;
  const image = asString(deploy.image);
  if (image !== undefined && image !== '') {
    const { tag, digest } = splitReference(image);
    if (tag !== null || digest !== null) {
      sink.report(
        ErrorCode.DeployConfig,
        ['deploy', 'image'],
        `deploy.image '${image}' has a tag or digest`,
        {
          hint: 'give the repository only (e.g. ghcr.io/acme/agent); the pipeline pins the version and digest',
        },
      );
    } else if (!isImageRepository(image)) {
      sink.report(
        ErrorCode.DeployConfig,
        ['deploy', 'image'],
        `deploy.image '${image}' is not a valid image repository`,
        {
          hint: `use lowercase, e.g. ${image.toLowerCase().replace(/[^a-z0-9./:_-]/g, '-')}`,
        },
      );
    }
  }
  checkScaling(deploy, ['deploy'], sink);
  for (const [env, raw] of Object.entries(asRecord(deploy.environments) ?? {})) {
    const environment = asRecord(raw);
    if (environment) checkScaling(environment, ['deploy', 'environments', env], sink);
  }
  checkNamespaces(doc, deploy, sink);
}

/**
 * Object names depend on the agent only (`<agent>`, `<agent>-config`, `<agent>-secrets`…), so two
 * Kubernetes environments rendered into one namespace are the same objects: whichever syncs last
 * wins. Separate clusters make that fine, hence a warning.
 */
function checkNamespaces(doc: Doc, deploy: Doc, sink: DiagnosticSink): void {
  const agent = asString(asRecord(doc.agent)?.name) ?? 'the agent';
  const firstIn = new Map<string, string>();
  for (const [env, raw] of Object.entries(asRecord(deploy.environments) ?? {})) {
    const environment = asRecord(raw) ?? {};
    const target = asString(environment.target) ?? asString(deploy.target) ?? DEFAULTS.target;
    if (target !== 'kubernetes') continue;
    const explicit = asString(environment.namespace);
    const namespace = explicit ?? env;
    const first = firstIn.get(namespace);
    if (first === undefined) {
      firstIn.set(namespace, env);
      continue;
    }
    sink.report(
      WarningCode.NamespaceCollision,
      explicit === undefined ? ['deploy', 'environments', env] : ['deploy', 'environments', env, 'namespace'],
      `environments '${first}' and '${env}' both render ${agent} into namespace '${namespace}' with the same object names; in one cluster each overwrites the other`,
      {
        hint: `give one of them its own namespace (deploy.environments.${env}.namespace), or keep them in separate clusters`,
      },
    );
  }
}

function checkScaling(section: Doc, base: DocPath, sink: DiagnosticSink): void {
  const autoscaling = asRecord(section.autoscaling);
  if (autoscaling && typeof autoscaling.min === 'number' && typeof autoscaling.max === 'number') {
    if (autoscaling.min > autoscaling.max) {
      sink.report(
        ErrorCode.DeployConfig,
        [...base, 'autoscaling', 'min'],
        `autoscaling.min (${autoscaling.min}) is greater than autoscaling.max (${autoscaling.max})`,
      );
    }
  }
  const resources = asRecord(section.resources);
  const requests = asRecord(resources?.requests);
  const limits = asRecord(resources?.limits);
  if (!requests || !limits) return;
  for (const key of ['cpu', 'memory'] as const) {
    const request = sizeOf(key, requests[key]);
    const limit = sizeOf(key, limits[key]);
    if (request !== undefined && limit !== undefined && request > limit) {
      sink.report(
        ErrorCode.DeployConfig,
        [...base, 'resources', 'requests', key],
        `${requestOverLimit(key, String(requests[key]), String(limits[key]))} (resources.limits.${key})`,
        { hint: `lower the request or raise the limit` },
      );
    }
  }
}

/** A quantity's size, or undefined when absent or malformed (the schema reports those). */
function sizeOf(kind: 'cpu' | 'memory', value: unknown): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  try {
    return quantitySize(kind, value);
  } catch {
    return undefined;
  }
}
