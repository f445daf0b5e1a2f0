// `absurd-top --once`: what the old monitor_absurd.sh printed, and more, as plain text.
// Everything from the database, systemd or the disks passes through sanitizeLine first.
import type { Config } from '../config/schema.js';
import type { Diagnosis, OverallHealth } from '../data/diagnose.js';
import type { QueueStats, Snapshot, TaskSummary } from '../data/snapshot.js';
import { sanitizeLine, firstLine } from '../text/sanitize.js';
import { truncate, fit } from '../text/format/width.js';
import { fitColumns, type ColumnSpec } from '../text/format/columns.js';
import { formatBytes, formatCount, formatPct, formatRatio, formatRate } from '../text/format/numbers.js';
import { formatAge, formatDuration } from '../text/format/time.js';
import { healthColor, healthLabel, stateColor, unitStateColor } from '../text/format/states.js';
import { makePaint, type Paint } from './paint.js';
import { stuckText } from '../text/stuck-text.js';

export interface ReportInput {
  snapshot: Snapshot;
  diagnoses: readonly Diagnosis[];
  health: OverallHealth;
  config: Config;
  target: string;
  now: number;
  color: boolean;
  width?: number;
}

const clean = (text: string | null | undefined, width: number): string => truncate(sanitizeLine(text ?? '', 2000), width);
const shortId = (id: string): string => sanitizeLine(id, 64).slice(0, 8);

function section(p: Paint, title: string, lines: string[]): string[] {
  return ['', p('bold', title), ...(lines.length > 0 ? lines : ['  (none)'])];
}

type QueueCol = 'queue' | 'pend' | 'run' | 'sleep' | 'done' | 'failed' | 'cancel' | 'rate' | 'fail1h' | 'wait' | 'runtime' | 'oldest';

/** The table fits the width: the least important columns go first on a narrow terminal. */
const queueColumns: ColumnSpec<QueueCol>[] = [
  { key: 'queue', width: 24, minWidth: 12, grow: true, maxWidth: 40 },
  { key: 'pend', width: 7, align: 'right' },
  { key: 'run', width: 6, align: 'right' },
  { key: 'sleep', width: 6, align: 'right', drop: 3 },
  { key: 'done', width: 8, align: 'right' },
  { key: 'failed', width: 7, align: 'right' },
  { key: 'cancel', width: 7, align: 'right', drop: 4 },
  { key: 'rate', width: 16, drop: 5 },
  { key: 'fail1h', width: 7, drop: 2 },
  { key: 'wait', width: 13, drop: 6 },
  { key: 'runtime', width: 13, drop: 7 },
  { key: 'oldest', width: 8, drop: 1 },
];
const queueHeadings: Record<QueueCol, string> = {
  queue: 'queue', pend: 'pend', run: 'run', sleep: 'sleep', done: 'done', failed: 'failed', cancel: 'cancel',
  rate: '/min 1m 5m 60m', fail1h: 'fail 1h', wait: 'wait p50/p95', runtime: 'run p50/p95', oldest: 'oldest',
};
const queueColours: Partial<Record<QueueCol, Parameters<Paint>[0]>> = { pend: 'blueBright', run: 'yellow', done: 'green', failed: 'red' };

function queueCells(q: QueueStats, now: number): Record<QueueCol, string> {
  return {
    queue: clean(q.name, 40),
    pend: formatCount(q.live.pending), run: formatCount(q.live.running),
    sleep: formatCount(q.live.sleeping + q.live.retrying),
    done: formatCount(q.terminal.completed), failed: formatCount(q.terminal.failed), cancel: formatCount(q.terminal.cancelled),
    rate: `${formatRate(q.throughputPerMin.m1)} ${formatRate(q.throughputPerMin.m5)} ${formatRate(q.throughputPerMin.m60)}`,
    fail1h: formatRatio(q.failureRateLastHour),
    wait: `${formatDuration(q.waitSec.p50)}/${formatDuration(q.waitSec.p95)}`,
    runtime: `${formatDuration(q.runSec.p50)}/${formatDuration(q.runSec.p95)}`,
    oldest: formatAge(q.oldestPendingAt, now),
  };
}

function queueLines(p: Paint, queues: readonly QueueStats[], now: number, width: number): string[] {
  const cols = fitColumns(queueColumns, width - 2);
  const row = (cells: Record<QueueCol, string>, paint: boolean) =>
    `  ${cols.map((c) => (paint ? p(queueColours[c.key], fit(cells[c.key], c.width, c.align)) : fit(cells[c.key], c.width, c.align))).join(' ')}`;
  const scope = queues[0] ? `  terminal counts: ${scopeLabel(queues[0])}` : '';
  return [p('dim', row(queueHeadings, false)), ...queues.map((q) => row(queueCells(q, now), true)), ...(scope ? [p('dim', scope)] : [])];
}

function scopeLabel(q: QueueStats): string {
  if (q.terminalScope === 'window') return `last ${q.terminalWindowMinutes ?? '?'} min`;
  return q.terminalScope === 'estimated' ? 'planner estimates' : 'all time';
}

function taskLine(p: Paint, t: TaskSummary, now: number, tail: string): string {
  return `  ${shortId(t.id)} ${fit(clean(t.name, 24), 24)} ${p(stateColor(t.state), fit(t.rawState === 'claimed' ? 'running' : t.state, 9))} ${fit(clean(t.workerId ?? '-', 22), 22)} ${fit(formatAge(t.createdAt, now), 8)} ${tail}`;
}

export function renderOnceReport(input: ReportInput): string {
  const { snapshot, config, now } = input;
  const p = makePaint(input.color);
  const width = Math.max(60, input.width ?? 120);
  const db = snapshot.db;
  const out: string[] = [];
  const flavour = db ? `${db.flavour}${db.schemaVersion ? ` ${clean(db.schemaVersion, 20)}` : ''}` : 'unknown';
  out.push(`${p('bold', 'absurd-top')}  ${clean(input.target, 80)}  flavour ${flavour}  ${p(healthColor(input.health), `[${healthLabel(input.health)}]`)}`);
  out.push(p('dim', `taken ${new Date(snapshot.takenAt).toISOString()}${db ? `  db round trip ${Math.round(db.roundTripMs)} ms` : ''}${config.queue ? `  queue ${clean(config.queue, 40)}` : ''}`));
  if (snapshot.dbProblem) out.push(p('red', `database: ${clean(snapshot.dbProblem.message, width - 10)}`));

  const units = snapshot.units;
  out.push(...section(p, 'Services', units.problem ? [p('yellow', `  ${clean(units.problem, width - 2)}`)] : units.units.map((u) =>
    `  ${fit(clean(u.host ? `${u.name} @ ${u.host}` : u.name, 44), 44)} ${p(unitStateColor(u.active), fit(`${u.active}/${u.sub}`, 20))} ${fit(u.since ? `since ${formatAge(u.since, now)}` : '', 14)} restarts ${u.restarts ?? '-'}${u.workerId ? `  worker ${clean(u.workerId, 24)}` : ''}`)));
  const activeWorkers = units.units.filter((u) => u.role === 'worker' && u.active === 'active').length;
  if (!units.problem) out.push(`  active worker units: ${activeWorkers}`);

  if (db) {
    out.push(...section(p, 'Queues', db.queues.length > 0 ? queueLines(p, db.queues, now, width) : []));
    out.push(...section(p, 'Recent tasks', db.recent.slice(0, 10).map((t) => taskLine(p, t, now, ''))));
    out.push(...section(p, 'Failures (newest first)', db.failures.slice(0, 10).map((t) =>
      taskLine(p, t, now, `${t.attempts}/${t.maxAttempts ?? '∞'}  ${p('red', clean(firstLine(t.error ?? ''), Math.max(20, width - 80)))}`))));
    out.push(...section(p, 'Stuck tasks', db.stuck.map((t) => taskLine(p, t, now, p('yellow', clean(stuckText(t, now), 80))))));
    if (db.flavour === 'dsa110-v2') {
      out.push(...section(p, 'Completed with an error result', db.errorResults.slice(0, 10).map((t) =>
        taskLine(p, t, now, clean(firstLine(t.error ?? ''), 60)))));
    }
    out.push(...section(p, 'Workers seen (last hour)', db.workers.map((w) =>
      `  ${fit(clean(w.id, 30), 30)} ${w.currentTaskId ? `on ${shortId(w.currentTaskId)} ${clean(w.currentTaskName ?? '', 24)} for ${formatAge(w.currentTaskSince, now)}` : 'idle'}${w.stuck ? p('yellow', '  STUCK') : ''}  ${w.finishedLastHour} finished`)));
  }

  const host = snapshot.host;
  out.push(...section(p, 'Disks', host.disks.map((d) => {
    if (!d.exists) return `  ${fit(clean(d.path, 28), 28)} ${p('yellow', 'missing')}`;
    const colour = d.level === 'critical' ? 'red' : d.level === 'warning' ? 'yellow' : 'green';
    return `  ${fit(clean(d.path, 28), 28)} ${p(colour, fit(formatPct(d.usedPct), 6, 'right'))} used of ${formatBytes(d.sizeBytes)} on ${clean(d.mount ?? '?', 30)}`;
  })));
  if (host.backlog?.exists) out.push(`  ingest backlog ${clean(host.backlog.dir, 40)}: ${host.backlog.files} files, oldest ${formatDuration(host.backlog.oldestAgeSec)}`);

  out.push(...section(p, 'Diagnosis', input.diagnoses.map((d) =>
    `  ${p(d.level === 'critical' ? 'red' : d.level === 'warning' ? 'yellow' : 'gray', d.level.padEnd(8))} ${clean(d.message, width - 12)}`)));
  return `${out.join('\n')}\n`;
}

/** Exit code for monitoring checks: 0 healthy, 1 warning, 2 critical, 3 database unusable. */
export function healthExitCode(health: OverallHealth, snapshot: Snapshot): number {
  if (snapshot.dbProblem || snapshot.db === null) return 3;
  return health === 'critical' ? 2 : health === 'warning' ? 1 : 0;
}
