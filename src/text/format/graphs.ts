// Sparklines and bars made of block characters (all single-width in every terminal we target).

const sparks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * The last `width` values as a sparkline scaled from 0 (or `min`) to the largest value (or `max`).
 * All-zero or empty data draws the lowest block so the line is visibly "flat", not missing.
 */
export function sparkline(values: readonly number[], width: number, opts: { min?: number; max?: number } = {}): string {
  if (width <= 0) return '';
  const tail = values.slice(-width).map((v) => (Number.isFinite(v) ? v : 0));
  if (tail.length === 0) return '';
  const lo = opts.min ?? Math.min(0, ...tail);
  const hi = opts.max ?? Math.max(...tail);
  const span = hi - lo;
  return tail.map((v) => {
    if (span <= 0) return sparks[0];
    const ratio = Math.min(1, Math.max(0, (v - lo) / span));
    return sparks[Math.min(sparks.length - 1, Math.round(ratio * (sparks.length - 1)))];
  }).join('');
}

const partials = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar `width` columns wide, filled to `pct` (0..100) in eighths, rest `░`. */
export function bar(pct: number | null, width: number): string {
  if (width <= 0) return '';
  if (pct === null || !Number.isFinite(pct)) return '?'.padEnd(width, ' ').slice(0, width);
  const clamped = Math.min(100, Math.max(0, pct));
  const eighths = Math.round((clamped / 100) * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  let out = '█'.repeat(full);
  if (rest > 0 && full < width) out += partials[rest];
  return out + '░'.repeat(Math.max(0, width - full - (rest > 0 ? 1 : 0)));
}
