// Table columns and cells shared by the panes that list tasks.
import type { StuckTask, TaskSummary } from '../../data/snapshot.js';
import { fitColumns, type ColumnSpec, type FittedColumn } from '../../text/format/columns.js';
import { fit } from '../../text/format/width.js';
import { stateColor, stateLabel } from '../../text/format/states.js';
import { formatAge } from '../../text/format/time.js';
import { firstLine, sanitizeLine } from '../../text/sanitize.js';
import { stuckText } from '../../text/stuck-text.js';
import type { Seg } from './line.js';
import type { TaskSection } from './rows.js';

export type TaskCol = 'mark' | 'state' | 'name' | 'queue' | 'worker' | 'age' | 'attempts' | 'id' | 'error';

/** Column specs per section; `showQueue` when several queues are mixed in one list. */
export function taskColumns(section: TaskSection, width: number, showQueue: boolean): FittedColumn<TaskCol>[] {
  const specs: ColumnSpec<TaskCol>[] = [{ key: 'mark', width: 1 }];
  switch (section) {
    case 'inflight':
    case 'recent':
      specs.push(
        { key: 'state', width: 5 },
        { key: 'name', width: 28, minWidth: 12, grow: true },
        ...(showQueue ? [{ key: 'queue' as const, width: 18, drop: 3 }] : []),
        { key: 'worker', width: 20, drop: 2 },
        { key: 'age', width: 6, align: 'right', drop: 1 },
        { key: 'attempts', width: 3, align: 'right', drop: 4 },
        { key: 'id', width: 8, drop: 5 },
      );
      break;
    case 'failed':
    case 'error-result':
      specs.push(
        { key: 'name', width: 22, minWidth: 10 },
        { key: 'age', width: 6, align: 'right', drop: 2 },
        { key: 'attempts', width: 3, align: 'right', drop: 3 },
        ...(showQueue ? [{ key: 'queue' as const, width: 16, drop: 4 }] : []),
        { key: 'error', width: 40, minWidth: 12, grow: true, drop: 1 },
      );
      break;
    case 'stuck':
      specs.push(
        { key: 'name', width: 22, minWidth: 10 },
        { key: 'state', width: 13, drop: 2 },
        ...(showQueue ? [{ key: 'queue' as const, width: 16, drop: 4 }] : []),
        { key: 'error', width: 40, minWidth: 12, grow: true, drop: 1 },
      );
      break;
  }
  return fitColumns(specs, width);
}

const reasonLabel: Record<StuckTask['reason'], string> = {
  'lease-expired': 'lease expired',
  'over-timeout': 'over timeout',
  'stale-heartbeat': 'no heartbeat',
};

function isStuck(t: TaskSummary): t is StuckTask {
  return 'reason' in t && 'detail' in t;
}

/** Styled, fitted cells of one task row; `selected` marks the row with `▸`. */
export function taskSegs(task: TaskSummary, section: TaskSection, cols: readonly FittedColumn<TaskCol>[], now: number, selected: boolean): Seg[] {
  const segs: Seg[] = [];
  const attempts = task.maxAttempts !== null && task.maxAttempts > 0 ? `${task.attempts}/${task.maxAttempts}` : String(task.attempts);
  const when = section === 'inflight' ? task.claimedAt ?? task.createdAt
    : section === 'recent' ? task.createdAt
      : task.completedAt ?? task.claimedAt ?? task.createdAt;
  cols.forEach((c, i) => {
    if (i > 0) segs.push({ text: ' ' });
    let cell: Seg;
    switch (c.key) {
      case 'mark': cell = { text: selected ? '▸' : ' ', bold: true }; break;
      case 'state':
        cell = section === 'stuck' && isStuck(task)
          ? { text: fit(reasonLabel[task.reason], c.width), color: 'red', bold: true }
          : { text: fit(stateLabel(task.state, true), c.width), color: stateColor(task.state) };
        break;
      case 'name': cell = { text: fit(sanitizeLine(task.name, 300), c.width), bold: section === 'failed' }; break;
      case 'queue': cell = { text: fit(sanitizeLine(task.queue, 200), c.width), dim: true }; break;
      case 'worker': cell = { text: fit(task.workerId ? sanitizeLine(task.workerId, 200) : '-', c.width), dim: true }; break;
      case 'age': cell = { text: fit(formatAge(when, now), c.width, 'right') }; break;
      case 'attempts': cell = { text: fit(attempts, c.width, 'right'), dim: true }; break;
      case 'id': cell = { text: fit(sanitizeLine(task.id, 64).slice(0, 8), c.width), dim: true }; break;
      case 'error': {
        const text = section === 'stuck' && isStuck(task) ? stuckText(task, now) : firstLine(task.error, 500);
        cell = { text: fit(text || '-', c.width), color: section === 'failed' ? 'red' : section === 'stuck' ? 'yellow' : undefined };
        break;
      }
    }
    segs.push(cell);
  });
  return segs;
}
