// string-width, memoised. Measuring text that is not plain ASCII segments it into graphemes
// (Intl.Segmenter) and tests each against emoji regexes: the biggest single cost of a frame, and
// Ink measures every text node again on every frame (widest-line in its renderer, wrap-ansi),
// even the many that did not change. The bundle (scripts/ink-fixes.mjs) points every
// `string-width` import of Ink and its helpers here; our own fitting uses it directly.
import stringWidth from 'string-width';
import { BoundedCache } from '../bounded-cache.js';

/**
 * Text whose every character is one column and never joins a neighbour into one grapheme:
 * printable ASCII, Latin-1 and Latin extended letters and modifiers (not the soft hyphen),
 * general punctuation, arrows, math operators, control pictures (the sanitiser's ␛), box drawing,
 * block elements and geometric shapes but the two emoji squares at their end — what the panes
 * are drawn with.
 * Answered without string-width, whose first non-ASCII call compiles its emoji regex (~100 ms
 * before the first frame). test/ink-bounded-caches.test.ts checks every such character.
 */
export const oneColumnEach = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u22FF\u2400-\u243F\u2500-\u25FC]*$/;

/** Enough for every distinct line and text node of a few 120x40 frames. */
export const widthCache = new BoundedCache<number>(5000);

/**
 * Colour codes (CSI, digits and semicolons, final m), which string-width's ansi-regex strips
 * whole: a coloured line of one-column text is as wide as its text. Any other escape code keeps
 * its escape character, which is not one-column, and the text goes to string-width.
 */
export const colourCode = /\u001b\[[0-9;]*m/g;

/** One-column text with colour codes anywhere in it (the two patterns above, as one). */
const colouredOneColumn = new RegExp(`^(?:${oneColumnEach.source.slice(1, -2)}|${colourCode.source})*$`);

export default function cachedStringWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
  if (options !== undefined || typeof text !== 'string') return stringWidth(text, options);
  if (oneColumnEach.test(text)) return text.length;
  // Ink measures every coloured line whose text changed; most are one-column text. Their width
  // is the length less the codes' (each code ends at its first "m"), with no stripped copy made.
  if (colouredOneColumn.test(text)) {
    let width = text.length;
    for (let at = text.indexOf('\u001b'); at !== -1; at = text.indexOf('\u001b', at + 1)) width -= text.indexOf('m', at) - at + 1;
    return width;
  }
  const known = widthCache.get(text);
  if (known !== undefined) return known;
  const width = stringWidth(text);
  widthCache.set(text, width);
  return width;
}
