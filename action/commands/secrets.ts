import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveEnvironment } from '../../generators/index.ts';
import { SecretsError, UsageError } from '../../shared/errors.ts';
import type { DockSpec } from '../dockfile/types.ts';
import {
  checkSecrets,
  encryptSecretsEnv,
  githubOidcTokenFetcher,
  type ResolveSecretsOptions,
  resolveSecrets,
  SECRETS_ENV_AGE_FILE,
  type SecretReport,
} from '../secrets/index.ts';
import { parseCommandArgs } from './args.ts';
import type { CliContext } from './context.ts';
import { formatDockfileText, loadLocatedDockfile, locateDockfile } from './dockfile-loading.ts';

export const secretsUsage = `usage: dockrion secrets check   [PATH=Dockfile.yaml] --env ENV [--format text|json]
       dockrion secrets encrypt [PATH=Dockfile.yaml] --env ENV --out FILE [--recipient age1…]

check    resolves every declared secret for ENV and prints its name, provider and
         present | missing | defaulted — never a value. Exit 1 when a required one is missing.
encrypt  resolves them and writes the age-encrypted env file (secrets.env.age) for ENV,
         encrypted to deploy.environments.ENV.secrets.age_recipients (and any --recipient).

options:
  --env ENV              the environment (deploy.environments.ENV)
  --format text|json     check output (json: one document on stdout)
  --out FILE             encrypt: where to write the encrypted file
  --recipient age1…      encrypt: an extra age recipient (repeatable)
  --secrets-json FILE    GitHub-provider values as a JSON object (default: $DOCKRION_SECRETS_JSON,
                         then each secret's own environment variable)
  -h, --help             show this help

Provider settings come from the Dockfile profile plus the environment: VAULT_TOKEN (or the
profile's token_env / secret_id_env), VAULT_NAMESPACE, AWS_REGION, AWS_ACCESS_KEY_ID… or the
default AWS credential chain, AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL.
`;

interface SecretsArgs {
  action: 'check' | 'encrypt';
  path: string;
  environment: string;
  format: 'text' | 'json';
  out?: string;
  recipients: string[];
  secretsJsonFile?: string;
}

function parseSecretsArgs(argv: string[]): SecretsArgs | 'help' {
  const { values, positionals } = parseCommandArgs(
    'secrets',
    argv,
    {
      env: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      recipient: { type: 'string', multiple: true },
      'secrets-json': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return 'help';
  const [action, path, ...extra] = positionals;
  if (action !== 'check' && action !== 'encrypt') {
    throw new UsageError(
      action === undefined ? 'secrets needs a subcommand' : `unknown secrets subcommand '${action}'`,
      'use `dockrion secrets check` or `dockrion secrets encrypt`',
    );
  }
  if (extra.length > 0)
    throw new UsageError(`secrets ${action} takes one Dockfile path, got ${extra.length + 1}`);
  if (!values.env) throw new UsageError(`secrets ${action} needs --env ENV`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, got '${format}'`);
  }
  if (action === 'encrypt' && !values.out) throw new UsageError('secrets encrypt needs --out FILE');
  if (action === 'check' && values.out) throw new UsageError('--out is for secrets encrypt');
  return {
    action,
    path: path ?? 'Dockfile.yaml',
    environment: values.env,
    format,
    out: values.out,
    recipients: values.recipient ?? [],
    secretsJsonFile: values['secrets-json'],
  };
}

async function loadSpec(
  args: SecretsArgs,
  ctx: CliContext,
): Promise<{ spec: DockSpec; baseDir: string } | { invalid: string }> {
  const absolute = locateDockfile(
    ctx.cwd,
    args.path,
    'pass the path of your Dockfile: dockrion secrets check path/to/Dockfile.yaml --env ENV',
  );
  // Reported as the user named it (relative), with source excerpts, like `dockrion validate`.
  const result = await loadLocatedDockfile(ctx.cwd, absolute, {
    processEnv: ctx.env,
    // Regex policies are `dockrion validate`'s business; secrets need only the declarations.
    python: null,
  });
  if (!result.valid || !result.spec) return { invalid: formatDockfileText(result, ctx.cwd) };
  return { spec: result.spec, baseDir: dirname(absolute) };
}

function githubInput(args: SecretsArgs, ctx: CliContext): { json?: string; label?: string } {
  if (args.secretsJsonFile) {
    const file = resolve(ctx.cwd, args.secretsJsonFile);
    try {
      return { json: readFileSync(file, 'utf8'), label: `--secrets-json ${args.secretsJsonFile}` };
    } catch (e: unknown) {
      const code = (e as { code?: string }).code ?? 'unreadable';
      throw new UsageError(`cannot read --secrets-json ${args.secretsJsonFile} (${code})`);
    }
  }
  const fromEnv = ctx.env.DOCKRION_SECRETS_JSON;
  return fromEnv ? { json: fromEnv, label: 'DOCKRION_SECRETS_JSON' } : {};
}

function reportAsJson(environment: string, report: SecretReport): string {
  return `${JSON.stringify(
    {
      environment,
      provider: report.provider,
      location: report.location,
      ok: report.missingRequired.length === 0,
      versionsHash: report.versionsHash,
      secrets: report.entries.map((e) => ({
        name: e.name,
        provider: report.provider,
        status: e.status,
        required: e.required,
        remoteKey: e.remoteKey,
        remoteVersion: e.remoteVersion ?? null,
      })),
      missing: report.missingRequired,
      hint: report.missingHint,
    },
    null,
    2,
  )}\n`;
}

function reportAsText(environment: string, report: SecretReport): string {
  const header = `secrets for '${environment}' from ${report.location}`;
  if (report.entries.length === 0) return `${header}: none declared\n`;
  const width = Math.max(...report.entries.map((e) => e.name.length));
  const rows = report.entries.map((e) => {
    const kind = e.required ? 'required' : 'optional';
    const remote = e.remoteKey === e.name ? '' : `  (as ${e.remoteKey})`;
    return `  ${e.name.padEnd(width)}  ${report.provider.padEnd(6)}  ${e.status.padEnd(9)}  ${kind}${remote}`;
  });
  return `${header}\n${rows.join('\n')}\n`;
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseSecretsArgs(argv);
  if (args === 'help') {
    ctx.stdout(secretsUsage);
    return 0;
  }
  const loaded = await loadSpec(args, ctx);
  if ('invalid' in loaded) {
    ctx.stderr(loaded.invalid);
    return 1;
  }
  const input = githubInput(args, ctx);
  // Resolved once, before any provider is asked for anything: an unknown or misspelt --env gets
  // the same error as at render time.
  const environment = resolveEnvironment(loaded.spec, args.environment);
  const options: ResolveSecretsOptions = {
    spec: loaded.spec,
    environment,
    env: ctx.env,
    githubSecretsJson: input.json,
    githubSecretsJsonLabel: input.label,
    getIdToken: githubOidcTokenFetcher(ctx.env),
    logger: ctx.logger,
    baseDir: loaded.baseDir,
  };

  if (args.action === 'check') {
    const report = await checkSecrets(options);
    if (args.format === 'json') ctx.stdout(reportAsJson(args.environment, report));
    else ctx.stdout(reportAsText(args.environment, report));
    if (report.missingRequired.length > 0) {
      ctx.stderr(`missing required: ${report.missingRequired.join(', ')}\n`);
      if (report.missingHint) ctx.stderr(`  hint: ${report.missingHint}\n`);
      return 1;
    }
    return 0;
  }

  const { profile } = environment.secrets;
  const recipients = [...new Set([...(profile.age_recipients ?? []), ...args.recipients])];
  // Checked before any secret is read: a bad --out must not cost a Vault/AWS round trip.
  const out = resolve(ctx.cwd, args.out ?? '');
  checkWritableFile(out, args.out ?? '');
  const set = await resolveSecrets(options);
  const encrypted = await encryptSecretsEnv(set.values, recipients);
  try {
    writeFileSync(out, encrypted);
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code ?? 'write failed';
    throw new SecretsError(`cannot write --out ${args.out} (${code})`);
  }
  ctx.stderr(
    `wrote ${args.out} (${set.values.size} secret${set.values.size === 1 ? '' : 's'} from ${set.location}, ` +
      `encrypted to ${recipients.length} age recipient${recipients.length === 1 ? '' : 's'})\n`,
  );
  return 0;
}

/** `--out` must name a file whose directory exists: never a directory, never under a missing one. */
function checkWritableFile(out: string, label: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(out).isDirectory();
  } catch {
    // Missing is fine: it is created. Its parent is checked below.
  }
  if (isDirectory) {
    throw new UsageError(
      `--out ${label} is a directory`,
      `name the file to write, e.g. --out ${join(label, SECRETS_ENV_AGE_FILE)}`,
    );
  }
  let parentIsDirectory = false;
  try {
    parentIsDirectory = statSync(dirname(out)).isDirectory();
  } catch {
    // reported below
  }
  if (!parentIsDirectory) {
    throw new UsageError(`--out ${label}: ${dirname(out)} is not an existing directory`, 'create it first');
  }
}
