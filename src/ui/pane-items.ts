// The selectable rows of each pane in display order, built from the same row models the panes
// render (./panes/rows.ts), so the selection moves over exactly what is on screen.
import type { LogLine, Snapshot } from '../data/snapshot.js';
import type { PaneId, PaneItem, ViewState } from './view-state.js';
import {
  diskRows, failureRows, filterLogs, queueRows, workerRows, type PaneRow,
} from './panes/rows.js';

export { unitId, dbWorkerRowId, findUnit, filterLogs } from './panes/rows.js';

function toItems(rows: readonly PaneRow[]): PaneItem[] {
  const items: PaneItem[] = [];
  for (const r of rows) {
    switch (r.type) {
      case 'task': items.push({ id: r.id, kind: 'task', queue: r.task.queue }); break;
      case 'queue': items.push({ id: r.id, kind: 'queue', queue: r.id }); break;
      case 'unit': items.push({ id: r.id, kind: 'unit', queue: null }); break;
      case 'disk': items.push({ id: r.id, kind: 'disk', queue: null }); break;
      default: break;
    }
  }
  return items;
}

/**
 * Selectable rows of `pane`, in display order. Task ids in the queue and failures panes, unit ids
 * (`unitId`, or `worker:<id>` for database workers without a unit) in the workers pane, disk
 * paths, log sequence numbers (as strings). The task browser is a separate screen: [].
 */
export function paneItems(snapshot: Snapshot, logs: readonly LogLine[], view: ViewState, pane: PaneId): PaneItem[] {
  switch (pane) {
    case 'queue': return toItems(queueRows(snapshot, view));
    case 'workers': return toItems(workerRows(snapshot));
    case 'failures': return toItems(failureRows(snapshot, view));
    case 'disks': return toItems(diskRows(snapshot));
    case 'logs': return filterLogs(logs, view.logFilter).map((l) => ({ id: String(l.seq), kind: 'log' as const, queue: null }));
    case 'tasks': return [];
  }
}
