import type { DocPath } from './diagnostics.ts';

type Schema = Record<string, unknown>;

/**
 * Inline JSON Schemas (`io_schema.input`/`output`) are data with their own meaning for null
 * (`default: null`, `const: null`): they are checked by the JSON Schema meta-schema as written.
 */
const dataDefinitions = new Set(['#/$defs/jsonSchemaObject']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * An explicit `null` on an optional field means "not set", as Pydantic treats `Optional[...] = None`
 * in the Python tool's Dockfiles (`auth.api_keys.prefix: null`). Field classes, decided by the
 * schema (one rule for every section):
 * - an optional property (declared in `properties`, not in `required`): `null` is removed here,
 *   before the schema check, so it gets its default like an absent key;
 * - a required property: `null` stays and is an error (`must be …, found null`);
 * - a list item: `null` stays and is an error (an item cannot be "not set");
 * - free-form data (`x-*` extensions, extra keys of `metadata`/`arguments`, inline JSON Schemas):
 *   `null` is a value and is kept.
 * Returns the paths it removed.
 */
export function removeUnsetOptionals(doc: unknown, rootSchema: Schema): DocPath[] {
  const removed: DocPath[] = [];
  const resolve = (schema: unknown): Schema | undefined => {
    let current = schema;
    for (let hops = 0; isRecord(current) && typeof current.$ref === 'string' && hops < 16; hops++) {
      if (dataDefinitions.has(current.$ref)) return undefined;
      const name = /^#\/\$defs\/(.+)$/.exec(current.$ref)?.[1];
      current = name ? (rootSchema.$defs as Record<string, unknown> | undefined)?.[name] : undefined;
    }
    return isRecord(current) ? current : undefined;
  };
  const visit = (value: unknown, schemaRef: unknown, path: DocPath): void => {
    const schema = resolve(schemaRef);
    if (!schema) return;
    for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
      const branches = schema[keyword];
      if (Array.isArray(branches)) for (const branch of branches) visit(value, branch, path);
    }
    if (Array.isArray(value)) {
      if (schema.items !== undefined) {
        value.forEach((item, index) => {
          visit(item, schema.items, [...path, index]);
        });
      }
      return;
    }
    if (!isRecord(value)) return;
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const patterns = isRecord(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(properties, key)) {
        if (value[key] === null && !required.has(key)) {
          delete value[key];
          removed.push([...path, key]);
        } else {
          visit(value[key], properties[key], [...path, key]);
        }
        continue;
      }
      const pattern = patterns.find(([source]) => new RegExp(source, 'u').test(key));
      if (pattern) visit(value[key], pattern[1], [...path, key]);
      else if (isRecord(schema.additionalProperties))
        visit(value[key], schema.additionalProperties, [...path, key]);
    }
  };
  visit(doc, rootSchema, []);
  return removed;
}
