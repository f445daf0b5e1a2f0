// A refresh must stay cheap on big tables: on 200k-row absurd and dsa110-v2 fixtures, refreshes
// after the first (which fills the once-a-minute totals) read no task or run table sequentially;
// on dsa110-v1 the full scans happen at most once per cache period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../src/config/schema.js';
import { createPool } from '../src/data/pg/connect.js';
import { createDbReader, type ReaderOptions } from '../src/data/flavours/create-reader.js';
import type { Flavour } from '../src/data/snapshot.js';
import { bulkSeed, freshActivity, seedFlavour } from './helpers/seed.js';
import { flushStats, rowsRead, statsDelta, tableStats } from './helpers/table-stats.js';
import { createTestDatabase } from './helpers/test-database.js';
import { waitFor } from './helpers/wait-for.js';

const rows = 200_000;
// The big tables. (The small seeded queue's tables, a dozen rows, are rightly read sequentially.)
const taskTable = (flavour: Flavour) => (name: string): boolean =>
  flavour === 'absurd' ? /^[tr]_dsa110-pipeline$/.test(name) : name === (flavour === 'dsa110-v2' ? 'tasks' : 't_tasks');

async function bigFixture(flavour: Flavour, n: number, options: ReaderOptions = {}) {
  const db = await createTestDatabase({ flavour });
  await bulkSeed(db.pool, flavour, n, { queues: ['dsa110-pipeline'] });
  await seedFlavour(db.pool, flavour, 'we"ird Queue-1');
  await db.pool.query('vacuum analyze');
  // One connection, so the reader's statistics can be flushed from the same session.
  const readerPool = createPool({ database: db.url, statementTimeoutMs: 10_000, readOnly: true }, { max: 1 });
  const reader = await createDbReader(readerPool, configSchema.parse({ database: db.url }), options);
  // The console watches while work happens (recently changed rows, a failure in the last hour of
  // a task created long ago): the first refresh sees that task live and widens the window for it.
  await reader.snapshot();
  await freshActivity(db.pool, flavour, 'dsa110-pipeline');
  const close = async (): Promise<void> => { await readerPool.end(); await db.drop(); };
  return { db, readerPool, reader, close };
}

for (const flavour of ['absurd', 'dsa110-v2'] as const) {
  test(`${flavour}: refreshes on ${rows} rows read no task table sequentially`, async () => {
    // Every refresh a full one: what it costs when tasks are moving (write-gate.test.ts: idle ones).
    const f = await bigFixture(flavour, rows, { unchangedReuseMs: 0 });
    try {
      await f.reader.snapshot(); // fills the all-time totals (the one full read per minute)
      await flushStats(f.readerPool);
      const before = await tableStats(f.db.pool);
      const refreshes = 3;
      for (let i = 0; i < refreshes; i++) await f.reader.snapshot();
      await flushStats(f.readerPool);
      const delta = statsDelta(before, await tableStats(f.db.pool));
      const scanned = [...delta].filter(([name, d]) => taskTable(flavour)(name) && d.seqScan > 0);
      assert.deepEqual(scanned, [], `sequential scans: ${JSON.stringify(scanned)}`);
      // Bounded by live and recent rows, not by the table: well under 1 % here, ~0.01 % at 10M.
      const perRefresh = rowsRead(delta, taskTable(flavour)) / refreshes;
      const snap = await f.reader.snapshot();
      assert.equal(snap.queues.find((q) => q.name === 'dsa110-pipeline')?.failedLastHour, 1, 'the fresh failure is seen');
      assert.ok(perRefresh < rows * 0.01, `rows read per refresh: ${perRefresh}`);
      console.log(`${flavour}: ${perRefresh} rows read per refresh`);
      assert.ok([...delta.keys()].some(taskTable(flavour)), 'the refreshes did read the task tables (stats arrived)');
    } finally {
      await f.close();
    }
  });
}

test('dsa110-v1: full scans at most once per cache period on a big table', async () => {
  let now = Date.now();
  // unchangedReuseMs 0: the clock here stands still, so the write gate would reuse forever.
  const f = await bigFixture('dsa110-v1', 20_000, { v1ScanEveryRefreshBelowRows: 10_000, unchangedReuseMs: 0, now: () => now });
  const seqScans = async (): Promise<number> => {
    await flushStats(f.readerPool);
    return (await tableStats(f.db.pool)).get('t_tasks')?.seqScan ?? 0;
  };
  try {
    const first = await f.reader.snapshot();
    assert.match(first.diagnostics.map((d) => d.message).join('\n'), /one full scan a minute.*CREATE INDEX CONCURRENTLY/);
    const before = await seqScans();
    for (let i = 0; i < 3; i++) await f.reader.snapshot();
    assert.equal(await seqScans(), before, 'no full scan within the minute: pending counts use the partial index');
    now += 61_000;
    await waitFor(() => f.reader.snapshot(), (s) => (s.queues[0]?.terminalAsOf ?? 0) >= now, 10_000, 'the minute scan');
    assert.ok(await seqScans() > before, 'a minute later the scan ran again');
  } finally {
    await f.close();
  }
});
