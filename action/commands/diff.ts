import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../../shared/errors.ts';
import { diffContracts } from '../contract/diff.ts';
import { ANY_ENVIRONMENT, contractOf } from '../contract/extract.ts';
import { loadDockfileAtRevision, parseRevisionPath } from '../contract/git-source.ts';
import { contractDiffJson, contractDiffText } from '../contract/render.ts';
import type { Contract } from '../contract/types.ts';
import type { ValidationResult } from '../dockfile/index.ts';
import { Git } from '../gitops/git.ts';
import { formatText } from '../report/text.ts';
import { parseCommandArgs } from './args.ts';
import type { CliContext } from './context.ts';
import { formatDockfileText, loadLocatedDockfile } from './dockfile-loading.ts';

export const diffUsage = `usage: dockrion diff OLD NEW [options]

Compares the contracts of two Dockfiles (io_schema, endpoints, auth, policies, secrets and each
environment's deployment) and classifies every change: breaking (today's callers may be
rejected), widening (security-relevant loosening), operational (needs the operator: a new
required secret, resources, replicas, autoscaling, ingress) or compatible.

OLD and NEW are Dockfile paths (a directory means its Dockfile.yaml), or <rev>:<path> for a
Dockfile as it is in a git commit, read with git (no checkout), e.g.
  dockrion diff origin/main:Dockfile.yaml Dockfile.yaml
<path> is relative to the repository's top level, or to the current directory with ./ or ../ .
\${VAR}s are interpolated from the environment, as for dockrion validate.

options:
  --format text|json  output format (default text; json prints one document on stdout:
                      {summary, breaking, widening, operational, compatible}, each change
                      with its path and message)
  --env ENV           only this environment's deployment changes (deploy.environments.ENV)
  -h, --help          show this help

exit status: 0 compared (whatever changed), 1 a Dockfile is invalid (its diagnostics go to
stderr, nothing to stdout), 2 usage error
`;

const formats = ['text', 'json'] as const;
type Format = (typeof formats)[number];

interface DiffArgs {
  old: string;
  new: string;
  format: Format;
  environment: string | undefined;
}

export function parseDiffArgs(argv: string[]): DiffArgs | 'help' {
  const { values, positionals } = parseCommandArgs(
    'diff',
    argv,
    {
      format: { type: 'string' },
      env: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return 'help';
  if (positionals.length !== 2) {
    throw new UsageError(
      `diff takes two Dockfiles (OLD and NEW), got ${positionals.length}`,
      "e.g. dockrion diff origin/main:Dockfile.yaml Dockfile.yaml; run 'dockrion diff --help'",
    );
  }
  const format = values.format ?? 'text';
  if (!formats.includes(format as Format)) {
    throw new UsageError(`--format must be one of ${formats.join(', ')}, got '${format}'`);
  }
  if (values.env !== undefined && values.env.trim() === '')
    throw new UsageError('--env needs an environment name');
  return {
    old: positionals[0] as string,
    new: positionals[1] as string,
    format: format as Format,
    environment: values.env,
  };
}

/** A loaded side: its validation result and how to quote its source lines. */
interface Side {
  result: ValidationResult;
  report: () => string;
}

async function loadSide(arg: string, ctx: CliContext): Promise<Side> {
  const onDisk = resolve(ctx.cwd, arg);
  if (existsSync(onDisk)) {
    const absolute = statSync(onDisk).isDirectory() ? join(onDisk, 'Dockfile.yaml') : onDisk;
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      throw new UsageError(`${arg} is not a Dockfile`, 'pass a Dockfile path or <rev>:<path>');
    }
    const result = await loadLocatedDockfile(ctx.cwd, absolute, { processEnv: ctx.env, exec: ctx.exec });
    return { result, report: () => formatDockfileText(result, ctx.cwd) };
  }
  const target = parseRevisionPath(arg);
  if (target === null) {
    throw new UsageError(
      `${arg}: no such file`,
      'pass a Dockfile path, or <rev>:<path> for one in a git commit',
    );
  }
  const checkout = await Git.forCheckout(ctx.exec, ctx.cwd, ctx.env);
  if (checkout === null) {
    throw new UsageError(
      `${arg}: no such file, and ${ctx.cwd} is not inside a git repository to read ${target.rev} from`,
    );
  }
  const cwdReal = realpathSync(ctx.cwd);
  const prefix = relative(checkout.topLevel, cwdReal).split(sep).join('/');
  const { result, sources } = await loadDockfileAtRevision(checkout.git, target, {
    prefix,
    processEnv: ctx.env,
    exec: ctx.exec,
  });
  const quotable = new Set(result.quotable ?? []);
  return {
    result,
    report: () =>
      formatText(result, (file) => (quotable.has(file) ? sources.get(file)?.split(/\r\n|\r|\n/) : undefined)),
  };
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseDiffArgs(argv);
  if (args === 'help') {
    ctx.stdout(diffUsage);
    return 0;
  }
  const sides = [await loadSide(args.old, ctx), await loadSide(args.new, ctx)];
  const invalid = sides.filter((side) => !side.result.valid);
  if (invalid.length > 0) {
    for (const side of invalid) ctx.stderr(side.report());
    return 1;
  }
  const [before, after] = sides.map((side) =>
    contractOf(side.result.spec as NonNullable<ValidationResult['spec']>),
  ) as [Contract, Contract];
  if (args.environment !== undefined) checkEnvironment(args.environment, before, after);
  const diff = diffContracts(
    before,
    after,
    args.environment === undefined ? {} : { environment: args.environment },
  );
  ctx.stdout(args.format === 'json' ? contractDiffJson(diff) : contractDiffText(diff));
  return 0;
}

function checkEnvironment(environment: string, before: Contract, after: Contract): void {
  const known = [...new Set([...Object.keys(before.environments), ...Object.keys(after.environments)])];
  if (known.includes(environment) || known.includes(ANY_ENVIRONMENT)) return;
  throw new UsageError(
    `--env ${environment}: neither Dockfile defines deploy.environments.${environment}`,
    `use one of: ${known.sort().join(', ')}`,
  );
}
