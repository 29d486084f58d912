// Bundles the two front doors into dist/. With --check, builds into a temp dir and fails when
// the committed dist/ differs, so CI catches a stale bundle.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const check = process.argv.includes('--check');
const outdir = check ? mkdtempSync(join(tmpdir(), 'dockrion-dist-')) : 'dist';

async function bundle() {
  if (!check) rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
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
    // CommonJS dependencies call require(); give ESM output a real one.
    banner: {
      js: "import { createRequire as __dockrionCreateRequire } from 'node:module'; const require = __dockrionCreateRequire(import.meta.url);",
    },
  });
  // The Dockerfile template and JSON schema are read at run time next to the bundle.
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
