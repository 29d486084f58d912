import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNTIME_SETTINGS } from '../../action/dockfile/checks/auth.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';

const agent = 'version: "1.0"\nagent: {name: sem, handler: "app:run"}\n';
const age = `age1${'q'.repeat(58)}`;

async function findings(body: string, head = agent) {
  const result = await validateDockfileText(head + body, 'D.yaml', { python: null, processEnv: {} });
  return {
    errors: result.errors.map((d) => `${d.code} ${d.path}`),
    warnings: result.warnings.map((d) => `${d.code} ${d.path}`).filter((w) => !w.startsWith('4105')),
    messages: result.errors.map((d) => d.message),
  };
}

describe('semantic rules', () => {
  it.each([
    [
      'both entrypoint and handler',
      'agent: {name: a, entrypoint: "m:f", framework: custom, handler: "m:g"}\n',
      '4002 agent.handler',
    ],
    ['entrypoint without framework', 'agent: {name: a, entrypoint: "m:f"}\n', '4007 agent.framework'],
    [
      'handler with a non-custom framework',
      'agent: {name: a, handler: "m:f", framework: langchain}\n',
      '4007 agent.framework',
    ],
  ])('agent: %s', async (_, agentLine, expected) => {
    const { errors } = await findings('auth: {mode: none}\n', `version: "1.0"\n${agentLine}`);
    expect(errors).toEqual([expected]);
  });

  it('io_schema: mixing inline schemas and classes → 4004', async () => {
    const { errors } = await findings(
      'io_schema:\n  input: {type: object}\n  input_class: "m:In"\n  output_class: "m:Out"\n',
    );
    expect(errors).toEqual(['4004 io_schema.input_class']);
  });

  it.each([
    [
      'mode omitted but api_keys disabled',
      'auth: {api_keys: {enabled: false}}\n',
      ['4005 auth.api_keys.enabled'],
    ],
    [
      'a literal jwt secret shorter than 16',
      'auth: {mode: jwt, jwt: {secret_key: tooshort}, roles: [{name: r, permissions: [invoke]}]}\n',
      ['4005 auth.jwt.secret_key'],
    ],
    [
      'oauth2 without its block',
      'auth: {mode: oauth2, roles: [{name: r, permissions: [invoke]}]}\n',
      ['4005 auth.oauth2'],
    ],
    [
      'a role declared twice',
      'auth: {mode: api_key, roles: [{name: r, permissions: []}, {name: r, permissions: []}]}\n',
      ['4005 auth.roles[1].name'],
    ],
    [
      'an unknown permission',
      'auth: {mode: api_key, roles: [{name: r, permissions: [invoke, sudo]}]}\n',
      ['4005 auth.roles[0].permissions[1]'],
    ],
    [
      'a bad rate',
      'auth: {mode: api_key, roles: [{name: r, permissions: []}], rate_limits: {r: "10/week"}}\n',
      ['4005 auth.rate_limits.r'],
    ],
    // Issue 12 #2: with prefix DOCKRION, DOCKRION_ENV, DOCKRION_VERSION... were API keys.
    [
      'api_keys.prefix DOCKRION covers the runtime settings',
      'auth: {api_keys: {prefix: DOCKRION}}\n',
      ['4005 auth.api_keys.prefix'],
    ],
    [
      'api_keys.prefix DOCKRION_ too',
      'auth: {api_keys: {prefix: DOCKRION_}}\n',
      ['4005 auth.api_keys.prefix'],
    ],
    [
      'api_keys.prefix DOCKRION_SHUTDOWN',
      'auth: {api_keys: {prefix: DOCKRION_SHUTDOWN}}\n',
      ['4005 auth.api_keys.prefix'],
    ],
    [
      'api_keys.env_var naming a runtime setting',
      'auth: {api_keys: {env_var: DOCKRION_VERSION}}\n',
      ['4005 auth.api_keys.env_var'],
    ],
    ['api_keys.prefix of its own', 'auth: {api_keys: {prefix: DOCKRION_API_KEY}}\n', []],
  ])('auth: %s', async (_, body, expected) => {
    expect((await findings(body)).errors).toEqual(expected);
  });

  it('auth: jwt with a key source and roles, api_key without mode, and a declared-secret key are fine', async () => {
    const jwks = await findings(
      'auth: {mode: jwt, jwt: {jwks_url: "https://idp/jwks"}, roles: [{name: r, permissions: [invoke]}]}\n',
    );
    expect(jwks).toMatchObject({ errors: [], warnings: [] });
    expect((await findings('auth: {api_keys: {header: X-Agent-Key}}\n')).errors).toEqual([]);
    const secretRef = await findings(
      'secrets: {required: [{name: JWT_KEY}]}\nauth: {mode: jwt, jwt: {secret_key: "${JWT_KEY}"}, roles: [{name: r, permissions: [invoke]}]}\n',
    );
    expect(secretRef.errors).toEqual([]);
  });

  it('observability: langfuse without keys → 4008, unless disabled', async () => {
    expect((await findings('observability: {langfuse: {project: p, public_key: pk}}\n')).errors).toEqual([
      '4008 observability.langfuse.secret_key',
    ]);
    expect((await findings('observability: {langfuse: {enabled: false}}\n')).errors).toEqual([]);
  });

  it('secrets: profile consistency and names', async () => {
    const { errors } = await findings(`secrets:
  required: [{name: API_TOKEN}]
  optional: [{name: API_TOKEN}, {name: lower}]
deploy:
  target: kubernetes
  environments:
    vault-env: {secrets: {provider: vault, aws: {secret_id: x}}}
    aws-env: {secrets: {provider: aws}}
    gh-k8s: {secrets: {provider: github, map: {API_TOKN: remote}}}
    gh-compose: {target: compose, secrets: {provider: github}}
    gh-ok: {secrets: {provider: github, delivery: sops, age_recipients: [${age}]}}
    gh-sealed: {secrets: {provider: github, delivery: sealed-secrets}}
`);
    expect(errors).toEqual([
      '4011 secrets.optional[0].name',
      '4011 secrets.optional[1].name',
      '4011 deploy.environments.vault-env.secrets.vault',
      '4011 deploy.environments.vault-env.secrets.aws',
      '4011 deploy.environments.aws-env.secrets.aws',
      '4011 deploy.environments.gh-k8s.secrets.delivery',
      '4011 deploy.environments.gh-k8s.secrets.map.API_TOKN',
    ]);
  });

  it('secrets.delivery: GitHub secrets on Kubernetes need sops or sealed-secrets, named with their guides', async () => {
    const text = `secrets:
  required: [{name: API_TOKEN}]
deploy:
  target: kubernetes
  environments:
    no-profile: {}
    age-file: {secrets: {provider: github, delivery: age-file, age_recipients: [${age}]}}
    sops-no-keys: {secrets: {provider: github, delivery: sops}}
    sops-compose: {target: compose, secrets: {provider: github, delivery: sops, age_recipients: [${age}]}}
    sealed-vault: {secrets: {provider: vault, delivery: sealed-secrets, vault: {address: "https://v:8200", path: app}}}
    compose-age: {target: compose, secrets: {provider: github, delivery: age-file, age_recipients: [${age}]}}
`;
    const { errors } = await findings(text);
    expect(errors).toEqual([
      '4011 deploy.environments.no-profile',
      '4011 deploy.environments.age-file.secrets.delivery',
      '4011 deploy.environments.sops-no-keys.secrets.age_recipients',
      '4011 deploy.environments.sops-compose.secrets.delivery',
      '4011 deploy.environments.sealed-vault.secrets.delivery',
    ]);
    const result = await validateDockfileText(agent + text, 'D.yaml', { python: null, processEnv: {} });
    const finding = result.errors.find((d) => d.message.includes('environment age-file'));
    const ageFile = `${finding?.message} ${finding?.hint}`;
    expect(ageFile).toContain('GitHub secrets on Kubernetes need a delivery the cluster can decrypt');
    expect(ageFile).toContain('secrets.delivery: sops');
    expect(ageFile).toContain('https://fluxcd.io/flux/guides/mozilla-sops/');
    expect(ageFile).toContain('sealed-secrets');
    expect(ageFile).toContain('https://github.com/bitnami-labs/sealed-secrets');
  });

  it('secrets.delivery: no error when no secret is declared', async () => {
    const { errors } = await findings(`deploy:
  target: kubernetes
  environments:
    prod: {secrets: {provider: github}}
`);
    expect(errors).toEqual([]);
  });

  it('deploy: image reference, autoscaling bounds, requests over limits (per environment too)', async () => {
    const { errors, messages } = await findings(`deploy:
  image: ghcr.io/acme/agent:1.0
  environments:
    prod:
      autoscaling: {min: 3, max: 2}
      resources: {requests: {cpu: 1500m, memory: 2Gi}, limits: {cpu: 1, memory: 2048Mi}}
`);
    expect(errors).toEqual([
      '4012 deploy.image',
      '4012 deploy.environments.prod.autoscaling.min',
      '4012 deploy.environments.prod.resources.requests.cpu',
    ]);
    expect(messages[0]).toBe("deploy.image 'ghcr.io/acme/agent:1.0' has a tag or digest");
    // The same wording as the generators' check (generators/kubernetes/quantity.ts).
    expect(messages[2]).toBe('CPU request 1500m is greater than the limit 1 (resources.limits.cpu)');
    const ok = await findings(
      'deploy: {image: "localhost:5000/acme/agent", resources: {requests: {cpu: 0.5}, limits: {cpu: 500m}}}\n',
    );
    expect(ok.errors).toEqual([]);
  });

  it('lint warnings: high temperature without injection blocking, public agent without an output cap', async () => {
    const { warnings, errors } = await findings(
      'model: {provider: openai, name: m, temperature: 1.5}\npolicies: {safety: {block_prompt_injection: false}}\nauth: {mode: none}\n',
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual(['4102 model.temperature', '4104 policies.safety.max_output_chars']);
  });

  it('the runtime settings that are never API keys are the same list in the runtime', () => {
    const source = readFileSync(
      new URL('../../runtime/dockrion_runtime/auth/api_keys.py', import.meta.url),
      'utf8',
    );
    const block = /RUNTIME_SETTINGS = frozenset\(\{([^}]*)\}\)/.exec(source)?.[1] ?? '';
    const python = [...block.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]);
    expect([...RUNTIME_SETTINGS].sort()).toEqual(python.sort());
  });

  // Issue 12 #4: deny_by_default with no allow-list used to gate nothing; now it denies every tool.
  it.each([
    ['policies: {tools: {deny_by_default: true}}\n', ['4107 policies.tools.deny_by_default']],
    ['policies: {tools: {allowed: [], deny_by_default: true}}\n', ['4107 policies.tools.allowed']],
    ['policies: {tools: {allowed: []}}\n', ['4107 policies.tools.allowed']],
    ['policies: {tools: {allowed: [search]}}\n', []],
    ['policies: {tools: {deny_by_default: false}}\n', []],
    ['policies: {safety: {max_output_chars: 10}}\n', []],
  ])('tool gating that fails closed for every tool warns (4107): %s', async (body, expected) => {
    const { warnings, errors } = await findings(`auth: {mode: api_key}\n${body}`);
    expect(errors).toEqual([]);
    expect(warnings).toEqual(expected);
  });
});

describe('deploy: environments sharing a namespace', () => {
  const head = 'version: "1.0"\nagent: {name: sem, handler: "app:run"}\nauth: {mode: api_key}\n';

  it('two Kubernetes environments rendering into one namespace → 4108 on the second', async () => {
    const { errors, warnings } = await findings(
      'deploy:\n  environments:\n    prod-eu: {namespace: agents}\n    prod-us: {namespace: agents}\n',
      head,
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual(['4108 deploy.environments.prod-us.namespace']);
  });

  it('an environment named like another one’s namespace collides too', async () => {
    const { warnings } = await findings(
      'deploy:\n  environments:\n    staging: {}\n    preview: {namespace: staging}\n',
      head,
    );
    expect(warnings).toEqual(['4108 deploy.environments.preview.namespace']);
  });

  it('own namespaces, or a Compose environment, do not collide', async () => {
    const { warnings } = await findings(
      'deploy:\n  environments:\n    a: {namespace: agents}\n    b: {namespace: agents-b}\n    c: {target: compose, namespace: agents}\n',
      head,
    );
    expect(warnings).toEqual([]);
  });
});

describe('deploy: network_policy.dns', () => {
  const head = 'version: "1.0"\nagent: {name: sem, handler: "app:run"}\nauth: {mode: api_key}\n';

  it('accepts the OpenShift DNS namespace, pod labels and port', async () => {
    const { errors } = await findings(
      'deploy:\n  network_policy:\n    egress: ["10.0.0.0/8"]\n    dns:\n      namespace: openshift-dns\n      pod_labels: {dns.operator.openshift.io/daemonset-dns: default}\n      ports: [5353]\n',
      head,
    );
    expect(errors).toEqual([]);
  });

  it.each([
    [
      'a namespace that is not a DNS label',
      'dns: {namespace: OpenShift_DNS}',
      '4012 deploy.network_policy.dns.namespace',
    ],
    ['a port out of range', 'dns: {ports: [70000]}', '4012 deploy.network_policy.dns.ports[0]'],
    ['an unknown key', 'dns: {namespaces: [a]}', '4002 deploy.network_policy.dns.namespaces'],
  ])('rejects %s', async (_, dns, expected) => {
    const { errors } = await findings(`deploy:\n  network_policy:\n    ${dns}\n`, head);
    expect(errors).toEqual([expected]);
  });
});
