/**
 * The stable diagnostic codes of docs/dockfile-validation.md (errors 4000–4012) and the lint warnings (41xx).
 * Numbers and names are public contract: never renumber, only add.
 */
export const ErrorCode = {
  YamlSyntax: 4000,
  EnvInterpolation: 4001,
  InvalidSchema: 4002,
  EntrypointNotFound: 4003,
  InvalidIOSchema: 4004,
  AuthConfig: 4005,
  PolicyValidation: 4006,
  UnsupportedFramework: 4007,
  TelemetryConfig: 4008,
  IncludeCycle: 4009,
  Exposure: 4010,
  SecretsConfig: 4011,
  DeployConfig: 4012,
} as const;

export const WarningCode = {
  /** `auth` omitted: the runtime defaults to api_key with DOCKRION_API_KEY. */
  AuthDefaulted: 4100,
  /** A redact pattern is ambiguous: a backtracking engine would take super-linear time on it. */
  CatastrophicRegex: 4101,
  /** `model.temperature` > 1.2 while `block_prompt_injection` is off. */
  HighTemperatureWithoutInjectionBlocking: 4102,
  /** `auth.mode` is jwt/oauth2 but no `roles` are declared. */
  NoRolesForMode: 4103,
  /** The agent is exposed but `policies.safety.max_output_chars` is unset. */
  MaxOutputCharsUnset: 4104,
  /** Retired: redact patterns are now checked in process with RE2 (re2js); never reported. */
  PythonRegexCheckSkipped: 4105,
  /** `--check-imports` could not use python3 `ast`: a regex scan was used instead. */
  ImportCheckApproximate: 4106,
  /** `policies.tools` with deny_by_default and no allowed tool: every tool call is denied. */
  AllToolsDenied: 4107,
  /** Two Kubernetes environments render the same object names into one namespace. */
  NamespaceCollision: 4108,
} as const;

const names: Record<number, string> = {
  4000: 'YamlSyntaxError',
  4001: 'EnvInterpolationError',
  4002: 'InvalidSchemaError',
  4003: 'EntrypointNotFoundError',
  4004: 'InvalidIOSchemaError',
  4005: 'AuthConfigError',
  4006: 'PolicyValidationError',
  4007: 'UnsupportedFrameworkError',
  4008: 'TelemetryConfigError',
  4009: 'IncludeCycleError',
  4010: 'ExposureError',
  4011: 'SecretsConfigError',
  4012: 'DeployConfigError',
  4100: 'AuthDefaultedWarning',
  4101: 'CatastrophicRegexWarning',
  4102: 'HighTemperatureWarning',
  4103: 'NoRolesWarning',
  4104: 'MaxOutputCharsWarning',
  4105: 'PythonRegexCheckSkippedWarning',
  4106: 'ImportCheckApproximateWarning',
  4107: 'AllToolsDeniedWarning',
  4108: 'NamespaceCollisionWarning',
};

export function codeName(code: number): string {
  return names[code] ?? 'DockfileError';
}

export function isWarningCode(code: number): boolean {
  return code >= 4100;
}
