// Where the activity window starts. Recent work is found through creation order (run_id UUIDv7
// on absurd, created_at on dsa110), but a task finishing now may have been created long ago when
// the queue has a backlog. Every task that finished within the last hour was live (pending or
// running) at some point of that hour, so the window starts at the oldest of:
//   - now - (1 h + runningTooLongSec), the normal case;
//   - the creation time of the oldest live task now (an SQL subquery, see floorSql);
//   - the oldest live creation time seen by earlier refreshes within the last hour (this class);
// and never earlier than now - 24 h, so a refresh stays bounded even with a huge, old backlog.
import { num } from '../pg/sql-text.js';
import type { LiveRow } from './rows.js';

export const windowCapSec = 24 * 3600;

const historyMs = 3600_000;
/** Observations this close together share one entry: the hour is a floor, not a deadline. */
const bucketMs = 10_000;

/**
 * The oldest live creation time seen in the last hour, as a sliding-window minimum: each kept
 * entry's `oldest` is smaller than every later entry's (a later, smaller value makes the earlier
 * ones irrelevant), so the first entry still inside the hour is the answer. Observations within
 * `bucketMs` merge, keeping the later time (the floor may reach up to that much further back,
 * never less far), so a fast refresh keeps at most 360 entries instead of one per refresh.
 */
export class LiveHistory {
  /** `since`: first observation merged into the entry; `at`: the last (it expires an hour later). */
  private readonly kept: { since: number; at: number; oldest: number }[] = [];

  constructor(private readonly now: () => number) {}

  /** After each refresh: creation time (epoch ms) of the oldest live task, or null. */
  observe(oldest: number | null): void {
    const at = this.now();
    this.expire(at);
    if (oldest === null) return;
    let since = at;
    let min = oldest;
    // Drop what this observation makes irrelevant (not smaller) or absorbs (same bucket).
    for (let last = this.kept.at(-1); last && (last.oldest >= min || at - last.since < bucketMs); last = this.kept.at(-1)) {
      if (at - last.since < bucketMs) since = last.since;
      min = Math.min(min, last.oldest);
      this.kept.pop();
    }
    this.kept.push({ since, at, oldest: min });
  }

  /** Oldest live creation time seen within the last hour, or null. */
  oldestMs(): number | null {
    this.expire(this.now());
    return this.kept[0]?.oldest ?? null;
  }

  private expire(at: number): void {
    let gone = 0;
    while (gone < this.kept.length && at - this.kept[gone]!.at > historyMs) gone++;
    if (gone > 0) this.kept.splice(0, gone);
  }
}

/**
 * SQL timestamptz where the window starts. `liveMin` is a scalar subquery giving the oldest live
 * creation time now; it runs once (an InitPlan), so the result still bounds an index range.
 */
export function floorSql(baseSec: number, liveMin: string, historyMs: number | null): string {
  const history = historyMs === null ? '' : `, to_timestamp(${num(historyMs)} / 1000.0)`;
  return `greatest(now() - interval '${num(windowCapSec)} seconds',
    least(now() - interval '${num(baseSec)} seconds', (${liveMin})${history}))`;
}

/** The smallest UUIDv7 of a timestamptz expression, for `run_id >= ...` on flavour absurd. */
export function uuidv7FloorSql(ts: string): string {
  return `(lpad(to_hex(floor(extract(epoch from ${ts}) * 1000)::bigint), 12, '0') || '70008000000000000000')::uuid`;
}

/** Oldest creation time among waiting and running tasks (sleeping ones may wait for days). */
export function oldestLive(rows: LiveRow[]): number | null {
  const times = rows.filter((r) => r.state !== 'sleeping' && r.oldest_created_at !== null).map((r) => r.oldest_created_at!);
  return times.length ? Math.min(...times) : null;
}
