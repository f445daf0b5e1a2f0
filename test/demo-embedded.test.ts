// The embedded Postgres behind --demo and behind the test fallback: it installs a flavour,
// answers the ordinary `pg` code path, keeps its data directory between starts, and serves a
// pool of concurrent clients without mixing up their protocol messages.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPool } from '../src/data/pg/connect.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/demo/embedded-postgres.js';
import { settingsChange, startupSettings } from '../src/demo/session-settings.js';
import { createEmbeddedDatabase, pgliteTemplate } from './helpers/embedded-server.js';

const dir = mkdtempSync(join(tmpdir(), 'absurd-top-demo-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function withPool<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

describe('embedded Postgres', () => {
  const dataDir = join(dir, 'demo-dsa110-v2');
  const running: EmbeddedPostgres[] = [];
  after(async () => { for (const e of running) await e.stop(); });

  test('a fresh directory is initialised, gets the flavour and answers through pg', async () => {
    const progress: string[] = [];
    const embedded = await startEmbeddedPostgres({ flavour: 'dsa110-v2', dataDir, onProgress: (t) => progress.push(t), loadDataDir: await pgliteTemplate() });
    running.push(embedded);
    assert.equal(embedded.fresh, true);
    assert.match(embedded.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    assert.deepEqual(progress, ['starting embedded Postgres (first start: initialising, ~4 s)…', 'installing dsa110-v2 schema…']);
    await withPool(embedded.url, async (pool) => {
      const { rows } = await pool.query(`SELECT absurd.spawn_task('dsa110-pipeline', 'imaging', '{}'::jsonb) AS id`);
      assert.match(String(rows[0]?.id), /^[0-9a-f-]{36}$/);
    });
    await embedded.stop();
  });

  test('a second start reuses the directory and its rows', async () => {
    const progress: string[] = [];
    const embedded = await startEmbeddedPostgres({ flavour: 'dsa110-v2', dataDir, onProgress: (t) => progress.push(t) });
    running.push(embedded);
    assert.equal(embedded.fresh, false);
    assert.deepEqual(progress, ['starting embedded Postgres…']);
    const count = await withPool(embedded.url, async (pool) => (await pool.query('SELECT count(*)::int AS n FROM absurd.tasks')).rows[0]?.n);
    assert.equal(count, 1);

    // Meanwhile a second demo on the same directory must not open it too.
    const other: string[] = [];
    const second = await startEmbeddedPostgres({ flavour: 'dsa110-v2', dataDir, onProgress: (t) => other.push(t), loadDataDir: await pgliteTemplate() });
    running.push(second);
    assert.equal(second.dataDir, null);
    assert.match(other[0] ?? '', /in use by pid \d+: using a throwaway in-memory database/);
    await second.stop();
    await embedded.stop();
    assert.equal(existsSync(`${dataDir}.lock`), false, 'the lock is released on stop');
  });

  test('reset starts over', async () => {
    const embedded = await startEmbeddedPostgres({ flavour: 'dsa110-v2', dataDir, reset: true, loadDataDir: await pgliteTemplate() });
    running.push(embedded);
    assert.equal(embedded.fresh, true);
    const count = await withPool(embedded.url, async (pool) => (await pool.query('SELECT count(*)::int AS n FROM absurd.tasks')).rows[0]?.n);
    assert.equal(count, 0);
    await embedded.stop();
  });
});

describe('embedded server with a pool of clients', () => {
  test('concurrent extended-protocol queries and transactions do not interleave', async (t) => {
    const db = await createEmbeddedDatabase();
    t.after(() => db.stop());
    await withPool(db.url, async (pool) => {
      await pool.query('CREATE TABLE t (x int)');
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < 120; i++) {
        if (i % 3 === 0) jobs.push(pool.query('SELECT $1::int AS v', [i]).then((r) => assert.equal(r.rows[0]?.v, i)));
        else if (i % 3 === 1) jobs.push(pool.query('SELECT $1::text AS a, $2::text AS b', [`a${i}`, 'b']).then((r) => assert.equal(r.rows[0]?.a, `a${i}`)));
        else {
          jobs.push((async () => {
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              await client.query('INSERT INTO t VALUES ($1)', [i]);
              await client.query('COMMIT');
            } finally {
              client.release();
            }
          })());
        }
      }
      await Promise.all(jobs);
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM t')).rows[0]?.n, 40);
    });
  });

  test('a client that vanishes inside a transaction leaves nothing behind', async (t) => {
    const db = await createEmbeddedDatabase();
    t.after(() => db.stop());
    await withPool(db.url, async (pool) => {
      await pool.query('CREATE TABLE t (x int)');
      const client = new pg.Client({ connectionString: db.url });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('BEGIN');
      await client.query('INSERT INTO t VALUES (1)');
      // Cut the socket without COMMIT or Terminate, as a killed process would.
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM t')).rows[0]?.n, 0);
    });
  });
});

describe('one PGlite session, per-connection behaviour as in PostgreSQL', () => {
  test('each connection gets its own startup settings: the console read-only, the workers not', async (t) => {
    const db = await createEmbeddedDatabase();
    const console_ = createPool({ database: db.url, statementTimeoutMs: 1234, readOnly: true });
    const worker = new pg.Pool({ connectionString: db.url, max: 2 });
    t.after(async () => { await console_.end(); await worker.end(); await db.stop(); });
    const settings = `SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS st,
      current_setting('application_name') AS app`;
    assert.deepEqual((await console_.query(settings)).rows[0], { ro: 'on', st: '1234ms', app: 'absurd-top' });
    assert.deepEqual((await worker.query(settings)).rows[0], { ro: 'off', st: '0', app: '' });
    await worker.query('CREATE TABLE t (x int)');
    await assert.rejects(console_.query('INSERT INTO t VALUES (1)'), /read-only transaction/);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? worker.query('INSERT INTO t VALUES ($1)', [i]) : console_.query('SELECT count(*) FROM t'))));
    assert.equal((await worker.query('SELECT count(*)::int AS n FROM t')).rows[0]?.n, 10);
  });

  test('waiting behind another connection\'s transaction ends in the statement-timeout error', async (t) => {
    const db = await createEmbeddedDatabase();
    const locker = new pg.Client({ connectionString: db.url });
    const pool = createPool({ database: db.url, statementTimeoutMs: 150, readOnly: false });
    t.after(async () => { await locker.end(); await pool.end(); await db.stop(); });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('CREATE TABLE t (x int)');
    const started = Date.now();
    await assert.rejects(pool.query('SELECT $1::int AS v', [1]), { code: '57014', message: 'canceling statement due to statement timeout' });
    await assert.rejects(pool.query('SELECT 1'), { code: '57014' });
    assert.ok(Date.now() - started < 1500);
    await locker.query('COMMIT');
    assert.equal((await pool.query('SELECT $1::int AS v', [7])).rows[0]?.v, 7, 'the connection works again afterwards');
  });

  test('the only database is postgres: another name is refused as by PostgreSQL', async (t) => {
    const db = await createEmbeddedDatabase();
    t.after(() => db.stop());
    const client = new pg.Client({ connectionString: db.url.replace(/\/postgres$/, '/dsa110_absurd') });
    await assert.rejects(client.connect(), { code: '3D000', message: 'database "dsa110_absurd" does not exist' });
  });

  test('a login other than postgres gets that role\'s permissions; an unknown one is refused', async (t) => {
    const db = await createEmbeddedDatabase();
    const admin = new pg.Pool({ connectionString: db.url, max: 1 });
    const bob = new pg.Pool({ connectionString: db.url.replace('postgres@', 'bob@'), max: 1 });
    const nobody = new pg.Client({ connectionString: db.url.replace('postgres@', 'nobody@') });
    nobody.on('error', () => undefined);
    t.after(async () => { await bob.end(); await admin.end(); await db.stop(); });
    await admin.query('CREATE ROLE bob LOGIN; CREATE TABLE secret (x int)');
    assert.deepEqual((await bob.query('SELECT current_user AS u')).rows[0], { u: 'bob' });
    await assert.rejects(bob.query('SELECT * FROM secret'), /permission denied for table secret/);
    assert.deepEqual((await admin.query('SELECT current_user AS u, count(*)::int AS n FROM secret')).rows[0], { u: 'postgres', n: 0 });
    await nobody.connect();
    await assert.rejects(nobody.query('SELECT 1'), { code: '28000', message: 'role "nobody" does not exist' });
  });

  test('startup settings: parameters and -c options; changes as SET/RESET', () => {
    const params = Buffer.from('user\0absurd\0database\0postgres\0application_name\0absurd-top\0options\0-c default_transaction_read_only=on --lock-timeout=5s\0\0');
    const message = Buffer.concat([Buffer.alloc(8), params]);
    const settings = startupSettings(message);
    assert.deepEqual([...settings], [['role', 'absurd'], ['application_name', 'absurd-top'], ['default_transaction_read_only', 'on'], ['lock_timeout', '5s']]);
    assert.equal(settingsChange(settings, settings), null);
    assert.equal(settingsChange(new Map([['search_path', 'x'], ['application_name', 'a']]), new Map([['application_name', "o'k"]])),
      "RESET search_path; SET application_name TO 'o''k';");
  });
});
