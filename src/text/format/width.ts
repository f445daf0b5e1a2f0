// Display-width aware text fitting. Widths are measured with the same `string-width` Ink uses for
// layout, so a string we fit to N columns is exactly N columns to Ink too (wide CJK = 2, emoji = 2,
// combining marks = 0). Inputs are expected to be sanitised already (no control characters).
import stringWidth, { oneColumnEach } from './string-width.js';

const printableAscii = /^[\u0020-\u007E]*$/;
const segmenter = new Intl.Segmenter();

/** Columns the text occupies in a terminal. */
export function displayWidth(text: string): number {
  return stringWidth(text); // one-column text is answered without measuring (string-width.ts)
}

/** The longest prefix of `text` that fits in `width` columns, never splitting a grapheme cluster. */
export function sliceToWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (oneColumnEach.test(text)) return text.slice(0, width);
  let used = 0;
  let end = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width) return text.slice(0, index);
    used += w;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Fit `text` into `width` columns, ending with `ellipsis` when it had to be cut. */
export function truncate(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  // Cheap upper bound: a string never needs more columns than 2 per UTF-16 unit.
  if (text.length * 2 <= width) return text;
  if (printableAscii.test(text) && text.length <= width) return text;
  // Bound the work: more than 2×width code units can never be shown.
  const head = text.length > width * 4 + 8 ? text.slice(0, width * 4 + 8) : text;
  if (head === text && displayWidth(text) <= width) return text;
  const ellipsisWidth = displayWidth(ellipsis);
  if (ellipsisWidth >= width) return sliceToWidth(ellipsis, width);
  return sliceToWidth(head, width - ellipsisWidth) + ellipsis;
}

/** Exactly `width` columns: truncated, then padded on the right (or left for `align: 'right'`). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = truncate(text, width);
  const gap = width - displayWidth(cut);
  if (gap <= 0) return cut;
  return align === 'right' ? ' '.repeat(gap) + cut : cut + ' '.repeat(gap);
}

/** Pad (never truncate) to at least `width` columns. */
export function padEnd(text: string, width: number): string {
  const gap = width - displayWidth(text);
  return gap > 0 ? text + ' '.repeat(gap) : text;
}

