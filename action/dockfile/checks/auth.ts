import { DRAIN_ENV_KEY, RESERVED_ENV_KEYS } from '../../../generators/environment.ts';
import { ErrorCode, WarningCode } from '../codes.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import { asList, asRecord, asString, type Doc, secretReference } from './values.ts';

const minimumSecretLength = 16;

/**
 * Variables the runtime and its deployment set for themselves (the same list as RUNTIME_SETTINGS
 * in runtime/dockrion_runtime/auth/api_keys.py): they are never API keys, so neither
 * `api_keys.env_var` nor the `api_keys.prefix` family may cover one.
 */
export const RUNTIME_SETTINGS: readonly string[] = [
  ...RESERVED_ENV_KEYS,
  DRAIN_ENV_KEY,
  'DOCKRION_CONFIG',
  'DOCKRION_LOG_LEVEL',
  'DOCKRION_FAKE_MODEL',
];

/** Auth mode consistency (4005) and the auth lint warnings. */
export function checkAuth(doc: Doc, sink: DiagnosticSink): void {
  if (doc.auth === undefined) {
    sink.report(
      WarningCode.AuthDefaulted,
      ['auth'],
      'auth is not set: the agent will require an API key from DOCKRION_API_KEY',
      {
        hint: 'add auth: { mode: api_key } to make this explicit, or mode: none for a public agent',
      },
    );
    return;
  }
  const auth = asRecord(doc.auth);
  if (!auth) return;
  // As at run time: a missing mode is api_key.
  const mode = asString(auth.mode) ?? 'api_key';
  const jwt = asRecord(auth.jwt);
  const apiKeys = asRecord(auth.api_keys);

  if (mode === 'jwt') {
    if (!jwt) {
      sink.report(ErrorCode.AuthConfig, ['auth', 'jwt'], 'auth.mode is jwt but auth.jwt is missing', {
        hint: "add auth.jwt.secret_key: '${JWT_SECRET}' (HS256) or jwks_url / public_key_env (RS256/ES256)",
      });
    } else if (
      jwt.secret_key === undefined &&
      jwt.jwks_url === undefined &&
      jwt.public_key_env === undefined
    ) {
      sink.report(
        ErrorCode.AuthConfig,
        ['auth', 'jwt', 'secret_key'],
        'auth.mode is jwt but no key source is set',
        {
          hint: "set secret_key: '${JWT_SECRET}' (declare JWT_SECRET under secrets.required), jwks_url or public_key_env",
        },
      );
    }
  }
  const secretKey = jwt?.secret_key;
  if (
    typeof secretKey === 'string' &&
    secretReference(secretKey) === undefined &&
    secretKey.length < minimumSecretLength
  ) {
    // The value itself is never echoed: it may be a real key.
    sink.report(
      ErrorCode.AuthConfig,
      ['auth', 'jwt', 'secret_key'],
      `auth.jwt.secret_key is shorter than ${minimumSecretLength} characters`,
      {
        hint: "use a reference to a declared secret, e.g. '${JWT_SECRET}', holding at least 32 random bytes",
      },
    );
  }
  if (mode === 'api_key' && apiKeys?.enabled === false) {
    sink.report(
      ErrorCode.AuthConfig,
      ['auth', 'api_keys', 'enabled'],
      'auth.mode is api_key but api_keys.enabled is false',
      {
        hint: 'set api_keys.enabled: true, or choose another auth.mode',
      },
    );
  }
  checkKeyVariables(apiKeys, sink);
  if (mode === 'oauth2' && auth.oauth2 === undefined) {
    sink.report(ErrorCode.AuthConfig, ['auth', 'oauth2'], 'auth.mode is oauth2 but auth.oauth2 is missing', {
      hint: 'add auth.oauth2 with issuer and jwks_url',
    });
  }

  const roles = asList(auth.roles);
  const roleNames = new Set(
    roles.map((r) => asString(asRecord(r)?.name)).filter((n): n is string => n !== undefined),
  );
  roles.forEach((role, index) => {
    const name = asString(asRecord(role)?.name);
    if (name === undefined) return;
    const firstIndex = roles.findIndex((r) => asString(asRecord(r)?.name) === name);
    if (firstIndex !== index) {
      sink.report(ErrorCode.AuthConfig, ['auth', 'roles', index, 'name'], `role '${name}' is declared twice`);
    }
  });
  const rateLimits = asRecord(auth.rate_limits);
  for (const role of Object.keys(rateLimits ?? {})) {
    if (!roleNames.has(role)) {
      const known = [...roleNames];
      sink.report(
        ErrorCode.AuthConfig,
        ['auth', 'rate_limits', role],
        `rate limit for unknown role '${role}'`,
        {
          hint: known.length > 0 ? `declared roles: ${known.join(', ')}` : 'declare it under auth.roles',
          at: 'key',
        },
      );
    }
  }
  if ((mode === 'jwt' || mode === 'oauth2') && roles.length === 0) {
    sink.report(
      WarningCode.NoRolesForMode,
      ['auth', 'mode'],
      `auth.mode is ${mode} but no roles are declared`,
      {
        hint: 'declare auth.roles so tokens map to permissions (e.g. invoke)',
      },
    );
  }
}

/** `api_keys.prefix` P reads `P_<ROLE>` (or `P<ROLE>` when P ends in `_`): no runtime setting may match. */
function checkKeyVariables(apiKeys: Record<string, unknown> | undefined, sink: DiagnosticSink): void {
  const envVar = asString(apiKeys?.env_var);
  if (envVar !== undefined && RUNTIME_SETTINGS.includes(envVar)) {
    sink.report(
      ErrorCode.AuthConfig,
      ['auth', 'api_keys', 'env_var'],
      `auth.api_keys.env_var names the runtime's own setting ${envVar}, which is not a secret`,
      { hint: 'use a variable of its own, e.g. DOCKRION_API_KEY' },
    );
  }
  const prefix = asString(apiKeys?.prefix);
  if (prefix === undefined) return;
  const stem = prefix.endsWith('_') ? prefix : `${prefix}_`;
  const covered = RUNTIME_SETTINGS.filter((name) => name.startsWith(stem) && name.length > stem.length);
  if (covered.length > 0) {
    sink.report(
      ErrorCode.AuthConfig,
      ['auth', 'api_keys', 'prefix'],
      `auth.api_keys.prefix covers the runtime's own settings (${covered.join(', ')}), whose public values are not API keys`,
      { hint: 'use a prefix of its own, e.g. DOCKRION_API_KEY (keys DOCKRION_API_KEY_<ROLE>) or AGENT_KEY' },
    );
  }
}
