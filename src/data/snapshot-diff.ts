// Decides whether a new snapshot is worth a frame. Re-rendering identical output costs as much
// as a real frame, so the poller emits only when something an operator could see has changed:
// the tick time and the fetch time never count, round-trip jitter counts only when it grows or
// shrinks by more than half (a 3 ms -> 4 ms wobble must not redraw an idle screen), disks count
// at the precision they are shown, and load and memory not at all: they move every few seconds on
// a busy head node, so they ride along with the next frame (at the latest the clock's, once a
// minute) instead of drawing their own (withQuietMetrics).
import type { Snapshot } from './snapshot.js';

/** Structural equality of JSON-like values; shared subtrees (same object) are not walked. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const k in ra) {
    if (!Object.prototype.hasOwnProperty.call(ra, k)) continue;
    if (!Object.prototype.hasOwnProperty.call(rb, k) || !deepEqual(ra[k], rb[k])) return false;
    count++;
  }
  for (const k in rb) if (Object.prototype.hasOwnProperty.call(rb, k)) count--;
  return count === 0;
}

/**
 * The database part as the screen shows it: fetch time, round trip and when the all-time totals
 * were last counted aside (that stamp is renewed every minute with the same counts, and no
 * pane shows it).
 */
export function sameDbContent(a: NonNullable<Snapshot['db']>, b: NonNullable<Snapshot['db']>): boolean {
  const shown = (db: NonNullable<Snapshot['db']>) => ({
    ...db, fetchedAt: 0, roundTripMs: 0, queues: db.queues.map((q) => (q.terminalAsOf === null ? q : { ...q, terminalAsOf: 0 })),
  });
  return deepEqual(shown(a), shown(b));
}

/** Host metrics that are worth a frame, at the precision the screen shows them. */
function shownHost(host: Snapshot['host']): unknown {
  return {
    ...host,
    memUsedPct: null,
    load: [],
    // Used bytes move with every log line written; the pane shows whole percents and ~3 digits.
    disks: host.disks.map((d) => ({
      ...d,
      usedPct: d.usedPct === null ? null : Math.round(d.usedPct),
      usedBytes: d.usedBytes === null ? null : Number(d.usedBytes.toPrecision(3)),
    })),
  };
}

/** Units as the workers pane shows them: memory to ~2 digits, CPU time not at all. */
function shownUnits(units: Snapshot['units']): unknown {
  return {
    ...units,
    units: units.units.map((u) => ({
      ...u,
      cpuNsec: null,
      memoryBytes: u.memoryBytes === null ? null : Number(u.memoryBytes.toPrecision(2)),
    })),
  };
}

/** `prev` with the newest load and memory: kept without a frame of their own. */
export function withQuietMetrics(prev: Snapshot, next: Snapshot): Snapshot {
  if (deepEqual(prev.host.load, next.host.load) && prev.host.memUsedPct === next.host.memUsedPct) return prev;
  return { ...prev, host: { ...prev.host, load: next.host.load, memUsedPct: next.host.memUsedPct } };
}

export function roundTripChanged(a: number, b: number): boolean {
  return Math.abs(a - b) > Math.max(50, 0.5 * Math.max(a, b));
}

/** True when `next` shows the same thing as `prev` (ignoring tick time, fetch time, jitter). */
export function sameSnapshot(prev: Snapshot, next: Snapshot): boolean {
  if (!deepEqual(shownUnits(prev.units), shownUnits(next.units)) || !deepEqual(shownHost(prev.host), shownHost(next.host))) return false;
  if (!deepEqual(prev.dbProblem, next.dbProblem)) return false;
  if (prev.db === null || next.db === null) return prev.db === next.db;
  if (roundTripChanged(prev.db.roundTripMs, next.db.roundTripMs)) return false;
  return sameDbContent(prev.db, next.db);
}
