/**
 * No value the loader took from the environment reaches what a contract is shown in: contract.json,
 * `dockrion diff` (text and JSON), and the Markdown section of the sticky comment and the
 * deployment PR body. `${SOME_TOKEN}` goes where a token plausibly goes: an ingress annotation,
 * the query of a JWKS URL, the query of the Redis URL.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffContracts } from '../../action/contract/diff.ts';
import { contractOf, parseContract, serializeContract, valueDigest } from '../../action/contract/extract.ts';
import { contractDiffJson, contractDiffMarkdown, contractDiffText } from '../../action/contract/render.ts';
import { CONTRACT_FORMAT, type Contract } from '../../action/contract/types.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';
import { captureCli } from '../support/cli.ts';
import { patchedDockfile, scratchDir } from './support.ts';

const TOKEN = 'tok_live_4f7a9c2e1b8d6053';
const ROTATED = 'tok_live_0a1b2c3d4e5f6789';

/** The base Dockfile with a prod ingress annotation, a JWKS URL and a Redis URL that use `${SOME_TOKEN}`. */
const withToken = patchedDockfile(`
auth:
  mode: jwt
  jwt:
    jwks_url: "https://idp.example.com/jwks?access_token=\${SOME_TOKEN}"
    issuer: https://idp.example.com/
streaming:
  backend: redis
  redis:
    url: "redis://cache.internal:6379/0?password=\${SOME_TOKEN}"
deploy:
  environments:
    prod:
      ingress:
        host: invoices.example.com
        annotations:
          nginx.ingress.kubernetes.io/auth-url: "https://auth.example.com/check?key=\${SOME_TOKEN}"
          example.com/team: billing
`);

/** The same Dockfile without the annotation that carries the token. */
const withoutAnnotation = withToken.replace(/ {10}nginx\.ingress\.kubernetes\.io\/auth-url: .*\n/, '');

async function contractWith(text: string, cwd: string, token: string): Promise<Contract> {
  const result = await validateDockfileText(text, 'Dockfile.yaml', {
    cwd,
    python: null,
    processEnv: { SOME_TOKEN: token },
  });
  if (!result.valid || !result.spec) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return contractOf(result.spec);
}

/** Every rendering a contract or a diff of it is shown in. */
function everyRendering(before: Contract, after: Contract): string[] {
  const diff = diffContracts(before, after);
  return [
    serializeContract(before),
    serializeContract(after),
    contractDiffText(diff),
    contractDiffJson(diff),
    contractDiffMarkdown(diff),
  ];
}

describe('values from the environment never reach a contract or its diff', () => {
  const scratch = scratchDir();
  afterAll(() => scratch.cleanup());

  it('the loader did put the token into the spec (else the rest proves nothing)', async () => {
    const result = await validateDockfileText(withToken, 'Dockfile.yaml', {
      cwd: scratch.dir,
      python: null,
      processEnv: { SOME_TOKEN: TOKEN },
    });
    expect(JSON.stringify(result.spec)).toContain(TOKEN);
  });

  it('contract.json holds annotation keys with value digests, and URLs without their query', async () => {
    const contract = await contractWith(withToken, scratch.dir, TOKEN);
    const json = serializeContract(contract);
    expect(json).not.toContain(TOKEN);
    expect(contract.format).toBe(CONTRACT_FORMAT);
    const annotations = contract.environments.prod?.ingress?.annotations ?? {};
    expect(annotations).toEqual({
      'example.com/team': valueDigest('billing'),
      'nginx.ingress.kubernetes.io/auth-url': valueDigest(`https://auth.example.com/check?key=${TOKEN}`),
    });
    expect(contract.auth.jwt?.jwks_url).toBe(
      `https://idp.example.com/jwks?${valueDigest(`?access_token=${TOKEN}`)}`,
    );
    expect(contract.auth.jwt?.issuer).toBe('https://idp.example.com/');
    expect((contract.streaming?.redis as { url?: string } | undefined)?.url).toMatch(
      /^redis:\/\/cache\.internal:6379\/0\?sha256:[0-9a-f]{64}$/,
    );
    expect(parseContract(json, 'contract.json')).toEqual(contract);
  });

  it('an annotation added: named, its value not shown in text, JSON or Markdown', async () => {
    const before = await contractWith(withoutAnnotation, scratch.dir, TOKEN);
    const after = await contractWith(withToken, scratch.dir, TOKEN);
    for (const text of everyRendering(before, after)) expect(text).not.toContain(TOKEN);
    const diff = diffContracts(before, after);
    expect(diff.operational).toEqual([
      {
        class: 'operational',
        path: 'deploy.environments.prod.ingress.annotations.nginx.ingress.kubernetes.io/auth-url',
        message:
          'deploy.environments.prod.ingress.annotations.nginx.ingress.kubernetes.io/auth-url: added (its value is not shown)',
        environment: 'prod',
      },
    ]);
    expect(contractDiffMarkdown(diff)).toContain(
      '`deploy.environments.prod.ingress.annotations.nginx.ingress.kubernetes.io/auth-url`: `added (its value is not shown)`',
    );
  });

  it('the token rotated: every field it is in shows a change, no rendering shows either value', async () => {
    const before = await contractWith(withToken, scratch.dir, TOKEN);
    const after = await contractWith(withToken, scratch.dir, ROTATED);
    for (const text of everyRendering(before, after)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(ROTATED);
    }
    const diff = diffContracts(before, after);
    expect(diff.operational.map((c) => c.message)).toContain(
      'deploy.environments.prod.ingress.annotations.nginx.ingress.kubernetes.io/auth-url: value changed (values are not shown)',
    );
    // The annotation change carries no value at all, not even the digest.
    const annotation = diff.operational.find((c) => c.path.endsWith('auth-url'));
    expect(annotation).not.toHaveProperty('before');
    expect(annotation).not.toHaveProperty('after');
    expect(diff.breaking.map((c) => c.path)).toContain('auth.jwt.jwks_url');
    expect(diff.compatible.map((c) => c.path)).toContain('streaming.redis.url');
  });

  it('a contract.json of format 1 (annotation values as written) is read with the rule applied', async () => {
    const contract = await contractWith(withToken, scratch.dir, TOKEN);
    const prod = contract.environments.prod;
    if (!prod?.ingress || !contract.auth.jwt) throw new Error('fixture has no prod ingress or jwt');
    // What format 1 wrote for the same Dockfile: values verbatim, only URL userinfo dropped.
    const formatOne = {
      ...contract,
      format: 1,
      auth: {
        ...contract.auth,
        jwt: { ...contract.auth.jwt, jwks_url: `https://idp.example.com/jwks?access_token=${TOKEN}` },
      },
      streaming: {
        ...contract.streaming,
        redis: { url: `redis://cache.internal:6379/0?password=${TOKEN}` },
      },
      environments: {
        ...contract.environments,
        prod: {
          ...prod,
          ingress: {
            ...prod.ingress,
            annotations: {
              'example.com/team': 'billing',
              'nginx.ingress.kubernetes.io/auth-url': `https://auth.example.com/check?key=${TOKEN}`,
            },
          },
        },
      },
    };
    const read = parseContract(JSON.stringify(formatOne), 'prod/invoice-copilot/contract.json');
    expect(read.format).toBe(CONTRACT_FORMAT);
    expect(serializeContract(read)).not.toContain(TOKEN);
    // Like is compared with like: the upgrade is no change.
    expect(diffContracts(read, contract)).toEqual({
      breaking: [],
      widening: [],
      operational: [],
      compatible: [],
    });
  });
});

describe('dockrion diff with ${SOME_TOKEN} from the environment', () => {
  const scratch = scratchDir();
  beforeAll(() => {
    writeFileSync(join(scratch.dir, 'old.yaml'), withoutAnnotation);
    writeFileSync(join(scratch.dir, 'new.yaml'), withToken);
  });
  afterAll(() => scratch.cleanup());

  for (const format of ['text', 'json'] as const) {
    it(`--format ${format} names the annotation and prints no token`, async () => {
      const cli = captureCli({
        cwd: scratch.dir,
        env: { PATH: process.env.PATH ?? '', SOME_TOKEN: TOKEN },
        logger: 'silent',
      });
      const code = await cli.run(['diff', 'old.yaml', 'new.yaml', '--format', format]);
      expect(code, cli.stderr()).toBe(0);
      expect(cli.stdout()).toContain('ingress.annotations.nginx.ingress.kubernetes.io/auth-url');
      expect(cli.stdout() + cli.stderr()).not.toContain(TOKEN);
    });
  }
});
