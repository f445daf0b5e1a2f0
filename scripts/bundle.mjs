// Bundles the console into dist/bin/: one file to parse instead of ~600 modules to resolve and
// load (Ink alone took ~450 ms to import unbundled), with the dynamic imports (console, demo,
// scripted actions) kept as chunks loaded only when used. Two things are decided here:
// - Ink's text caches are replaced by bounded ones (src/ui/ink/), fixing a leak that Ink 6.8
//   cannot be configured out of (vadimdemedes/ink#986), and its per-frame output caches by one
//   shared across frames (src/ui/ink/output.ts);
// - React runs its production build: the bin is for operators, tests use the sources.
// The embedded demo's PGlite stays external: it loads its .wasm and data files next to itself.
import { build } from 'esbuild';
import { inkFixes } from './ink-fixes.mjs';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/bin');

// Chunk names carry content hashes: old ones would pile up beside the new.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { 'absurd-top': join(root, 'src/cli.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'pg-native'],
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies (pg, systeminformation, react) call require() for node's modules.
  banner: { js: "import { createRequire as absurdTopCreateRequire } from 'node:module'; const require = absurdTopCreateRequire(import.meta.url);" },
  plugins: [inkFixes],
  logLevel: 'warning',
  // src/cli.ts sets NODE_ENV for runs from the sources (tsx); in the bundle it is already fixed.
  logOverride: { 'assign-to-define': 'silent' },
  metafile: true,
});
chmodSync(join(outdir, 'absurd-top.js'), 0o755);
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
process.stdout.write(`bundled dist/bin/absurd-top.js (+${Object.keys(result.metafile.outputs).length - 1} chunks, ${(bytes / 1e6).toFixed(1)} MB)\n`);
