// Ink's sanitize-ansi.js, memoised. Ink strips non-style escape codes from every text node on
// every frame, re-tokenising each coloured line of the screen even when it is the same as in the
// last frame (~140 KB of garbage a 120x40 frame while tasks flow). Most lines repeat, so one
// bounded cache (see bounded-cache.ts) answers them; same results. The build
// (scripts/ink-fixes.mjs) puts this module where Ink imports './sanitize-ansi.js'.
import inkSanitizeAnsi from '../../../node_modules/ink/build/sanitize-ansi.js';
import { BoundedCache } from '../../text/bounded-cache.js';

/** A few frames of text nodes. */
export const sanitizeCache = new BoundedCache<string>(1000);

/**
 * An escape that does not start a plain SGR sequence (ESC [ digits/semicolons m). Text whose
 * every escape starts one, and which has no C1 control, is exactly what Ink's sanitizer keeps:
 * its text tokens and those SGR tokens, unchanged.
 */
const escapeOtherThanSgr = /\u001b(?!\[[0-9;]*m)/;
const c1Control = /[\u0080-\u009f]/;

export default function sanitizeAnsi(text: string): string {
  // Plain or styled-only text (a pane's lines, styled by chalk) comes back as it is, without
  // Ink's tokenizer or a cache entry: a pane is one multi-line text node whose string changes
  // on most refreshes, and re-tokenising it whole was ~1 ms a flowing frame.
  if (!c1Control.test(text) && !escapeOtherThanSgr.test(text)) return text;
  let clean = sanitizeCache.get(text);
  if (clean === undefined) {
    clean = inkSanitizeAnsi(text);
    sanitizeCache.set(text, clean);
  }
  return clean;
}
