// Writes schemas/dockfile.v1.schema.json (the published form, for files as written) from
// scripts/schema-source.mjs and derives the TypeScript types from the resolved form (after
// `${VAR}` interpolation, what the loader hands on). With --check, fails when either file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';
import { publishedSchema, schema } from './schema-source.mjs';

const check = process.argv.includes('--check');
const jsonPath = 'schemas/dockfile.v1.schema.json';
const tsPath = 'schemas/dockfile.v1.ts';

const json = `${JSON.stringify(publishedSchema, null, 2)}\n`;
const ts = await compile(structuredClone(schema), 'Dockfile', {
  bannerComment:
    '/* Generated from schemas/dockfile.v1.schema.json by `npm run gen:types`. Do not edit. */\n/* biome-ignore-all lint: generated */',
  additionalProperties: false,
  style: { singleQuote: true },
  unreachableDefinitions: true,
});

let stale = false;
for (const [path, content] of [
  [jsonPath, json],
  [tsPath, ts],
]) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {}
  if (current === content) continue;
  if (check) {
    console.error(`${path} is stale: run \`npm run gen:types\`.`);
    stale = true;
  } else writeFileSync(path, content);
}
process.exit(stale ? 1 : 0);
