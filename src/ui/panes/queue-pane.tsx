// Queue pane: live counts by state and terminal counts with their scope, depth and throughput
// sparklines, failure rate, wait/run percentiles, oldest pending; with several queues a compact
// per-queue table; then the tasks in flight and the newest tasks.
import { memo, useMemo } from 'react';
import type { DbSnapshot, QueueStats } from '../../data/snapshot.js';
import type { HistoryPoint } from '../../data/poller.js';
import { fitColumns, type ColumnSpec, type FittedColumn } from '../../text/format/columns.js';
import { fit } from '../../text/format/width.js';
import { formatCount, formatRate, formatRatio } from '../../text/format/numbers.js';
import { formatAge, formatDuration } from '../../text/format/time.js';
import { sparkline } from '../../text/format/graphs.js';
import { stateColor } from '../../text/format/states.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { BodyLine, Seg } from './line.js';
import { PaneFrame, windowStart } from './frame.js';
import { queueRows, rowIndex, type PaneRow } from './rows.js';
import { taskColumns, taskSegs } from './task-cells.js';

export interface QueuePaneProps {
  db: DbSnapshot | null;
  history: readonly HistoryPoint[];
  /** Selected queue (null = all). */
  queue: string | null;
  selectedId: string | null;
  width: number;
  height: number;
  focused: boolean;
  color: boolean;
  now: number;
  failureRateWarn: number;
  failureRateCrit: number;
}

/** The stats of the queues in scope, summed (percentiles only for a single queue). */
export function scopeStats(db: DbSnapshot | null, queue: string | null): { stats: QueueStats | null; count: number } {
  if (!db) return { stats: null, count: 0 };
  const list = queue === null ? db.queues : db.queues.filter((q) => q.name === queue);
  if (list.length === 0) return { stats: null, count: 0 };
  if (list.length === 1) return { stats: list[0]!, count: 1 };
  const sum = (f: (q: QueueStats) => number) => list.reduce((n, q) => n + f(q), 0);
  const maxOf = (f: (q: QueueStats) => number | null) => list.reduce<number | null>((m, q) => {
    const v = f(q);
    return v === null ? m : m === null ? v : Math.max(m, v);
  }, null);
  const minOf = (f: (q: QueueStats) => number | null) => list.reduce<number | null>((m, q) => {
    const v = f(q);
    return v === null ? m : m === null ? v : Math.min(m, v);
  }, null);
  const completed = sum((q) => q.completedLastHour);
  const failed = sum((q) => q.failedLastHour);
  const scopes = new Set(list.map((q) => q.terminalScope));
  const first = list[0]!;
  return {
    count: list.length,
    stats: {
      name: 'all queues',
      live: { pending: sum((q) => q.live.pending), running: sum((q) => q.live.running), sleeping: sum((q) => q.live.sleeping), retrying: sum((q) => q.live.retrying) },
      terminal: { completed: sum((q) => q.terminal.completed), failed: sum((q) => q.terminal.failed), cancelled: sum((q) => q.terminal.cancelled) },
      terminalScope: scopes.size === 1 ? first.terminalScope : 'estimated',
      terminalWindowMinutes: first.terminalWindowMinutes,
      terminalAsOf: first.terminalAsOf,
      throughputPerMin: { m1: sum((q) => q.throughputPerMin.m1), m5: sum((q) => q.throughputPerMin.m5), m60: sum((q) => q.throughputPerMin.m60) },
      completedLastHour: completed,
      failedLastHour: failed,
      failureRateLastHour: completed + failed > 0 ? failed / (completed + failed) : null,
      waitSec: { p50: null, p95: maxOf((q) => q.waitSec.p95) },
      runSec: { p50: null, p95: maxOf((q) => q.runSec.p95) },
      oldestPendingAt: minOf((q) => q.oldestPendingAt),
      lastCompletionAt: maxOf((q) => q.lastCompletionAt),
    },
  };
}

export function scopeLabel(q: Pick<QueueStats, 'terminalScope' | 'terminalWindowMinutes'>): string {
  switch (q.terminalScope) {
    case 'all-time': return 'all time';
    case 'window': return q.terminalWindowMinutes !== null ? `last ${formatDuration(q.terminalWindowMinutes * 60)}` : 'recent window';
    case 'estimated': return 'estimated';
  }
}

function liveSegs(s: QueueStats): Seg[] {
  return [
    { text: 'pending ', dim: true }, { text: formatCount(s.live.pending), color: stateColor('pending'), bold: true },
    { text: '  running ', dim: true }, { text: formatCount(s.live.running), color: stateColor('running'), bold: true },
    { text: '  sleeping ', dim: true }, { text: formatCount(s.live.sleeping), color: stateColor('sleeping') },
    { text: '  retrying ', dim: true }, { text: formatCount(s.live.retrying), color: stateColor('retrying') },
  ];
}

function terminalSegs(s: QueueStats): Seg[] {
  const approx = s.terminalScope === 'estimated' ? '~' : '';
  return [
    { text: `${scopeLabel(s)}: `, dim: true },
    { text: 'completed ', dim: true }, { text: approx + formatCount(s.terminal.completed), color: stateColor('completed') },
    { text: '  failed ', dim: true }, { text: approx + formatCount(s.terminal.failed), color: stateColor('failed') },
    { text: '  cancelled ', dim: true }, { text: approx + formatCount(s.terminal.cancelled), color: stateColor('cancelled') },
  ];
}

function rateColor(rate: number | null, warn: number, crit: number) {
  if (rate === null) return undefined;
  return rate >= crit ? 'red' as const : rate >= warn ? 'yellow' as const : 'green' as const;
}

function graphSegs(s: QueueStats, history: readonly HistoryPoint[], width: number, warn: number, crit: number): Seg[] {
  const sparkWidth = Math.max(6, Math.min(40, Math.floor((width - 60) / 2)));
  const finished = s.completedLastHour + s.failedLastHour;
  const segs: Seg[] = [];
  if (history.length > 1) {
    segs.push({ text: 'depth ', dim: true }, { text: sparkline(history.map((h) => h.pending), sparkWidth), color: 'blueBright' }, { text: ` ${formatCount(s.live.pending)}  ` });
    segs.push({ text: 'done ', dim: true }, { text: sparkline(history.map((h) => h.completedPerMin), sparkWidth), color: 'green' }, { text: ' ' });
  } else {
    segs.push({ text: 'done ', dim: true });
  }
  segs.push({ text: formatRate(s.throughputPerMin.m1) }, { text: '  failed 1h ', dim: true }, {
    text: s.failureRateLastHour === null && finished === 0 ? '-' : `${formatRatio(s.failureRateLastHour ?? (finished ? s.failedLastHour / finished : 0))} (${s.failedLastHour}/${finished})`,
    color: rateColor(s.failureRateLastHour, warn, crit),
  });
  segs.push({ text: `  (5m ${formatRate(s.throughputPerMin.m5)}, 1h ${formatRate(s.throughputPerMin.m60)})`, dim: true });
  return segs;
}

function latencySegs(s: QueueStats, single: boolean, now: number): Seg[] {
  const segs: Seg[] = [{ text: 'oldest pending ', dim: true }, { text: formatAge(s.oldestPendingAt, now), bold: s.oldestPendingAt !== null }, { text: '  ' }];
  if (single) {
    segs.push(
      { text: 'wait p50 ', dim: true }, { text: formatDuration(s.waitSec.p50) }, { text: ' p95 ', dim: true }, { text: formatDuration(s.waitSec.p95) },
      { text: '  run p50 ', dim: true }, { text: formatDuration(s.runSec.p50) }, { text: ' p95 ', dim: true }, { text: formatDuration(s.runSec.p95) },
    );
  } else {
    segs.push({ text: 'worst p95 wait ', dim: true }, { text: formatDuration(s.waitSec.p95) }, { text: ' run ', dim: true }, { text: formatDuration(s.runSec.p95) });
  }
  return segs;
}

type QCol = 'mark' | 'name' | 'pending' | 'running' | 'failed' | 'rate' | 'thru' | 'oldest' | 'wait' | 'run';

function queueColumns(width: number): FittedColumn<QCol>[] {
  const specs: ColumnSpec<QCol>[] = [
    { key: 'mark', width: 1 },
    { key: 'name', width: 24, minWidth: 18, grow: true },
    { key: 'pending', width: 6, align: 'right' },
    { key: 'running', width: 4, align: 'right', drop: 3 },
    { key: 'failed', width: 6, align: 'right', drop: 6 },
    { key: 'rate', width: 5, align: 'right', drop: 4 },
    { key: 'thru', width: 7, align: 'right', drop: 5 },
    { key: 'oldest', width: 6, align: 'right', drop: 2 },
    { key: 'wait', width: 6, align: 'right', drop: 7 },
    { key: 'run', width: 6, align: 'right', drop: 8 },
  ];
  return fitColumns(specs, width);
}

const queueHeadings: Record<QCol, string> = {
  mark: ' ', name: 'queue', pending: 'pend', running: 'run', failed: 'fail1h', rate: 'fail%', thru: 'thru', oldest: 'oldest', wait: 'wait95', run: 'run95',
};

function queueRowSegs(q: QueueStats, cols: readonly FittedColumn<QCol>[], selected: boolean, current: boolean, now: number): Seg[] {
  const segs: Seg[] = [];
  cols.forEach((c, i) => {
    if (i > 0) segs.push({ text: ' ' });
    const f = (t: string) => fit(t, c.width, c.align);
    switch (c.key) {
      case 'mark': segs.push({ text: selected ? '▸' : current ? '•' : ' ', bold: true }); break;
      case 'name': segs.push({ text: f(sanitizeLine(q.name, 300)), bold: current }); break;
      case 'pending': segs.push({ text: f(formatCount(q.live.pending)), color: q.live.pending > 0 ? stateColor('pending') : undefined }); break;
      case 'running': segs.push({ text: f(formatCount(q.live.running)), color: q.live.running > 0 ? stateColor('running') : undefined }); break;
      case 'failed': segs.push({ text: f(formatCount(q.failedLastHour)), color: q.failedLastHour > 0 ? 'red' : undefined }); break;
      case 'rate': segs.push({ text: f(formatRatio(q.failureRateLastHour)) }); break;
      case 'thru': segs.push({ text: f(formatRate(q.throughputPerMin.m5)) }); break;
      case 'oldest': segs.push({ text: f(formatAge(q.oldestPendingAt, now)) }); break;
      case 'wait': segs.push({ text: f(formatDuration(q.waitSec.p95)), dim: true }); break;
      case 'run': segs.push({ text: f(formatDuration(q.runSec.p95)), dim: true }); break;
    }
  });
  return segs;
}

/** Lines the summary at the top of the queue pane takes at this pane width. */
export function queueSummaryLines(db: DbSnapshot | null, queue: string | null, width: number): number {
  if (!db || !scopeStats(db, queue).stats) return 1;
  return width >= 96 ? 3 : 4;
}

/** Lines of the queue pane body: summary first, then a window over the rows keeping the selection in view. */
export function queueBody(p: QueuePaneProps, rows: readonly PaneRow[]): BodyLine[] {
  const body = Math.max(0, p.height - 1);
  const { stats, count } = scopeStats(p.db, p.queue);
  const summary: BodyLine[] = [];
  if (!p.db) {
    summary.push({ segs: [{ text: 'no database data yet', dim: true }] });
  } else if (!stats) {
    summary.push({ segs: [{ text: p.queue === null ? 'no queues in this database' : `no queue named ${sanitizeLine(p.queue, 200)}`, color: 'yellow' }] });
  } else if (p.width >= 96) {
    summary.push({ segs: [...liveSegs(stats), { text: '  │  ', dim: true }, ...terminalSegs(stats)] });
  } else {
    summary.push({ segs: liveSegs(stats) }, { segs: terminalSegs(stats) });
  }
  if (stats) {
    summary.push({ segs: graphSegs(stats, p.history, p.width, p.failureRateWarn, p.failureRateCrit) });
    summary.push({ segs: latencySegs(stats, count === 1, p.now) });
  }
  const head = summary.slice(0, body);
  const room = body - head.length;
  if (room <= 0) return head;

  const several = (p.db?.queues.length ?? 0) > 1;
  const showQueue = several && p.queue === null;
  const inflightCols = taskColumns('inflight', p.width, showQueue);
  const qCols = several ? queueColumns(p.width) : [];
  const render = (r: PaneRow): BodyLine => {
    switch (r.type) {
      case 'heading':
        if (r.key === 'h-queues') {
          const segs: Seg[] = [];
          qCols.forEach((c, i) => { if (i > 0) segs.push({ text: ' ' }); segs.push({ text: fit(c.key === 'name' ? r.text : queueHeadings[c.key], c.width, c.align), dim: true }); });
          return { segs };
        }
        return { segs: [{ text: r.text, dim: true, bold: true }] };
      case 'note': return { segs: [{ text: r.text, dim: true }] };
      case 'queue': return { segs: queueRowSegs(r.stats, qCols, r.id === p.selectedId, r.id === p.queue, p.now), selected: r.id === p.selectedId };
      case 'task': return { segs: taskSegs(r.task, r.section, inflightCols, p.now, r.id === p.selectedId), selected: r.id === p.selectedId };
      default: return { segs: [] };
    }
  };
  const start = windowStart(rows.length, rowIndex(rows, p.selectedId), room);
  return [...head, ...rows.slice(start, start + room).map(render)];
}

function QueuePaneImpl(p: QueuePaneProps) {
  const rows = useMemo(() => (p.db ? queueRows({ db: p.db }, { queue: p.queue }) : []), [p.db, p.queue]);
  const { stats } = scopeStats(p.db, p.queue);
  const info = stats ? `${formatCount(stats.live.pending)} pending · ${formatCount(stats.live.running)} running` : undefined;
  const lines = queueBody(p, rows);
  return (
    <PaneFrame title="1 Queue" info={info} focused={p.focused} width={p.width} height={p.height} color={p.color} lines={lines} />
  );
}

export const QueuePane = memo(QueuePaneImpl);
