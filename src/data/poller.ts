// Assembles one immutable Snapshot per tick from the database, the units and the host.
// - never overlapping: the next tick is scheduled only after the last one finished, and a source
//   call that hangs past its timeout is joined (not repeated) by later ticks;
// - database errors become `dbProblem` (since when) while the last good picture stays on screen,
//   and database attempts back off exponentially; units and disks keep refreshing meanwhile;
// - a bounded history for sparklines; pause freezes everything; refreshNow works while paused;
// - listeners hear only about visible changes (see snapshot-diff.ts).
import type { DbProblem, DbSnapshot, HostSnapshot, Snapshot, UnitsSnapshot } from './snapshot.js';
import type { DbReader, HostReader, UnitManager } from './sources.js';
import { sameSnapshot, withQuietMetrics } from './snapshot-diff.js';

export interface PollerSources {
  /** A reader, or a function that connects one (called again after a failed connect). */
  db: DbReader | (() => Promise<DbReader>);
  units: Pick<UnitManager, 'list'>;
  host: HostReader;
}

export interface PollerOptions {
  intervalMs: number;
  /**
   * Longest wait between database attempts while it keeps failing. Default: two refresh
   * intervals, so a database that comes back is seen within two intervals however long it was
   * gone (a failed connect costs the server nothing; a slow one is still asked half as often).
   */
  maxBackoffMs?: number;
  /**
   * How often systemd is asked about the units (default: every refresh). Each ask forks
   * `systemctl`, the biggest part of an idle refresh's cost; the console asks less often and
   * calls refreshUnits() when the journal says a unit changed.
   */
  unitsIntervalMs?: number;
  /** A source call slower than this counts as failed for this tick. */
  timeoutMs?: number;
  historyWindowMs?: number;
  historyMax?: number;
  /** Maps a thrown error to a problem; the default understands errors carrying a DbProblem. */
  classifyDbError?: (error: unknown) => Pick<DbProblem, 'kind' | 'message'>;
  now?: () => number;
}

/** One refresh's totals, for the depth and throughput graphs. */
export interface HistoryPoint { at: number; pending: number; running: number; completedPerMin: number }

export interface PollerState {
  snapshot: Snapshot;
  /** Oldest first, bounded by historyWindowMs / historyMax. */
  history: readonly HistoryPoint[];
  paused: boolean;
  /** When the last refresh finished, also when it changed nothing (for "updated 2s ago"). */
  checkedAt: number | null;
}

export function emptySnapshot(now: number): Snapshot {
  return {
    takenAt: now, db: null, dbProblem: null,
    units: { units: [], problem: null, asked: false },
    host: { disks: [], backlog: null, load: [], memUsedPct: null, problem: null, asked: false },
  };
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

export function defaultClassify(error: unknown): Pick<DbProblem, 'kind' | 'message'> {
  const e = error as { problem?: Partial<DbProblem>; kind?: unknown } | null;
  const carried = e?.problem ?? (typeof e?.kind === 'string' ? (e as Partial<DbProblem>) : null);
  if (carried?.kind && typeof carried.message === 'string') return { kind: carried.kind, message: carried.message };
  return { kind: 'other', message: message(error) };
}

class TimeoutError extends Error {}

/** One source: at most one call in flight; a slow call is joined by later ticks, not repeated. */
class Slot<T> {
  private pending: Promise<T> | null = null;
  constructor(private readonly timeoutMs: number, private readonly what: string) {}
  call(fn: () => Promise<T>): Promise<T> {
    if (!this.pending) this.pending = Promise.resolve().then(fn).finally(() => { this.pending = null; });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${this.what} did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([this.pending, timeout]).finally(() => clearTimeout(timer));
  }
}

function historyPoint(db: DbSnapshot): HistoryPoint {
  const sum = (f: (q: DbSnapshot['queues'][number]) => number) => db.queues.reduce((n, q) => n + f(q), 0);
  return { at: db.fetchedAt, pending: sum((q) => q.live.pending), running: sum((q) => q.live.running), completedPerMin: sum((q) => q.throughputPerMin.m1) };
}

export class Poller {
  private readonly opts: Required<PollerOptions>;
  private current: PollerState;
  private readonly listeners = new Set<(state: PollerState) => void>();
  private reader: DbReader | null;
  private readonly slots;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private started = false;
  private dbFailures = 0;
  private nextDbAt = 0;
  private nextUnitsAt = 0;
  /** When the database last answered: what the data shown during an outage is as of. */
  private dbAnsweredAt: number | null = null;
  private soon = false;

  constructor(private readonly sources: PollerSources, options: PollerOptions) {
    this.opts = {
      maxBackoffMs: 2 * options.intervalMs, unitsIntervalMs: options.intervalMs, timeoutMs: Math.max(10_000, options.intervalMs * 3), historyWindowMs: 15 * 60_000,
      historyMax: 600, classifyDbError: defaultClassify, now: Date.now, ...options,
    };
    this.reader = typeof sources.db === 'function' ? null : sources.db;
    const t = this.opts.timeoutMs;
    this.slots = { connect: new Slot<DbReader>(t, 'connecting to the database'), db: new Slot<DbSnapshot>(t, 'the database'), units: new Slot<UnitsSnapshot>(t, 'systemctl'), host: new Slot<HostSnapshot>(t, 'the disk probe') };
    this.current = { snapshot: emptySnapshot(this.opts.now()), history: [], paused: false, checkedAt: null };
  }

  get state(): PollerState { return this.current; }

  subscribe(listener: (state: PollerState) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** First refresh at once, then one every intervalMs after the previous one finished. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.refreshNow();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await (this.queued ?? this.running);
  }

  setPaused(paused: boolean): void {
    if (paused === this.current.paused) return;
    this.current = { ...this.current, paused };
    this.emit();
    if (paused) clearTimeout(this.timer);
    else if (this.started && !this.running) void this.refreshNow();
  }

  /** A refresh right now (also while paused or backing off); joins one already queued. */
  refreshNow(): Promise<void> {
    this.nextDbAt = 0;
    this.nextUnitsAt = 0;
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running.then(() => { this.queued = null; return this.runTick(); });
      return this.queued;
    }
    return this.runTick();
  }

  /**
   * The units changed (the journal said so): ask systemd at the next tick, brought forward to
   * now unless paused. Database and disks keep their own schedule.
   */
  refreshUnits(): void {
    this.nextUnitsAt = 0;
    if (!this.started || this.current.paused || this.running || this.queued || this.soon) return;
    // A short delay gathers the burst systemd writes for one change (stopping, exited, stopped).
    this.soon = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runTick(), 250);
  }

  private runTick(): Promise<void> {
    clearTimeout(this.timer);
    this.soon = false;
    this.running = this.tick().finally(() => {
      this.running = null;
      if (this.started && !this.current.paused && !this.queued) {
        this.timer = setTimeout(() => void this.runTick(), this.opts.intervalMs);
      }
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    const prev = this.current.snapshot;
    const dbDue = this.opts.now() >= this.nextDbAt;
    const unitsDue = this.opts.now() >= this.nextUnitsAt;
    if (unitsDue) this.nextUnitsAt = this.opts.now() + this.opts.unitsIntervalMs;
    const dbAnswer = dbDue ? this.fetchDb() : Promise.resolve({ db: prev.db, dbProblem: prev.dbProblem });
    const unitsAnswer = !unitsDue ? Promise.resolve(prev.units) : this.slots.units.call(() => this.sources.units.list())
      .catch((error): UnitsSnapshot => ({ units: prev.units.units, problem: message(error) }));
    const hostAnswer = this.slots.host.call(() => this.sources.host.snapshot())
      .catch((error): HostSnapshot => ({ ...prev.host, problem: message(error) }));
    const shownEarly = this.current.checkedAt === null && await this.showBeforeSystemd(dbAnswer, unitsAnswer, hostAnswer);
    const [db, units, host] = await Promise.all([dbAnswer, unitsAnswer, hostAnswer]);
    const now = this.opts.now();
    const next: Snapshot = { takenAt: now, ...db, units, host };
    let history = this.current.history;
    if (dbDue && db.db && !db.dbProblem && !shownEarly) history = this.appendHistory(historyPoint(db.db));
    // The first refresh always counts: it ends the "connecting" state even when it found nothing.
    const changed = this.current.checkedAt === null || !sameSnapshot(prev, next);
    this.current = { ...this.current, snapshot: changed ? next : withQuietMetrics(prev, next), history, checkedAt: now };
    if (changed) this.emit();
  }

  /**
   * The first refresh shows the database and disks as soon as they answered, without waiting for
   * systemd (a fork per host; over ssh, seconds): units stay `asked: false` until it answers.
   * True when it did (the database's history point is then already taken).
   */
  private async showBeforeSystemd(
    dbAnswer: Promise<Pick<Snapshot, 'db' | 'dbProblem'>>, unitsAnswer: Promise<UnitsSnapshot>, hostAnswer: Promise<HostSnapshot>,
  ): Promise<boolean> {
    let unitsAnswered = false;
    void unitsAnswer.then(() => { unitsAnswered = true; });
    const [db, host] = await Promise.all([dbAnswer, hostAnswer]);
    if (unitsAnswered) return false;
    const now = this.opts.now();
    const history = db.db && !db.dbProblem ? this.appendHistory(historyPoint(db.db)) : this.current.history;
    this.current = { ...this.current, snapshot: { takenAt: now, ...db, units: this.current.snapshot.units, host }, history, checkedAt: now };
    this.emit();
    return true;
  }

  private async fetchDb(): Promise<Pick<Snapshot, 'db' | 'dbProblem'>> {
    const prev = this.current.snapshot;
    try {
      const connect = this.sources.db;
      if (!this.reader && typeof connect === 'function') this.reader = await this.slots.connect.call(connect);
      const db = await this.slots.db.call(() => this.reader!.snapshot());
      this.dbFailures = 0;
      this.dbAnsweredAt = db.fetchedAt;
      return { db, dbProblem: null };
    } catch (error) {
      this.dbFailures++;
      const backoff = Math.min(this.opts.maxBackoffMs, this.opts.intervalMs * 2 ** (this.dbFailures - 1));
      this.nextDbAt = this.opts.now() + backoff;
      const problem = error instanceof TimeoutError ? { kind: 'timeout' as const, message: error.message } : this.opts.classifyDbError(error);
      // The picture kept is as of the last answer, not of the last change it brought.
      const kept = prev.db && this.dbAnsweredAt !== null && this.dbAnsweredAt > prev.db.fetchedAt ? { ...prev.db, fetchedAt: this.dbAnsweredAt } : prev.db;
      return { db: kept, dbProblem: { ...problem, since: prev.dbProblem?.since ?? this.opts.now() } };
    }
  }

  private appendHistory(point: HistoryPoint): HistoryPoint[] {
    const from = point.at - this.opts.historyWindowMs;
    const kept = this.current.history.filter((p) => p.at > from && p.at < point.at);
    return [...kept.slice(-(this.opts.historyMax - 1)), point];
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch {
        // A broken listener must not stop the poller; the app reports its own errors.
      }
    }
  }
}
