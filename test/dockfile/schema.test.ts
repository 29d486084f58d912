import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { dockfileSchema } from '../../action/dockfile/index.ts';

const root = join(import.meta.dirname, '../..');

describe('schemas/dockfile.v1.schema.json', () => {
  it('is a valid draft 2020-12 schema that compiles in ajv strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
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

  it('is published at a stable $id that editors can reference', () => {
    const published = JSON.parse(readFileSync(join(root, 'schemas/dockfile.v1.schema.json'), 'utf8'));
    expect(published.$id).toBe(
      'https://raw.githubusercontent.com/dockrion/deploy/main/schemas/dockfile.v1.schema.json',
    );
    expect(published).toEqual(dockfileSchema);
  });
});
