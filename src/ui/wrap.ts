// Hard-wrapping for text that must be shown whole (SQL in a dialog, errors and JSON in the task
// detail): long lines break at the width instead of being cut off with an ellipsis.
import { displayWidth, sliceToWidth } from '../text/format/width.js';

/** Split text into lines no wider than `width` columns. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(1, width);
  for (const line of text.split('\n')) {
    let pos = 0;
    do {
      // A bounded window per line, so a 256 KB line wraps in O(length), not O(length²).
      const window = line.slice(pos, pos + w * 2 + 8);
      const head = sliceToWidth(window, w) || window.slice(0, 1);
      out.push(head);
      pos += head.length;
    } while (pos < line.length);
  }
  return out;
}

/**
 * Split prose into lines no wider than `width`, breaking between words so a command in it
 * (`sudo usermod -aG systemd-journal $USER`) is never split inside a word; a word wider than the
 * whole line is hard-wrapped.
 */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (displayWidth(joined) <= w) { line = joined; continue; }
    if (line) out.push(line);
    const pieces = displayWidth(word) > w ? wrap(word, w) : [word];
    out.push(...pieces.slice(0, -1));
    line = pieces.at(-1)!;
  }
  if (line || out.length === 0) out.push(line);
  return out;
}
