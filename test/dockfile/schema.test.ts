import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { dockfileSchema } from '../../action/dockfile/index.ts';
import { resolvedSchema } from '../../action/dockfile/schema.ts';

const root = join(import.meta.dirname, '../..');
// The generator's module (plain .mjs, no types): the two forms it derives from one source.
const sourcePath = '../../scripts/schema-source.mjs';
const { publishedSchema, schema } = (await import(sourcePath)) as {
  publishedSchema: unknown;
  schema: unknown;
};
const versionedUrl = 'https://raw.githubusercontent.com/dockrion/deploy/v1/schemas/dockfile.v1.schema.json';

describe('schemas/dockfile.v1.schema.json', () => {
  it('is a valid draft 2020-12 schema that compiles in ajv strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    // The SchemaStore catalog entry is an annotation (an `x-` keyword) for editors and catalogs.
    ajv.addVocabulary(['x-schemastore']);
    expect(ajv.validateSchema(dockfileSchema)).toBe(true);
    expect(() => ajv.compile(dockfileSchema)).not.toThrow();
  });

  it('is what scripts/schema-source.mjs generates, and so are the TypeScript types', () => {
    const check = spawnSync(process.execPath, ['scripts/gen-types.mjs', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('is published at a versioned $id, with the file names it is for, as a SchemaStore entry', () => {
    const published = JSON.parse(readFileSync(join(root, 'schemas/dockfile.v1.schema.json'), 'utf8'));
    expect(published.$id).toBe(versionedUrl);
    expect(published).toEqual(dockfileSchema);
    expect(published['x-schemastore']).toEqual({
      name: 'Dockrion Dockfile',
      description: expect.any(String),
      fileMatch: ['Dockfile.yaml', 'Dockfile.yml', 'Dockfile.*.yaml', 'Dockfile.*.yml'],
      url: versionedUrl,
      versions: { '1.0': versionedUrl },
    });
  });

  it('the CLI checks the resolved form: the published schema without its ${VAR} alternatives', () => {
    expect(JSON.parse(JSON.stringify(publishedSchema))).toEqual(dockfileSchema);
    expect(resolvedSchema).toEqual(JSON.parse(JSON.stringify(schema)));
    expect(JSON.stringify(resolvedSchema)).not.toContain('interpolated');
  });

  it('accepts a reference only where a string is: not for numbers, booleans, or keys', () => {
    const validate = new Ajv2020({ strict: false, allowUnionTypes: true }).compile(dockfileSchema);
    const doc = (extra: Record<string, unknown>) => ({ version: '1.0', agent: { name: 'a', ...extra } });
    expect(validate(doc({ name: '${NAME}', framework: '${FRAMEWORK:-custom}' }))).toBe(true);
    // `$${` writes a literal `${`: no reference, so the pattern applies.
    expect(validate(doc({ name: '$${NAME}' }))).toBe(false);
    expect(validate(doc({ name: 'not ${ closed' }))).toBe(false);
    expect(validate({ ...doc({}), expose: { port: '${PORT}' } })).toBe(false);
    expect(validate({ ...doc({}), deploy: { env: { '${KEY}': 'v' } } })).toBe(false);
  });
});
