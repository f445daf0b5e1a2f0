// The fixtures themselves: every flavour's SQL installs into an empty database, the seed
// reaches every state through the flavour's own functions, and bulkSeed produces the mix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from './helpers/test-database.js';
import { bulkSeed, seedFlavour } from './helpers/seed.js';

const weird = 'we"ird Queue-1';

test('absurd: seeded states, weird queue name, bulk rows', async () => {
  const db = await createTestDatabase({ flavour: 'absurd' });
  try {
    const { ids } = await seedFlavour(db.pool, 'absurd', weird);
    const states = await db.pool.query(`select task_id, state from absurd."t_we""ird Queue-1"`);
    const byId = new Map(states.rows.map((r) => [r.task_id, r.state]));
    assert.equal(byId.get(ids.completed), 'completed');
    assert.equal(byId.get(ids.failed), 'failed');
    assert.equal(byId.get(ids.sleeping), 'sleeping');
    assert.equal(byId.get(ids.waiting), 'sleeping');
    assert.equal(byId.get(ids.running), 'running');
    assert.equal(byId.get(ids.stuck), 'running');
    assert.equal(byId.get(ids.cancelled), 'cancelled');
    assert.equal(byId.get(ids.pending), 'pending');
    const stuck = await db.pool.query(`select count(*)::int as n from absurd."r_we""ird Queue-1"
      where state = 'running' and claim_expires_at <= now()`);
    assert.equal(stuck.rows[0].n, 1);
    // retry_task: only failed tasks, in place adds an attempt.
    await assert.rejects(db.pool.query('select * from absurd.retry_task($1, $2, $3)', [weird, ids.pending, '{}']),
      /only failed tasks/);
    const retried = await db.pool.query('select * from absurd.retry_task($1, $2, $3)', [weird, ids.failed, '{}']);
    assert.equal(retried.rows[0].attempt, 2);
    await assert.rejects(db.pool.query('select absurd.cancel_task($1, gen_random_uuid())', [weird]), /not found/);
    await bulkSeed(db.pool, 'absurd', 1000, { queues: ['bulk'] });
    const mix = await db.pool.query(`select state, count(*)::int as n from absurd.t_bulk group by 1`);
    const n = Object.fromEntries(mix.rows.map((r) => [r.state, r.n]));
    assert.equal(n.pending + n.running, 300);
    const runs = await db.pool.query('select count(*)::int as n from absurd.r_bulk r join absurd.t_bulk t using (task_id)');
    assert.equal(runs.rows[0].n, 1000);
  } finally {
    await db.drop();
  }
});

test('dsa110-v2: seeded states', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v2' });
  try {
    const { ids } = await seedFlavour(db.pool, 'dsa110-v2');
    const rows = await db.pool.query('select task_id, status, result from absurd.tasks');
    const byId = new Map(rows.rows.map((r) => [r.task_id, r]));
    assert.equal(byId.get(ids.retrying).status, 'retrying');
    assert.equal(byId.get(ids.errorResult).result.status, 'error');
    assert.equal(byId.get(ids.stuck).status, 'claimed');
    assert.equal(byId.get(ids.cancelled).status, 'cancelled');
    assert.equal(byId.get(ids.pending).status, 'pending');
    await bulkSeed(db.pool, 'dsa110-v2', 1000, { queues: ['a', 'b'] });
    const q = await db.pool.query('select count(distinct queue_name)::int as n from absurd.tasks');
    assert.equal(q.rows[0].n, 3);
  } finally {
    await db.drop();
  }
});

test('dsa110-v1: seeded states', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v1' });
  try {
    const { ids } = await seedFlavour(db.pool, 'dsa110-v1');
    const rows = await db.pool.query('select task_id, status, retry_count from absurd.t_tasks');
    const byId = new Map(rows.rows.map((r) => [r.task_id, r]));
    assert.equal(byId.get(ids.requeued).status, 'pending');
    assert.equal(byId.get(ids.requeued).retry_count, 1);
    assert.equal(byId.get(ids.failed).status, 'failed');
    assert.equal(byId.get(ids.staleHeartbeat).status, 'claimed');
    await bulkSeed(db.pool, 'dsa110-v1', 1000);
  } finally {
    await db.drop();
  }
});

test('no flavour: an empty database', async () => {
  const db = await createTestDatabase({ flavour: null });
  try {
    const res = await db.pool.query(`select to_regnamespace('absurd') as ns`);
    assert.equal(res.rows[0].ns, null);
  } finally {
    await db.drop();
  }
  const check = await createTestDatabase({});
  await check.drop();
});
