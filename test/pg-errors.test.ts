// Bad input gets one clear line: unreachable host, wrong password, missing database, no schema,
// statement timeout; and the pool itself behaves (session settings, idle errors never crash).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { configSchema } from '../src/config/schema.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { classifyDbError, DbProblemError } from '../src/data/pg/classify-error.js';
import { connectionTarget, createPool, maskedTarget } from '../src/data/pg/connect.js';
import { seedFlavour } from './helpers/seed.js';
import { adminUrl, createTestDatabase, urlForDatabase } from './helpers/test-database.js';
import { waitFor } from './helpers/wait-for.js';
import { useEmbeddedDatabase } from './helpers/embedded-server.js';

const embedded = await useEmbeddedDatabase();

/** Connects a reader the way the app does and returns the problem it fails with. */
async function problemFor(database: string, statementTimeoutMs = 2000): Promise<{ kind: string; message: string }> {
  const config = configSchema.parse({ database, statementTimeoutMs });
  const pool = createPool(config);
  try {
    await createDbReader(pool, config);
  } catch (err) {
    assert.ok(err instanceof DbProblemError, `a DbProblemError, got ${String(err)}`);
    assert.doesNotMatch(err.problem.message, /\n/, 'one line');
    return err.problem;
  } finally {
    await pool.end();
  }
  assert.fail('expected the connection to fail');
}

test('unreachable host: names host and port, never the password', async () => {
  const refused = await problemFor('postgres://bob:s3cret-pw@127.0.0.1:1/dsa110_absurd');
  assert.equal(refused.kind, 'unreachable');
  assert.equal(refused.message, 'cannot reach PostgreSQL at 127.0.0.1:1: connection refused (is PostgreSQL running and listening there?)');
  const unknown = await problemFor('postgres://bob:s3cret-pw@no-such-host.invalid:6543/dsa110_absurd');
  assert.equal(unknown.kind, 'unreachable');
  assert.match(unknown.message, /^cannot reach PostgreSQL at no-such-host\.invalid:6543: /);
  for (const p of [refused, unknown]) assert.doesNotMatch(p.message, /s3cret/);
});

test('wrong password: classified from the server error (pg_hba here trusts 127.0.0.1)', () => {
  // This machine's pg_hba.conf is `trust` for local and 127.0.0.1, so no real login can fail;
  // the classification is checked on the error objects node-postgres produces instead.
  const target = connectionTarget('postgres://bob:s3cret-pw@db.example:5432/dsa110_absurd');
  const wrong = classifyDbError(Object.assign(new Error('password authentication failed for user "bob"'), { code: '28P01' }), { target });
  assert.deepEqual([wrong.kind, wrong.message], ['auth', 'password authentication failed for user "bob" at db.example:5432']);
  const none = classifyDbError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), { target });
  assert.equal(none.kind, 'auth');
  assert.match(none.message, /asks for a password for user "bob" and none was given/);
  const hba = classifyDbError(Object.assign(new Error('no pg_hba.conf entry for host "10.0.0.9", user "bob", database "x", no encryption'), { code: '28000' }), { target });
  assert.equal(hba.kind, 'auth');
});

test('missing database: names it and lists the databases that exist', { skip: embedded && 'the embedded server has one database' }, async () => {
  const p = await problemFor(urlForDatabase('absurdtop_no_such_db'));
  assert.equal(p.kind, 'no-database');
  // The list is capped at 8 with Absurd-looking names first; parallel test files create
  // absurdtop_t_* databases, so which names appear varies.
  assert.match(p.message, /^database "absurdtop_no_such_db" does not exist on 127\.0\.0\.1:5432; databases there: [\w-]+(, [\w-]+)*$/);
  assert.doesNotMatch(p.message, /absurdtop_no_such_db,/);
});

test('no absurd schema, through the app path', async () => {
  const db = await createTestDatabase({ flavour: null });
  try {
    const p = await problemFor(db.url);
    assert.deepEqual(p, { ...p, kind: 'no-schema' });
    assert.match(p.message, new RegExp(`^no absurd schema in database "${db.name}": is this the right database\\?`));
  } finally {
    await db.drop();
  }
});

test('statement timeout: a held lock turns into "statement timeout after N ms"', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v2' });
  const locker = new pg.Client({ connectionString: db.url });
  const config = configSchema.parse({ database: db.url, statementTimeoutMs: 200 });
  const pool = createPool(config);
  try {
    await seedFlavour(db.pool, 'dsa110-v2');
    const reader = await createDbReader(pool, config);
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table absurd.tasks in access exclusive mode');
    const started = Date.now();
    await assert.rejects(reader.snapshot(), (err: DbProblemError) => {
      assert.equal(err.problem.kind, 'timeout');
      assert.equal(err.problem.message, 'statement timeout after 200 ms: the database is slow or a lock is held (raise --statement-timeout to wait longer)');
      return true;
    });
    assert.ok(Date.now() - started < 2000, 'failed fast, not at the client-side read timeout');
    await locker.query('rollback');
    assert.equal((await reader.snapshot()).flavour, 'dsa110-v2', 'works again once the lock is gone');
  } finally {
    await locker.end().catch(() => undefined);
    await pool.end();
    await db.drop();
  }
});

test('pool sessions: application_name, statement_timeout, read-only; idle errors do not crash', { skip: embedded && 'the embedded server cannot terminate a backend' }, async () => {
  const db = await createTestDatabase({ flavour: null });
  const pool = createPool({ database: db.url, statementTimeoutMs: 1234, readOnly: true });
  try {
    const s = await pool.query(`select current_setting('statement_timeout') as st, current_setting('jit') as jit,
      current_setting('default_transaction_read_only') as ro, current_setting('application_name') as app, pg_backend_pid() as pid`);
    assert.deepEqual({ ...s.rows[0], pid: 0 }, { st: '1234ms', jit: 'off', ro: 'on', app: 'absurd-top', pid: 0 });
    await assert.rejects(pool.query('create table t (x int)'), /read-only transaction/);
    // Kill the idle backend: the pool emits 'error'; without the listener Node would exit.
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [s.rows[0].pid]);
    await admin.end();
    const again = await waitFor(() => pool.query('select 1 as one').then((r) => r.rows[0].one as number, () => 0), (v) => v === 1, 5000, 'a fresh connection');
    assert.equal(again, 1);
  } finally {
    await pool.end();
    await db.drop();
  }
});

test('masked target never shows a password', () => {
  assert.equal(maskedTarget('postgres://bob:s3cret@db:5433/dsa110_absurd'), 'postgres://bob:***@db:5433/dsa110_absurd');
  assert.equal(maskedTarget('host=db password=s3cret dbname=x'), 'host=db password=*** dbname=x');
  assert.equal(maskedTarget('postgres://bob@db/x'), 'postgres://bob@db/x');
});
