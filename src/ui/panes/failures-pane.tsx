// Failures pane: newest failed tasks first (name, age, attempts, first line of the error), then
// stuck tasks with their reason, then tasks "completed" with an error result (dsa110-v2).
import { memo, useMemo } from 'react';
import type { DbSnapshot } from '../../data/snapshot.js';
import type { BodyLine } from './line.js';
import { PaneFrame, windowStart } from './frame.js';
import { failureRows, rowIndex, type PaneRow, type TaskSection } from './rows.js';
import { taskColumns, taskSegs, type TaskCol } from './task-cells.js';
import type { FittedColumn } from '../../text/format/columns.js';

export interface FailuresPaneProps {
  db: DbSnapshot | null;
  /** Selected queue (null = all). */
  queue: string | null;
  selectedId: string | null;
  width: number;
  height: number;
  focused: boolean;
  color: boolean;
  now: number;
}

export function failuresBody(p: FailuresPaneProps, rows: readonly PaneRow[]): BodyLine[] {
  const room = Math.max(0, p.height - 1);
  if (room === 0) return [];
  const showQueue = (p.db?.queues.length ?? 0) > 1 && p.queue === null;
  const cols = new Map<TaskSection, FittedColumn<TaskCol>[]>();
  const colsFor = (s: TaskSection) => {
    let c = cols.get(s);
    if (!c) { c = taskColumns(s, p.width, showQueue); cols.set(s, c); }
    return c;
  };
  const start = windowStart(rows.length, rowIndex(rows, p.selectedId), room);
  return rows.slice(start, start + room).map((r): BodyLine => {
    switch (r.type) {
      case 'heading': return { segs: [{ text: r.text, bold: true, color: r.key === 'h-failed' ? 'red' : r.key === 'h-stuck' ? 'yellow' : 'magenta' }] };
      case 'note': return { segs: [{ text: r.text, color: r.key === 'n-none' || r.key === 'n-failed' ? 'green' : undefined, dim: r.key === 'no-db' }] };
      case 'task': {
        const selected = r.id === p.selectedId;
        return { segs: taskSegs(r.task, r.section, colsFor(r.section), p.now, selected), selected };
      }
      default: return { segs: [] };
    }
  });
}

function FailuresPaneImpl(p: FailuresPaneProps) {
  const rows = useMemo(() => failureRows({ db: p.db }, { queue: p.queue }), [p.db, p.queue]);
  const failed = rows.filter((r) => r.type === 'task' && r.section === 'failed').length;
  const stuck = rows.filter((r) => r.type === 'task' && r.section === 'stuck').length;
  const info = p.db ? `${failed} failed · ${stuck} stuck` : undefined;
  const lines = failuresBody(p, rows);
  return (
    <PaneFrame title="3 Failures" info={info} focused={p.focused} width={p.width} height={p.height} color={p.color} lines={lines} />
  );
}

export const FailuresPane = memo(FailuresPaneImpl);
