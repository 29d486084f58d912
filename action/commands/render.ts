import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  parseImageRef,
  type RenderTarget,
  type ResolvedEnvironment,
  renderManifests,
  resolveEnvironment,
} from '../../generators/index.ts';
import { RenderError, UsageError } from '../../shared/errors.ts';
import type { ClusterDelivery } from '../dockfile/delivery.ts';
import type { DockSpec } from '../dockfile/types.ts';
import { formatJson } from '../report/json.ts';
import {
  buildSecretManifest,
  declaredSecrets,
  githubOidcTokenFetcher,
  resolveSecrets,
  SECRETS_ENV_AGE_FILE,
  type SecretManifest,
  secretsDelivery,
} from '../secrets/index.ts';
import { parseCommandArgs } from './args.ts';
import type { CliContext } from './context.ts';
import { readSealingCertificate } from './deploy.ts';
import { formatDockfileText, loadLocatedDockfile, locateDockfile } from './dockfile-loading.ts';

export const renderUsage = `usage: dockrion render [PATH=Dockfile.yaml] --env ENV --image REF --out DIR [options]

Validates the Dockfile, then renders the Compose or Kubernetes manifests of one environment.

options:
  --env ENV                 the environment (a key of deploy.environments)
  --image REF               the image, pinned by digest: repo:tag@sha256:<64 hex>
  --out DIR                 where to write the files (created if missing; other files are left alone)
  --target compose|kubernetes
                            override the target the Dockfile gives the environment
  --version VERSION         the deployed version (default: the image tag, else metadata.version)
  --secret-versions HASH    opaque hash of the remote secret versions (rolls pods when it changes)
  --secrets-json FILE       GitHub-provider values as a JSON object, for an environment with
                            secrets.delivery sops | sealed-secrets: render encrypts them into
                            secret.sops.yaml / sealedsecret.yaml (default $DOCKRION_SECRETS_JSON,
                            then each secret's own environment variable)
  --sealed-secrets-cert FILE
                            the Sealed Secrets controller's certificate (wins over the Dockfile's)
  --format text|json        json prints {"target","environment","out","files"} on stdout
  -h, --help                show this help

exit status: 0 rendered, 1 invalid Dockfile or render error, 2 usage error
`;

const targets = ['compose', 'kubernetes'] as const;
const formats = ['text', 'json'] as const;

interface RenderArgs {
  path: string;
  environment: string;
  image: string;
  out: string;
  target: RenderTarget | undefined;
  version: string | undefined;
  secretVersions: string | undefined;
  secretsJson: string | undefined;
  sealedSecretsCert: string | undefined;
  format: (typeof formats)[number];
}

export function parseRenderArgs(argv: string[]): RenderArgs | 'help' {
  const options = {
    env: { type: 'string' },
    image: { type: 'string' },
    out: { type: 'string' },
    target: { type: 'string' },
    version: { type: 'string' },
    'secret-versions': { type: 'string' },
    'secrets-json': { type: 'string' },
    'sealed-secrets-cert': { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const { values, positionals } = parseCommandArgs('render', argv, options, true);
  if (values.help) return 'help';
  if (positionals.length > 1) {
    throw new UsageError(
      `render takes one Dockfile path, got ${positionals.length}`,
      "run 'dockrion render --help'",
    );
  }
  for (const required of ['env', 'image', 'out'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required`, "run 'dockrion render --help'");
  }
  if (values.target !== undefined && !targets.includes(values.target as RenderTarget)) {
    throw new UsageError(`--target must be one of ${targets.join(', ')}, got '${values.target}'`);
  }
  const format = values.format ?? 'text';
  if (!formats.includes(format as RenderArgs['format'])) {
    throw new UsageError(`--format must be one of ${formats.join(', ')}, got '${format}'`);
  }
  return {
    path: positionals[0] ?? 'Dockfile.yaml',
    environment: values.env as string,
    image: values.image as string,
    out: values.out as string,
    target: values.target as RenderTarget | undefined,
    version: values.version,
    secretVersions: values['secret-versions'],
    secretsJson: values['secrets-json'],
    sealedSecretsCert: values['sealed-secrets-cert'],
    format: format as RenderArgs['format'],
  };
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseRenderArgs(argv);
  if (args === 'help') {
    ctx.stdout(renderUsage);
    return 0;
  }
  // Checked before anything is read: a tag can move, so manifests never name an image without its digest.
  let image: ReturnType<typeof parseImageRef>;
  try {
    image = parseImageRef(args.image);
  } catch (e: unknown) {
    throw new UsageError(
      `--image: ${e instanceof Error ? e.message : String(e)}`,
      'pass repo:tag@sha256:<digest>, e.g. the reference `dockrion build` printed',
    );
  }

  const out = resolve(ctx.cwd, args.out);
  // Before any work: a file at --out (or on its way) would otherwise surface as a raw EEXIST/ENOTDIR.
  const blocking = firstNonDirectory(out);
  if (blocking !== null) {
    throw new UsageError(
      blocking === out
        ? `--out ${args.out} is a file, not a directory`
        : `--out ${args.out}: ${relative(ctx.cwd, blocking) || blocking} is a file, not a directory`,
      'pass a directory for the manifests (it is created if missing)',
    );
  }

  const dockfile = locateDockfile(
    ctx.cwd,
    args.path,
    'pass the path of your Dockfile: dockrion render path/to/Dockfile.yaml',
  );
  const result = await loadLocatedDockfile(ctx.cwd, dockfile, { processEnv: ctx.env, exec: ctx.exec });
  if (!result.valid || !result.spec) {
    if (args.format === 'json') ctx.stdout(formatJson(result));
    else ctx.stderr(formatDockfileText(result, ctx.cwd));
    return 1;
  }
  if (result.warnings.length > 0 && args.format === 'text') ctx.stderr(formatDockfileText(result, ctx.cwd));

  const version = args.version ?? image.tag ?? result.spec.metadata?.version;
  if (!version) {
    throw new UsageError(
      'no version: the image has no tag and the Dockfile no metadata.version',
      'pass --version',
    );
  }
  // Resolved once: an unknown environment gets the generators' message (4012, known names).
  const resolved = resolveEnvironment(result.spec, args.environment);
  const target = args.target ?? resolved.target;
  const environment = { ...resolved, target };
  const delivery = secretsDelivery(environment);
  const manifest =
    delivery.manifest !== null && target === 'kubernetes' && declaredSecrets(result.spec).length > 0
      ? await encryptedSecret(
          result.spec,
          environment,
          dockfile,
          args,
          ctx,
          delivery.manifest,
          delivery.recipients,
        )
      : null;
  const rendered = renderManifests({
    spec: result.spec,
    environment: resolved,
    image: image.reference,
    version,
    ...(args.target ? { target: args.target } : {}),
    ...(args.secretVersions ? { secretVersions: args.secretVersions } : {}),
    ...(manifest ? { encryptedSecret: manifest.file } : {}),
  });
  const written = manifest
    ? [...rendered.files, { path: manifest.file.path, content: manifest.content }].sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
      )
    : rendered.files;
  const deliveryLine = describeDelivery(environment, manifest?.file.path ?? null);

  for (const file of written) {
    const destination = join(out, file.path);
    try {
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, file.content);
    } catch (e: unknown) {
      const code = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      throw new RenderError(
        `cannot write ${destination} (${code})`,
        'check that --out is a writable directory',
      );
    }
  }
  const files = written.map((f) => f.path);
  if (args.format === 'json') {
    ctx.stdout(
      `${JSON.stringify({ target: rendered.target, environment: args.environment, out, files, secrets: deliveryLine.json }, null, 2)}\n`,
    );
  } else {
    ctx.stderr(
      `rendered ${rendered.target} manifests for ${result.spec.agent.name} (${args.environment}) into ${out}\n`,
    );
    ctx.stderr(`secrets: ${deliveryLine.text}\n`);
    ctx.stdout(files.map((f) => `${join(out, f)}\n`).join(''));
  }
  return 0;
}

/** The first existing path from `dir` upwards that is not a directory, or null when `dir` can be created. */
function firstNonDirectory(dir: string): string | null {
  for (let current = dir; ; current = dirname(current)) {
    try {
      return statSync(current).isDirectory() ? null : current;
    } catch {
      if (dirname(current) === current) return null;
    }
  }
}

/** Resolves the GitHub values (as `secrets encrypt` does) and encrypts them for the cluster. */
async function encryptedSecret(
  spec: DockSpec,
  environment: ResolvedEnvironment,
  dockfile: string,
  args: RenderArgs,
  ctx: CliContext,
  delivery: ClusterDelivery,
  recipients: readonly string[],
): Promise<SecretManifest> {
  const fromFile = args.secretsJson
    ? {
        json: readFileSync(resolve(ctx.cwd, args.secretsJson), 'utf8'),
        label: `--secrets-json ${args.secretsJson}`,
      }
    : ctx.env.DOCKRION_SECRETS_JSON
      ? { json: ctx.env.DOCKRION_SECRETS_JSON, label: 'DOCKRION_SECRETS_JSON' }
      : {};
  const baseDir = dirname(resolve(ctx.cwd, dockfile));
  const set = await resolveSecrets({
    spec,
    environment,
    env: ctx.env,
    githubSecretsJson: fromFile.json,
    githubSecretsJsonLabel: fromFile.label,
    getIdToken: githubOidcTokenFetcher(ctx.env),
    logger: ctx.logger,
    baseDir,
  });
  return buildSecretManifest({
    spec,
    environment,
    delivery,
    values: set.values,
    recipients,
    sealingCertificate: readSealingCertificate(args.sealedSecretsCert, ctx.cwd),
    baseDir,
    now: new Date(),
  });
}

/** The one line `render` prints about how the environment's secrets reach the service. */
function describeDelivery(
  environment: ResolvedEnvironment,
  manifestPath: string | null,
): { text: string; json: { delivery: string; file: string | null } } {
  const { profile, required, optional } = environment.secrets;
  const delivery = secretsDelivery(environment);
  if (required.length + optional.length === 0)
    return { text: 'none declared', json: { delivery: 'none', file: null } };
  if (manifestPath !== null && delivery.manifest !== null) {
    const how =
      delivery.manifest === 'sops'
        ? `SOPS-encrypted to ${delivery.recipients.length} age recipient(s); Flux decrypts it`
        : 'sealed for the Sealed Secrets controller (strict scope)';
    return {
      text: `${delivery.manifest} → ${manifestPath} (${how})`,
      json: { delivery: delivery.manifest, file: manifestPath },
    };
  }
  if (environment.target === 'kubernetes' && delivery.externalSecret) {
    return {
      text: `ExternalSecret (values stay in ${profile.provider}; the External Secrets operator reads them)`,
      json: { delivery: 'external-secret', file: null },
    };
  }
  return {
    text: `age-file → ${SECRETS_ENV_AGE_FILE} (written by deploy or \`dockrion secrets encrypt\`, not by render)`,
    json: { delivery: 'age-file', file: null },
  };
}
