import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderManifests } from '../../generators/index.ts';
import { requireInfra } from '../support/infra.ts';
import { validateAgainstSchema } from './kubernetes-validate.ts';
import {
  DIGEST,
  fileNamed,
  fullSpec,
  IMAGE,
  type Loose,
  minimalSpec,
  parseFile,
  parseOne,
  runTool,
  toolAnswers,
  withSpec,
  writeTemp,
} from './support.ts';

const render = (
  environment: string,
  spec = fullSpec(),
  extra: { version?: string; secretVersions?: string } = {},
) =>
  renderManifests({
    spec,
    environment,
    image: IMAGE,
    version: extra.version ?? '1.4.2',
    target: 'kubernetes',
    ...(extra.secretVersions ? { secretVersions: extra.secretVersions } : {}),
  });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const ENVIRONMENTS = ['staging', 'production', 'aws-prod'] as const;

describe('kubernetes manifests: upstream schemas', () => {
  it.each(ENVIRONMENTS)(
    'every object of %s validates against the Kubernetes / ESO schemas',
    (environment) => {
      const { files } = render(environment);
      const objects = files.filter((f) => f.path !== 'kustomization.yaml').flatMap(parseFile);
      expect(objects.length).toBeGreaterThanOrEqual(4);
      for (const object of objects) validateAgainstSchema(object);
    },
  );

  it('the schema check is real: it rejects a wrong type and an unknown ESO enum value', () => {
    const deployment = parseOne(render('production').files, 'deployment.yaml');
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(() => validateAgainstSchema(deployment)).toThrow(/containerPort must be integer/);
    const externalSecret = parseOne(render('production').files, 'externalsecret.yaml');
    externalSecret.spec.target.creationPolicy = 'Always';
    expect(() => validateAgainstSchema(externalSecret)).toThrow(/creationPolicy/);
  });
});

describe('kubernetes manifests: content', () => {
  it('lists exactly the object files in kustomization.yaml, sorted, with the namespace', () => {
    const { files } = render('production');
    expect(files.map((f) => f.path)).toEqual([
      'configmap.yaml',
      'deployment.yaml',
      'externalsecret-optional-langfuse-secret-key.yaml',
      'externalsecret.yaml',
      'hpa.yaml',
      'ingress.yaml',
      'kustomization.yaml',
      'networkpolicy.yaml',
      'pdb.yaml',
      'service.yaml',
      'serviceaccount.yaml',
    ]);
    const kustomization = parseOne(files, 'kustomization.yaml');
    expect(kustomization.namespace).toBe('agents');
    expect(kustomization.resources).toEqual(
      files.map((f) => f.path).filter((p) => p !== 'kustomization.yaml'),
    );
  });

  it('renders only the core objects for a minimal Dockfile', () => {
    const { files } = render('dev', minimalSpec());
    expect(files.map((f) => f.path)).toEqual([
      'configmap.yaml',
      'deployment.yaml',
      'kustomization.yaml',
      'service.yaml',
      'serviceaccount.yaml',
    ]);
    const deployment = parseOne(files, 'deployment.yaml');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([
      { configMapRef: { name: 'hello-config', optional: false } },
    ]);
    expect(parseOne(files, 'kustomization.yaml').namespace).toBe('dev');
  });

  it('hardens the pod and pins the image by digest', () => {
    const deployment = parseOne(render('production').files, 'deployment.yaml');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toBe(IMAGE);
    expect(container.image).toContain(`@${DIGEST}`);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('invoice-copilot');
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    // A slow LLM agent gets 5 minutes to come up before liveness can kill it.
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBe(300);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8081, protocol: 'TCP' }]);
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
  });

  it('keeps selectors to name+instance, so a new version never changes them', () => {
    const v1 = render('production', fullSpec(), { version: '1.4.2' });
    const v2 = render('production', fullSpec(), { version: '2.0.0-rc.1' });
    const selector = {
      'app.kubernetes.io/name': 'invoice-copilot',
      'app.kubernetes.io/instance': 'invoice-copilot-production',
    };
    for (const files of [v1.files, v2.files]) {
      const deployment = parseOne(files, 'deployment.yaml');
      expect(deployment.spec.selector.matchLabels).toEqual(selector);
      expect(parseOne(files, 'service.yaml').spec.selector).toEqual(selector);
      expect(parseOne(files, 'pdb.yaml').spec.selector.matchLabels).toEqual(selector);
      expect(parseOne(files, 'networkpolicy.yaml').spec.podSelector.matchLabels).toEqual(selector);
      expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
    }
    expect(parseOne(v2.files, 'deployment.yaml').metadata.labels).toMatchObject({
      'app.kubernetes.io/version': '2.0.0-rc.1',
      'app.kubernetes.io/managed-by': 'dockrion',
    });
  });

  it('rolls pods when config or secret versions change, and only then', () => {
    const annotations = (files: ReturnType<typeof render>['files']) =>
      parseOne(files, 'deployment.yaml').spec.template.metadata.annotations;
    const base = annotations(render('production', fullSpec(), { secretVersions: 'v1' }).files);
    expect(base['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(base['dockrion.dev/secret-versions']).toBe('v1');
    expect(annotations(render('production', fullSpec(), { secretVersions: 'v1' }).files)).toEqual(base);
    const newSecret = annotations(render('production', fullSpec(), { secretVersions: 'v2' }).files);
    expect(newSecret['checksum/config']).toBe(base['checksum/config']);
    expect(newSecret['dockrion.dev/secret-versions']).toBe('v2');
    const newConfig = withSpec(fullSpec(), (s) => {
      s.deploy.env.LOG_FORMAT = 'logfmt';
    });
    expect(
      annotations(render('production', newConfig, { secretVersions: 'v1' }).files)['checksum/config'],
    ).not.toBe(base['checksum/config']);
  });

  it('sizes the grace period from the runtime drain budget, which the Dockfile may raise', () => {
    const longStreams = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.env = { DOCKRION_SHUTDOWN_GRACE_SECONDS: 90.5 };
    });
    const { files } = render('production', longStreams);
    expect(parseOne(files, 'deployment.yaml').spec.template.spec.terminationGracePeriodSeconds).toBe(96);
    expect(parseOne(files, 'configmap.yaml').data.DOCKRION_SHUTDOWN_GRACE_SECONDS).toBe('90.5');
    const compose = renderManifests({
      spec: longStreams,
      environment: 'production',
      image: IMAGE,
      version: '1',
      target: 'compose',
    });
    expect(parseOne(compose.files, 'compose.yaml').services['invoice-copilot'].stop_grace_period).toBe('96s');
  });

  it('leaves replicas to the HPA when autoscaling is on', () => {
    const { files } = render('production');
    expect(parseOne(files, 'deployment.yaml').spec.replicas).toBeUndefined();
    expect(parseOne(files, 'hpa.yaml').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'invoice-copilot' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } },
        },
      ],
    });
  });

  it('adds a PodDisruptionBudget only with more than one replica or an HPA', () => {
    const paths = (spec = fullSpec(), env = 'aws-prod') => render(env, spec).files.map((f) => f.path);
    expect(paths()).toContain('pdb.yaml'); // replicas: 2 from deploy
    const single = withSpec(fullSpec(), (s) => {
      s.deploy.replicas = 1;
    });
    expect(paths(single)).not.toContain('pdb.yaml');
    expect(paths(single, 'production')).toContain('pdb.yaml'); // HPA
  });

  it('restricts ingress to the agent port and egress to the listed CIDRs plus DNS', () => {
    const policy = parseOne(render('production').files, 'networkpolicy.yaml');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([{ ports: [{ port: 8081, protocol: 'TCP' }] }]);
    expect(policy.spec.egress[0]).toEqual({
      to: [{ ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '192.168.0.0/16' } }],
    });
    expect(policy.spec.egress[1].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    const openEgress = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.network_policy = { enabled: true };
    });
    const open = parseOne(render('production', openEgress).files, 'networkpolicy.yaml');
    expect(open.spec.policyTypes).toEqual(['Ingress']);
    expect(open.spec.egress).toBeUndefined();
  });

  it('the DNS egress rule is configurable: OpenShift DNS (openshift-dns, its pod labels, port 5353)', () => {
    expect(parseOne(render('production').files, 'networkpolicy.yaml').spec.egress[1].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } },
    ]);
    const openshift = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.network_policy.dns = {
        namespace: 'openshift-dns',
        pod_labels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
        ports: [5353],
      };
    });
    const policy = parseOne(render('production', openshift).files, 'networkpolicy.yaml');
    validateAgainstSchema(policy);
    expect(policy.spec.egress[1]).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
          podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
        },
      ],
      ports: [
        { port: 5353, protocol: 'UDP' },
        { port: 5353, protocol: 'TCP' },
      ],
    });
    // Set once under deploy, it applies to every environment that does not replace it.
    const shared = withSpec(fullSpec(), (s) => {
      s.deploy.network_policy = { dns: { namespace: 'openshift-dns', ports: [5353, 53] } };
    });
    const sharedPolicy = parseOne(render('production', shared).files, 'networkpolicy.yaml');
    expect(
      sharedPolicy.spec.egress[1].to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
    ).toBe('openshift-dns');
    expect(sharedPolicy.spec.egress[1].ports.map((p: Loose) => p.port)).toEqual([53, 53, 5353, 5353]);
  });

  it('renders the Ingress with class, annotations and the default TLS secret', () => {
    const ingress = parseOne(render('production').files, 'ingress.yaml');
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '300',
    });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['invoices.example.com'], secretName: 'invoice-copilot-tls' }],
      rules: [
        {
          host: 'invoices.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'invoice-copilot', port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('puts only plain config in the ConfigMap, with dockrion keys', () => {
    const configMap = parseOne(render('production').files, 'configmap.yaml');
    expect(configMap.data).toEqual({
      DOCKRION_ENV: 'production',
      DOCKRION_SHUTDOWN_GRACE_SECONDS: '25',
      DOCKRION_VERSION: '1.4.2',
      FEATURE_X: 'true',
      GREETING: 'price is $5, ${OPENAI_API_KEY}',
      LOG_FORMAT: 'json',
      MAX_ITEMS: '25',
    });
  });
});

describe('kubernetes manifests: secrets', () => {
  it('vault: required and optional secrets in separate ExternalSecrets, every ESO default written', () => {
    const { files } = render('production');
    const required = parseOne(files, 'externalsecret.yaml');
    expect(required.metadata.name).toBe('invoice-copilot-secrets');
    expect(required.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault-backend', kind: 'ClusterSecretStore' },
      target: { name: 'invoice-copilot-secrets', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        {
          secretKey: 'DOCKRION_API_KEY',
          remoteRef: {
            key: 'agents/invoice',
            property: 'DOCKRION_API_KEY',
            conversionStrategy: 'Default',
            decodingStrategy: 'None',
            metadataPolicy: 'None',
          },
        },
        {
          secretKey: 'OPENAI_API_KEY',
          remoteRef: {
            key: 'agents/invoice',
            property: 'openai_api_key',
            conversionStrategy: 'Default',
            decodingStrategy: 'None',
            metadataPolicy: 'None',
          },
        },
      ],
    });
    const optional = parseOne(files, 'externalsecret-optional-langfuse-secret-key.yaml');
    expect(optional.spec.target.name).toBe('invoice-copilot-secrets-optional-langfuse-secret-key');
    expect(optional.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual([
      'LANGFUSE_SECRET_KEY',
    ]);
    expect(parseOne(files, 'deployment.yaml').spec.template.spec.containers[0].envFrom).toEqual([
      { configMapRef: { name: 'invoice-copilot-config', optional: false } },
      { secretRef: { name: 'invoice-copilot-secrets', optional: false } },
      { secretRef: { name: 'invoice-copilot-secrets-optional-langfuse-secret-key', optional: true } },
    ]);
  });

  it.each(['production', 'aws-prod'])(
    '%s: one missing optional key cannot block the others: one ExternalSecret (and Secret) per optional key',
    (environment) => {
      // ESO fails a whole ExternalSecret, writing nothing, when any one remoteRef is missing; so
      // each optional key stands alone and the pod reads each Secret with optional: true.
      const spec = withSpec(fullSpec(), (s) => {
        s.secrets.optional = [
          { name: 'LANGFUSE_SECRET_KEY', default: '' },
          { name: 'SENTRY_DSN' },
          { name: 'SLACK_WEBHOOK_URL' },
        ];
      });
      const { files } = render(environment, spec);
      const optionalFiles = files.filter((f) => f.path.startsWith('externalsecret-optional-'));
      expect(optionalFiles.map((f) => f.path)).toEqual([
        'externalsecret-optional-langfuse-secret-key.yaml',
        'externalsecret-optional-sentry-dsn.yaml',
        'externalsecret-optional-slack-webhook-url.yaml',
      ]);
      const targets: string[] = [];
      for (const file of optionalFiles) {
        const [object] = parseFile(file);
        validateAgainstSchema(object as Record<string, unknown>);
        const es = object as Loose;
        expect(es.spec.data).toHaveLength(1);
        expect(es.spec.target.name).toBe(es.metadata.name);
        targets.push(es.spec.target.name);
      }
      const envFrom = parseOne(files, 'deployment.yaml').spec.template.spec.containers[0].envFrom;
      expect(
        envFrom.filter((e: Loose) => e.secretRef?.optional === true).map((e: Loose) => e.secretRef.name),
      ).toEqual(targets);
      // The required secrets still arrive together, and the pod needs them.
      expect(parseOne(files, 'externalsecret.yaml').spec.data).toHaveLength(2);
      expect(parseOne(files, 'kustomization.yaml').resources).toEqual(
        expect.arrayContaining(optionalFiles.map((f) => f.path)),
      );
    },
  );

  it('aws: the secret id as key, the mapped JSON field as property, the version stage, default store', () => {
    const externalSecret = parseOne(render('aws-prod').files, 'externalsecret.yaml');
    expect(externalSecret.spec.refreshInterval).toBe('15m');
    expect(externalSecret.spec.secretStoreRef).toEqual({ name: 'dockrion-aws', kind: 'SecretStore' });
    expect(externalSecret.spec.data[1].remoteRef).toEqual({
      key: 'prod/invoice',
      property: 'openai',
      version: 'AWSCURRENT',
      conversionStrategy: 'Default',
      decodingStrategy: 'None',
      metadataPolicy: 'None',
    });
  });

  it('github: no ExternalSecret; the pod reads <agent>-secrets, required only if a secret is required', () => {
    const staging = render('staging');
    expect(staging.files.some((f) => f.path.startsWith('externalsecret'))).toBe(false);
    expect(parseOne(staging.files, 'deployment.yaml').spec.template.spec.containers[0].envFrom[1]).toEqual({
      secretRef: { name: 'invoice-copilot-secrets', optional: false },
    });
    const onlyOptional = withSpec(fullSpec(), (s) => {
      s.secrets.required = [];
    });
    expect(
      parseOne(render('staging', onlyOptional).files, 'deployment.yaml').spec.template.spec.containers[0]
        .envFrom[1],
    ).toEqual({ secretRef: { name: 'invoice-copilot-secrets', optional: true } });
  });

  it('refuses a vault or aws profile without its provider block, naming the field', () => {
    const spec = withSpec(fullSpec(), (s) => {
      s.deploy.environments.production.secrets = { provider: 'aws' };
    });
    expect(() => render('production', spec)).toThrow(
      "deploy.environments.production.secrets.aws: a secret profile with provider 'aws' needs an 'aws' block",
    );
  });

  it('names secrets, never values, anywhere in the output', () => {
    for (const environment of ENVIRONMENTS) {
      for (const file of render(environment).files) {
        expect(file.content).not.toMatch(/sk-|password|stringData/);
        if (parse(file.content)?.kind === 'Secret') throw new Error(`${file.path} is a Secret`);
      }
    }
  });
});

const kubectl = toolAnswers('kubectl', ['version', '--client']);
const { describe: withKubectl } = requireInfra('kubectl', kubectl.present, kubectl.reason);

withKubectl('kubernetes manifests: kubectl kustomize', () => {
  it.each(ENVIRONMENTS)(
    '%s builds with kubectl kustomize, every object in the environment namespace',
    (environment) => {
      const { files } = render(environment);
      const temp = writeTemp(files);
      cleanups.push(temp.cleanup);
      const built = runTool('kubectl', ['kustomize', temp.dir]);
      expect(built.stderr).toBe('');
      expect(built.code).toBe(0);
      const objects = built.stdout
        .split(/^---$/m)
        .map((text) => parse(text) as Loose)
        .filter(Boolean);
      expect(objects).toHaveLength(files.length - 1);
      const namespace = environment === 'staging' ? 'staging' : 'agents';
      for (const object of objects) {
        expect(object.metadata.namespace).toBe(namespace);
        validateAgainstSchema(object);
      }
      expect(fileNamed(files, 'kustomization.yaml').content).toContain(`namespace: ${namespace}`);
    },
  );
});
