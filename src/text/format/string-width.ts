// string-width, memoised. Measuring text that is not plain ASCII segments it into graphemes
// (Intl.Segmenter) and tests each against emoji regexes: the biggest single cost of a frame, and
// Ink measures every text node again on every frame (widest-line in its renderer, wrap-ansi),
// even the many that did not change. The bundle (scripts/ink-fixes.mjs) points every
// `string-width` import of Ink and its helpers here; our own fitting uses it directly.
import stringWidth from 'string-width';
import { BoundedCache } from '../bounded-cache.js';

/** Enough for every distinct line and text node of a few 120x40 frames. */
export const widthCache = new BoundedCache<number>(5000);

export default function cachedStringWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
  if (options !== undefined || typeof text !== 'string') return stringWidth(text, options);
  const known = widthCache.get(text);
  if (known !== undefined) return known;
  const width = stringWidth(text);
  widthCache.set(text, width);
  return width;
}
