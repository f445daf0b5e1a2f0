// Ink's Output with caches that outlive a frame. Ink builds a new Output, with empty caches, for
// every frame, so every line of a 120x40 screen is tokenised into styled characters again even
// when only one number changed: ~3 ms and ~5,000 short-lived objects a frame. Most lines are the
// same as in the frame before, so one bounded cache shared by all frames answers them. (The
// cached arrays are only read: Output.get copies references into its grid.) The build
// (scripts/bundle.mjs) puts this class where Ink's renderer imports './output.js'.
import InkOutput from '../../../node_modules/ink/build/output.js';
import { BoundedCache } from '../../text/bounded-cache.js';

interface OutputCaches {
  widths: { get(key: string): unknown; set(key: string, value: unknown): void };
  blockWidths: OutputCaches['widths'];
  styledChars: OutputCaches['widths'];
}

const cachesOf = (output: InkOutput) => (output as unknown as { caches: OutputCaches }).caches;

/** Ink's own cache object (its methods, its results), its maps swapped for bounded ones. */
export const sharedOutputCaches: OutputCaches = Object.assign(cachesOf(new InkOutput({ width: 0, height: 0 })), {
  // A line's styled characters take ~40 KB (an object and a styles array per character), so
  // keep about three frames of lines (~12 MB at most), enough for the next frame's repeats.
  styledChars: new BoundedCache<unknown>(300),
  widths: new BoundedCache<unknown>(4000), // every character and line measured
  blockWidths: new BoundedCache<unknown>(2000),
});

export default class Output extends InkOutput {
  constructor(options: { width: number; height: number }) {
    super(options);
    // A plain property at run time (private only in Ink's types).
    (this as unknown as { caches: OutputCaches }).caches = sharedOutputCaches;
  }
}
