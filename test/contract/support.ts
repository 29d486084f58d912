import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { contractOf } from '../../action/contract/extract.ts';
import type { Contract } from '../../action/contract/types.ts';
import { validateDockfileText } from '../../action/dockfile/index.ts';

/** The Dockfile every case starts from: each part of the contract is present. */
export const BASE_DOCKFILE = `version: "1.0"
agent:
  name: invoice-copilot
  handler: app.main:handle
io_schema:
  input:
    type: object
    properties:
      invoice_id: { type: string, minLength: 1, maxLength: 64 }
      amount: { type: number, minimum: 0 }
      currency: { type: string, enum: [EUR, USD] }
      lines:
        type: array
        items:
          type: object
          properties:
            sku: { type: string }
            qty: { type: integer, minimum: 1 }
          required: [sku]
    required: [invoice_id]
  output:
    type: object
    properties:
      total: { type: number }
      status: { type: string, enum: [ok, rejected] }
      notes: { type: string }
    required: [total, status]
auth:
  mode: api_key
  roles:
    - name: clerk
      permissions: [invoke]
    - name: admin
      permissions: [invoke, view_metrics]
  rate_limits:
    clerk: 100/m
policies:
  tools:
    allowed: [lookup_invoice]
  safety:
    redact_patterns: ['\\b\\d{16}\\b']
    max_output_chars: 4000
expose:
  port: 8080
  streaming: sse
secrets:
  required:
    - name: ERP_TOKEN
deploy:
  replicas: 2
  resources:
    requests: { cpu: 100m, memory: 256Mi }
  environments:
    staging:
      target: compose
    prod:
      replicas: 3
      secrets:
        provider: vault
        vault:
          address: https://vault.example.com:8200
          path: invoice-copilot/prod
        map: { ERP_TOKEN: erp_token }
      ingress:
        host: invoices.example.com
`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isMap(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `patch` over `base`, as a JSON merge patch (RFC 7396): maps merge key by key, `null` deletes a
 * key, anything else (lists included) replaces.
 */
export function mergePatch(base: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: { [key: string]: Json } = isMap(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key] ?? null, value);
  }
  return out;
}

/** The base Dockfile with a YAML merge patch applied, as Dockfile text. */
export function patchedDockfile(patchYaml = '', base = BASE_DOCKFILE): string {
  const patch = (parse(patchYaml) ?? {}) as Json;
  return stringify(mergePatch(parse(base) as Json, patch));
}

/** A scratch directory as the loader's working directory (no `.env` of the machine's is read). */
export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dockrion-contract-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Loads Dockfile text through the real loader and normalizer; throws with the diagnostics when invalid. */
export async function contractOfText(text: string, cwd: string): Promise<Contract> {
  const result = await validateDockfileText(text, 'Dockfile.yaml', { cwd, python: null, processEnv: {} });
  if (!result.valid || !result.spec) {
    const lines = result.errors.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message}`);
    throw new Error(`test Dockfile is invalid:\n${lines.join('\n')}\n---\n${text}`);
  }
  return contractOf(result.spec);
}

/**
 * `contract` whose input requires `count` new string fields with long names: as many breaking
 * changes against it, for the tests that a section of thousands of changes fits its budget.
 */
export function withRequiredInputFields(contract: Contract, count: number): Contract {
  const fields = Array.from(
    { length: count },
    (_, i) => `field_${String(i).padStart(4, '0')}_${'n'.repeat(30)}`,
  );
  return {
    ...contract,
    io_schema: {
      ...contract.io_schema,
      input: {
        type: 'object',
        required: fields,
        properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])),
      },
    },
  };
}
