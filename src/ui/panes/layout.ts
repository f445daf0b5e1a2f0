// Where each part of the frame goes, from the terminal size alone (plus how much each pane would
// like to show). Pure, so the arithmetic is tested without rendering. The frame is at most
// rows - 1 lines tall (Ink 6 clears the screen on every full-height frame).
import type { PaneId, TerminalSize } from '../view-state.js';

export type DashboardPane = Exclude<PaneId, 'tasks'>;
export type LayoutMode = 'empty' | 'compact' | 'stack' | 'columns';

export interface PaneBox { id: DashboardPane; width: number; height: number }

export interface DashboardLayout {
  mode: LayoutMode;
  width: number;
  /** Total lines drawn (≤ rows - 1). */
  height: number;
  header: number;
  diagnosis: number;
  status: number;
  footer: number;
  /** Compact mode only: the counts line, and the workers + disks summary lines (0 or 2). */
  counts: number;
  extra: number;
  /** Pane columns, left to right; each column's panes top to bottom. */
  columns: PaneBox[][];
}

export interface PaneWant { id: DashboardPane; min: number; want: number }

/** Below these the panes make no sense: header, counts and diagnosis only. */
export const compactBelow = { columns: 60, rows: 16 };
/** From this width the panes stand in two columns. */
export const columnsFrom = 110;

/**
 * Share `total` lines between panes: everyone gets a minimum, the focused pane grabs up to 40 %
 * of the room it wants, the rest is dealt one line at a time in order, and what is left over goes
 * to the logs (they always have older lines to show), else to the bottom pane.
 */
export function allocate(panes: readonly PaneWant[], total: number, focus: PaneId): number[] {
  const h = panes.map((p) => Math.max(0, Math.min(p.min, p.want)));
  const sum = () => h.reduce((a, b) => a + b, 0);
  // Too little room even for the minimums: shave the tallest non-focused panes, then drop panes from the end.
  while (sum() > total) {
    let idx = -1;
    for (let i = 0; i < h.length; i++) {
      if (h[i]! > 1 && panes[i]!.id !== focus && (idx < 0 || h[i]! > h[idx]!)) idx = i;
    }
    if (idx < 0) {
      for (let i = h.length - 1; i >= 0; i--) if (h[i]! > 0 && panes[i]!.id !== focus) { idx = i; break; }
      if (idx < 0) idx = h.findIndex((x) => x > 0);
      if (idx < 0) break;
      h[idx] = h[idx]! > 1 && panes[idx]!.id === focus ? h[idx]! - 1 : 0;
      continue;
    }
    h[idx] = h[idx]! - 1;
  }
  let left = total - sum();
  const f = panes.findIndex((p) => p.id === focus);
  if (f >= 0 && left > 0) {
    const grab = Math.min(left, Math.max(0, Math.min(panes[f]!.want, Math.max(panes[f]!.min, Math.floor(total * 0.4))) - h[f]!));
    h[f] = h[f]! + grab;
    left -= grab;
  }
  let progressed = true;
  while (left > 0 && progressed) {
    progressed = false;
    for (let i = 0; i < h.length && left > 0; i++) {
      if (h[i]! > 0 && h[i]! < panes[i]!.want) { h[i] = h[i]! + 1; left -= 1; progressed = true; }
    }
  }
  if (left > 0) {
    const logs = panes.findIndex((p) => p.id === 'logs');
    // No logs in this column: the spare lines go to the bottom pane, so the panes stay packed at the top.
    const target = logs >= 0 && h[logs]! > 0 ? logs : h.length - 1;
    if (target >= 0) h[target] = h[target]! + left;
  }
  return h;
}

/** Lines of diagnosis to show at this height. */
export function diagnosisLinesFor(rows: number): number {
  return rows >= 45 ? 3 : rows >= 30 ? 2 : 1;
}

export function layoutDashboard(size: TerminalSize, focus: PaneId, wants: Record<DashboardPane, PaneWant>, hasStatus: boolean): DashboardLayout {
  const width = Math.max(0, Math.floor(size.columns));
  const height = Math.max(0, Math.floor(size.rows) - 1);
  const base = { width, height, header: 0, diagnosis: 0, status: 0, footer: 0, counts: 0, extra: 0, columns: [] as PaneBox[][] };
  if (width <= 0 || height <= 0) return { ...base, mode: 'empty', height: 0 };

  if (width < compactBelow.columns || size.rows < compactBelow.rows) {
    let left = height;
    const take = (n: number) => { const t = Math.min(n, left); left -= t; return t; };
    const header = take(1);
    const counts = take(1);
    const status = hasStatus && left >= 3 ? take(1) : 0;
    const footer = left >= 4 ? take(1) : 0;
    const extra = left >= 7 ? take(2) : 0;
    const diagnosis = take(left);
    return { ...base, mode: 'compact', header, counts, status, footer, diagnosis, extra };
  }

  const header = 1;
  const footer = 1;
  const status = hasStatus ? 1 : 0;
  const diagnosis = diagnosisLinesFor(size.rows);
  const panes = height - header - footer - status - diagnosis;

  if (width < columnsFrom) {
    const order: DashboardPane[] = ['queue', 'workers', 'failures', 'logs', 'disks'];
    const specs = order.map((id) => wants[id]);
    const heights = allocate(specs, panes, focus);
    return {
      ...base, mode: 'stack', header, footer, status, diagnosis,
      columns: [order.map((id, i) => ({ id, width, height: heights[i]! })).filter((b) => b.height > 0)],
    };
  }

  const leftWidth = Math.floor((width - 1) / 2);
  const rightWidth = width - 1 - leftWidth;
  const leftOrder: DashboardPane[] = ['queue', 'workers', 'disks'];
  const rightOrder: DashboardPane[] = ['failures', 'logs'];
  const lh = allocate(leftOrder.map((id) => wants[id]), panes, focus);
  const rh = allocate(rightOrder.map((id) => wants[id]), panes, focus);
  return {
    ...base, mode: 'columns', header, footer, status, diagnosis,
    columns: [
      leftOrder.map((id, i) => ({ id, width: leftWidth, height: lh[i]! })).filter((b) => b.height > 0),
      rightOrder.map((id, i) => ({ id, width: rightWidth, height: rh[i]! })).filter((b) => b.height > 0),
    ],
  };
}
