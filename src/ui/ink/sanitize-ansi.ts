// Ink's sanitize-ansi.js, memoised. Ink strips non-style escape codes from every text node on
// every frame, re-tokenising each coloured line of the screen even when it is the same as in the
// last frame (~140 KB of garbage a 120x40 frame while tasks flow). Most lines repeat, so one
// bounded cache (see bounded-cache.ts) answers them; same results. The build
// (scripts/ink-fixes.mjs) puts this module where Ink imports './sanitize-ansi.js'.
import inkSanitizeAnsi from '../../../node_modules/ink/build/sanitize-ansi.js';
import { BoundedCache } from '../../text/bounded-cache.js';

/** A few frames of text nodes. */
export const sanitizeCache = new BoundedCache<string>(1000);

export default function sanitizeAnsi(text: string): string {
  // Plain text comes back as it is (Ink's own first test), without a cache entry.
  if (!text.includes('\u001b') && !/[\u0080-\u009f]/.test(text)) return text;
  let clean = sanitizeCache.get(text);
  if (clean === undefined) {
    clean = inkSanitizeAnsi(text);
    sanitizeCache.set(text, clean);
  }
  return clean;
}
