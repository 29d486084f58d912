import { parseArgs } from 'node:util';
import { UsageError } from '../../shared/errors.ts';
import type { ProvenanceMode } from '../adapters/docker.ts';

type ParseConfig = Parameters<typeof parseArgs>[0];

type OptionSpecs = NonNullable<NonNullable<ParseConfig>['options']>;

/**
 * Our wording for a command line `options` does not accept, read from parseArgs' tokens (not from
 * its messages, which change between Node versions), or null when it is fine.
 */
function argumentProblem(argv: string[], options: OptionSpecs, allowPositionals: boolean): string | null {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!allowPositionals) {
        return `unexpected argument '${token.value}': this command takes no positional arguments`;
      }
    } else if (token.kind === 'option') {
      const spec = options[token.name];
      if (!spec) return `unknown option '${token.rawName}'`;
      if (spec.type === 'string' && token.value === undefined)
        return `option '${token.rawName}' needs a value`;
      if (spec.type === 'boolean' && token.value !== undefined) {
        return `option '${token.rawName}' does not take a value`;
      }
    }
  }
  return null;
}

/** parseArgs (strict); a bad command line is a UsageError in our words, pointing at the command's help. */
export function parseCommandArgs<T extends OptionSpecs>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  const problem = argumentProblem(argv, options, allowPositionals);
  if (problem) throw new UsageError(problem, `run 'dockrion ${command} --help'`);
  return parseArgs({ args: argv, options, allowPositionals, strict: true });
}

/** `--env KEY=VALUE` arguments as a map; later ones win. */
export function parseEnvAssignments(pairs: readonly string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!match?.[1]) throw envPairError(pair);
    env[match[1]] = match[2] ?? '';
  }
  return env;
}

/** `--provenance auto|max|min|false` (default auto). */
export function parseProvenanceFlag(value: string | undefined): ProvenanceMode | 'auto' {
  const provenance = value ?? 'auto';
  if (!['auto', 'max', 'min', 'false'].includes(provenance)) {
    throw new UsageError(`--provenance must be auto, max, min or false, got '${provenance}'`);
  }
  return provenance === 'false' ? false : (provenance as 'auto' | 'max' | 'min');
}

/** `--platform`, repeatable or comma-separated. */
export function parsePlatforms(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((p) => p.split(',')).filter(Boolean);
}

/**
 * A bad `--env` argument, described without echoing it: without '=' the whole argument may be a
 * value (`--env sk-live-…` when the KEY= was forgotten), so only the name part before '=' is shown.
 */
export function envPairError(pair: string): UsageError {
  const equals = pair.indexOf('=');
  if (equals < 0) {
    return new UsageError(
      `--env expects KEY=VALUE; an argument (${pair.length} characters) has no '='`,
      'pass --env NAME=value, e.g. --env OPENAI_BASE_URL=https://proxy.example.com',
    );
  }
  const name = pair.slice(0, equals);
  if (name === '') return new UsageError("--env expects KEY=VALUE; an argument starts with '=' (no KEY)");
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return new UsageError(
    `--env expects KEY=VALUE; '${shown}' is not a variable name`,
    'names are letters, digits and underscores, not starting with a digit',
  );
}
