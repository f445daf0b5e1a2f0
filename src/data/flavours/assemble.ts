// Turns the rows a flavour fetched (validated by zod) into the one normalised DbSnapshot. Stuck
// detection, worker merging and per-queue figures live here so the three flavours agree on them.
import type { Thresholds } from '../../config/schema.js';
import {
  type DbSnapshot, type DbWorker, type Diagnostic, type Flavour, type QueueStats, type StuckTask, type TaskSummary,
} from '../snapshot.js';
import type { Cached } from './minute-cache.js';
import type { TaskLists } from './row-reuse.js';
import { oldestLive, windowCapSec } from './window-floor.js';
import {
  formatSeconds, toSummary, type ActivityRow, type InFlightRow, type LiveRow, type SummaryRow, type TerminalRow, type WorkerRow,
} from './rows.js';

export interface FlavourFacts extends TaskLists {
  queues: string[];
  live: LiveRow[];
  activity: ActivityRow[];
  workers: WorkerRow[];
  errorResults: SummaryRow[];
  terminal: Cached<TerminalRow[]>;
  diagnostics: Diagnostic[];
}

export interface SnapshotMeta {
  flavour: Flavour;
  schemaVersion: string | null;
  target: string;
  roundTripMs: number;
  thresholds: Pick<Thresholds, 'runningTooLongSec' | 'heartbeatStaleSec'>;
}

export function assembleSnapshot(facts: FlavourFacts, meta: SnapshotMeta): DbSnapshot {
  const { flavour } = meta;
  const stuck = facts.inFlight.flatMap((row) => {
    const s = stuckOf(flavour, row, meta.thresholds, facts.dbNowMs);
    return s ? [s] : [];
  });
  const snapshot: DbSnapshot = {
    flavour,
    schemaVersion: meta.schemaVersion,
    target: meta.target,
    queues: facts.queues.map((q) => queueStats(q, facts)),
    inFlight: facts.inFlight.map((r) => summaryOf(flavour, r)),
    stuck,
    failures: facts.failures.map((r) => summaryOf(flavour, r)),
    errorResults: facts.errorResults.map((r) => toSummary(flavour, r)),
    recent: facts.recent.map((r) => summaryOf(flavour, r)),
    workers: workers(facts, new Set(stuck.map((s) => s.id))),
    roundTripMs: meta.roundTripMs,
    diagnostics: [...facts.diagnostics, ...queueDiagnostics(facts), ...totalsDiagnostics(facts.terminal)],
    fetchedAt: Date.now(),
  };
  // Not parsed again here: every field comes from rows zod already checked (parseRows), and
  // copying the whole snapshot through the schema was ~0.5 MB of garbage a refresh. The flavour
  // tests hold every reader's snapshot to dbSnapshotSchema.
  return snapshot;
}

function queueStats(queue: string, facts: FlavourFacts): QueueStats {
  const live = { pending: 0, running: 0, sleeping: 0, retrying: 0 };
  let oldest: number | null = null;
  for (const row of facts.live) {
    if (row.queue !== queue) continue;
    if (row.state in live) live[row.state as keyof typeof live] += row.n;
    if (row.state === 'pending' && row.oldest_pending_at !== null) oldest = Math.min(oldest ?? Infinity, row.oldest_pending_at);
  }
  const t = facts.terminal.value.find((r) => r.queue === queue);
  const a = facts.activity.find((r) => r.queue === queue);
  const c60 = a?.c60 ?? 0;
  const f60 = a?.f60 ?? 0;
  return {
    name: queue,
    live,
    terminal: { completed: t?.completed ?? 0, failed: t?.failed ?? 0, cancelled: t?.cancelled ?? 0 },
    terminalScope: 'all-time',
    terminalWindowMinutes: null,
    terminalAsOf: facts.terminal.asOf,
    throughputPerMin: { m1: a?.c1 ?? 0, m5: (a?.c5 ?? 0) / 5, m60: c60 / 60 },
    completedLastHour: c60,
    failedLastHour: f60,
    failureRateLastHour: c60 + f60 > 0 ? f60 / (c60 + f60) : null,
    waitSec: { p50: a?.wait_pct?.[0] ?? null, p95: a?.wait_pct?.[1] ?? null },
    runSec: { p50: a?.run_pct?.[0] ?? null, p95: a?.run_pct?.[1] ?? null },
    oldestPendingAt: oldest,
    lastCompletionAt: a?.last_completion_at ?? null,
  };
}

/**
 * A reused row (row-reuse.ts) keeps its summary too: the task lists of consecutive snapshots share
 * the objects of unchanged tasks. Summaries are never changed after this (stuck tasks get their own).
 */
const summaries = new WeakMap<SummaryRow, TaskSummary>();
function summaryOf(flavour: Flavour, row: SummaryRow): TaskSummary {
  let summary = summaries.get(row);
  if (!summary) summaries.set(row, summary = toSummary(flavour, row));
  return summary;
}

/**
 * Why an in-flight task counts as stuck, or null. The detail names the rule that was crossed,
 * never an age: ages grow every second, and a snapshot that changes every tick would redraw an
 * idle console every tick. Views add "claimed 3h ago" from claimedAt. Ages are taken against
 * `dbNowMs`, the database clock when the row was read.
 */
export function stuckOf(flavour: Flavour, row: InFlightRow, th: SnapshotMeta['thresholds'], dbNowMs: number): StuckTask | null {
  // Called for every in-flight task on every refresh: the summary is built only for the stuck.
  const why = stuckReason(flavour, row, th, dbNowMs);
  // Assigned onto the summary, not spread into a third object: one shape for every stuck task.
  return why && Object.assign(toSummary(flavour, row), why);
}

function stuckReason(flavour: Flavour, row: InFlightRow, th: SnapshotMeta['thresholds'], dbNowMs: number): Pick<StuckTask, 'reason' | 'detail'> | null {
  // Ages and the "by" text are only built for what needs them: this runs for every running task.
  if (flavour === 'absurd') {
    if (row.lease_expires_at === null || row.lease_expires_at > dbNowMs) return null;
    return { reason: 'lease-expired', detail: `lease expired, held${byWorker(row)}` };
  }
  if (flavour === 'dsa110-v1' && row.heartbeat_at !== null && (dbNowMs - row.heartbeat_at) / 1000 > th.heartbeatStaleSec) {
    const by = byWorker(row);
    return { reason: 'stale-heartbeat', detail: `no heartbeat for over ${formatSeconds(th.heartbeatStaleSec)}${by ? `,${by}` : ''}` };
  }
  const limit = Math.min(th.runningTooLongSec, row.timeout_sec ?? Infinity);
  if (row.claimed_at === null || (dbNowMs - row.claimed_at) / 1000 <= limit) return null;
  const which = row.timeout_sec !== null && row.timeout_sec <= th.runningTooLongSec ? 'timeout' : 'limit';
  const by = byWorker(row);
  return { reason: 'over-timeout', detail: `over its ${which} of ${formatSeconds(limit)}${by ? `,${by}` : ''}` };
}

const byWorker = (row: InFlightRow): string => (row.worker_id ? ` by ${row.worker_id}` : '');

/** Workers have no registry: they are the ids seen on recent work plus whoever holds a task now. */
function workers(facts: FlavourFacts, stuckIds: Set<string>): DbWorker[] {
  const byId = new Map<string, DbWorker>();
  const get = (id: string): DbWorker => {
    let w = byId.get(id);
    if (!w) {
      w = { id, host: hostOf(id), lastSeenAt: null, currentTaskId: null, currentTaskName: null, currentTaskSince: null, stuck: false, finishedLastHour: 0 };
      byId.set(id, w);
    }
    return w;
  };
  for (const row of facts.workers) {
    const w = get(row.worker_id);
    w.finishedLastHour += row.finished_last_hour;
    w.lastSeenAt = Math.max(w.lastSeenAt ?? 0, row.last_seen_at ?? 0) || null;
  }
  for (const row of facts.inFlight) {
    if (!row.worker_id) continue;
    const w = get(row.worker_id);
    // A worker runs one task at a time; with several, show the newest claim.
    if (w.currentTaskSince === null || (row.claimed_at ?? 0) > w.currentTaskSince) {
      w.currentTaskId = row.id; w.currentTaskName = row.name; w.currentTaskSince = row.claimed_at;
    }
    w.lastSeenAt = Math.max(w.lastSeenAt ?? 0, row.claimed_at ?? 0) || null;
    if (stuckIds.has(row.id)) w.stuck = true;
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** `host:pid` (absurd) or `host-1a2b3c4d` (dsa110) -> host. */
export function hostOf(workerId: string): string | null {
  const colon = /^(.+):\d+$/.exec(workerId);
  if (colon) return colon[1] ?? null;
  const dash = /^(.+)-[0-9a-f]{8}$/i.exec(workerId);
  return dash?.[1] ?? null;
}

function queueDiagnostics(facts: FlavourFacts): Diagnostic[] {
  return facts.queues.flatMap((q): Diagnostic[] => {
    const pending = facts.live.filter((r) => r.queue === q && (r.state === 'pending' || r.state === 'retrying')).reduce((n, r) => n + r.n, 0);
    const running = facts.live.filter((r) => r.queue === q && r.state === 'running').reduce((n, r) => n + r.n, 0);
    const a = facts.activity.find((r) => r.queue === q);
    const out: Diagnostic[] = [];
    const oldest = oldestLive(facts.live.filter((r) => r.queue === q));
    if (oldest !== null && Date.now() - oldest > windowCapSec * 1000) {
      out.push({ level: 'info', message: `queue "${q}": tasks older than ${windowCapSec / 3600} h are still live; last-hour figures count only tasks created in the last ${windowCapSec / 3600} h` });
    }
    if (pending > 0 && running === 0 && !(a && a.c60 + a.f60 > 0)) {
      out.push({ level: 'warning', message: `queue "${q}": ${pending} waiting, nothing running or finished in the last hour (no worker consumes it?)` });
    }
    return out;
  });
}

function totalsDiagnostics(terminal: Cached<unknown>): Diagnostic[] {
  if (!terminal.error) return [];
  return [{ level: 'warning', message: `all-time totals could not be refreshed (${terminal.error}); showing those of ${new Date(terminal.asOf).toISOString()}` }];
}
