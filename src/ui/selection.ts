// Select by id, not by row index: rows reorder on every refresh, and an action must never hit
// the task that happened to slide under the cursor (lazygit's KeepCommitSelectionByHash).
import type { PaneItem } from './view-state.js';

/**
 * The id to select after the rows changed from `before` to `after`: the same id while it is
 * still listed; if it vanished (retried, pruned), the row now at its old position; null when
 * the pane is empty.
 */
export function followSelection(before: readonly PaneItem[], after: readonly PaneItem[], selectedId: string | null): string | null {
  if (after.length === 0) return null;
  if (selectedId === null) return null;
  if (after.some((item) => item.id === selectedId)) return selectedId;
  const oldIndex = before.findIndex((item) => item.id === selectedId);
  return after[Math.min(Math.max(0, oldIndex), after.length - 1)]?.id ?? null;
}
