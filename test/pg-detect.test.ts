// Flavour detection from the catalog: each layout, an empty database, the two ambiguous cases
// (a queue named "tasks" in flavour absurd; two layouts in one database) and missing grants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { configSchema, type ConfigInput } from '../src/config/schema.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { detectFlavour } from '../src/data/pg/detect-flavour.js';
import type { Flavour } from '../src/data/snapshot.js';
import { seedFlavour } from './helpers/seed.js';
import { createTestDatabase, installFlavour, type TestDatabase } from './helpers/test-database.js';

const reader = (db: TestDatabase, config: ConfigInput = {}) =>
  createDbReader(db.pool, configSchema.parse({ database: db.url, ...config }));

const problemOf = async (promise: Promise<unknown>): Promise<{ kind: string; message: string }> => {
  try {
    await promise;
  } catch (err) {
    const problem = (err as { problem?: { kind: string; message: string } }).problem;
    assert.ok(problem, `expected a DbProblemError, got ${String(err)}`);
    return problem;
  }
  assert.fail('expected a failure');
};

for (const flavour of ['absurd', 'dsa110-v2', 'dsa110-v1'] as Flavour[]) {
  test(`detects ${flavour}`, async () => {
    const db = await createTestDatabase({ flavour });
    try {
      // A freshly installed layout: no queues, no tasks, and still a valid snapshot.
      const empty = await (await reader(db)).snapshot();
      assert.deepEqual([empty.queues, empty.recent, empty.workers], [[], [], []]);
      await seedFlavour(db.pool, flavour);
      const d = await detectFlavour(db.pool, { flavour: null });
      assert.equal(d.flavour, flavour);
      assert.deepEqual(d.found, [flavour]);
      assert.equal(d.schemaVersion, flavour === 'absurd' ? '0.4.0' : null);
      assert.equal((await reader(db)).flavour, flavour);
    } finally {
      await db.drop();
    }
  });
}

test('no absurd schema: says which database and asks if it is the right one', async () => {
  const db = await createTestDatabase({ flavour: null });
  try {
    const p = await problemOf(reader(db));
    assert.equal(p.kind, 'no-schema');
    assert.equal(p.message, `no absurd schema in database "${db.name}": is this the right database? (the pipeline's is usually dsa110_absurd)`);
    await db.pool.query('create schema absurd');
    const empty = await problemOf(reader(db));
    assert.equal(empty.kind, 'no-schema');
    assert.match(empty.message, /schema absurd in database ".*" holds no Absurd task tables/);
  } finally {
    await db.drop();
  }
});

test('a queue named "tasks" in flavour absurd is not dsa110-v1', async () => {
  const db = await createTestDatabase({ flavour: 'absurd' });
  try {
    await seedFlavour(db.pool, 'absurd', 'tasks');
    const d = await detectFlavour(db.pool, { flavour: null });
    assert.equal(d.flavour, 'absurd');
    assert.deepEqual(d.found, ['absurd']);
    const snap = await (await reader(db)).snapshot();
    assert.deepEqual(snap.queues.map((q) => q.name), ['tasks']);
  } finally {
    await db.drop();
  }
});

test('two layouts: the newest rows win unless --flavour says otherwise; both are reported', async () => {
  // v2 first: once absurd's claim_task(q, worker, timeout = 30, qty = 1) exists, v2's two-argument
  // call is ambiguous. (Production databases never hold both layouts' functions.)
  const db = await createTestDatabase({ flavour: 'dsa110-v2' });
  try {
    await seedFlavour(db.pool, 'dsa110-v2');
    await db.pool.query(`update absurd.tasks set created_at = created_at - interval '1 day'`);
    await installFlavour(db.pool, 'absurd');
    await seedFlavour(db.pool, 'absurd');
    const d = await detectFlavour(db.pool, { flavour: null });
    assert.deepEqual(d.found, ['absurd', 'dsa110-v2']);
    assert.equal(d.flavour, 'absurd');
    assert.match(d.diagnostics[0]?.message ?? '', /holds 2 Absurd layouts: absurd \(newest task .*\), dsa110-v2 \(newest task .*\); reading absurd \(newest rows\)/);
    const forced = await reader(db, { flavour: 'dsa110-v2' });
    assert.equal(forced.flavour, 'dsa110-v2');
    assert.match((await forced.snapshot()).diagnostics.map((x) => x.message).join('\n'), /reading dsa110-v2 \(--flavour\)/);
    // Newer v2 rows flip the choice.
    await db.pool.query(`update absurd.tasks set created_at = now() + interval '1 minute'`);
    assert.equal((await detectFlavour(db.pool, { flavour: null })).flavour, 'dsa110-v2');
    const missing = await problemOf(reader(db, { flavour: 'dsa110-v1' }));
    assert.equal(missing.kind, 'no-schema');
    assert.match(missing.message, /--flavour dsa110-v1 requested, but database ".*" holds absurd and dsa110-v2/);
  } finally {
    await db.drop();
  }
});

test('missing grants: schema usage at detection, table select at the first refresh', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v2' });
  const role = `absurdtop_ro_${randomBytes(4).toString('hex')}`;
  await db.pool.query(`create role ${role} login`);
  // pg_hba here trusts 127.0.0.1, so the role needs no password.
  const url = new URL(db.url);
  url.username = role;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  try {
    await db.pool.query(`revoke all on schema absurd from public`);
    const noUsage = await problemOf(createDbReader(pool, configSchema.parse({ database: url.toString() })));
    assert.equal(noUsage.kind, 'permission');
    assert.equal(noUsage.message, `permission denied for schema absurd (user "${role}"): ask an admin to run GRANT USAGE ON SCHEMA absurd TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA absurd TO ${role}`);
    await db.pool.query(`grant usage on schema absurd to ${role}`);
    const r = await createDbReader(pool, configSchema.parse({ database: url.toString() }));
    const noSelect = await problemOf(r.snapshot());
    assert.equal(noSelect.kind, 'permission');
    assert.match(noSelect.message, new RegExp(`^permission denied for table tasks \\(user "${role}"\\): ask an admin to run GRANT SELECT ON absurd.tasks TO ${role}$`));
  } finally {
    await pool.end();
    // Through the test database's own pool, so it works on the embedded server as well.
    await db.pool.query(`drop owned by ${role}`);
    await db.pool.query(`drop role if exists ${role}`);
    await db.drop();
  }
});
