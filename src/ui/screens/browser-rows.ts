// Columns of the task browser: age, id, state, attempts, name, worker, first line of the error.
import type { TaskSummary } from '../../data/snapshot.js';
import { fitColumns, renderCells, type FittedColumn } from '../../text/format/columns.js';
import { stateColor } from '../../text/format/states.js';
import { formatAge } from '../../text/format/time.js';
import type { Seg } from '../panes/line.js';
import { firstLine, sanitizeLine } from '../../text/sanitize.js';

type Key = 'age' | 'id' | 'state' | 'attempts' | 'name' | 'worker' | 'error';

export function browserColumns(width: number): FittedColumn<Key>[] {
  return fitColumns<Key>([
    { key: 'age', width: 7, align: 'right' },
    { key: 'id', width: 8 },
    { key: 'state', width: 9 },
    { key: 'attempts', width: 4, align: 'right', drop: 3 },
    { key: 'name', width: 24, minWidth: 12, grow: true },
    { key: 'worker', width: 20, drop: 2 },
    { key: 'error', width: 40, minWidth: 10, grow: true, drop: 1 },
  ], width);
}

export function browserHeader(columns: FittedColumn<Key>[]): Seg[] {
  const titles: Record<Key, string> = { age: 'AGE', id: 'ID', state: 'STATE', attempts: 'ATT', name: 'NAME', worker: 'WORKER', error: 'ERROR' };
  return renderCells(columns, titles).map((c, i) => ({ text: `${i > 0 ? ' ' : ''}${c.text}`, bold: true }));
}

export function browserRow(columns: FittedColumn<Key>[], t: TaskSummary, now: number): Seg[] {
  const cells = renderCells(columns, {
    age: formatAge(t.createdAt, now), id: sanitizeLine(t.id, 40), state: t.state, attempts: String(t.attempts),
    name: sanitizeLine(t.name, 200), worker: sanitizeLine(t.workerId ?? '', 80), error: firstLine(t.error, 200),
  });
  return cells.map((c, i) => ({
    text: `${i > 0 ? ' ' : ''}${c.text}`,
    color: c.key === 'state' ? stateColor(t.state) : c.key === 'error' ? 'red' : undefined,
    dim: c.key === 'age' || c.key === 'worker',
  }));
}
