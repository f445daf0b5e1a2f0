// Drill: with --read-only no write reaches the database, even when an action function is called
// directly. Two independent locks, each tested alone:
//   1. config.readOnly: every database action refuses before any query;
//   2. the session (createPool({readOnly: true}) sets default_transaction_read_only): an action
//      whose own config says readOnly:false still cannot write.
// Writes are recorded by statement-level triggers on every table of the absurd schema (the
// recording itself is a write, so it only happens when a write really happened), cross-checked
// with pg_stat_user_tables; a control run on a writable pool proves the recorder sees writes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import {
  cancelTasks, clearQueue, pruneTasks, reapStuck, retryTasks, type DbActionContext,
} from '../src/actions/db/index.js';
import type { ActionResult } from '../src/actions/types.js';
import { configSchema } from '../src/config/schema.js';
import { createPool } from '../src/data/pg/connect.js';
import { SystemdUnitManager } from '../src/data/units/index.js';
import type { Flavour } from '../src/data/snapshot.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour, type Seeded } from './helpers/seed.js';
import { flavours } from './helpers/action-fixtures.js';
import { setupFakeSystemd } from './helpers/fake-systemd.js';
import { waitUntil } from './helpers/wait-until.js';

const recorderSql = `
  create table public.drill_writes (at timestamptz default clock_timestamp(), tbl text, op text);
  create function public.drill_record() returns trigger language plpgsql as $$
  begin
    insert into public.drill_writes (tbl, op) values (tg_table_schema || '.' || tg_table_name, tg_op);
    return null;
  end $$;
  do $$
  declare r record;
  begin
    for r in select c.oid::regclass as rel from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'absurd' and c.relkind in ('r', 'p') loop
      execute format('create trigger drill_record after insert or update or delete or truncate on %s
                      for each statement execute function public.drill_record()', r.rel);
    end loop;
  end $$;`;

async function writesRecorded(pool: pg.Pool): Promise<{ tbl: string; op: string }[]> {
  return (await pool.query<{ tbl: string; op: string }>('select tbl, op from public.drill_writes order by at')).rows;
}

/**
 * Inserted + updated + deleted tuples over the absurd tables. A backend flushes its table
 * statistics when it exits, so read this after `closeAndSettle` of the pool that acted.
 */
async function tupleWrites(pool: pg.Pool): Promise<number> {
  await flushEveryClient(pool);
  const client = await pool.connect();
  try {
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>(`select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text as n
      from pg_stat_user_tables where schemaname = 'absurd'`);
    return Number(rows[0]!.n);
  } finally {
    client.release();
  }
}

/**
 * The test's own pool wrote the seed; an idle backend flushes its statistics up to 10 s later,
 * which would move the counters under the drill. Make each of its backends flush now.
 */
async function flushEveryClient(pool: pg.Pool): Promise<void> {
  const clients = await Promise.all(Array.from({ length: pool.options.max ?? 4 }, () => pool.connect()));
  try {
    for (const c of clients) await c.query('select pg_stat_force_next_flush()');
  } finally {
    for (const c of clients) c.release();
  }
}

/** Ends the acting pool and waits until its backends are gone (and so have flushed their stats). */
async function closeAndSettle(acting: pg.Pool, observer: pg.Pool): Promise<void> {
  await acting.end();
  await waitUntil(async () => {
    const { rows } = await observer.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity
      where application_name = 'absurd-top' and datname = current_database()`);
    return rows[0]!.n === 0;
  }, { what: 'the acting backends to exit' });
}

type Call = [name: string, run: (ctx: DbActionContext) => Promise<ActionResult>];

/** Every database action, with targets that would change rows if allowed. */
function everyAction(seeded: Seeded, flavour: Flavour): Call[] {
  const queue = seeded.queue;
  const failed = seeded.ids.failed!;
  const pending = seeded.ids.pending!;
  const running = seeded.ids.running!;
  return [
    ['retry', (ctx) => retryTasks(ctx, { queue, taskIds: [failed] })],
    ['retry --anyway', (ctx) => retryTasks(ctx, { queue, taskIds: [failed], anyway: true })],
    ...(flavour === 'absurd' ? [['retry --spawn-new', (ctx: DbActionContext) => retryTasks(ctx, { queue, taskIds: [failed], spawnNew: true })] as Call] : []),
    ['cancel', (ctx) => cancelTasks(ctx, { queue, taskIds: [pending, running] })],
    ['clear', (ctx) => clearQueue(ctx, { queue, includeRunning: true })],
    ['reap', (ctx) => reapStuck(ctx, { queue })],
    ['prune', (ctx) => pruneTasks(ctx, { olderThanDays: 1, queue })],
  ];
}

for (const flavour of flavours) {
  describe(`read-only on ${flavour}`, () => {
    let db: TestDatabase;
    let seeded: Seeded;
    before(async () => {
      db = await createTestDatabase({ flavour });
      seeded = await seedFlavour(db.pool, flavour);
      await db.pool.query(recorderSql);
    });
    after(() => db?.drop());

    test('config.readOnly: every action is refused and nothing is written', async () => {
      const config = configSchema.parse({ database: db.url, readOnly: true });
      const before = await tupleWrites(db.pool);
      const pool = createPool({ ...config, readOnly: false }); // a writable session: only the config guards
      try {
        for (const [name, run] of everyAction(seeded, flavour)) {
          const result = await run({ pool, flavour, config });
          assert.equal(result.status, 'refused', `${name}: ${JSON.stringify(result)}`);
          assert.equal(result.status === 'refused' && result.reason, 'read-only mode: actions are disabled');
          assert.deepEqual(result.commands, [], `${name} ran nothing`);
        }
      } finally {
        await closeAndSettle(pool, db.pool);
      }
      assert.deepEqual(await writesRecorded(db.pool), []);
      assert.equal(await tupleWrites(db.pool), before, 'pg_stat_user_tables saw no tuple written');
    });

    test('read-only session: an action whose config says readOnly:false still cannot write', async () => {
      const config = configSchema.parse({ database: db.url, readOnly: false });
      const before = await tupleWrites(db.pool);
      const pool = createPool({ ...config, readOnly: true });
      try {
        const { rows } = await pool.query<{ ro: string }>("select current_setting('default_transaction_read_only') as ro");
        assert.equal(rows[0]!.ro, 'on');
        for (const [name, run] of everyAction(seeded, flavour)) {
          const result = await run({ pool, flavour, config });
          // Refused (a guard read first and found nothing to do) or failed by the server; never ok
          // with a change.
          if (result.status === 'ok') assert.equal(result.changed, 0, `${name} reported a change: ${JSON.stringify(result)}`);
          if (result.status === 'failed') assert.match(result.error, /read-only transaction/, name);
        }
      } finally {
        await closeAndSettle(pool, db.pool);
      }
      assert.deepEqual(await writesRecorded(db.pool), []);
      assert.equal(await tupleWrites(db.pool), before, 'pg_stat_user_tables saw no tuple written');
    });

    test('control: the same calls on a writable session are recorded (the recorder works)', async () => {
      const config = configSchema.parse({ database: db.url });
      const before = await tupleWrites(db.pool);
      const pool = createPool(config);
      try {
        for (const [, run] of everyAction(seeded, flavour)) await run({ pool, flavour, config });
      } finally {
        await closeAndSettle(pool, db.pool);
      }
      const writes = await writesRecorded(db.pool);
      assert.ok(writes.length > 0, 'writes recorded');
      assert.ok(await tupleWrites(db.pool) > before, 'pg_stat saw writes');
    });
  });
}

test('read-only unit manager: restart/stop/start are refused before systemctl is run', async () => {
  const fake = await setupFakeSystemd();
  try {
    const config = configSchema.parse({ readOnly: true });
    const manager = new SystemdUnitManager({ units: config.units, sudo: false, readOnly: true, env: fake.env });
    await manager.list();
    for (const verb of ['start', 'stop', 'restart'] as const) {
      const outcome = await manager.run(verb, { name: 'dsa110-absurd-worker@1.service', host: null });
      assert.equal(outcome.ok, false);
      assert.match(outcome.problem ?? '', /read-only/);
    }
    assert.deepEqual(await fake.actionLines(), [], 'systemctl never asked to start/stop/restart');
  } finally {
    await fake.cleanup();
  }
});
