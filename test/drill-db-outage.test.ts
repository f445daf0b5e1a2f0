// Drill: the database goes away under a running poller and comes back. The real reader and pool
// talk to the real server through a TCP proxy (test/helpers/tcp-proxy.ts) that is cut and
// restored, so the shared PostgreSQL server keeps running for everyone else.
//   cut     → the snapshot carries dbProblem (unreachable, since when), the last data stays;
//   restore → data is live again within two refresh intervals, even after a long outage;
//   after   → absurd-top holds no more connections than its pool allows (no leak).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../src/config/schema.js';
import { createPool } from '../src/data/pg/connect.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { Poller } from '../src/data/poller.js';
import type { DbSnapshot, HostSnapshot, UnitsSnapshot } from '../src/data/snapshot.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour } from './helpers/seed.js';
import { spawnPending } from './helpers/action-fixtures.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { waitUntil } from './helpers/wait-until.js';

const intervalMs = 500;
const poolMax = 3;
const units = { list: async (): Promise<UnitsSnapshot> => ({ units: [], problem: null }) };
const host = { snapshot: async (): Promise<HostSnapshot> => ({ disks: [], backlog: null, load: [], memUsedPct: null, problem: null }) };

let db: TestDatabase;
let proxy: TcpProxy;

before(async () => {
  db = await createTestDatabase({ flavour: 'dsa110-v2' });
  await seedFlavour(db.pool, 'dsa110-v2', 'outage');
  proxy = await startTcpProxy({ targetPort: Number(new URL(db.url).port || 5432) });
});
after(async () => {
  await proxy?.close();
  await db?.drop();
});

function proxiedUrl(): string {
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

async function ourConnections(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where application_name = 'absurd-top' and datname = current_database()");
  return rows[0]!.n;
}

/** The data as shown: during an outage its date moves to the last answer, nothing else does. */
const withoutFetchTime = (db: DbSnapshot | null) => (db ? { ...db, fetchedAt: 0 } : null);

// Read through a function: an assert on the property above would narrow it for the compiler.
const currentProblem = (poller: Poller) => poller.state.snapshot.dbProblem;

const pendingOf = (poller: Poller): number | undefined =>
  poller.state.snapshot.db?.queues.find((q) => q.name === 'outage')?.live.pending;

test('cut: problem with since, last data kept; restore: live again within two intervals; no leaked connections', async (t) => {
  const config = configSchema.parse({ database: proxiedUrl(), refreshSec: intervalMs / 1000, statementTimeoutMs: 1000 });
  const pool = createPool(config, { max: poolMax });
  const poller = new Poller({ db: () => createDbReader(pool, config), units, host }, { intervalMs });
  try {
    poller.start();
    const firstPending = await waitUntil(() => pendingOf(poller), { what: 'first live snapshot', timeoutMs: 15_000 });
    const lastGood = poller.state.snapshot.db!;
    assert.equal(poller.state.snapshot.dbProblem, null);

    const cutAt = Date.now();
    proxy.cut();
    const problem = await waitUntil(() => poller.state.snapshot.dbProblem, { what: 'dbProblem after the cut', timeoutMs: 15_000 });
    assert.equal(problem.kind, 'unreachable', problem.message);
    assert.match(problem.message, /cannot reach PostgreSQL at 127\.0\.0\.1:\d+/);
    assert.ok(problem.since >= cutAt - 50 && problem.since <= Date.now(), `since ${problem.since} is when it went away (cut at ${cutAt})`);
    assert.deepEqual(withoutFetchTime(poller.state.snapshot.db), withoutFetchTime(lastGood), 'the last good data stays on screen, unchanged');
    assert.ok(poller.state.snapshot.db!.fetchedAt >= lastGood.fetchedAt && poller.state.snapshot.db!.fetchedAt < cutAt + 50, 'dated by the last answer before the cut');

    // A long outage (many failed attempts, so any backoff has grown) while work keeps arriving.
    await waitUntil(() => Date.now() - cutAt >= intervalMs * 12, { what: 'a long outage', timeoutMs: 30_000, intervalMs: 50 });
    assert.equal(currentProblem(poller)?.since, problem.since, 'since stays the start of the outage');
    assert.deepEqual(withoutFetchTime(poller.state.snapshot.db), withoutFetchTime(lastGood));
    await spawnPending(db.pool, 'dsa110-v2', 'outage');

    const restoredAt = Date.now();
    proxy.restore();
    await waitUntil(() => poller.state.snapshot.dbProblem === null && pendingOf(poller) === firstPending + 1,
      { what: 'live data after restore', timeoutMs: 30_000 });
    const took = Date.now() - restoredAt;
    t.diagnostic(`live again ${took} ms after restore (interval ${intervalMs} ms)`);
    // Two refresh intervals, plus slack for the refresh's own queries on a loaded machine (the
    // old 30 s backoff cap took up to 4 s here).
    assert.ok(took <= 2 * intervalMs + 1000, `reconnected after ${took} ms; expected within two refresh intervals (${2 * intervalMs} ms)`);

    // A few more refreshes, then count our backends on the server.
    const ticks = poller.state.checkedAt!;
    await waitUntil(() => (poller.state.checkedAt ?? 0) > ticks + 3 * intervalMs, { what: 'more refreshes', timeoutMs: 15_000 });
    const n = await ourConnections();
    t.diagnostic(`absurd-top connections after the outage: ${n} (pool max ${poolMax}); proxy accepted ${proxy.accepted}, open ${proxy.open}`);
    assert.ok(n <= poolMax, `${n} absurd-top connections, pool max ${poolMax}`);
    assert.ok(proxy.open <= poolMax, `${proxy.open} connections through the proxy`);
  } finally {
    await poller.stop();
    await pool.end();
  }
  await waitUntil(async () => (await ourConnections()) === 0, { what: 'every connection closed after pool.end()' });
});

test('repeated short outages never leave more connections than the pool max', async () => {
  const config = configSchema.parse({ database: proxiedUrl(), refreshSec: 0.1, statementTimeoutMs: 1000 });
  const pool = createPool(config, { max: poolMax });
  const poller = new Poller({ db: () => createDbReader(pool, config), units, host }, { intervalMs: 100, maxBackoffMs: 200 });
  try {
    poller.start();
    for (let i = 0; i < 5; i++) {
      await waitUntil(() => poller.state.snapshot.dbProblem === null && poller.state.snapshot.db, { what: `live (round ${i})`, timeoutMs: 15_000 });
      proxy.cut();
      await waitUntil(() => poller.state.snapshot.dbProblem, { what: `problem (round ${i})`, timeoutMs: 15_000 });
      proxy.restore();
    }
    await waitUntil(() => poller.state.snapshot.dbProblem === null, { what: 'live at the end', timeoutMs: 15_000 });
    assert.ok(await ourConnections() <= poolMax);
    assert.ok(pool.totalCount <= poolMax, `pool holds ${pool.totalCount}`);
  } finally {
    await poller.stop();
    await pool.end();
  }
});

test('a server that accepts but never answers is reported as a problem, not a hang', async () => {
  // A listener that accepts and stays silent (a hung server, a black-holed route).
  const net = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const silent = net.createServer((s) => { sockets.add(s); s.on('error', () => undefined); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as import('node:net').AddressInfo).port;
  const config = configSchema.parse({ database: `postgres://postgres@127.0.0.1:${port}/x`, refreshSec: 0.2, statementTimeoutMs: 500 });
  const pool = createPool(config);
  const poller = new Poller({ db: () => createDbReader(pool, config), units, host }, { intervalMs: 200 });
  try {
    const started = Date.now();
    await poller.refreshNow();
    const problem = poller.state.snapshot.dbProblem;
    assert.ok(problem, 'a problem is reported');
    assert.ok(['unreachable', 'timeout'].includes(problem.kind), JSON.stringify(problem));
    assert.ok(Date.now() - started < 15_000);
  } finally {
    await poller.stop();
    await pool.end().catch(() => undefined);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});
