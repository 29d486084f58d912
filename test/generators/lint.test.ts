import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { lintDocuments, renderManifests } from '../../generators/index.ts';
import { RenderError } from '../../shared/errors.ts';
import { DIGEST, fullSpec, IMAGE, type Loose } from './support.ts';

const rendered = (target: 'compose' | 'kubernetes') =>
  renderManifests({ spec: fullSpec(), environment: 'production', image: IMAGE, version: '1.4.2', target });

/** The generator's own output as plain objects, to break one rule at a time. */
function documentsOf(target: 'compose' | 'kubernetes') {
  return rendered(target).files.map((f) => ({
    path: f.path,
    document: JSON.parse(JSON.stringify(parseYaml(f.content))),
  }));
}

function deploymentWith(edit: (container: Loose, pod: Loose) => void) {
  const documents = documentsOf('kubernetes');
  const deployment = documents.find((d) => d.path === 'deployment.yaml');
  if (!deployment) throw new Error('no deployment.yaml');
  edit(deployment.document.spec.template.spec.containers[0], deployment.document.spec.template.spec);
  return documents;
}

describe('lintDocuments', () => {
  it('passes what the generators render', () => {
    expect(lintDocuments(documentsOf('kubernetes'))).toEqual([]);
    expect(lintDocuments(documentsOf('compose'))).toEqual([]);
  });

  it('flags a Deployment that may run as root', () => {
    const documents = deploymentWith((container, pod) => {
      delete container.securityContext.runAsNonRoot;
      delete pod.securityContext.runAsNonRoot;
      container.securityContext.runAsUser = 0;
    });
    expect(lintDocuments(documents)).toEqual([
      {
        file: 'deployment.yaml',
        path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot',
        message: 'must be true',
      },
      {
        file: 'deployment.yaml',
        path: 'spec.template.spec.containers[0].securityContext.runAsUser',
        message: 'must be a non-zero uid',
      },
    ]);
  });

  it('flags missing resources and probes, a writable root and privilege escalation', () => {
    const documents = deploymentWith((container) => {
      delete container.resources.limits.memory;
      delete container.resources.requests;
      delete container.readinessProbe;
      container.securityContext.readOnlyRootFilesystem = false;
      delete container.securityContext.allowPrivilegeEscalation;
    });
    expect(
      lintDocuments(documents).map((f) => f.path.replace('spec.template.spec.containers[0].', '')),
    ).toEqual([
      'securityContext.readOnlyRootFilesystem',
      'securityContext.allowPrivilegeEscalation',
      'resources.requests.cpu',
      'resources.requests.memory',
      'resources.limits.memory',
      'readinessProbe',
    ]);
  });

  it.each([
    ['ghcr.io/acme/agent:1.0.0', /not pinned by @sha256 digest/],
    [`ghcr.io/acme/agent:latest@${DIGEST}`, /uses the 'latest' tag/],
    ['ghcr.io/acme/agent:latest', /not pinned[\s\S]*latest/],
    ['', /image is not set/],
  ])('flags the Deployment image %s', (image, message) => {
    const documents = deploymentWith((container) => {
      container.image = image;
    });
    const findings = lintDocuments(documents);
    expect(findings.every((f) => f.path === 'spec.template.spec.containers[0].image')).toBe(true);
    expect(findings.map((f) => f.message).join('\n')).toMatch(message);
  });

  it('flags a Compose service running as root, writable, unchecked and unlimited', () => {
    const documents = documentsOf('compose');
    const service = documents[0]?.document.services['invoice-copilot'];
    service.user = '0:0';
    service.read_only = false;
    delete service.healthcheck;
    delete service.deploy.resources.limits;
    service.image = 'ghcr.io/acme/invoice-copilot:latest';
    expect(lintDocuments(documents).map((f) => `${f.path}: ${f.message}`)).toEqual([
      "services.invoice-copilot.image: image 'ghcr.io/acme/invoice-copilot:latest' is not pinned by @sha256 digest",
      "services.invoice-copilot.image: image 'ghcr.io/acme/invoice-copilot:latest' uses the 'latest' tag",
      'services.invoice-copilot.user: must run as a non-root user',
      'services.invoice-copilot.read_only: root filesystem must be read-only',
      'services.invoice-copilot.healthcheck: no health check',
      'services.invoice-copilot.deploy.resources.limits.cpus: CPU limit not set',
      'services.invoice-copilot.deploy.resources.limits.memory: memory limit not set',
    ]);
  });

  it('fails the render with one error listing every finding', () => {
    let error: unknown;
    try {
      renderManifests({
        spec: fullSpec(),
        environment: 'production',
        image: `ghcr.io/acme/invoice-copilot:latest@${DIGEST}`,
        version: '1.4.2',
      });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).message).toBe(
      'rendered manifests failed 1 safety check(s):\n' +
        `  deployment.yaml: spec.template.spec.containers[0].image: image 'ghcr.io/acme/invoice-copilot:latest@${DIGEST}' uses the 'latest' tag`,
    );
  });
});
