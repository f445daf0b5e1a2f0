// The rows of each pane, in display order, as plain data. The panes render these and
// `paneItems` (../pane-items.ts) selects from these, so what the cursor moves over is exactly
// what is on screen. Pure and React-free.
import type {
  DbWorker, Disk, LogLine, QueueStats, Snapshot, StuckTask, TaskSummary, Unit,
} from '../../data/snapshot.js';
import type { ViewState } from '../view-state.js';

export type TaskSection = 'inflight' | 'recent' | 'failed' | 'stuck' | 'error-result';

export type PaneRow =
  | { type: 'heading'; key: string; text: string }
  | { type: 'note'; key: string; text: string }
  | { type: 'queue'; id: string; stats: QueueStats }
  | { type: 'task'; id: string; section: TaskSection; task: TaskSummary | StuckTask }
  | { type: 'unit'; id: string; unit: Unit | null; worker: DbWorker | null }
  | { type: 'disk'; id: string; disk: Disk };

/** How long an unmatched database worker stays listed after it was last seen. */
const workerShownMs = 60 * 60_000;
/** Recent tasks listed in the queue pane at most. */
const recentLimit = 50;

/** Id of a unit row: the unit name, prefixed by `host/` for remote units (names repeat across hosts). */
export function unitId(unit: Pick<Unit, 'name' | 'host'>): string {
  return unit.host ? `${unit.host}/${unit.name}` : unit.name;
}

/** Id of a database worker that no unit claims. */
export function dbWorkerRowId(worker: Pick<DbWorker, 'id'>): string {
  return `worker:${worker.id}`;
}

/** The unit behind a workers-pane id, or null (also for database-only workers). */
export function findUnit(snapshot: Snapshot, id: string | null): Unit | null {
  if (id === null) return null;
  return snapshot.units.units.find((u) => unitId(u) === id) ?? null;
}

function inQueue(view: Pick<ViewState, 'queue'>) {
  return (t: { queue: string }) => view.queue === null || t.queue === view.queue;
}

export function queueRows(snapshot: Pick<Snapshot, 'db'>, view: Pick<ViewState, 'queue'>): PaneRow[] {
  const db = snapshot.db;
  if (!db) return [{ type: 'note', key: 'no-db', text: 'no database data yet' }];
  const rows: PaneRow[] = [];
  if (db.queues.length > 1) {
    rows.push({ type: 'heading', key: 'h-queues', text: `queues (${db.queues.length})` });
    for (const q of db.queues) rows.push({ type: 'queue', id: q.name, stats: q });
  }
  const keep = inQueue(view);
  const inflight = db.inFlight.filter(keep);
  const seen = new Set<string>();
  if (inflight.length > 0) {
    rows.push({ type: 'heading', key: 'h-inflight', text: `in flight (${inflight.length})` });
    for (const t of inflight) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      rows.push({ type: 'task', id: t.id, section: 'inflight', task: t });
    }
  }
  const recent = db.recent.filter((t) => keep(t) && !seen.has(t.id)).slice(0, recentLimit);
  if (recent.length > 0) {
    rows.push({ type: 'heading', key: 'h-recent', text: 'recent' });
    for (const t of recent) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      rows.push({ type: 'task', id: t.id, section: 'recent', task: t });
    }
  }
  if (inflight.length === 0 && recent.length === 0) rows.push({ type: 'note', key: 'n-idle', text: 'nothing running' });
  return rows;
}

function instanceNumber(u: Unit): number {
  const n = Number.parseInt(u.instance ?? '', 10);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

const roleOrder: Record<Unit['role'], number> = { producer: 0, worker: 1, other: 2 };

/** Units (producer, workers by instance, others) joined with their database workers, then database
 * workers no unit claims (seen in the last hour before the snapshot, holding a task, or stuck). */
/** The workers pane's note when systemd answered with none of the configured units (the pane adds what it looked for). */
export const noUnitsFound = 'no units found';

export function workerRows(snapshot: Pick<Snapshot, 'db' | 'units' | 'takenAt'>): PaneRow[] {
  const now = snapshot.takenAt;
  const { units, problem } = snapshot.units;
  const workers = snapshot.db?.workers ?? [];
  const byId = new Map(workers.map((w) => [w.id, w]));
  const rows: PaneRow[] = [];
  const matched = new Set<string>();
  const sorted = [...units].sort((a, b) => roleOrder[a.role] - roleOrder[b.role]
    || (a.host ?? '').localeCompare(b.host ?? '')
    || instanceNumber(a) - instanceNumber(b)
    || a.name.localeCompare(b.name));
  const ids = new Set<string>();
  for (const u of sorted) {
    const id = unitId(u);
    if (ids.has(id)) continue;
    ids.add(id);
    const worker = u.workerId !== null ? byId.get(u.workerId) ?? null : null;
    if (worker) matched.add(worker.id);
    rows.push({ type: 'unit', id, unit: u, worker });
  }
  const loose = workers.filter((w) => !matched.has(w.id)
    && (w.currentTaskId !== null || w.stuck || (w.lastSeenAt !== null && now - w.lastSeenAt < workerShownMs)));
  for (const w of loose) {
    const id = dbWorkerRowId(w);
    if (ids.has(id)) continue;
    ids.add(id);
    rows.push({ type: 'unit', id, unit: null, worker: w });
  }
  if (snapshot.units.asked === false) rows.unshift({ type: 'note', key: 'n-units', text: 'asking systemd…' });
  else if (units.length === 0) rows.unshift({ type: 'note', key: 'n-units', text: problem ? `no units found — ${problem}` : noUnitsFound });
  else if (problem) rows.unshift({ type: 'note', key: 'n-units', text: `units: ${problem}` });
  return rows;
}

function finishedAt(t: TaskSummary): number {
  return t.completedAt ?? t.createdAt ?? 0;
}

export function failureRows(snapshot: Pick<Snapshot, 'db'>, view: Pick<ViewState, 'queue'>): PaneRow[] {
  const db = snapshot.db;
  if (!db) return [{ type: 'note', key: 'no-db', text: 'no database data yet' }];
  const keep = inQueue(view);
  const seen = new Set<string>();
  const fresh = <T extends TaskSummary>(list: readonly T[]) => list.filter((t) => {
    if (!keep(t) || seen.has(t.id)) return false;
    seen.add(t.id);
    return true;
  });
  const failed = fresh([...db.failures].sort((a, b) => finishedAt(b) - finishedAt(a)));
  const stuck = fresh(db.stuck);
  const errors = fresh([...db.errorResults].sort((a, b) => finishedAt(b) - finishedAt(a)));
  const rows: PaneRow[] = [];
  if (failed.length === 0 && stuck.length === 0 && errors.length === 0) {
    return [{ type: 'note', key: 'n-none', text: 'no failures, nothing stuck' }];
  }
  if (failed.length > 0) {
    rows.push({ type: 'heading', key: 'h-failed', text: `failed (${failed.length})` });
    for (const t of failed) rows.push({ type: 'task', id: t.id, section: 'failed', task: t });
  } else {
    rows.push({ type: 'note', key: 'n-failed', text: 'no failures' });
  }
  if (stuck.length > 0) {
    rows.push({ type: 'heading', key: 'h-stuck', text: `stuck (${stuck.length})` });
    for (const t of stuck) rows.push({ type: 'task', id: t.id, section: 'stuck', task: t });
  }
  if (errors.length > 0) {
    rows.push({ type: 'heading', key: 'h-errres', text: `completed with error result (${errors.length})` });
    for (const t of errors) rows.push({ type: 'task', id: t.id, section: 'error-result', task: t });
  }
  return rows;
}

export function diskRows(snapshot: Pick<Snapshot, 'host'>): PaneRow[] {
  const seen = new Set<string>();
  const rows: PaneRow[] = [];
  for (const d of snapshot.host.disks) {
    if (seen.has(d.path)) continue;
    seen.add(d.path);
    rows.push({ type: 'disk', id: d.path, disk: d });
  }
  return rows;
}

/** How much of a log message the text filter looks at (messages can be megabytes). */
const filterScanChars = 4096;

/** Log lines matching the filter, oldest first. Unit `foo@` or `foo@*` matches every instance. */
export function filterLogs(logs: readonly LogLine[], filter: ViewState['logFilter']): readonly LogLine[] {
  const unit = filter.unit;
  const text = filter.text.trim().toLowerCase();
  if (unit === null && text === '') return logs;
  const prefix = unit !== null && (unit.endsWith('@') || unit.endsWith('*')) ? unit.replace(/\*$/, '') : null;
  return logs.filter((l) => {
    if (unit !== null && (prefix !== null ? !l.unit.startsWith(prefix) : l.unit !== unit)) return false;
    if (text !== '') {
      const hay = l.message.length > filterScanChars ? l.message.slice(0, filterScanChars) : l.message;
      if (!hay.toLowerCase().includes(text) && !l.unit.toLowerCase().includes(text)) return false;
    }
    return true;
  });
}

/** Index of the row with `id`, or -1. */
export function rowIndex(rows: readonly PaneRow[], id: string | null): number {
  if (id === null) return -1;
  return rows.findIndex((r) => 'id' in r && r.id === id);
}
