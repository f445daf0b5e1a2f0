// The tests every flavour reader must pass, registered by test/pg-flavour-*.test.ts with that
// flavour's expectations. One database per file, seeded with two queues (one with a hostile name).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { createDbReader } from '../../src/data/flavours/create-reader.js';
import type { DbReader } from '../../src/data/sources.js';
import { dbSnapshotSchema, type DbSnapshot, type Flavour, type StuckTask } from '../../src/data/snapshot.js';
import { plainCounts, plainIdsNewestFirst, plainLastHour } from './plain-counts.js';
import { seedFlavour, type Seeded } from './seed.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const weirdQueue = 'we"ird Queue-1';

export interface FlavourExpectations {
  flavour: Flavour;
  otherQueue: string;
  inFlight: string[];
  stuck: Record<string, StuckTask['reason']>;
  failuresInclude: string[];
  failuresExclude: string[];
  errorResults: string[];
  workers: string[];
  stuckWorkers: string[];
}

export interface SuiteHandle {
  db: () => TestDatabase;
  seeded: () => Seeded;
  reader: (config?: ConfigInput) => Promise<DbReader>;
}

export function flavourSuite(x: FlavourExpectations): SuiteHandle {
  let db: TestDatabase;
  let seeded: Seeded;
  let other: Seeded;
  let reader: DbReader;
  let snap: DbSnapshot;
  const makeReader = (config: ConfigInput = {}): Promise<DbReader> =>
    createDbReader(db.pool, configSchema.parse({ database: db.url, ...config }));
  const roles = (ids: string[], s: Seeded = seeded): string[] =>
    ids.map((id) => Object.entries(s.ids).find(([, v]) => v === id)?.[0] ?? id).sort();

  before(async () => {
    db = await createTestDatabase({ flavour: x.flavour });
    seeded = await seedFlavour(db.pool, x.flavour, weirdQueue);
    other = await seedFlavour(db.pool, x.flavour, x.otherQueue);
    reader = await makeReader();
    snap = await reader.snapshot();
  });
  after(async () => { await db?.drop(); });

  test(`${x.flavour}: the snapshot is exactly what the schema (and --once --json's document) describes`, async () => {
    // The reader no longer parses its own assembly at run time (half its garbage a refresh):
    // the schema's promises the types cannot carry (integers, no NaN, no extra keys) are held here.
    assert.deepEqual(dbSnapshotSchema.strict().parse(snap), snap);
    const one = await (await makeReader({ queue: weirdQueue })).snapshot();
    assert.deepEqual(dbSnapshotSchema.strict().parse(one), one);
  });

  test(`${x.flavour}: detected, and counts per queue equal plain SQL`, async () => {
    assert.equal(reader.flavour, x.flavour);
    assert.deepEqual(snap.queues.map((q) => q.name).sort(), [weirdQueue, x.otherQueue].sort());
    for (const q of snap.queues) {
      const c = await plainCounts(db.pool, x.flavour, q.name);
      assert.deepEqual(q.live, { pending: c.pending, running: c.running, sleeping: c.sleeping, retrying: c.retrying }, q.name);
      assert.deepEqual(q.terminal, { completed: c.completed, failed: c.failed, cancelled: c.cancelled }, q.name);
      assert.equal(q.terminalScope, 'all-time');
      const h = await plainLastHour(db.pool, x.flavour, q.name);
      assert.equal(q.completedLastHour, h.completed, `${q.name} completed last hour`);
      assert.equal(q.failedLastHour, h.failed, `${q.name} failed last hour`);
      assert.equal(q.failureRateLastHour, h.failed / (h.completed + h.failed));
      assert.ok(q.oldestPendingAt !== null && q.oldestPendingAt <= Date.now() + 1000);
      assert.ok(q.waitSec.p50 !== null && q.runSec.p95 !== null);
      assert.ok(q.lastCompletionAt !== null);
    }
  });

  test(`${x.flavour}: in-flight, stuck, failures, error results and workers`, () => {
    const mine = (list: { id: string; queue: string }[]): string[] => roles(list.filter((t) => t.queue === weirdQueue).map((t) => t.id));
    assert.deepEqual(mine(snap.inFlight), [...x.inFlight].sort());
    const stuck = Object.fromEntries(snap.stuck.filter((t) => t.queue === weirdQueue).map((t) => [roles([t.id])[0], t.reason]));
    assert.deepEqual(stuck, x.stuck);
    for (const s of snap.stuck) assert.doesNotMatch(s.detail, /ago/, 'ages belong to the view: a detail that changes every tick redraws an idle console');
    const failures = mine(snap.failures);
    for (const r of x.failuresInclude) assert.ok(failures.includes(r), `failures include ${r}: ${failures}`);
    for (const r of x.failuresExclude) assert.ok(!failures.includes(r), `failures exclude ${r}`);
    assert.ok(snap.failures.every((f) => f.state === 'failed' && f.error));
    assert.deepEqual(mine(snap.errorResults), x.errorResults);
    assert.deepEqual(snap.workers.map((w) => w.id), [...x.workers].sort());
    assert.deepEqual(snap.workers.filter((w) => w.stuck).map((w) => w.id), [...x.stuckWorkers].sort());
    assert.ok(snap.workers.every((w) => w.host !== null && w.lastSeenAt !== null));
    assert.ok(snap.roundTripMs >= 0);
  });

  test(`${x.flavour}: in-flight and failed tasks come in the reader's order (longest claimed or most overdue first, newest failure first)`, () => {
    const descending = (list: number[]) => assert.deepEqual(list, [...list].sort((a, b) => b - a));
    if (x.flavour === 'absurd') {
      // Ordered by how long ago the lease ran out: the expired ones (stuck) ahead of the valid.
      const stuckIds = new Set(snap.stuck.map((t) => t.id));
      const expired = snap.inFlight.map((t) => (stuckIds.has(t.id) ? 1 : 0));
      assert.ok(expired.includes(1) && expired.includes(0), 'the fixture needs expired and valid leases');
      descending(expired);
      descending(snap.failures.map((t) => t.completedAt ?? 0));
    } else {
      const claimed = snap.inFlight.map((t) => t.claimedAt ?? 0);
      assert.ok(new Set(claimed).size > 1, 'the fixture needs tasks claimed at different times');
      assert.deepEqual(claimed, [...claimed].sort((a, b) => a - b));
      descending(snap.failures.map((t) => t.createdAt ?? 0));
    }
    assert.ok(snap.failures.length > 1, 'the fixture needs several failures');
  });

  test(`${x.flavour}: recent lists the 10 newest tasks by creation`, async () => {
    assert.equal(snap.recent.length, 10);
    const times = snap.recent.map((t) => t.createdAt ?? 0);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.equal(snap.recent[0]?.id, other.ids.pending, 'the last task spawned comes first');
  });

  test(`${x.flavour}: one queue by config; an unknown queue is a typed problem`, async () => {
    const one = await (await makeReader({ queue: weirdQueue })).snapshot();
    assert.deepEqual(one.queues.map((q) => q.name), [weirdQueue]);
    assert.ok([...one.inFlight, ...one.recent, ...one.failures].every((t) => t.queue === weirdQueue));
    const missing = await makeReader({ queue: 'no-such-queue' });
    await assert.rejects(missing.snapshot(), (err: { problem?: { kind: string; message: string } }) => {
      assert.equal(err.problem?.kind, 'unknown-queue');
      assert.match(err.problem?.message ?? '', /queue "no-such-queue" not found; known queues: .*we"ird Queue-1/);
      return true;
    });
  });

  test(`${x.flavour}: task detail`, async () => {
    const d = await reader.taskDetail(weirdQueue, seeded.ids.failed!);
    assert.ok(d);
    assert.equal(d.state, 'failed');
    assert.match(d.fullError ?? '', /disk full/);
    assert.equal((d.params as { role: string }).role, 'failed');
    assert.ok(Object.values(d.timestamps).some((t) => t !== null));
    assert.equal(await reader.taskDetail(weirdQueue, '00000000-0000-7000-8000-000000000000'), null);
    assert.equal(await reader.taskDetail(weirdQueue, 'not-a-uuid'), null);
  });

  test(`${x.flavour}: browse pages newest first through every task once, and filters`, async () => {
    const seen: string[] = [];
    let page = await reader.browse({ queue: weirdQueue, limit: 3 });
    for (;;) {
      assert.ok(page.tasks.length <= 3);
      seen.push(...page.tasks.map((t) => t.id));
      if (!page.next) break;
      page = await reader.browse({ queue: weirdQueue, limit: 3, after: page.next });
    }
    assert.deepEqual(seen, await plainIdsNewestFirst(db.pool, x.flavour, weirdQueue));
    const failed = await reader.browse({ queue: weirdQueue, states: ['failed'] });
    assert.deepEqual(roles(failed.tasks.map((t) => t.id)), ['failed', 'oldFailed']);
    assert.equal(failed.next, null);
    const named = await reader.browse({ queue: weirdQueue, name: 'IMAG' });
    assert.ok(named.tasks.length >= 2 && named.tasks.every((t) => t.name === 'imaging'));
    const text = await reader.browse({ queue: weirdQueue, text: 'disk full' });
    assert.deepEqual(roles(text.tasks.map((t) => t.id)), ['failed']);
    const none = await reader.browse({ queue: weirdQueue, text: '100%_' });
    assert.equal(none.tasks.length, 0, '% and _ are literal');
  });

  return { db: () => db, seeded: () => seeded, reader: makeReader };
}
