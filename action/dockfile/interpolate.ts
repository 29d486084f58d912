import { readFileSync } from 'node:fs';
import { parseEnvFile } from '../../generators/env-file.ts';
import { ErrorCode } from './codes.ts';
import type { Substitution } from './conceal.ts';
import type { DiagnosticSink, DocPath } from './diagnostics.ts';

/** `${NAME}` or `${NAME:-default}`; `$${` writes a literal `${`. */
const reference = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface InterpolationSources {
  /** `--env KEY=VAL`: wins over everything. */
  cli: Readonly<Record<string, string>>;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** Read only when a variable is not found in the first two. */
  dotEnvPath: string;
  /** Declared secret names: kept as `${NAME}` for the runtime, never resolved here. */
  secretNames: ReadonlySet<string>;
}

/**
 * Replaces `${VAR}` in every string value, in place order of resolution: CLI `--env`, the process
 * environment, then `.env` next to the Dockfile. Keys are never interpolated.
 */
export function interpolateTree(
  value: unknown,
  sources: InterpolationSources,
  sink: DiagnosticSink,
): unknown {
  let dotEnv: Map<string, string> | undefined;
  const lookup = (name: string): string | undefined => {
    if (Object.hasOwn(sources.cli, name)) return sources.cli[name];
    const fromProcess = sources.processEnv[name];
    if (fromProcess !== undefined) return fromProcess;
    dotEnv ??= readDotEnv(sources.dotEnvPath);
    return dotEnv.get(name);
  };

  const visit = (node: unknown, path: DocPath): unknown => {
    if (typeof node === 'string') return interpolateString(node, path, lookup, sources.secretNames, sink);
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const record = node as Record<string, unknown>;
        record[key] = visit(record[key], [...path, key]);
      }
    }
    return node;
  };
  return visit(value, []);
}

function interpolateString(
  text: string,
  path: DocPath,
  lookup: (name: string) => string | undefined,
  secretNames: ReadonlySet<string>,
  sink: DiagnosticSink,
): string {
  if (!text.includes('${')) return text;
  const substitutions: Substitution[] = [];
  const result = text.replace(reference, (match: string, body: string | undefined) => {
    if (match === '$${') return '${';
    if (body === undefined) {
      sink.report(ErrorCode.EnvInterpolation, path, 'unterminated ${ in value', {
        hint: 'close it with }, or write $${ for a literal ${',
      });
      return match;
    }
    const separator = body.indexOf(':-');
    const name = separator === -1 ? body : body.slice(0, separator);
    const fallback = separator === -1 ? undefined : body.slice(separator + 2);
    if (!variableName.test(name)) {
      sink.report(ErrorCode.EnvInterpolation, path, `invalid variable reference ${match}`, {
        hint: 'names are letters, digits and _, not starting with a digit: ${NAME} or ${NAME:-default}',
      });
      return match;
    }
    // Secrets are resolved by the runtime from its environment, so their values never land
    // in a generated file, an image or a log.
    if (secretNames.has(name)) return match;
    const value = lookup(name);
    if (value !== undefined && value !== '') {
      substitutions.push({ name, value });
      return value;
    }
    if (fallback !== undefined) return fallback;
    if (value !== undefined) return value;
    sink.report(ErrorCode.EnvInterpolation, path, `\${${name}} is not set`, {
      hint: `pass --env ${name}=…, export it, add it to .env next to the Dockfile, or declare it under secrets.required`,
    });
    return match;
  });
  // The environment may hold credentials: no later message may print what came from it.
  if (substitutions.length > 0) sink.markInterpolated(path, text, substitutions);
  return result;
}

function readDotEnv(path: string): Map<string, string> {
  try {
    // Lines that are not KEY=VALUE are skipped: the file belongs to the user's tools as well.
    return parseEnvFile(readFileSync(path, 'utf8')).values;
  } catch {
    return new Map();
  }
}
