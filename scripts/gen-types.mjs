// Writes schemas/dockfile.v1.schema.json (the published form, for files as written) from
// scripts/schema-source.mjs and derives the TypeScript types from the resolved form (after
// `${VAR}` interpolation, what the loader hands on). Writes the Python runtime's defaults
// (runtime/dockrion_runtime/_defaults.py) from schemas/runtime-defaults.ts, so the runtime and
// normalizeDockfile read one table. With --check, fails when any of the files is stale.
// The files are written relative to the working directory (the repository root under `npm run`).
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';
import { tsImport } from 'tsx/esm/api';
import { publishedSchema, schema } from './schema-source.mjs';

const check = process.argv.includes('--check');
const jsonPath = 'schemas/dockfile.v1.schema.json';
const tsPath = 'schemas/dockfile.v1.ts';
const pythonDefaultsPath = 'runtime/dockrion_runtime/_defaults.py';
const { RUNTIME_DEFAULTS } = await tsImport('../schemas/runtime-defaults.ts', import.meta.url);

/** `handlerFramework` → `HANDLER_FRAMEWORK`, `apiKeys` → `API_KEYS`, `env_var` → `ENV_VAR`. */
const constantPart = (key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

function pythonLiteral(value, where) {
  // JSON's string escapes are valid in a Python string literal.
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(
    `${where}: the table holds strings, booleans and numbers only, got ${JSON.stringify(value)}`,
  );
}

/** One `Final` constant per value of the table, named by its path: `expose.port` → `EXPOSE_PORT`. */
function pythonDefaults(table) {
  const constants = [];
  const walk = (value, path) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
      return;
    }
    const literal = pythonLiteral(value, `RUNTIME_DEFAULTS.${path.join('.')}`);
    constants.push(`${path.map(constantPart).join('_')}: Final = ${literal}`);
  };
  walk(table, []);
  return [
    '"""What an omitted Dockfile setting means: RUNTIME_DEFAULTS of schemas/runtime-defaults.ts, one',
    'constant per value, named by its path (`expose.port` → EXPOSE_PORT).',
    '',
    'Generated from schemas/runtime-defaults.ts by `npm run gen:types` (scripts/gen-types.mjs). Do not edit.',
    '"""',
    '',
    'from typing import Final',
    '',
    ...constants,
    '',
  ].join('\n');
}

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
  [pythonDefaultsPath, pythonDefaults(RUNTIME_DEFAULTS)],
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
