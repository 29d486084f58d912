import schemaDocument from '../../schemas/dockfile.v1.schema.json' with { type: 'json' };

const interpolatedRef = '#/$defs/interpolated';

/**
 * The published schema without its `${VAR}` alternatives: what the Dockfile must be after
 * interpolation, where `dockrion validate` checks it (patterns and enums apply to every string).
 * The inverse of `acceptReferences` in scripts/schema-source.mjs.
 */
export const resolvedSchema: Readonly<Record<string, unknown>> = withoutReferences(schemaDocument) as Record<
  string,
  unknown
>;

function withoutReferences(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutReferences);
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const branches = record.anyOf;
  if (
    Array.isArray(branches) &&
    branches.length === 2 &&
    (branches[1] as { $ref?: unknown } | undefined)?.$ref === interpolatedRef
  ) {
    const { anyOf: _, description, ...rest } = record;
    const literal = withoutReferences(branches[0]) as Record<string, unknown>;
    return { ...rest, ...literal, ...(description === undefined ? {} : { description }) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'x-schemastore') continue;
    if (key === '$defs') {
      const defs = { ...(value as Record<string, unknown>) };
      delete defs.interpolated;
      out[key] = withoutReferences(defs);
    } else out[key] = withoutReferences(value);
  }
  return out;
}
