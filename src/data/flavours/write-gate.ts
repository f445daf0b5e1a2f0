// A refresh first asks the database whether any transaction has written since the last full
// snapshot: txid_current_snapshot() changes when a transaction gets an xid (every write does)
// and when one of them ends, and a read-only session never gets one. While it has not changed,
// the last snapshot is still what the tables hold; only figures that move with the clock alone
// (completions in the last minute, "stuck" after N minutes, the last hour's workers) can drift,
// so a full snapshot is still taken at least every `reuseMs`. An idle queue then costs one
// trivial statement a refresh instead of six and their parsing: most of an idle console's CPU,
// and none of the database's. The probe's round trip is also the one the header shows.
import type pg from 'pg';
import type { DbSnapshot } from '../snapshot.js';
import { sameDbContent } from '../snapshot-diff.js';

export class WriteGate {
  private last: { mark: string; at: number; snapshot: DbSnapshot } | null = null;

  constructor(private readonly pool: pg.Pool, private readonly reuseMs: number, private readonly now: () => number) {}

  async snapshot(full: (roundTripMs: number) => Promise<DbSnapshot>): Promise<DbSnapshot> {
    const start = performance.now();
    const res = await this.pool.query<{ mark: string }>('select txid_current_snapshot()::text as mark');
    const roundTripMs = Math.round((performance.now() - start) * 10) / 10;
    const mark = res.rows[0]?.mark ?? '';
    const last = this.last;
    if (last && last.mark === mark && this.now() - last.at < this.reuseMs) {
      return { ...last.snapshot, roundTripMs, fetchedAt: Date.now() };
    }
    this.last = null; // a failed snapshot must not leave an older one to be reused
    let snapshot = await full(roundTripMs);
    // Unchanged content keeps its identity (fresh dates only), so every comparison downstream
    // stops at the first shared subtree instead of walking the whole snapshot each refresh.
    if (last && sameDbContent(last.snapshot, snapshot)) snapshot = { ...last.snapshot, roundTripMs, fetchedAt: snapshot.fetchedAt };
    this.last = { mark, at: this.now(), snapshot };
    return snapshot;
  }
}
