// Workers pane: the producer and worker units (systemd's view: state, uptime, restarts, memory,
// host) joined with the database's workers by unit.workerId (current task, for how long, stuck),
// then database workers that no unit claims.
import { memo, useMemo } from 'react';
import type { DbSnapshot, DbWorker, Unit, UnitsSnapshot } from '../../data/snapshot.js';
import { fitColumns, type ColumnSpec, type FittedColumn } from '../../text/format/columns.js';
import { fit } from '../../text/format/width.js';
import { formatBytes } from '../../text/format/numbers.js';
import { formatAge } from '../../text/format/time.js';
import { unitStateColor } from '../../text/format/states.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { BodyLine, Seg } from './line.js';
import { PaneFrame, windowStart } from './frame.js';
import { noUnitsFound, rowIndex, workerRows, type PaneRow } from './rows.js';
import { shortUnitName, unitLabels } from './unit-label.js';

export interface WorkersPaneProps {
  units: UnitsSnapshot;
  db: DbSnapshot | null;
  takenAt: number;
  selectedId: string | null;
  width: number;
  height: number;
  focused: boolean;
  color: boolean;
  now: number;
  /** Configured unit names, for the "no units found" hint. */
  producerUnit: string;
  workerTemplate: string;
}

type WCol = 'mark' | 'name' | 'state' | 'host' | 'up' | 'restarts' | 'mem' | 'task' | 'for';

function columns(width: number, showHost: boolean): FittedColumn<WCol>[] {
  const specs: ColumnSpec<WCol>[] = [
    { key: 'mark', width: 1 },
    { key: 'name', width: 26, minWidth: 14, grow: true },
    { key: 'state', width: 10, drop: 4 },
    ...(showHost ? [{ key: 'host' as const, width: 12, drop: 7 }] : []),
    { key: 'up', width: 6, align: 'right', drop: 3 },
    { key: 'restarts', width: 3, align: 'right', drop: 5 },
    { key: 'mem', width: 5, align: 'right', drop: 6 },
    { key: 'task', width: 24, minWidth: 10, grow: true, drop: 1 },
    { key: 'for', width: 6, align: 'right', drop: 2 },
  ];
  return fitColumns(specs, width);
}

const headings: Record<WCol, string> = {
  mark: ' ', name: 'unit', state: 'state', host: 'host', up: 'up', restarts: '↻', mem: 'mem', task: 'task', for: 'for',
};

const unitText = (unit: Unit): string => sanitizeLine(unit.name, 300);

function rowSegs(unit: Unit | null, worker: DbWorker | null, cols: readonly FittedColumn<WCol>[], now: number, selected: boolean, labels: ReadonlyMap<string, string>): Seg[] {
  const segs: Seg[] = [];
  const active = unit?.active === 'active';
  cols.forEach((c, i) => {
    if (i > 0) segs.push({ text: ' ' });
    const f = (t: string) => fit(t, c.width, c.align);
    switch (c.key) {
      case 'mark': segs.push({ text: selected ? '▸' : ' ', bold: true }); break;
      case 'name':
        segs.push(unit
          ? { text: fit(labels.get(unitText(unit)) ?? '', c.width), bold: unit.role === 'producer' }
          : { text: f(`db ${sanitizeLine(worker?.id ?? '?', 300)}`), dim: true });
        break;
      case 'state': {
        if (unit) {
          // "running" says "active/running"; otherwise the ActiveState, with the SubState when it adds something.
          const text = unit.active === 'active' ? unit.sub || 'active'
            : unit.sub && unit.sub !== unit.active && unit.sub !== 'dead' ? `${unit.active}/${unit.sub}` : unit.active;
          segs.push({ text: f(sanitizeLine(text, 60)), color: unitStateColor(unit.active) });
        } else {
          segs.push({ text: f('no unit'), color: worker?.stuck ? 'red' : 'gray' });
        }
        break;
      }
      case 'host': segs.push({ text: f(sanitizeLine(unit ? unit.host ?? 'local' : worker?.host ?? '?', 100)), dim: true }); break;
      case 'up': segs.push({ text: f(unit && active ? formatAge(unit.since, now) : unit ? '-' : formatAge(worker?.lastSeenAt ?? null, now)) }); break;
      case 'restarts': {
        const n = unit?.restarts ?? null;
        segs.push({ text: f(n === null ? '-' : String(n)), color: n !== null && n > 0 ? 'yellow' : undefined, dim: !n });
        break;
      }
      case 'mem': segs.push({ text: f(formatBytes(unit?.memoryBytes ?? null)), dim: true }); break;
      case 'task': {
        if (worker?.currentTaskId) {
          const name = sanitizeLine(worker.currentTaskName ?? worker.currentTaskId, 300);
          segs.push(worker.stuck ? { text: f(`STUCK ${name}`), color: 'red', bold: true } : { text: f(name), color: 'yellow' });
        } else if (unit && unit.role !== 'worker') {
          segs.push({ text: f(unit.role), dim: true });
        } else {
          segs.push({ text: f(unit && !active ? '-' : 'idle'), dim: true });
        }
        break;
      }
      case 'for': segs.push({ text: f(worker?.currentTaskId ? formatAge(worker.currentTaskSince, now) : '') }); break;
    }
  });
  return segs;
}

export function workersSummary(units: UnitsSnapshot, db: DbSnapshot | null): string {
  const workers = units.units.filter((u) => u.role === 'worker');
  const producers = units.units.filter((u) => u.role === 'producer');
  const parts: string[] = [];
  if (workers.length > 0) parts.push(`${workers.filter((u) => u.active === 'active').length}/${workers.length} workers active`);
  if (producers.length > 0) parts.push(`producer ${producers.some((u) => u.active === 'active') ? 'active' : sanitizeLine(producers[0]!.active, 20)}`);
  const stuck = db?.workers.filter((w) => w.stuck).length ?? 0;
  if (stuck > 0) parts.push(`${stuck} stuck`);
  if (db) parts.push(`${db.workers.length} in db`);
  return parts.join(' · ');
}

export function workersBody(p: WorkersPaneProps, rows: readonly PaneRow[]): BodyLine[] {
  const body = Math.max(0, p.height - 1);
  if (body === 0) return [];
  // Hosts only matter when units come from more than one machine.
  const cols = columns(p.width, p.units.units.some((u) => u.host !== null));
  const lines: BodyLine[] = [];
  const notes = rows.filter((r) => r.type === 'note');
  const items = rows.filter((r) => r.type === 'unit');
  for (const n of notes) {
    lines.push({ segs: [{ text: n.text, color: 'yellow' }] });
    if (n.text === noUnitsFound) {
      lines.push({ segs: [{ text: `looked for ${shortUnitName(p.producerUnit)} and ${p.workerTemplate.replace('@.', '@*.')}`, dim: true }] });
    }
  }
  if (items.length > 0 && body - lines.length >= 3) {
    const segs: Seg[] = [];
    cols.forEach((c, i) => { if (i > 0) segs.push({ text: ' ' }); segs.push({ text: fit(headings[c.key], c.width, c.align), dim: true }); });
    lines.push({ segs });
  }
  const head = lines.slice(0, body);
  const room = body - head.length;
  if (room <= 0) return head;
  const start = windowStart(items.length, rowIndex(items, p.selectedId), room);
  // Labels over every unit, not only the rows in view: scrolling never changes their form.
  const nameWidth = cols.find((c) => c.key === 'name')?.width ?? 0;
  const units = items.flatMap((r) => (r.type === 'unit' && r.unit ? [unitText(r.unit)] : []));
  const labels = unitLabels(units, nameWidth, { workerTemplate: p.workerTemplate, known: [p.producerUnit] });
  return [...head, ...items.slice(start, start + room).map((r): BodyLine => {
    if (r.type !== 'unit') return { segs: [] };
    const selected = r.id === p.selectedId;
    return { segs: rowSegs(r.unit, r.worker, cols, p.now, selected, labels), selected };
  })];
}

function WorkersPaneImpl(p: WorkersPaneProps) {
  const rows = useMemo(() => workerRows({ units: p.units, db: p.db, takenAt: p.takenAt }), [p.units, p.db, p.takenAt]);
  const lines = workersBody(p, rows);
  return (
    <PaneFrame title="2 Workers" info={workersSummary(p.units, p.db) || undefined} focused={p.focused} width={p.width} height={p.height} color={p.color} lines={lines} />
  );
}

export const WorkersPane = memo(WorkersPaneImpl);
