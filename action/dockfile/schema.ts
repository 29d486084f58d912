import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import schemaDocument from '../../schemas/dockfile.v1.schema.json' with { type: 'json' };

let compiled: ValidateFunction | undefined;

/** The published JSON Schema, for editors and for `dockrion validate`. */
export const dockfileSchema: Readonly<Record<string, unknown>> = schemaDocument;

/** Compiled once per process: compiling costs far more than validating. */
export function schemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
  compiled = ajv.compile(schemaDocument);
  return compiled;
}

export type SchemaError = ErrorObject;
