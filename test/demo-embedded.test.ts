// The embedded Postgres behind --demo and behind the test fallback: it installs a flavour,
// answers the ordinary `pg` code path, keeps its data directory between starts, and serves a
// pool of concurrent clients without mixing up their protocol messages.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/demo/embedded-postgres.js';
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
