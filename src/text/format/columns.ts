// Column layout: each column asks for a width, may shrink to a minimum, may grow, and says how
// early it may be dropped when the terminal is narrow (after bottom's column bounds).
import { fit } from './width.js';

export interface ColumnSpec<K extends string = string> {
  key: K;
  /** Desired width in columns. */
  width: number;
  /** Narrowest useful width (default: `width`); only `grow` columns shrink below `width`. */
  minWidth?: number;
  /** Takes the width left over (shared equally between growing columns). */
  grow?: boolean;
  /** A growing column never gets wider than this (default: unbounded). */
  maxWidth?: number;
  /** Drop order when too narrow: larger drops first; undefined = never dropped. */
  drop?: number;
  align?: 'left' | 'right';
}

export interface FittedColumn<K extends string = string> {
  key: K;
  width: number;
  align: 'left' | 'right';
}

/**
 * Fit columns into `total` columns separated by `gap` spaces. Order is preserved. Growing columns
 * shrink to their minimum first, then droppable columns go (largest `drop` first), then the
 * remaining columns are cut from the right so the row never exceeds `total`.
 */
export function fitColumns<K extends string>(specs: readonly ColumnSpec<K>[], total: number, gap = 1): FittedColumn<K>[] {
  if (total <= 0) return [];
  let live = specs.map((s) => ({ spec: s, width: s.grow ? (s.minWidth ?? s.width) : s.width }));
  const used = () => live.reduce((n, c) => n + c.width, 0) + gap * Math.max(0, live.length - 1);

  while (used() > total) {
    let victim = -1;
    let worst = -Infinity;
    live.forEach((c, i) => {
      if (c.spec.drop !== undefined && c.spec.drop > worst) { worst = c.spec.drop; victim = i; }
    });
    if (victim < 0) break;
    live = live.filter((_, i) => i !== victim);
  }

  // Still too wide with only undroppable columns: cut the rightmost, dropping it when fewer
  // than 3 columns (or its own width) would be left of it.
  while (live.length > 0 && used() > total) {
    const last = live[live.length - 1]!;
    const keep = last.width - (used() - total);
    if (live.length > 1 && keep < Math.min(3, last.width)) { live.pop(); continue; }
    last.width = Math.max(1, keep);
    break;
  }

  // Share what is left between growing columns (up to their desired width, then beyond).
  let spare = total - used();
  const growers = live.filter((c) => c.spec.grow);
  if (spare > 0 && growers.length > 0) {
    for (const c of growers) {
      const want = Math.max(0, c.spec.width - c.width);
      const give = Math.min(want, spare);
      c.width += give;
      spare -= give;
    }
    // Beyond the desired widths: shared equally, each up to its maxWidth.
    let open = growers.filter((c) => c.width < (c.spec.maxWidth ?? Infinity));
    while (spare > 0 && open.length > 0) {
      const each = Math.max(1, Math.floor(spare / open.length));
      for (const c of open) {
        const give = Math.min(each, spare, (c.spec.maxWidth ?? Infinity) - c.width);
        c.width += give;
        spare -= give;
      }
      open = open.filter((c) => c.width < (c.spec.maxWidth ?? Infinity));
    }
  }
  return live.map((c) => ({ key: c.spec.key, width: c.width, align: c.spec.align ?? 'left' }));
}

/** Render one row: each cell fitted to its column, joined by `gap` spaces. */
export function renderRow<K extends string>(columns: readonly FittedColumn<K>[], cells: Partial<Record<K, string>>, gap = 1): string {
  return columns.map((c) => fit(cells[c.key] ?? '', c.width, c.align)).join(' '.repeat(gap));
}

/** Fitted cells as separate strings (for rows whose cells get different colours). */
export function renderCells<K extends string>(columns: readonly FittedColumn<K>[], cells: Partial<Record<K, string>>): Array<{ key: K; text: string }> {
  return columns.map((c) => ({ key: c.key, text: fit(cells[c.key] ?? '', c.width, c.align) }));
}
