import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { planRetryTasks, retryTasks } from '../src/actions/db/index.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour, type Seeded } from './helpers/seed.js';
import { assertOnlyTasksChanged, contextFor, flavours, tableSnapshot, taskState } from './helpers/action-fixtures.js';
import { loseRace } from './helpers/lost-race.js';
import type { Flavour } from '../src/data/snapshot.js';
import type pg from 'pg';

for (const flavour of flavours) {
  describe(`retry on ${flavour}`, () => {
    let db: TestDatabase;
    let seeded: Seeded;
    before(async () => {
      db = await createTestDatabase({ flavour });
      seeded = await seedFlavour(db.pool, flavour);
    });
    after(() => db.drop());
    const ctx = () => contextFor(db.pool, flavour);
    const targets = (...taskIds: string[]) => ({ queue: seeded.queue, taskIds });

    test('a failed task is retried and only its rows change', async () => {
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await retryTasks(ctx(), targets(seeded.ids.failed!));
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.equal(result.status === 'ok' && result.changed, 1);
      await assertOnlyTasksChanged(db.pool, flavour, snap, [seeded.ids.failed!]);
      const expected = { absurd: 'pending', 'dsa110-v2': 'retrying', 'dsa110-v1': 'pending' }[flavour];
      assert.equal(await taskState(db.pool, flavour, seeded.queue, seeded.ids.failed!), expected);
      // The commands are the exact statements, with the target rendered in them.
      assert.ok(result.commands.some((c) => c.includes(`'${seeded.ids.failed}'`)), result.commands.join('\n'));
    });

    test('retrying it again is refused: safe to repeat', async () => {
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await retryTasks(ctx(), targets(seeded.ids.failed!));
      assert.equal(result.status, 'refused');
      assert.match(result.status === 'refused' ? result.reason : '', /task is (pending|retrying); only failed/);
      await assertOnlyTasksChanged(db.pool, flavour, snap, []);
    });

    test('completed, unknown and malformed ids are refused with their reasons', async () => {
      const snap = await tableSnapshot(db.pool, flavour);
      const unknown = randomUUID();
      const result = await retryTasks(ctx(), targets(seeded.ids.completed!, unknown, 'not-an-id'));
      assert.equal(result.status, 'refused', JSON.stringify(result));
      const reason = result.status === 'refused' ? result.reason : '';
      assert.match(reason, /none of 3 tasks retried/);
      assert.match(reason, new RegExp(`${seeded.ids.completed!.slice(0, 8)}: task is completed; only failed`));
      assert.match(reason, new RegExp(`${unknown.slice(0, 8)}: unknown task id`));
      assert.match(reason, /not-an-id: not a task id/);
      await assertOnlyTasksChanged(db.pool, flavour, snap, []);
    });

    test('a mix reports asked vs changed and names the refused ids', async () => {
      const completed = seeded.ids.completed!;
      const result = await retryTasks(ctx(), targets(seeded.ids.oldFailed!, completed));
      assert.equal(result.status, 'ok', JSON.stringify(result));
      if (result.status !== 'ok') return;
      assert.equal(result.asked, 2);
      assert.equal(result.changed, 1);
      assert.deepEqual((result.details as { refused: unknown[] }).refused, [{ id: completed, reason: 'task is completed; only failed tasks can be retried'.replace('failed tasks', flavour === 'dsa110-v2' ? 'failed or cancelled tasks' : 'failed tasks') }]);
    });

    test('read-only mode refuses without touching the database', async () => {
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await retryTasks(contextFor(db.pool, flavour, { readOnly: true }), targets(seeded.ids.oldFailed!));
      assert.deepEqual(result, { status: 'refused', action: 'retry', reason: 'read-only mode: actions are disabled', commands: [] });
      await assertOnlyTasksChanged(db.pool, flavour, snap, []);
    });

    test('the plan shows the statements the run executes', () => {
      const plan = planRetryTasks({ flavour }, targets(seeded.ids.failed!));
      assert.equal(plan.action, 'retry');
      assert.equal(plan.title, `Retry 1 failed task in ${seeded.queue}`);
      const expected = {
        absurd: `SELECT task_id::text AS task_id, run_id::text AS run_id, attempt, created FROM absurd.retry_task('${seeded.queue}', '${seeded.ids.failed}'::uuid, '{}'::jsonb)`,
        'dsa110-v2': `SELECT absurd.retry_task('${seeded.ids.failed}'::uuid) AS retried`,
        'dsa110-v1': `UPDATE absurd.t_tasks SET status = 'pending', error = NULL, claimed_at = NULL, worker_id = NULL WHERE task_id = ANY(ARRAY['${seeded.ids.failed}']::uuid[]) AND status = 'failed' RETURNING task_id::text AS task_id`,
      }[flavour];
      assert.deepEqual(plan.commands, [expected]);
    });
  });
}

/** A colleague's console retrying the same task first, through the flavour's own statement. */
const colleagueRetry: Record<Flavour, (c: pg.PoolClient, queue: string, id: string) => Promise<unknown>> = {
  absurd: (c, queue, id) => c.query(`select * from absurd.retry_task($1, $2::uuid, '{}')`, [queue, id]),
  'dsa110-v2': (c, _queue, id) => c.query('select absurd.retry_task($1::uuid)', [id]),
  'dsa110-v1': (c, _queue, id) => c.query(`update absurd.t_tasks set status = 'pending', error = null, claimed_at = null, worker_id = null
    where task_id = $1 and status = 'failed'`, [id]),
};
const retriedState: Record<Flavour, string> = { absurd: 'pending', 'dsa110-v2': 'retrying', 'dsa110-v1': 'pending' };

describe('a confirmed retry that loses the race for its task', () => {
  /** A fresh seeded database for one race: the colleague's retry leaves the task retried for good. */
  async function withSeeded(flavour: Flavour, body: (pool: pg.Pool, seeded: Seeded) => Promise<void>): Promise<void> {
    const db = await createTestDatabase({ flavour });
    try {
      await body(db.pool, await seedFlavour(db.pool, flavour));
    } finally {
      await db.drop();
    }
  }
  const reason = (flavour: Flavour) => `task is no longer failed (now ${retriedState[flavour]}): nothing changed — refresh and decide again`;

  for (const flavour of flavours) {
    test(`${flavour} \`r\`: says the task moved, names its state now, and changes nothing`, () => withSeeded(flavour, async (pool, { queue, ids }) => {
      const raced = ids.failed!;
      // The console captured the task as failed: what the operator saw and confirmed on.
      const { result, theirs } = await loseRace(pool, flavour, (c) => colleagueRetry[flavour](c, queue, raced),
        () => retryTasks(contextFor(pool, flavour), { queue, taskIds: [raced], seen: { [raced]: 'failed' } }));
      assert.deepEqual(result, { status: 'refused', action: 'retry', reason: reason(flavour), commands: result.commands });
      await assertOnlyTasksChanged(pool, flavour, theirs, []);
    }));

    test(`${flavour} \`R\`: a batch counts the lost task as not changed and retries the rest`, () => withSeeded(flavour, async (pool, { queue, ids }) => {
      const raced = ids.failed!;
      const other = ids.oldFailed!;
      const { result, theirs } = await loseRace(pool, flavour, (c) => colleagueRetry[flavour](c, queue, raced),
        () => retryTasks(contextFor(pool, flavour), { queue, taskIds: [raced, other], seen: { [raced]: 'failed', [other]: 'failed' } }));
      assert.equal(result.status, 'ok', JSON.stringify(result));
      if (result.status !== 'ok') return;
      assert.deepEqual([result.asked, result.changed], [2, 1]);
      assert.deepEqual((result.details as { refused: unknown[] }).refused, [{ id: raced, reason: reason(flavour) }]);
      assert.match(result.summary, new RegExp(`^retried 1 of 2 tasks; refused 1: ${raced.slice(0, 8)}: task is no longer failed`));
      await assertOnlyTasksChanged(pool, flavour, theirs, [other]);
    }));
  }

  test('without the state the operator saw (a script naming ids) the refusal states the rule', async () => {
    const db = await createTestDatabase({ flavour: 'dsa110-v1' });
    try {
      const { queue, ids } = await seedFlavour(db.pool, 'dsa110-v1');
      const { result } = await loseRace(db.pool, 'dsa110-v1', (c) => colleagueRetry['dsa110-v1'](c, queue, ids.failed!),
        () => retryTasks(contextFor(db.pool, 'dsa110-v1'), { queue, taskIds: [ids.failed!] }));
      assert.equal(result.status === 'refused' && result.reason, 'task is pending; only failed tasks can be retried');
    } finally {
      await db.drop();
    }
  });
});

describe('retry specifics', () => {
  test('absurd: spawn_new leaves the failed task alone and reports the new task', async () => {
    const db = await createTestDatabase({ flavour: 'absurd' });
    try {
      const { queue, ids } = await seedFlavour(db.pool, 'absurd', 'Ops Queue "A"');
      const snap = await tableSnapshot(db.pool, 'absurd');
      const result = await retryTasks(contextFor(db.pool, 'absurd'), { queue, taskIds: [ids.failed!], spawnNew: true });
      assert.equal(result.status, 'ok', JSON.stringify(result));
      const spawned = (result.status === 'ok' ? result.details : null) as { spawned: { from: string; task: string }[] };
      assert.equal(spawned.spawned[0]?.from, ids.failed);
      const newId = spawned.spawned[0]!.task;
      assert.equal(await taskState(db.pool, 'absurd', queue, newId), 'pending');
      assert.equal(await taskState(db.pool, 'absurd', queue, ids.failed!), 'failed');
      await assertOnlyTasksChanged(db.pool, 'absurd', snap, [newId]);
      assert.match(result.commands[0]!, /'Ops Queue "A"'.*'\{"spawn_new":true\}'::jsonb/);
    } finally {
      await db.drop();
    }
  });

  test('absurd: without a queue the action refuses and says what to pass', async () => {
    const result = await retryTasks(contextFor({} as never, 'absurd'), { queue: null, taskIds: [randomUUID()] });
    assert.equal(result.status, 'refused');
    assert.match(result.status === 'refused' ? result.reason : '', /pass --queue NAME/);
    const plan = planRetryTasks({ flavour: 'absurd' }, { queue: null, taskIds: [randomUUID()] });
    assert.deepEqual(plan.commands, []);
    assert.match(plan.warning ?? '', /pass --queue NAME/);
  });

  test('dsa110-v2: exhausted attempts are refused unless anyway, which raises max_retries', async () => {
    const db = await createTestDatabase({ flavour: 'dsa110-v2' });
    try {
      const { queue, ids } = await seedFlavour(db.pool, 'dsa110-v2');
      const id = ids.failed!;
      await db.pool.query('update absurd.tasks set attempt = 3, max_retries = 3 where task_id = $1', [id]);
      const snap = await tableSnapshot(db.pool, 'dsa110-v2');
      const refused = await retryTasks(contextFor(db.pool, 'dsa110-v2'), { queue, taskIds: [id] });
      assert.equal(refused.status, 'refused');
      assert.match(refused.status === 'refused' ? refused.reason : '', /attempts exhausted \(attempt 3 of max_retries 3\).*--anyway/);
      await assertOnlyTasksChanged(db.pool, 'dsa110-v2', snap, []);

      const forced = await retryTasks(contextFor(db.pool, 'dsa110-v2'), { queue, taskIds: [id], anyway: true });
      assert.equal(forced.status, 'ok', JSON.stringify(forced));
      const row = (await db.pool.query('select status, attempt, max_retries from absurd.tasks where task_id = $1', [id])).rows[0];
      assert.deepEqual(row, { status: 'retrying', attempt: 3, max_retries: 4 });
      assert.equal(forced.commands.length, 3);
      assert.match(forced.commands[1]!, /^UPDATE absurd\.tasks SET max_retries = attempt \+ 1 WHERE task_id = '[0-9a-f-]+'::uuid AND status IN \('failed', 'cancelled'\) AND attempt >= max_retries$/);
      await assertOnlyTasksChanged(db.pool, 'dsa110-v2', snap, [id]);

      // anyway never lifts the state guard: a completed task stays refused and unchanged.
      const completed = await retryTasks(contextFor(db.pool, 'dsa110-v2'), { queue, taskIds: [ids.completed!], anyway: true });
      assert.equal(completed.status, 'refused');
      assert.equal((await db.pool.query('select max_retries from absurd.tasks where task_id = $1', [ids.completed])).rows[0].max_retries, 3);
    } finally {
      await db.drop();
    }
  });

  test('dsa110-v2: a cancelled task can be retried (the function allows it)', async () => {
    const db = await createTestDatabase({ flavour: 'dsa110-v2' });
    try {
      const { queue, ids } = await seedFlavour(db.pool, 'dsa110-v2');
      const result = await retryTasks(contextFor(db.pool, 'dsa110-v2'), { queue, taskIds: [ids.cancelled!] });
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.equal(await taskState(db.pool, 'dsa110-v2', queue, ids.cancelled!), 'retrying');
    } finally {
      await db.drop();
    }
  });

  test('a database error becomes a one-line failure', async () => {
    const db = await createTestDatabase({ flavour: null });
    try {
      const result = await retryTasks(contextFor(db.pool, 'dsa110-v1'), { queue: null, taskIds: [randomUUID()] });
      assert.equal(result.status, 'failed');
      const error = result.status === 'failed' ? result.error : '';
      assert.match(error, /relation "absurd\.t_tasks" does not exist \[42P01\]/);
      assert.ok(!error.includes('\n'));
    } finally {
      await db.drop();
    }
  });
});
