// The esbuild plugin that builds Ink with absurd-top's fixes (src/ui/ink/): bounded text caches
// (vadimdemedes/ink#986) and output caches shared across frames; and without its optional
// devtools, which would need react-devtools-core. Used by scripts/bundle.mjs and bench/frame-cost.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Ink's cache modules → ours; Ink's optional devtools (needs react-devtools-core) → nothing. */
export const inkFixes = {
  name: 'ink-fixes',
  setup(b) {
    b.onResolve({ filter: /^\.\/(measure-text|wrap-text|output)\.js$/ }, (args) => {
      if (!/[\\/]ink[\\/]build$/.test(args.resolveDir)) return undefined;
      return { path: join(root, 'src/ui/ink', args.path.replace(/\.js$/, '.ts')) };
    });
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'absent' }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

