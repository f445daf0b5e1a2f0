import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { cancelTasks, planCancelTasks } from '../src/actions/db/index.js';
import type { Flavour } from '../src/data/snapshot.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour, type Seeded } from './helpers/seed.js';
import { assertOnlyTasksChanged, contextFor, flavours, spawnPending, tableSnapshot, taskState } from './helpers/action-fixtures.js';
import { loseRace } from './helpers/lost-race.js';

const runningRole = 'running';

for (const flavour of flavours) {
  describe(`cancel on ${flavour}`, () => {
    let db: TestDatabase;
    let seeded: Seeded;
    before(async () => {
      db = await createTestDatabase({ flavour });
      seeded = await seedFlavour(db.pool, flavour);
    });
    after(() => db.drop());
    const ctx = () => contextFor(db.pool, flavour);
    const targets = (...taskIds: string[]) => ({ queue: seeded.queue, taskIds });

    test('a pending task is cancelled and only its rows change', async () => {
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await cancelTasks(ctx(), targets(seeded.ids.pending!));
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.equal(result.status === 'ok' && result.summary, 'cancelled 1 of 1 task');
      assert.equal(await taskState(db.pool, flavour, seeded.queue, seeded.ids.pending!), 'cancelled');
      await assertOnlyTasksChanged(db.pool, flavour, snap, [seeded.ids.pending!]);
    });

    test('a running task is cancelled and the summary says the worker is not interrupted', async () => {
      const id = seeded.ids[runningRole]!;
      const result = await cancelTasks(ctx(), targets(id));
      assert.equal(result.status, 'ok', JSON.stringify(result));
      if (result.status !== 'ok') return;
      assert.match(result.summary, /1 running task was cancelled: a running worker is not interrupted/);
      assert.deepEqual((result.details as { running: string[] }).running, [id]);
      assert.equal(await taskState(db.pool, flavour, seeded.queue, id), 'cancelled');
    });

    test('finished and unknown tasks are refused with the reason, nothing changes', async () => {
      const snap = await tableSnapshot(db.pool, flavour);
      const cases: [string, string][] = [
        [seeded.ids.completed!, 'task already completed'],
        [seeded.ids.oldFailed!, 'task already failed'],
        [seeded.ids.cancelled!, 'task already cancelled'],
        [randomUUID(), 'unknown task id'],
      ];
      for (const [id, reason] of cases) {
        const result = await cancelTasks(ctx(), targets(id));
        assert.equal(result.status, 'refused', JSON.stringify(result));
        assert.equal(result.status === 'refused' && result.reason, reason);
      }
      await assertOnlyTasksChanged(db.pool, flavour, snap, []);
    });

    test('many at once: asked vs changed, refused ids listed', async () => {
      const fresh = await spawnPending(db.pool, flavour, seeded.queue);
      const result = await cancelTasks(ctx(), targets(fresh, seeded.ids.completed!, fresh));
      assert.equal(result.status, 'ok');
      if (result.status !== 'ok') return;
      assert.equal(result.asked, 2, 'duplicate ids count once');
      assert.equal(result.changed, 1);
      assert.match(result.summary, /refused 1: [0-9a-f]{8}: task already completed/);
    });

    test('a confirmed cancel that a worker beats says the task moved on and changes nothing', async () => {
      const queue = 'lost-race';
      if (flavour !== 'dsa110-v2') await db.pool.query('select absurd.create_queue($1)', [queue]);
      const id = await spawnPending(db.pool, flavour, queue);
      // The operator confirmed on the pending task; a worker claims and completes it first.
      const { result, theirs } = await loseRace(db.pool, flavour, (c) => workOnce(c, flavour, queue),
        () => cancelTasks(ctx(), { queue, taskIds: [id], seen: { [id]: 'pending' } }));
      const reason = 'task is no longer pending (now completed): nothing changed — refresh and decide again';
      assert.deepEqual(result, { status: 'refused', action: 'cancel', reason, commands: result.commands });
      await assertOnlyTasksChanged(db.pool, flavour, theirs, []);
    });

    test('read-only mode refuses without touching the database', async () => {
      const fresh = await spawnPending(db.pool, flavour, seeded.queue);
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await cancelTasks(contextFor(db.pool, flavour, { readOnly: true }), targets(fresh));
      assert.equal(result.status, 'refused');
      await assertOnlyTasksChanged(db.pool, flavour, snap, []);
    });

    test('the plan lists the exact calls and warns about running workers', () => {
      const id = seeded.ids.pending!;
      const plan = planCancelTasks({ flavour }, targets(id));
      assert.equal(plan.title, `Cancel 1 task in ${seeded.queue}`);
      assert.match(plan.warning ?? '', /a running worker is not interrupted/);
      const first = {
        absurd: `SELECT absurd.cancel_task('${seeded.queue}', '${id}'::uuid)`,
        'dsa110-v2': `SELECT absurd.cancel_task('${id}'::uuid) AS cancelled`,
        'dsa110-v1': `WITH target AS (SELECT task_id, status FROM absurd.t_tasks WHERE task_id = ANY(ARRAY['${id}']::uuid[]) AND status IN ('pending', 'claimed') FOR UPDATE)`,
      }[flavour];
      assert.ok(plan.commands[0]!.startsWith(first), plan.commands[0]);
    });
  });
}

/** A worker on its own connection: claim whatever is claimable in `queue`, then complete it. */
async function workOnce(client: pg.PoolClient, flavour: Flavour, queue: string): Promise<void> {
  try {
    if (flavour === 'absurd') {
      const { rows } = await client.query('select run_id from absurd.claim_task($1, $2, 30, 1)', [queue, 'race:1']);
      if (rows[0]) await client.query('select absurd.complete_run($1, $2, $3)', [queue, rows[0].run_id, '{}']);
    } else {
      const { rows } = await client.query('select task_id from absurd.claim_task($1, $2)', [queue, 'race-deadbeef']);
      if (rows[0]) await client.query('select absurd.complete_task($1, $2)', [rows[0].task_id, '{}']);
    }
  } catch (error) {
    // Completing a task that was cancelled under the worker is refused by the flavour: expected.
    if (!/not running|cancelled/i.test((error as Error).message)) throw error;
  }
}

for (const flavour of flavours) {
  test(`${flavour}: cancel racing a worker's claim/complete leaves a consistent row and an honest result`, async (t) => {
    const db = await createTestDatabase({ flavour });
    const worker = await db.pool.connect();
    try {
      const queue = 'race';
      if (flavour !== 'dsa110-v2') await db.pool.query('select absurd.create_queue($1)', [queue]);
      const seen = { cancelled: 0, completed: 0, whileRunning: 0 };
      for (let i = 0; i < 200; i += 1) {
        const id = await spawnPending(db.pool, flavour, queue);
        const [result] = await Promise.all([
          cancelTasks(contextFor(db.pool, flavour), { queue, taskIds: [id] }),
          workOnce(worker, flavour, queue),
        ]);
        const state = await taskState(db.pool, flavour, queue, id);
        if (result.status === 'ok') {
          assert.equal(state, 'cancelled', `iteration ${i}: reported cancelled, row is ${state}`);
          seen.cancelled += 1;
          seen.whileRunning += (result.details as { running: string[] }).running.length;
        } else {
          assert.equal(result.status, 'refused', JSON.stringify(result));
          assert.equal(result.status === 'refused' && result.reason, 'task already completed', `iteration ${i}`);
          assert.equal(state, 'completed', `iteration ${i}: refused as completed, row is ${state}`);
          seen.completed += 1;
        }
        if (flavour === 'absurd') {
          // The task's state and its last run's state agree.
          const { rows } = await db.pool.query(`select t.state as task, r.state as run from absurd."t_race" t
            join absurd."r_race" r on r.run_id = t.last_attempt_run where t.task_id = $1`, [id]);
          assert.equal(rows[0].run, rows[0].task, `iteration ${i}`);
        }
      }
      t.diagnostic(`outcomes: ${JSON.stringify(seen)}`);
      assert.equal(seen.cancelled + seen.completed, 200);
      assert.ok(seen.cancelled > 0, `the cancel never won: ${JSON.stringify(seen)}`);
    } finally {
      worker.release();
      await db.drop();
    }
  });
}
