// The esbuild plugin that builds Ink with absurd-top's fixes (src/ui/ink/): bounded text caches
// (vadimdemedes/ink#986) and output caches shared across frames; and without its optional
// devtools, which would need react-devtools-core. Used by scripts/bundle.mjs and bench/frame-cost.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Ink's cache modules → ours; Ink's optional devtools (needs react-devtools-core) → nothing. */
export const inkFixes = {
  name: 'ink-fixes',
  setup(b) {
    b.onResolve({ filter: /^\.\/(measure-text|wrap-text|output|sanitize-ansi)\.js$/ }, (args) => {
      if (!/[\\/]ink[\\/]build$/.test(args.resolveDir)) return undefined;
      return { path: join(root, 'src/ui/ink', args.path.replace(/\.js$/, '.ts')) };
    });
    // Every string-width of Ink and its helpers (widest-line, wrap-ansi, slice-ansi, …) → the
    // memoised one, which itself imports the real package.
    const memoisedWidth = join(root, 'src/text/format/string-width.ts');
    b.onResolve({ filter: /^string-width$/ }, (args) => {
      if (args.importer === memoisedWidth || !/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      return { path: memoisedWidth };
    });
    // Yoga's Emscripten loader fetches its own embedded (base64) WASM through fetch() when fetch
    // exists, which makes Node load undici at start-up (~35 ms before the first frame); without
    // it the loader decodes the same bytes directly.
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (!code.includes('typeof fetch')) throw new Error(`yoga-layout changed: no "typeof fetch" in ${args.path}`);
      return { contents: code.replaceAll('typeof fetch', '"undefined"'), loader: 'js' };
    });
    // node-postgres probes for Cloudflare Workers with `new Response(…)`, which makes Node 20
    // load undici and its text encoders at start-up (~30 ms); Node 20 is never Cloudflare.
    b.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (!code.includes("typeof Response === 'function'")) throw new Error(`pg changed: no Response probe in ${args.path}`);
      return { contents: code.replace("typeof Response === 'function'", 'false'), loader: 'js' };
    });
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'absent' }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

