import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { DockSpec } from '../../action/dockfile/types.ts';
import type { RenderedFile } from '../../generators/index.ts';

/** Parsed YAML, walked freely by assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions index parsed documents without narrowing
export type Loose = Record<string, any>;

export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
export const IMAGE = `ghcr.io/acme/invoice-copilot:1.4.2@${DIGEST}`;

/** A Dockfile as the validator would hand it over, with every deploy feature in some environment. */
export function fullSpec(): DockSpec {
  return {
    version: '1.0',
    agent: { name: 'invoice-copilot', entrypoint: 'app.graph:build_graph', framework: 'langgraph' },
    expose: { rest: true, streaming: 'sse', port: 8081 },
    auth: { mode: 'api_key' },
    secrets: {
      required: [{ name: 'OPENAI_API_KEY' }, { name: 'DOCKRION_API_KEY' }],
      optional: [{ name: 'LANGFUSE_SECRET_KEY', default: '' }],
    },
    deploy: {
      target: 'kubernetes',
      replicas: 2,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '1Gi' } },
      env: { LOG_FORMAT: 'json', FEATURE_X: true, MAX_ITEMS: 25, GREETING: 'price is $5, ${OPENAI_API_KEY}' },
      environments: {
        staging: {
          target: 'compose',
          env: { LOG_FORMAT: 'text' },
          secrets: { provider: 'github', age_recipients: [`age1${'q'.repeat(58)}`] },
        },
        production: {
          namespace: 'agents',
          replicas: 3,
          autoscaling: { min: 3, max: 10, cpu: 65 },
          network_policy: { egress: ['10.0.0.0/8', '192.168.0.0/16'] },
          ingress: {
            host: 'invoices.example.com',
            path: '/',
            tls: true,
            class_name: 'nginx',
            annotations: {
              'nginx.ingress.kubernetes.io/proxy-read-timeout': '300',
              'cert-manager.io/cluster-issuer': 'letsencrypt',
            },
          },
          secrets: {
            provider: 'vault',
            vault: {
              address: 'https://vault.example.com',
              mount: 'secret',
              path: 'agents/invoice',
              kv_version: 2,
            },
            map: { OPENAI_API_KEY: 'openai_api_key' },
            store: { name: 'vault-backend', kind: 'ClusterSecretStore' },
          },
        },
        'aws-prod': {
          namespace: 'agents',
          secrets: {
            provider: 'aws',
            aws: { region: 'eu-west-1', secret_id: 'prod/invoice', version_stage: 'AWSCURRENT' },
            map: { OPENAI_API_KEY: 'openai', DOCKRION_API_KEY: 'api_key' },
            refresh_interval: '15m',
          },
        },
      },
    },
  };
}

/** The smallest valid Dockfile: no deploy section, no secrets. */
export function minimalSpec(): DockSpec {
  return { version: '1.0', agent: { name: 'hello', handler: 'app.main:handle' } };
}

/** A deep copy with `edit` applied, so tests can vary a fixture without sharing state. */
export function withSpec(base: DockSpec, edit: (spec: Loose) => void): DockSpec {
  const copy = structuredClone(base) as Loose;
  edit(copy);
  return copy as DockSpec;
}

export function fileNamed(files: readonly RenderedFile[], name: string): RenderedFile {
  const file = files.find((f) => f.path === name);
  if (!file) throw new Error(`no ${name} among ${files.map((f) => f.path).join(', ')}`);
  return file;
}

/** Every YAML document of a file, parsed; throws on YAML errors. */
export function parseFile(file: RenderedFile): Loose[] {
  return parseAllDocuments(file.content).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file.path}: ${doc.errors[0]?.message}`);
    return doc.toJS() as Loose;
  });
}

export function parseOne(files: readonly RenderedFile[], name: string): Loose {
  const [document] = parseFile(fileNamed(files, name));
  if (!document) throw new Error(`${name} is empty`);
  return document;
}

/** A temporary directory holding `files`; remove it with the returned `cleanup`. */
export function writeTemp(files: readonly RenderedFile[], extra: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockrion-render-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.content);
  }
  for (const [name, content] of Object.entries(extra)) writeFileSync(path.join(dir, name), content);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether a command runs, for gating tests on real tools with `requireInfra`. */
export function toolAnswers(cmd: string, args: string[]): { present: boolean; reason: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.status === 0) return { present: true, reason: (r.stdout ?? '').trim().split('\n')[0] ?? '' };
  return {
    present: false,
    reason: `\`${cmd} ${args.join(' ')}\` failed: ${(r.error?.message ?? r.stderr ?? '').trim()}`,
  };
}

export function runTool(cmd: string, args: string[], cwd?: string, env?: Record<string, string>) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, cwd, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? r.error?.message ?? '' };
}
