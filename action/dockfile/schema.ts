import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import schemaDocument from '../../schemas/dockfile.v1.schema.json' with { type: 'json' };
import { loadSchemaValidator } from './precompiled-validators.ts';

export { resolvedSchema } from './resolved-schema.ts';

let compiled: ValidateFunction | undefined;

/** The published JSON Schema, for editors: the Dockfile as written, `${VAR}` references included. */
export const dockfileSchema: Readonly<Record<string, unknown>> = schemaDocument;

/** Loaded once per process: precompiled in dist/, compiled on first use from the sources. */
export function schemaValidator(): ValidateFunction {
  compiled ??= loadSchemaValidator();
  return compiled;
}

export type SchemaError = ErrorObject;
