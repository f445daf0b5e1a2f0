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

export class LiveHistory {
  private seen: { at: number; oldest: number }[] = [];

  constructor(private readonly now: () => number) {}

  /** After each refresh: creation time (epoch ms) of the oldest live task, or null. */
  observe(oldest: number | null): void {
    const at = this.now();
    this.seen = this.seen.filter((s) => at - s.at <= 3600_000);
    if (oldest !== null) this.seen.push({ at, oldest });
  }

  /** Oldest live creation time seen within the last hour, or null. */
  oldestMs(): number | null {
    const at = this.now();
    const recent = this.seen.filter((s) => at - s.at <= 3600_000);
    return recent.length ? Math.min(...recent.map((s) => s.oldest)) : null;
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
