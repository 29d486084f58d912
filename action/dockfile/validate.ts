import { dirname, resolve } from 'node:path';
import { nodeExec } from '../adapters/exec.ts';
import { checkAgent } from './checks/agent.ts';
import { checkAuth } from './checks/auth.ts';
import { checkDeploymentSettings } from './checks/deployment.ts';
import { checkExposure } from './checks/exposure.ts';
import { checkImports } from './checks/imports.ts';
import { checkIoSchema } from './checks/io-schema.ts';
import { checkObservability } from './checks/observability.ts';
import { checkPolicies } from './checks/policies.ts';
import { checkSecretDeclarations } from './checks/secrets.ts';
import { asRecord, declaredSecrets } from './checks/values.ts';
import { ErrorCode } from './codes.ts';
import { DiagnosticSink, SourceMap } from './diagnostics.ts';
import { interpolateTree } from './interpolate.ts';
import { resolvedSchema, schemaValidator } from './schema.ts';
import { reportSchemaErrors } from './schema-errors.ts';
import type { Diagnostic, DockSpec, LoadOptions, ValidationResult } from './types.ts';
import { removeUnsetOptionals } from './unset.ts';
import { readDockfileTree } from './yaml-tree.ts';

/**
 * Reads, expands, interpolates and validates a Dockfile, reporting every problem at once.
 * Never throws for bad input: every problem is a diagnostic with file, line and column.
 */
export async function loadDockfile(path: string, options: LoadOptions = {}): Promise<ValidationResult> {
  return validateSource(path, undefined, options);
}

/** The same as `loadDockfile`, for text already in memory (editors, tests); `path` names it. */
export async function validateDockfileText(
  text: string,
  path: string,
  options: LoadOptions = {},
): Promise<ValidationResult> {
  return validateSource(path, text, options);
}

async function validateSource(
  displayPath: string,
  text: string | undefined,
  options: LoadOptions,
): Promise<ValidationResult> {
  const absolutePath = resolve(options.cwd ?? process.cwd(), displayPath);
  const sourceMap = new SourceMap(displayPath);
  sourceMap.set([], { file: displayPath, line: 1, column: 1 });
  const sink = new DiagnosticSink(sourceMap);
  const root = resolve(options.cwd ?? process.cwd(), options.root ?? dirname(absolutePath));

  const {
    value: tree,
    failedPaths,
    quotable,
  } = readDockfileTree(absolutePath, displayPath, { root, sourceMap, sink }, text);
  if (tree === undefined) {
    if (!sink.hasErrors()) sink.report(ErrorCode.YamlSyntax, [], `${displayPath} could not be read`);
    return finish(displayPath, sink, options, undefined, quotable);
  }
  // A failed include or tag was reported where it is; validating the rest still finds every other
  // problem, without follow-on noise about the missing part.
  sink.suppressUnder(failedPaths);
  pruneUndefined(tree);
  const doc = asRecord(tree);
  if (!doc) {
    sink.report(ErrorCode.InvalidSchema, [], `${displayPath} must be a YAML map with version and agent`, {
      hint: 'start with:\nversion: "1.0"\nagent:\n  name: my-agent',
    });
    return finish(displayPath, sink, options, undefined, quotable);
  }

  // `key: null` on an optional field is "not set" (as in the Python tool): removed before any check.
  removeUnsetOptionals(doc, resolvedSchema);

  const secretNames = new Set(declaredSecrets(doc).map((s) => s.name));
  interpolateTree(
    doc,
    {
      cli: options.env ?? {},
      processEnv: options.processEnv ?? process.env,
      dotEnvPath: resolve(dirname(absolutePath), '.env'),
      secretNames,
    },
    sink,
  );

  const validate = schemaValidator();
  if (!validate(doc)) reportSchemaErrors(validate.errors ?? [], sink, doc);

  checkAgent(doc, sink);
  checkIoSchema(doc, sink, { compile: options.compileIoSchemas !== false });
  checkAuth(doc, sink);
  checkExposure(doc, sink);
  checkObservability(doc, sink);
  checkSecretDeclarations(doc, sink);
  checkDeploymentSettings(doc, sink);
  const exec = options.exec ?? nodeExec();
  const python = options.python === undefined ? 'python3' : options.python;
  checkPolicies(doc, sink);
  if (options.checkImports) await checkImports(doc, sink, { appDir: dirname(absolutePath), python, exec });

  return finish(displayPath, sink, options, doc, quotable);
}

function finish(
  file: string,
  sink: DiagnosticSink,
  options: LoadOptions,
  doc: unknown,
  quotable: string[],
): ValidationResult {
  const all = sink.all();
  const errors: Diagnostic[] = all.filter((d) => d.severity === 'error');
  let warnings: Diagnostic[] = all.filter((d) => d.severity === 'warning');
  if (options.strict && warnings.length > 0) {
    // --strict: lint findings fail the run like errors, keeping their 41xx codes.
    errors.push(...warnings.map((w) => ({ ...w, severity: 'error' as const })));
    warnings = [];
  }
  const valid = errors.length === 0;
  const result: ValidationResult = { valid, file, errors, warnings, quotable };
  if (valid && doc !== undefined) result.spec = deepFreeze(doc) as DockSpec;
  return result;
}

/** Failed values are left out: dropped from maps, null in lists (so indexes keep their positions). */
function pruneUndefined(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === undefined) value[index] = null;
      else pruneUndefined(item);
    });
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (record[key] === undefined) delete record[key];
      else pruneUndefined(record[key]);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
