// An idle refresh asks the database one trivial question (has any transaction written?) and
// reuses the last snapshot while the answer is no; any committed change is still seen on the
// next refresh, and clock-driven figures are re-read at least every unchangedReuseMs.
import { test } from 'node:test';
import type pg from 'pg';
import assert from 'node:assert/strict';
import { configSchema } from '../src/config/schema.js';
import { createPool } from '../src/data/pg/connect.js';
import { createDbReader, type ReaderOptions } from '../src/data/flavours/create-reader.js';
import type { DbSnapshot, Flavour } from '../src/data/snapshot.js';
import { seedFlavour } from './helpers/seed.js';
import { flushStats, rowsRead, statsDelta, tableStats } from './helpers/table-stats.js';
import { createTestDatabase } from './helpers/test-database.js';
import { useEmbeddedDatabase } from './helpers/embedded-server.js';

const pending = (s: DbSnapshot): number => s.queues.reduce((n, q) => n + q.live.pending, 0);

async function fixture(flavour: Flavour, options: ReaderOptions = {}) {
  const db = await createTestDatabase({ flavour });
  const seeded = await seedFlavour(db.pool, flavour);
  // One connection, so the reader's table statistics can be flushed from its own session.
  const readerPool = createPool({ database: db.url, statementTimeoutMs: 10_000, readOnly: true }, { max: 1 });
  const reader = await createDbReader(readerPool, configSchema.parse({ database: db.url }), options);
  return { db, seeded, readerPool, reader, close: async () => { await readerPool.end(); await db.drop(); } };
}

/**
 * Runs `scenario` until no transaction anywhere in the cluster began or ended while it ran, and
 * returns what that run saw. The gate's probe, txid_current_snapshot(), is cluster-wide: other
 * test files (and anything else on the server) writing to their own databases move it too.
 */
async function whileTheClusterIsQuiet<T>(pool: pg.Pool, scenario: () => Promise<T>): Promise<T> {
  const clusterSnapshot = async () => (await pool.query<{ s: string }>('select txid_current_snapshot()::text as s')).rows[0]!.s;
  for (let attempt = 1; ; attempt++) {
    const before = await clusterSnapshot();
    const seen = await scenario();
    if (await clusterSnapshot() === before) return seen;
    if (attempt === 30) throw new Error('other sessions kept writing to the cluster through 30 attempts');
  }
}

/** A task added the way each layout adds one. */
function spawnSql(flavour: Flavour, queue: string): [string, unknown[]] {
  return flavour === 'absurd'
    ? [`select task_id from absurd.spawn_task($1, $2, '{}'::jsonb, '{}'::jsonb)`, [queue, 'gate-probe']]
    : [`select absurd.spawn_task($1, $2, '{}'::jsonb, 0, 3600, 3)`, [queue, 'gate-probe']];
}

for (const flavour of ['absurd', 'dsa110-v2', 'dsa110-v1'] as const) {
  test(`${flavour}: a write committed between refreshes is on the next one, even while the last one is being reused`, async () => {
    const f = await fixture(flavour);
    try {
      const first = await f.reader.snapshot();
      const idle = await f.reader.snapshot();
      assert.equal(pending(idle), pending(first));
      assert.ok(idle.fetchedAt >= first.fetchedAt, 'a reused snapshot is dated by the answer that confirmed it');
      const [sql, params] = spawnSql(flavour, f.seeded.queue);
      await f.db.pool.query(sql, params);
      assert.equal(pending(await f.reader.snapshot()), pending(first) + 1, 'the spawned task is counted at once');
    } finally {
      await f.close();
    }
  });
}

test('a transaction that was open at one refresh and commits before the next is seen', async () => {
  const f = await fixture('dsa110-v2');
  const writer = await f.db.pool.connect();
  try {
    await writer.query('begin');
    await writer.query(...spawnSql('dsa110-v2', f.seeded.queue));
    const during = await f.reader.snapshot(); // the insert is not visible yet, its xid is in progress
    await writer.query('commit');
    assert.equal(pending(await f.reader.snapshot()), pending(during) + 1);
  } finally {
    writer.release();
    await f.close();
  }
});

test('clock-driven figures are re-read after unchangedReuseMs even when nothing was written', async () => {
  let now = Date.now();
  const f = await fixture('dsa110-v2', { now: () => now });
  // Statements the reader sends: a reused refresh is the probe alone, a full one several more.
  let statements = 0;
  const query = f.readerPool.query.bind(f.readerPool);
  f.readerPool.query = ((...args: Parameters<typeof query>) => { statements++; return query(...args); }) as typeof query;
  const statementsOfOneRefresh = async (): Promise<number> => {
    statements = 0;
    await f.reader.snapshot();
    return statements;
  };
  try {
    // Nothing writes, only time passes: a task claimed 10 minutes ago is 10 minutes older than a
    // reused snapshot says, so after the reuse period the reader asks again.
    const seen = await whileTheClusterIsQuiet(f.db.pool, async () => {
      now += 31_000;
      await f.reader.snapshot(); // a full read starts the reuse period
      const within = await statementsOfOneRefresh();
      now += 29_000;
      const still = await statementsOfOneRefresh();
      now += 1_001;
      const after = await statementsOfOneRefresh();
      return { within, still, after, again: await statementsOfOneRefresh() };
    });
    assert.equal(seen.within, 1, 'within the reuse period: only the probe');
    assert.equal(seen.still, 1, 'still within the 30 s reuse period');
    assert.ok(seen.after > 1, 'after it: a full snapshot');
    assert.equal(seen.again, 1, 'and then reuse again');
  } finally {
    await f.close();
  }
});

test('idle refreshes read no task table at all', { skip: (await useEmbeddedDatabase()) ? 'table statistics need the real server' : false }, async () => {
  const f = await fixture('dsa110-v2');
  try {
    const read = await whileTheClusterIsQuiet(f.db.pool, async () => {
      await f.reader.snapshot(); // takes in whatever was written before
      await flushStats(f.readerPool);
      const before = await tableStats(f.db.pool);
      for (let i = 0; i < 3; i++) await f.reader.snapshot();
      await flushStats(f.readerPool);
      return rowsRead(statsDelta(before, await tableStats(f.db.pool)), (name) => name === 'tasks');
    });
    assert.equal(read, 0, `rows read by three idle refreshes: ${read}`);
  } finally {
    await f.close();
  }
});
