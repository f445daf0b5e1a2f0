// Ink's measure-text.js with a bounded cache (see bounded-cache.ts); same results. The build
// (scripts/bundle.mjs) puts this module where Ink imports './measure-text.js'.
import widestLine from 'widest-line';
import { BoundedCache } from '../../text/bounded-cache.js';

/** Enough for every text node of a few full frames, so steady redraws still hit. */
export const measureCache = new BoundedCache<{ width: number; height: number }>(4000);

export default function measureText(text: string): { width: number; height: number } {
  if (text.length === 0) return { width: 0, height: 0 };
  // A multi-line text is a whole pane (panes/frame.tsx), new on most refreshes and ~5 KB: kept
  // here it would fill the cache with whole panes (~20 MB). Its lines' widths are memoised.
  if (text.includes('\n')) return { width: widestLine(text), height: lineCount(text) };
  const cached = measureCache.get(text);
  if (cached) return cached;
  const dimensions = { width: widestLine(text), height: 1 };
  measureCache.set(text, dimensions);
  return dimensions;
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
