import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Poller, type PollerState } from '../src/data/poller.js';
import type { DbSnapshot, UnitsSnapshot } from '../src/data/snapshot.js';
import type { DbReader } from '../src/data/sources.js';
import { db as dbFixture, host, queueStats, testConfig, unit } from './helpers/snapshot-fixtures.js';
import { diagnose } from '../src/data/diagnose.js';
import { workerRows } from '../src/ui/panes/rows.js';

async function waitFor(condition: () => boolean, what: string, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A DbReader whose snapshot() answers from a script: a DbSnapshot, an Error, or a promise. */
function fakeDb(next: () => DbSnapshot | Error | Promise<DbSnapshot>) {
  const calls = { snapshot: 0, concurrent: 0, maxConcurrent: 0 };
  const reader: DbReader = {
    flavour: 'dsa110-v2',
    queues: async () => ['dsa110-pipeline'],
    taskDetail: async () => null,
    browse: async () => ({ tasks: [], next: null }),
    snapshot: async () => {
      calls.snapshot++;
      calls.concurrent++;
      calls.maxConcurrent = Math.max(calls.maxConcurrent, calls.concurrent);
      try {
        const value = await next();
        if (value instanceof Error) throw value;
        return value;
      } finally {
        calls.concurrent--;
      }
    },
  };
  return { reader, calls };
}

const unitsOk = () => {
  const calls = { list: 0 };
  return { calls, list: async (): Promise<UnitsSnapshot> => { calls.list++; return { units: [], problem: null }; } };
};
const hostOk = { snapshot: async () => host() };
const pending = (n: number, fetchedAt = Date.now(), roundTripMs = 3): DbSnapshot =>
  dbFixture({ queues: [queueStats('q', { live: { pending: n, running: 0, sleeping: 0, retrying: 0 } })], fetchedAt, roundTripMs });
const unreachable = () => Object.assign(new Error('connect ECONNREFUSED'), { problem: { kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:5432' } });

test('refreshes never overlap: concurrent refreshNow calls join one queued refresh', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const { reader, calls } = fakeDb(async () => { await gate; return pending(1); });
  const poller = new Poller({ db: reader, units: unitsOk(), host: hostOk }, { intervalMs: 60_000 });
  const all = [poller.refreshNow(), poller.refreshNow(), poller.refreshNow(), poller.refreshNow()];
  await waitFor(() => calls.snapshot === 1, 'the first call');
  release();
  await Promise.all(all);
  assert.equal(calls.maxConcurrent, 1);
  assert.equal(calls.snapshot, 2, 'one running refresh plus one queued refresh');
});

test('a database error keeps the last good data with dbProblem and its start time, then recovers', async () => {
  const script: (DbSnapshot | Error)[] = [pending(5), unreachable(), unreachable(), pending(6)];
  const { reader } = fakeDb(() => script.shift()!);
  let clock = 1_000_000;
  const poller = new Poller({ db: reader, units: unitsOk(), host: hostOk }, { intervalMs: 1000, now: () => clock });
  await poller.refreshNow();
  const good = poller.state.snapshot.db;
  assert.equal(good?.queues[0]?.live.pending, 5);

  clock += 1000;
  await poller.refreshNow();
  const down = poller.state.snapshot;
  assert.equal(down.db, good, 'the last good picture stays');
  assert.deepEqual(down.dbProblem, { kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:5432', since: 1_001_000 });

  clock += 5000;
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.dbProblem?.since, 1_001_000, 'since = start of the outage');

  clock += 1000;
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.dbProblem, null);
  assert.equal(poller.state.snapshot.db?.queues[0]?.live.pending, 6);
});

test('during an outage the data kept is dated by the last answer, not by the last change', async () => {
  // Unchanged answers do not replace the snapshot (nothing to redraw), so its fetchedAt is the
  // last change; "showing data from 5m ago" must count from the last answer instead.
  const script: (DbSnapshot | Error)[] = [pending(5, 1_000), pending(5, 61_000), unreachable()];
  const { reader } = fakeDb(() => script.shift()!);
  const poller = new Poller({ db: reader, units: unitsOk(), host: hostOk }, { intervalMs: 1000 });
  await poller.refreshNow();
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.db?.fetchedAt, 1_000, 'an unchanged answer keeps the snapshot');
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.db?.fetchedAt, 61_000);
  assert.equal(poller.state.snapshot.db?.queues[0]?.live.pending, 5);
});

test('listeners hear only about visible changes, not fetch time or round-trip jitter', async () => {
  const script = [pending(1, 1, 3), pending(1, 2, 4), pending(1, 3, 5), pending(2, 4, 3), pending(2, 5, 900)];
  const { reader } = fakeDb(() => script.shift()!);
  const poller = new Poller({ db: reader, units: unitsOk(), host: hostOk }, { intervalMs: 60_000 });
  const seen: PollerState[] = [];
  poller.subscribe((s) => seen.push(s));
  for (let i = 0; i < 5; i++) await poller.refreshNow();
  assert.deepEqual(seen.map((s) => [s.snapshot.db?.queues[0]?.live.pending, s.snapshot.db?.roundTripMs]), [[1, 3], [2, 3], [2, 900]]);
  assert.equal(poller.state.history.length, 5, 'history still grows every tick');
  assert.notEqual(poller.state.checkedAt, null);
});

test('pause stops the ticks; refreshNow still works while paused; resume ticks again', async () => {
  const { reader, calls } = fakeDb(() => pending(calls.snapshot));
  const poller = new Poller({ db: reader, units: unitsOk(), host: hostOk }, { intervalMs: 5 });
  poller.start();
  await waitFor(() => calls.snapshot >= 3, 'three ticks');
  poller.setPaused(true);
  assert.equal(poller.state.paused, true);
  const before = calls.snapshot;
  await poller.refreshNow(); // waits for any in-flight tick, then refreshes once while paused
  assert.ok(calls.snapshot > before);
  const frozen = calls.snapshot;
  await new Promise((r) => setTimeout(r, 40)); // an absence can only be observed over time
  assert.equal(calls.snapshot, frozen, 'no refresh while paused');
  poller.setPaused(false);
  await waitFor(() => calls.snapshot >= frozen + 4, 'ticks after resume');
  await poller.stop();
});

test('database attempts back off while units keep refreshing', async () => {
  const { reader, calls } = fakeDb(() => unreachable());
  const units = unitsOk();
  const poller = new Poller({ db: reader, units, host: hostOk }, { intervalMs: 3, maxBackoffMs: 10_000 });
  poller.start();
  await waitFor(() => units.calls.list >= 25, '25 unit refreshes');
  await poller.stop();
  assert.ok(calls.snapshot <= 8, `expected few database attempts, got ${calls.snapshot}`);
  assert.equal(poller.state.snapshot.dbProblem?.kind, 'unreachable');
});

test('a hung database call times out, and later ticks join it instead of calling again', async () => {
  const { reader, calls } = fakeDb(() => new Promise<DbSnapshot>(() => {}));
  const poller = new Poller({ db: reader, units: unitsOk(), host: hostOk }, { intervalMs: 1, timeoutMs: 20 });
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.dbProblem?.kind, 'timeout');
  await poller.refreshNow();
  assert.equal(calls.snapshot, 1);
});

test('a connect function is retried until it gives a reader', async () => {
  let attempts = 0;
  const { reader } = fakeDb(() => pending(3));
  const connect = async () => {
    attempts++;
    if (attempts === 1) throw Object.assign(new Error('password authentication failed'), { kind: 'auth', message: 'password authentication failed for user "absurd"' });
    return reader;
  };
  const poller = new Poller({ db: connect, units: unitsOk(), host: hostOk }, { intervalMs: 1000 });
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.dbProblem?.kind, 'auth');
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.dbProblem, null);
  assert.equal(poller.state.snapshot.db?.queues[0]?.live.pending, 3);
});

test('units and host failures land in their problem fields and keep the last units', async () => {
  const { reader } = fakeDb(() => pending(1));
  let fail = false;
  const units = { list: async (): Promise<UnitsSnapshot> => {
    if (fail) throw new Error('systemctl timed out');
    return { units: [], problem: null };
  } };
  const poller = new Poller({ db: reader, units, host: { snapshot: async () => { throw new Error('statfs failed'); } } }, { intervalMs: 1000 });
  await poller.refreshNow();
  fail = true;
  await poller.refreshNow();
  assert.equal(poller.state.snapshot.units.problem, 'systemctl timed out');
  assert.equal(poller.state.snapshot.host.problem, 'statfs failed');
});

test('history is bounded by count and window', async () => {
  let at = 0;
  const { reader } = fakeDb(() => pending(1, (at += 1000)));
  const poller = new Poller({ db: reader, units: unitsOk(), host: hostOk }, { intervalMs: 1000, historyMax: 3, historyWindowMs: 60_000 });
  for (let i = 0; i < 6; i++) await poller.refreshNow();
  assert.deepEqual(poller.state.history.map((p) => p.at), [4000, 5000, 6000]);
});

test('load and memory never draw a frame of their own, but the next frame shows their newest values', async () => {
  let mem = 47.1;
  let load = [2.311, 2.05, 1.8];
  let pendingCount = 1;
  const { reader } = fakeDb(() => pending(pendingCount, 1, 3));
  const poller = new Poller({ db: reader, units: unitsOk(), host: { snapshot: async () => host({ memUsedPct: mem, load }) } }, { intervalMs: 60_000 });
  const seen: number[] = [];
  poller.subscribe((s) => seen.push(s.snapshot.host.memUsedPct ?? -1));
  await poller.refreshNow();
  mem = 58.2;
  load = [7.5, 3.1, 2.0];
  await poller.refreshNow();
  assert.deepEqual(seen, [47.1], 'a busy host moving its load redraws nothing by itself');
  assert.equal(poller.state.snapshot.host.memUsedPct, 58.2, 'the clock frame will show the newest value');
  assert.deepEqual(poller.state.snapshot.host.load, [7.5, 3.1, 2.0]);
  pendingCount = 2;
  await poller.refreshNow();
  assert.deepEqual(seen, [47.1, 58.2]);
});

test('disk usage creeping by a few bytes is not a change worth a frame; a whole percent is', async () => {
  const { sameSnapshot } = await import('../src/data/snapshot-diff.js');
  const disk = { path: '/stage', mount: '/stage', exists: true, sizeBytes: 1e12, usedBytes: 4.001e11, usedPct: 40.01, level: 'ok' as const };
  const base = { takenAt: 0, db: null, dbProblem: null, units: { units: [], problem: null }, host: { disks: [disk], backlog: null, load: [], memUsedPct: null, problem: null } };
  const creep = { ...base, host: { ...base.host, disks: [{ ...disk, usedBytes: 4.0012e11, usedPct: 40.012 }] } };
  const grown = { ...base, host: { ...base.host, disks: [{ ...disk, usedBytes: 4.12e11, usedPct: 41.2 }] } };
  assert.equal(sameSnapshot(base, creep), true);
  assert.equal(sameSnapshot(base, grown), false);
});

test('a running unit whose memory and CPU time tick up is not redrawn; a state change is', async () => {
  const { sameSnapshot } = await import('../src/data/snapshot-diff.js');
  const unit = { name: 'dsa110-absurd-worker@1.service', host: null, role: 'worker' as const, instance: '1', load: 'loaded', active: 'active', sub: 'running', since: 1, mainPid: 42, restarts: 0, memoryBytes: 512_000_123, cpuNsec: 1e9, workerId: null };
  const base = { takenAt: 0, db: null, dbProblem: null, units: { units: [unit], problem: null }, host: { disks: [], backlog: null, load: [], memUsedPct: null, problem: null } };
  const ticked = { ...base, units: { units: [{ ...unit, memoryBytes: 512_400_000, cpuNsec: 2e9 }], problem: null } };
  const stopped = { ...base, units: { units: [{ ...unit, active: 'inactive', sub: 'dead' }], problem: null } };
  assert.equal(sameSnapshot(base, ticked), true);
  assert.equal(sameSnapshot(base, stopped), false);
});

test('units are asked on their own, slower schedule; refreshUnits brings the next ask forward', async () => {
  const { reader, calls: db } = fakeDb(() => pending(1));
  const units = unitsOk();
  const poller = new Poller({ db: reader, units, host: hostOk }, { intervalMs: 5, unitsIntervalMs: 60_000 });
  poller.start();
  await waitFor(() => db.snapshot >= 10, 'ten database refreshes');
  assert.equal(units.calls.list, 1, 'systemctl asked once while the database was asked ten times');
  poller.refreshUnits();
  await waitFor(() => units.calls.list === 2, 'units asked again after a journal event');
  await poller.stop();
});

test('refreshUnits while idle asks systemd within a moment, once for a burst of events', async () => {
  const { reader } = fakeDb(() => pending(1));
  const units = unitsOk();
  const poller = new Poller({ db: reader, units, host: hostOk }, { intervalMs: 60_000, unitsIntervalMs: 60_000 });
  poller.start();
  await waitFor(() => units.calls.list === 1, 'the first refresh');
  for (let i = 0; i < 5; i++) poller.refreshUnits(); // "Stopping", "Main process exited", "Stopped", …
  await waitFor(() => units.calls.list === 2, 'the units refreshed after the burst');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(units.calls.list, 2, 'a burst of journal events costs one systemctl ask');
  await poller.stop();
});

test('refreshNow also asks systemd, whatever the units schedule (after an action)', async () => {
  const { reader } = fakeDb(() => pending(1));
  const units = unitsOk();
  const poller = new Poller({ db: reader, units, host: hostOk }, { intervalMs: 60_000, unitsIntervalMs: 60_000 });
  await poller.refreshNow();
  await poller.refreshNow();
  assert.equal(units.calls.list, 2);
});

test('the first refresh shows the database without waiting for systemd; units say "not asked yet" until it answers', async () => {
  let answer!: (units: UnitsSnapshot) => void;
  const slowUnits = { list: () => new Promise<UnitsSnapshot>((r) => { answer = r; }) };
  const { reader } = fakeDb(() => pending(7));
  const poller = new Poller({ db: reader, units: slowUnits, host: hostOk }, { intervalMs: 60_000 });
  const seen: PollerState[] = [];
  poller.subscribe((s) => seen.push(s));
  const first = poller.refreshNow();
  await waitFor(() => seen.length === 1, 'the database on screen while systemd has not answered');
  const early = seen[0]!.snapshot;
  assert.equal(early.db?.queues[0]?.live.pending, 7);
  assert.deepEqual(early.units, { units: [], problem: null, asked: false });
  assert.equal(seen[0]!.history.length, 1, 'the database point is in the history');
  assert.ok(!diagnose(early, testConfig(), Date.now()).some((d) => /no worker/.test(d.message)), 'no "no worker" alarm before systemd answered');
  assert.deepEqual(workerRows(early).map((r) => r.type === 'note' && r.text), ['asking systemd…']);
  answer({ units: [unit({ active: 'inactive', sub: 'dead' })], problem: null });
  await first;
  const final = poller.state.snapshot;
  assert.equal(final.units.asked, undefined, 'systemd answered');
  assert.equal(poller.state.history.length, 1, 'one refresh, one history point');
  assert.ok(!workerRows(final).some((r) => r.type === 'note'));
  assert.ok(diagnose(final, testConfig(), Date.now()).some((d) => /7 pending, no worker running/.test(d.message)), 'now systemd said: no worker');
  await poller.stop();
});

test('after the first refresh, a slow systemd holds the whole refresh as before (one frame per refresh)', async () => {
  let answer!: (units: UnitsSnapshot) => void;
  let asks = 0;
  const units = { list: () => (++asks === 1 ? Promise.resolve({ units: [], problem: null }) : new Promise<UnitsSnapshot>((r) => { answer = r; })) };
  let n = 0;
  const { reader } = fakeDb(() => pending(++n));
  const poller = new Poller({ db: reader, units, host: hostOk }, { intervalMs: 60_000 });
  await poller.refreshNow();
  const emitted: PollerState[] = [];
  poller.subscribe((s) => emitted.push(s));
  const second = poller.refreshNow();
  await waitFor(() => asks === 2, 'the second ask');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(emitted.length, 0, 'nothing shown until every source answered');
  answer({ units: [], problem: null });
  await second;
  assert.equal(emitted.length, 1);
  assert.equal(emitted[0]!.snapshot.db?.queues[0]?.live.pending, 2);
  await poller.stop();
});
