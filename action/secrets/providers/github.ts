import { SecretsError } from '../../../shared/errors.ts';
import type { FetchedSecrets, SecretSource } from './source.ts';

export interface GithubSourceOptions {
  /** The action input `secrets`; empty or absent means only the environment is consulted. */
  secretsJson?: string;
  /** The same input already parsed (action/inputs.ts does); wins over `secretsJson`. */
  secrets?: Readonly<Record<string, string>>;
  /** Where the input came from, for messages: `action input 'secrets'`, `--secrets-json FILE`. */
  secretsJsonLabel?: string;
  env: Readonly<Record<string, string | undefined>>;
  environment: string;
}

/**
 * Parses `${{ toJSON(secrets) }}`. Never quotes the input or the parser's message: both can
 * contain a value.
 */
function parseSecretsJson(json: string, label: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new SecretsError(
      `${label} is not valid JSON`,
      'pass the whole secrets context: `secrets: ${{ toJSON(secrets) }}`',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SecretsError(
      `${label} must be a JSON object of secret names to values`,
      'pass the whole secrets context: `secrets: ${{ toJSON(secrets) }}`',
    );
  }
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new SecretsError(`${label}: the value of '${key}' is not a string`);
    }
    // GitHub stores secret names upper-cased; toJSON(secrets) prints them that way.
    values.set(key.toUpperCase(), value);
  }
  return values;
}

/**
 * GitHub Secrets cannot be listed or read through the API, so the workflow must hand them in:
 * the JSON input first, then the step's environment (`env: NAME: ${{ secrets.NAME }}`).
 */
export function githubSource(options: GithubSourceOptions): SecretSource {
  const label = options.secretsJsonLabel ?? "action input 'secrets'";
  const parsed = options.secrets
    ? new Map(Object.entries(options.secrets).map(([k, v]) => [k.toUpperCase(), v] as const))
    : undefined;
  const hasJson =
    parsed !== undefined
      ? parsed.size > 0
      : options.secretsJson !== undefined && options.secretsJson.trim() !== '';
  const fromJson =
    parsed ?? (hasJson ? parseSecretsJson(options.secretsJson ?? '', label) : new Map<string, string>());
  return {
    provider: 'github',
    location: 'GitHub Secrets',
    async fetch(remoteKeys): Promise<FetchedSecrets> {
      const values = new Map<string, string>();
      for (const key of remoteKeys) {
        const value = fromJson.get(key.toUpperCase()) ?? options.env[key];
        if (value !== undefined && value !== '') values.set(key, value);
      }
      return { values };
    },
    missingHint(missing) {
      if (!hasJson) {
        return `the workflow passed no secrets: add \`secrets: \${{ toJSON(secrets) }}\` to the dockrion step (or set ${missing.join(', ')} in its env)`;
      }
      return `${label} has no ${missing.join(', ')}: create ${missing.length === 1 ? 'it' : 'them'} under Settings → Secrets and variables → Actions (repository, or the '${options.environment}' environment of a job with \`environment: ${options.environment}\`)`;
    },
  };
}
