// The sentences an experienced operator would say after one look at the snapshot, most severe
// first. Pure: the header badge, the diagnosis line and the `--once` report all call this.
// Thresholds come from config (defaults: ../shared/spec/operations.md).
import type { Config } from '../config/schema.js';
import type { QueueStats, Snapshot, Unit } from './snapshot.js';
import { sanitizeLine } from '../text/sanitize.js';
import { truncate } from '../text/format/width.js';
import { formatBytes, formatPct, formatRatio, plural } from '../text/format/numbers.js';
import { ageSec, formatAge, formatDuration, formatElapsed, formatMs, formatSpan } from '../text/format/time.js';

export type DiagnosisLevel = 'info' | 'warning' | 'critical';
export interface Diagnosis {
  level: DiagnosisLevel;
  message: string;
  /** The key that fixes it, e.g. '+' (scale up), 'x' (reap), 's' (restart unit). */
  key?: string;
}
export type OverallHealth = 'ok' | 'warning' | 'critical' | 'stale' | 'disconnected';

const rank: Record<DiagnosisLevel, number> = { critical: 0, warning: 1, info: 2 };
const activeStates = new Set(['active', 'activating', 'reloading']);
/** A queue whose tasks only sit this long may simply not have been claimed yet. */
const consumerGraceSec = 60;
/** Failure rates over fewer finished tasks than this are reported as counts, not rates. */
export const minFailureSample = 5;
/** Db workers seen this recently (or holding a live task) count as running when systemd cannot tell. */
const dbWorkerRecentMs = 5 * 60_000;

const problemWords: Record<string, string> = {
  unreachable: 'unreachable',
  auth: 'refused the login',
  'no-database': 'does not exist',
  'no-schema': 'has no Absurd schema',
  permission: 'denied access',
  'unknown-queue': 'does not know the queue',
  timeout: 'timed out',
  other: 'failing',
};

/** Names from the database are hostile and may be huge: clean and shorten for a sentence. */
function nm(text: string, width = 48): string {
  return truncate(sanitizeLine(text, 400), width);
}

/** Data older than this is stale: three refresh intervals, or one slow poll, at least 10 s. */
export function staleAfterMs(config: Config): number {
  const refreshMs = config.refreshSec * 1000;
  return Math.max(3 * refreshMs, refreshMs + config.statementTimeoutMs + 2000, 10_000);
}

/** Age of the database picture in ms, or null when there is none. */
export function dataAgeMs(snapshot: Snapshot, now: number): number | null {
  return snapshot.db ? Math.max(0, now - snapshot.db.fetchedAt) : null;
}

function unitLabel(u: Unit): string {
  return u.host ? `${nm(u.name)} on ${nm(u.host, 32)}` : nm(u.name);
}

function queuesInScope(snapshot: Snapshot, config: Config): QueueStats[] {
  const all = snapshot.db?.queues ?? [];
  if (config.queue === null) return all;
  const only = all.filter((q) => q.name === config.queue);
  return only.length > 0 ? only : all;
}

/** How many workers are running: systemd's word when it has worker units, else the database's. */
export function runningWorkers(snapshot: Snapshot, now: number): { count: number; source: 'units' | 'db' } {
  const workerUnits = snapshot.units.units.filter((u) => u.role === 'worker');
  if (snapshot.units.problem === null && workerUnits.length > 0) {
    return { count: workerUnits.filter((u) => activeStates.has(u.active)).length, source: 'units' };
  }
  const workers = snapshot.db?.workers ?? [];
  const alive = workers.filter((w) => !w.stuck
    && (w.currentTaskId !== null || (w.lastSeenAt !== null && now - w.lastSeenAt < dbWorkerRecentMs)));
  return { count: alive.length, source: 'db' };
}

function databaseChecks(snapshot: Snapshot, config: Config, now: number, out: Diagnosis[]): boolean {
  const { db, dbProblem } = snapshot;
  if (dbProblem) {
    const words = problemWords[dbProblem.kind] ?? 'failing';
    const kept = db ? `; showing data from ${formatAge(db.fetchedAt, now)} ago` : '';
    out.push({
      level: 'critical',
      message: `database ${words} for ${formatAge(dbProblem.since, now)}: ${nm(dbProblem.message, 160)}${kept}`,
    });
    return false;
  }
  if (!db) {
    out.push({ level: 'info', message: 'waiting for the first database refresh' });
    return false;
  }
  const age = now - db.fetchedAt;
  if (age > staleAfterMs(config)) {
    out.push({ level: 'warning', message: `data is ${formatElapsed(age / 1000)} old (refresh every ${config.refreshSec}s): space to refresh now`, key: 'space' });
  }
  const t = config.thresholds;
  if (db.roundTripMs >= t.roundTripCritMs) {
    out.push({ level: 'critical', message: `slow database: ${formatMs(db.roundTripMs)} round trip (limit ${formatMs(t.roundTripCritMs)})` });
  } else if (db.roundTripMs >= t.roundTripWarnMs) {
    out.push({ level: 'warning', message: `slow database: ${formatMs(db.roundTripMs)} round trip (limit ${formatMs(t.roundTripWarnMs)})` });
  }
  for (const d of db.diagnostics) out.push({ level: d.level, message: nm(d.message, 200) });
  return true;
}

function workerChecks(snapshot: Snapshot, config: Config, now: number, out: Diagnosis[]): boolean {
  const queues = queuesInScope(snapshot, config);
  const pending = queues.reduce((n, q) => n + q.live.pending, 0);
  const running = runningWorkers(snapshot, now);
  // Until systemd first answers, the units are unknown, not absent: no "no worker" alarm yet.
  const noWorker = pending > 0 && running.count === 0 && snapshot.units.asked !== false;
  if (noWorker) {
    out.push(running.source === 'units'
      ? { level: 'critical', message: `${pending} pending, no worker running: press + to start one`, key: '+' }
      : { level: 'critical', message: `${pending} pending and no worker active in the database for 5 min: press + to start one`, key: '+' });
  }
  const { units, problem } = snapshot.units;
  if (problem !== null) out.push({ level: 'warning', message: `units unavailable: ${nm(problem, 160)}` });

  const failed = units.filter((u) => u.active === 'failed');
  if (failed.length === 1) {
    const u = failed[0]!;
    const restarts = u.restarts ? ` after ${plural(u.restarts, 'restart')}` : '';
    out.push({ level: 'warning', message: `${unitLabel(u)} failed${restarts}: s to restart`, key: 's' });
  } else if (failed.length > 1) {
    out.push({ level: 'warning', message: `${failed.length} units failed (${failed.slice(0, 3).map(unitLabel).join(', ')}${failed.length > 3 ? ', …' : ''}): s to restart`, key: 's' });
  }

  const producers = units.filter((u) => u.role === 'producer');
  if (producers.length > 0 && !producers.some((u) => activeStates.has(u.active))) {
    const p = producers[0]!;
    const backlog = snapshot.host.backlog;
    const waiting = backlog && backlog.files > 0 ? `, ${plural(backlog.files, 'file')} wait in ${nm(backlog.dir)}` : '';
    out.push({
      level: waiting ? 'warning' : 'info',
      message: `producer ${unitLabel(p)} is ${nm(p.active, 16)}: no new tasks are created${waiting}`,
      key: 's',
    });
  }
  return noWorker;
}

function stuckChecks(snapshot: Snapshot, config: Config, now: number, out: Diagnosis[]): void {
  const db = snapshot.db;
  if (!db) return;
  const gone = db.stuck.filter((t) => t.reason !== 'over-timeout');
  const overdue = db.stuck.filter((t) => t.reason === 'over-timeout');
  if (gone.length > 0) {
    out.push({ level: 'warning', message: `${plural(gone.length, 'task')} claimed by workers that are gone: x to reap`, key: 'x' });
  }
  if (overdue.length > 0) {
    const oldest = Math.min(...overdue.map((t) => t.claimedAt ?? now));
    out.push({ level: 'warning', message: `${plural(overdue.length, 'task')} running past the timeout (longest ${formatAge(oldest, now)}): x to reap`, key: 'x' });
  }
  const stuckIds = new Set(db.stuck.map((t) => t.id));
  const limitMs = config.thresholds.runningTooLongSec * 1000;
  const long = db.inFlight.filter((t) => t.state === 'running' && !stuckIds.has(t.id) && t.claimedAt !== null && now - t.claimedAt > limitMs);
  if (long.length === 1) {
    const t = long[0]!;
    out.push({ level: 'warning', message: `${nm(t.name, 40)} has been running for ${formatAge(t.claimedAt ?? now, now)} (over ${formatDuration(config.thresholds.runningTooLongSec)})` });
  } else if (long.length > 1) {
    out.push({ level: 'warning', message: `${long.length} tasks running longer than ${formatDuration(config.thresholds.runningTooLongSec)}` });
  }
}

function queueChecks(snapshot: Snapshot, config: Config, now: number, noWorker: boolean, out: Diagnosis[]): void {
  const queues = queuesInScope(snapshot, config);
  const t = config.thresholds;
  const several = queues.length > 1;
  for (const q of queues) {
    const where = several ? ` in ${nm(q.name)}` : '';
    const pending = q.live.pending;
    const oldest = ageSec(q.oldestPendingAt, now);
    const finished = q.completedLastHour + q.failedLastHour;
    const sinceCompletion = q.lastCompletionAt === null ? null : (now - q.lastCompletionAt) / 1000;
    const idleHour = q.live.running === 0 && finished === 0 && (sinceCompletion === null || sinceCompletion > 3600);
    const noConsumer = !noWorker && pending > 0 && idleHour && (oldest === null || oldest >= consumerGraceSec);

    if (noConsumer) {
      const waited = oldest !== null ? `, oldest waiting ${formatElapsed(oldest)}` : '';
      out.push({ level: 'warning', message: `queue ${nm(q.name)} has ${pending} pending but no consumer (nothing claimed in the last hour${waited})` });
    } else if (pending > 0) {
      if (pending >= t.pendingCrit) {
        out.push({ level: 'critical', message: `${pending} pending${where} (limit ${t.pendingCrit}): + adds a worker`, key: '+' });
      } else if (pending >= t.pendingWarn) {
        out.push({ level: 'warning', message: `${pending} pending${where} (limit ${t.pendingWarn}): + adds a worker`, key: '+' });
      }
      if (oldest !== null && oldest >= t.oldestPendingCritSec) {
        out.push({ level: 'critical', message: `oldest pending task${where} has waited ${formatElapsed(oldest)}` });
      } else if (oldest !== null && oldest >= t.oldestPendingWarnSec) {
        out.push({ level: 'warning', message: `oldest pending task${where} has waited ${formatElapsed(oldest)}` });
      }
      if (!noWorker) {
        if (sinceCompletion !== null && sinceCompletion >= t.noCompletionWarnSec) {
          out.push({ level: 'warning', message: `no completion${where} for ${formatSpan(sinceCompletion)} while ${pending} ${pending === 1 ? 'task waits' : 'tasks wait'}` });
        } else if (sinceCompletion === null && oldest !== null && oldest >= t.noCompletionWarnSec) {
          out.push({ level: 'warning', message: `nothing completed${where} while ${pending} ${pending === 1 ? 'task' : 'tasks'} waited ${formatSpan(oldest)}` });
        }
      }
    }

    const rate = q.failureRateLastHour ?? (finished > 0 ? q.failedLastHour / finished : null);
    if (rate !== null && finished >= minFailureSample && rate >= t.failureRateCrit) {
      out.push({ level: 'critical', message: `${formatRatio(rate)} of tasks failed${where} in the last hour (${q.failedLastHour} of ${finished})` });
    } else if (rate !== null && finished >= minFailureSample && rate >= t.failureRateWarn) {
      out.push({ level: 'warning', message: `${formatRatio(rate)} of tasks failed${where} in the last hour (${q.failedLastHour} of ${finished})` });
    } else if (finished < minFailureSample && q.failedLastHour > 0) {
      out.push({ level: 'info', message: `${plural(q.failedLastHour, 'task')} failed${where} in the last hour` });
    }
  }
}

function hostChecks(snapshot: Snapshot, config: Config, now: number, out: Diagnosis[]): void {
  const t = config.thresholds;
  const { host } = snapshot;
  const seenMounts = new Set<string>();
  const missing: string[] = [];
  for (const d of host.disks) {
    if (!d.exists || d.level === 'missing') { missing.push(nm(d.path, 40)); continue; }
    const mount = d.mount ?? d.path;
    if (seenMounts.has(mount)) continue;
    seenMounts.add(mount);
    const pct = d.usedPct;
    if (pct === null) continue;
    const free = d.sizeBytes !== null && d.usedBytes !== null ? ` (${formatBytes(Math.max(0, d.sizeBytes - d.usedBytes))} free)` : '';
    if (pct >= t.diskCritPct) out.push({ level: 'critical', message: `${nm(d.path, 40)} ${formatPct(pct)} full${free}` });
    else if (pct >= t.diskWarnPct) out.push({ level: 'warning', message: `${nm(d.path, 40)} ${formatPct(pct)} full${free}` });
  }
  if (missing.length > 0) out.push({ level: 'info', message: `not found: ${missing.join(', ')}` });
  if (host.problem !== null) out.push({ level: 'info', message: `host metrics unavailable: ${nm(host.problem, 160)}` });
  const b = host.backlog;
  if (b && b.exists && b.files > 0 && b.oldestAgeSec !== null && b.oldestAgeSec >= 1800) {
    out.push({ level: 'info', message: `${plural(b.files, 'file')} waiting in ${nm(b.dir)}, oldest ${formatDuration(b.oldestAgeSec)}` });
  }
  void now;
}

/** Everything worth saying about this snapshot, most severe first (stable within a level). */
export function diagnose(snapshot: Snapshot, config: Config, now: number): Diagnosis[] {
  const out: Diagnosis[] = [];
  const dbUsable = databaseChecks(snapshot, config, now, out);
  let noWorker = false;
  if (dbUsable) {
    noWorker = workerChecks(snapshot, config, now, out);
    stuckChecks(snapshot, config, now, out);
    queueChecks(snapshot, config, now, noWorker, out);
  } else {
    // Without fresh database facts, still say what systemd and the disks know.
    const scratch: Diagnosis[] = [];
    workerChecks({ ...snapshot, db: null }, config, now, scratch);
    out.push(...scratch);
  }
  hostChecks(snapshot, config, now, out);
  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank[a.d.level] - rank[b.d.level] || a.i - b.i)
    .map(({ d }) => d);
}

/** One word for the header badge. Disconnected and stale win over what the old data says. */
export function overallHealth(snapshot: Snapshot, config: Config, now: number, diagnoses?: readonly Diagnosis[]): OverallHealth {
  if (snapshot.dbProblem) return 'disconnected';
  const age = dataAgeMs(snapshot, now);
  if (age === null || age > staleAfterMs(config)) return 'stale';
  const list = diagnoses ?? diagnose(snapshot, config, now);
  if (list.some((d) => d.level === 'critical')) return 'critical';
  if (list.some((d) => d.level === 'warning')) return 'warning';
  return 'ok';
}
