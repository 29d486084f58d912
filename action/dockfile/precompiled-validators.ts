import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { resolvedSchema } from './resolved-schema.ts';

/**
 * The two JSON Schema validators `dockrion validate` runs: the resolved Dockfile schema, and the
 * draft 2020-12 meta-schema for inline `io_schema` schemas. In dist/ this module is replaced by
 * ajv standalone code generated at build time (scripts/build.mjs, scripts/schema-validator.mjs):
 * compiling them costs more than everything else a validation does. Unbundled (tests, tsx) they
 * are compiled here, with the options of scripts/schema-validator.mjs
 * (test/dockfile/precompiled-schema.test.ts holds the two to the same results).
 */
let ajv: Ajv2020 | undefined;
const compiler = () => {
  ajv ??= new Ajv2020({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
  return ajv;
};

export const metaSchemaId = 'https://json-schema.org/draft/2020-12/schema';

export function loadSchemaValidator(): ValidateFunction {
  return compiler().compile(resolvedSchema);
}

export function loadMetaSchemaValidator(): ValidateFunction {
  const validate = compiler().getSchema(metaSchemaId);
  if (!validate) throw new Error(`ajv has no ${metaSchemaId}`);
  return validate;
}
