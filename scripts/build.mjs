// Bundles the two front doors into dist/. With --check, builds into a temp dir and fails when
// the committed dist/ differs, so CI catches a stale bundle.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { standaloneValidatorSource } from './schema-validator.mjs';

const check = process.argv.includes('--check');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
// --outdir=DIR builds elsewhere than dist/; --metafile=FILE writes esbuild's module graph there
// (test/scripts/validate-path.test.ts checks what `dockrion validate` loads with it).
const outdir = check ? mkdtempSync(join(tmpdir(), 'dockrion-dist-')) : (option('outdir') ?? 'dist');
const metafilePath = option('metafile');

/**
 * Replaces action/dockfile/precompiled-validators.ts (which compiles the schemas at run time) with
 * ajv standalone code generated here: `dockrion validate` starts without compiling a schema.
 */
const precompiledSchemaValidator = {
  name: 'precompiled-schema-validator',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]action[\\/]dockfile[\\/]precompiled-validators\.ts$/ }, () => ({
      contents: standaloneValidatorSource(),
      loader: 'js',
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    }));
  },
};

async function bundle() {
  if (!check) rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { main: 'action/main.ts', cli: 'action/cli.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    // node22: the CLI keeps working on Node 22; the Action runs on the runner's Node 24.
    target: 'node22',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [precompiledSchemaValidator],
    metafile: true,
    // CommonJS dependencies call require(); give ESM output a real one.
    banner: {
      js: "import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);",
    },
  });
  if (metafilePath) writeFileSync(metafilePath, JSON.stringify(result.metafile));
  // The code imports the schema (it is inside the bundle); this copy is for tools that read the
  // schema file from the installed package. The Dockerfile template is a .ts module, bundled too.
  for (const asset of ['schemas/dockfile.v1.schema.json']) {
    if (existsSync(asset)) copyFileSync(asset, join(outdir, asset.split('/').pop()));
  }
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(dir, join(prefix, d.name)) : [join(prefix, d.name)]))
    .sort();
}

await bundle();
if (check) {
  const fresh = listFiles(outdir);
  const committed = existsSync('dist') ? listFiles('dist') : [];
  const stale =
    fresh.length !== committed.length ||
    fresh.some(
      (f, i) => f !== committed[i] || !readFileSync(join(outdir, f)).equals(readFileSync(join('dist', f))),
    );
  rmSync(outdir, { recursive: true, force: true });
  if (stale) {
    console.error('dist/ is stale: run `npm run build` and commit dist/.');
    process.exit(1);
  }
  console.log('dist/ is up to date.');
}
