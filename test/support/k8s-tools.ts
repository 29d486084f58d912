/**
 * The real consumers of the Kubernetes secret deliveries, built by scripts/ci (sops, kubeseal,
 * flux-build) or installed into .venv (kubernetes-validate), and helpers that run them on a
 * rendered folder. Each tool is found in the tool cache (`$DOCKRION_CI_CACHE/tools`, default
 * /var/cache/dockrion-ci/tools) or through an explicit `DOCKRION_<TOOL>` variable; gate tests on it
 * with `requireInfra`, so that under CI=true a missing tool fails instead of skipping.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { infraEnv, repoRoot } from './infra.ts';

const toolCache = path.join(infraEnv('DOCKRION_CI_CACHE') ?? '/var/cache/dockrion-ci', 'tools');

export interface Tool {
  name: string;
  path: string;
  present: boolean;
  reason: string;
}

function cachedTool(name: string, variable: string, relative: string, script: string): Tool {
  const file = infraEnv(variable) ?? path.join(toolCache, relative);
  const present = existsSync(file);
  return {
    name,
    path: file,
    present,
    reason: present ? '' : `${file} is missing: run bash ${script} (or set ${variable})`,
  };
}

export const sops = cachedTool('sops', 'DOCKRION_SOPS', 'sops/sops', 'scripts/ci/k8s-tools.sh');
export const kubeseal = cachedTool(
  'kubeseal',
  'DOCKRION_KUBESEAL',
  'kubeseal/kubeseal',
  'scripts/ci/k8s-tools.sh',
);
export const fluxBuild = cachedTool(
  'flux-build',
  'DOCKRION_FLUX_BUILD',
  'flux-build/flux-build',
  'scripts/ci/flux-build.sh',
);
/** The controller's CRD, copied beside kubeseal from the module it was built from. */
export const sealedSecretsCrd = cachedTool(
  'SealedSecret CRD',
  'DOCKRION_SEALED_SECRETS_CRD',
  'kubeseal/bitnami.com_sealedsecrets.yaml',
  'scripts/ci/k8s-tools.sh',
);

const venvBin = path.join(repoRoot, '.venv', 'bin');
export const kubernetesValidate: Tool = (() => {
  const file = path.join(venvBin, 'kubernetes-validate');
  const present = existsSync(file);
  return {
    name: 'kubernetes-validate',
    path: file,
    present,
    reason: present ? '' : `${file} is missing: run bash scripts/setup-python.sh`,
  };
})();

export const kubectl: Tool = (() => {
  const answered = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const present = answered.status === 0;
  return { name: 'kubectl', path: 'kubectl', present, reason: present ? '' : 'kubectl is not on PATH' };
})();

/** Runs a tool; throws with its stderr on a non-zero exit. */
export function run(
  tool: Tool | string,
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): string {
  const file = typeof tool === 'string' ? tool : tool.path;
  const result = spawnSync(file, args, {
    encoding: 'utf8',
    input: options.input,
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${path.basename(file)} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}

/** `sops -d` with one age identity file; returns the decrypted YAML. */
export function sopsDecrypt(file: string, identityFile: string, extra: string[] = []): string {
  return run(sops, ['-d', ...extra, file], { env: { SOPS_AGE_KEY_FILE: identityFile } });
}

/** A fresh age identity (age-keygen) in its own temp dir; `cleanup` removes it. */
export function ageIdentity(): { recipient: string; identityFile: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockrion-age-'));
  const identityFile = path.join(dir, 'key.txt');
  execFileSync('age-keygen', ['-o', identityFile], { stdio: 'pipe' });
  const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
  return { recipient, identityFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A Sealed Secrets controller key pair, made as the controller makes its own (RSA 4096, a
 * self-signed certificate): `certificate` is what `kubeseal --fetch-cert` would print.
 */
export function sealingKeyPair(): { certificateFile: string; privateKeyFile: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockrion-sealing-'));
  const certificateFile = path.join(dir, 'cert.pem');
  const privateKeyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:4096',
      '-nodes',
      '-keyout',
      privateKeyFile,
      '-out',
      certificateFile,
      '-days',
      '2',
      '-subj',
      '/O=sealed-secret/CN=sealed-secret',
    ],
    { stdio: 'pipe' },
  );
  return { certificateFile, privateKeyFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `kubeseal --recovery-unseal` offline with the controller's private key: the Secret it would create. */
export function recoveryUnseal(sealedSecretYaml: string, privateKeyFile: string): Record<string, unknown> {
  const out = run(kubeseal, ['--recovery-unseal', '--recovery-private-key', privateKeyFile, '-o', 'json'], {
    input: sealedSecretYaml,
  });
  return JSON.parse(out) as Record<string, unknown>;
}

/** Every object of a multi-document YAML stream. */
export function parseObjects(text: string): Array<Record<string, unknown>> {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((o): o is Record<string, unknown> => o !== null);
}

/**
 * `kubernetes-validate --strict` on every object of a built stream, one file per object. Custom
 * resources (SealedSecret) are left to `validateSealedSecret`: kubernetes-validate ships only the
 * built-in kinds' schemas.
 */
export function validateBuiltObjects(objects: ReadonlyArray<Record<string, unknown>>): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockrion-kv-'));
  try {
    const files: string[] = [];
    objects.forEach((object, index) => {
      if (String(object.apiVersion).includes('bitnami.com')) return;
      const file = path.join(dir, `${index}-${String(object.kind).toLowerCase()}.json`);
      writeFileSync(file, JSON.stringify(object));
      files.push(file);
    });
    const out = run(kubernetesValidate, ['--strict', ...files]);
    // A kind it has no schema for is only a warning there: here every file must have passed.
    const passed = out.split('\n').filter((line) => line.includes(' passed for resource ')).length;
    if (passed !== files.length)
      throw new Error(`kubernetes-validate passed ${passed} of ${files.length}:\n${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies a folder of rendered files to a temp dir (consumers must not touch the original). */
export function copyFolder(files: ReadonlyArray<{ path: string; content: string | Uint8Array }>): {
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockrion-folder-'));
  for (const file of files) writeFileSync(path.join(dir, file.path), file.content);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What Flux's kustomize-controller does with the folder: SOPS files decrypted in place by `sops`
 * (the controller's decryptor), then NewGenerator + SecureBuild (flux-build). Returns the objects.
 */
export function fluxBuildFolder(dir: string, identityFile: string | null): Array<Record<string, unknown>> {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!name.endsWith('.yaml') || !readFileSync(file, 'utf8').includes('\nsops:\n')) continue;
    if (identityFile === null) throw new Error(`${name} is SOPS-encrypted and no age identity was given`);
    writeFileSync(file, sopsDecrypt(file, identityFile));
  }
  return parseObjects(run(fluxBuild, [dir, dir]));
}

type Schema = Record<string, unknown>;

/**
 * The CRD's openAPIV3Schema as the API server applies it to a structural schema: fields it does
 * not declare would be pruned, so here they are errors (additionalProperties: false) unless the
 * schema preserves unknown fields. `nullable` and `format: byte` are OpenAPI, not JSON Schema.
 */
function structural(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'description') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, structural(v)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object') {
      out[key] = structural(value as Schema);
    } else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (
    out.properties &&
    !schema['x-kubernetes-preserve-unknown-fields'] &&
    out.additionalProperties === undefined
  )
    out.additionalProperties = false;
  return out;
}

/** The SealedSecret CRD's v1alpha1 schema, compiled strictly (see `structural`). */
export function crdValidator() {
  const crd = parse(readFileSync(sealedSecretsCrd.path, 'utf8'));
  const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1alpha1');
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  return ajv.compile(structural(version.schema.openAPIV3Schema));
}
