import { RenderError } from '../shared/errors.ts';
import type { GeneratedDocument } from './render-context.ts';

/** One rule broken by one generated object. */
export interface LintFinding {
  file: string;
  /** Dotted path inside the document, e.g. `spec.template.spec.containers[0].image`. */
  path: string;
  message: string;
}

const PINNED_IMAGE = /@sha256:[0-9a-f]{64}$/;
const LATEST_TAG = /:latest(@|$)/;
const ROOT_USERS = new Set(['0', 'root']);

/**
 * The last line of defence between a generator bug and a cluster: what every rendered workload
 * must have, checked on the objects themselves rather than trusted from the code that made them.
 */
export function lintDocuments(documents: readonly GeneratedDocument[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const { path: file, document } of documents) {
    const report = (path: string, message: string) => findings.push({ file, path, message });
    if (file === 'compose.yaml') lintCompose(document, report);
    else if (document.kind === 'Deployment') lintDeployment(document, report);
  }
  return findings;
}

/** Throws a RenderError listing every finding; a render never half-passes. */
export function assertLintClean(documents: readonly GeneratedDocument[]): void {
  const findings = lintDocuments(documents);
  if (findings.length === 0) return;
  const lines = findings.map((f) => `  ${f.file}: ${f.path}: ${f.message}`);
  throw new RenderError(
    `rendered manifests failed ${findings.length} safety check(s):\n${lines.join('\n')}`,
    'this is a bug in the generator or a Dockfile value it did not expect; please report it',
  );
}

type Report = (path: string, message: string) => void;

function lintImage(image: unknown, path: string, report: Report): void {
  if (typeof image !== 'string' || image === '') {
    report(path, 'image is not set');
    return;
  }
  if (!PINNED_IMAGE.test(image)) report(path, `image '${image}' is not pinned by @sha256 digest`);
  if (LATEST_TAG.test(image)) report(path, `image '${image}' uses the 'latest' tag`);
}

function lintCompose(document: Record<string, unknown>, report: Report): void {
  const services = asRecord(document.services);
  if (Object.keys(services).length === 0) report('services', 'no service defined');
  for (const [name, raw] of Object.entries(services)) {
    const svc = asRecord(raw);
    const at = `services.${name}`;
    lintImage(svc.image, `${at}.image`, report);
    const user = typeof svc.user === 'string' || typeof svc.user === 'number' ? String(svc.user) : '';
    if (user === '' || ROOT_USERS.has(user.split(':')[0] ?? ''))
      report(`${at}.user`, 'must run as a non-root user');
    if (svc.read_only !== true) report(`${at}.read_only`, 'root filesystem must be read-only');
    const test = asRecord(svc.healthcheck).test;
    if (!Array.isArray(test) || test.length === 0) report(`${at}.healthcheck`, 'no health check');
    const limits = asRecord(asRecord(asRecord(svc.deploy).resources).limits);
    if (limits.cpus === undefined) report(`${at}.deploy.resources.limits.cpus`, 'CPU limit not set');
    if (limits.memory === undefined) report(`${at}.deploy.resources.limits.memory`, 'memory limit not set');
  }
}

function lintDeployment(document: Record<string, unknown>, report: Report): void {
  const podSpec = asRecord(asRecord(asRecord(document.spec).template).spec);
  const podSecurity = asRecord(podSpec.securityContext);
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  if (containers.length === 0) report('spec.template.spec.containers', 'no container defined');
  containers.forEach((raw: unknown, index: number) => {
    const container = asRecord(raw);
    const at = `spec.template.spec.containers[${index}]`;
    lintImage(container.image, `${at}.image`, report);
    const security = asRecord(container.securityContext);
    const nonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
    const uid = security.runAsUser ?? podSecurity.runAsUser;
    if (nonRoot !== true) report(`${at}.securityContext.runAsNonRoot`, 'must be true');
    if (uid === undefined || uid === 0) report(`${at}.securityContext.runAsUser`, 'must be a non-zero uid');
    if (security.readOnlyRootFilesystem !== true) {
      report(`${at}.securityContext.readOnlyRootFilesystem`, 'must be true');
    }
    if (security.allowPrivilegeEscalation !== false) {
      report(`${at}.securityContext.allowPrivilegeEscalation`, 'must be false');
    }
    const resources = asRecord(container.resources);
    for (const kind of ['requests', 'limits'] as const) {
      const amounts = asRecord(resources[kind]);
      for (const resource of ['cpu', 'memory'] as const) {
        if (amounts[resource] === undefined) report(`${at}.resources.${kind}.${resource}`, 'not set');
      }
    }
    for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
      if (container[probe] === undefined) report(`${at}.${probe}`, 'not set');
    }
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
