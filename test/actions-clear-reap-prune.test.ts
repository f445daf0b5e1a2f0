import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import {
  clearQueue, findStuckTasks, planClearQueue, planPruneTasks, planReapStuck, pruneTasks, reapStuck,
} from '../src/actions/db/index.js';
import type { Flavour } from '../src/data/snapshot.js';
import { configSchema } from '../src/config/schema.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { quote, seedFlavour, type Seeded } from './helpers/seed.js';
import { assertOnlyTasksChanged, contextFor, flavours, spawnPending, tableSnapshot, taskState } from './helpers/action-fixtures.js';

/** Ids of tasks of `queue` in the given raw states, by plain SQL (the ground truth to compare with). */
async function idsInStates(pool: pg.Pool, flavour: Flavour, queue: string, states: string[]): Promise<string[]> {
  const text = flavour === 'absurd'
    ? `select task_id::text as id from absurd.${quote(`t_${queue}`)} where state = any($1)`
    : `select task_id::text as id from ${flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks'} where queue_name = $2 and status = any($1)`;
  const { rows } = await pool.query<{ id: string }>(text, flavour === 'absurd' ? [states] : [states, queue]);
  return rows.map((r) => r.id).sort();
}

const queuedStates: Record<Flavour, string[]> = { absurd: ['pending', 'sleeping'], 'dsa110-v2': ['pending', 'retrying'], 'dsa110-v1': ['pending'] };
const runningState: Record<Flavour, string> = { absurd: 'running', 'dsa110-v2': 'claimed', 'dsa110-v1': 'claimed' };
const stuckRoles: Record<Flavour, string[]> = { absurd: ['stuck'], 'dsa110-v2': ['stuck', 'overTimeout'], 'dsa110-v1': ['staleHeartbeat', 'overTimeout'] };

for (const flavour of flavours) {
  describe(`clear, reap and prune on ${flavour}`, () => {
    let db: TestDatabase;
    let seeded: Seeded;
    let other: Seeded;
    before(async () => {
      db = await createTestDatabase({ flavour });
      seeded = await seedFlavour(db.pool, flavour);
      other = await seedFlavour(db.pool, flavour, 'other queue');
    });
    after(() => db.drop());
    const ctx = (config = {}) => contextFor(db.pool, flavour, config);

    test('clear cancels every queued task of one queue in batches, and nothing else', async () => {
      for (let i = 0; i < 12; i += 1) await spawnPending(db.pool, flavour, seeded.queue);
      const expected = await idsInStates(db.pool, flavour, seeded.queue, queuedStates[flavour]);
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await clearQueue(ctx(), { queue: seeded.queue, includeRunning: false, batchSize: 5 });
      assert.equal(result.status, 'ok', JSON.stringify(result));
      if (result.status !== 'ok') return;
      assert.equal(result.changed, expected.length);
      assert.match(result.summary, new RegExp(`^cancelled ${expected.length} tasks of queue ${seeded.queue} in ${Math.ceil(expected.length / 5)} batches$`));
      assert.deepEqual(await idsInStates(db.pool, flavour, seeded.queue, queuedStates[flavour]), []);
      await assertOnlyTasksChanged(db.pool, flavour, snap, expected);
      assert.equal(result.commands.length, 2, result.commands.join('\n'));
      assert.match(result.commands[1]!, /ran \d+ times; the last returned no rows/);
    });

    test('clear with running cancels running tasks too and says workers are not interrupted', async () => {
      const running = await idsInStates(db.pool, flavour, other.queue, [runningState[flavour]]);
      const queued = await idsInStates(db.pool, flavour, other.queue, queuedStates[flavour]);
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await clearQueue(ctx(), { queue: other.queue, includeRunning: true });
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.match(result.status === 'ok' ? result.summary : '', new RegExp(`${running.length} running tasks were cancelled: a running worker is not interrupted`));
      await assertOnlyTasksChanged(db.pool, flavour, snap, [...running, ...queued]);
    });

    test('clear leaves tasks created after the confirmed moment alone', async () => {
      const old = await spawnPending(db.pool, flavour, seeded.queue);
      const cutoff = new Date().toISOString();
      const young = await spawnPending(db.pool, flavour, seeded.queue);
      // Age the first one explicitly so the cutoff does not depend on clock resolution.
      const aged = flavour === 'absurd'
        ? `update absurd.${quote(`r_${seeded.queue}`)} set created_at = now() - interval '1 hour' where task_id = $1`
        : `update ${flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks'} set created_at = now() - interval '1 hour' where task_id = $1`;
      await db.pool.query(aged, [old]);
      await db.pool.query(aged.replace("now() - interval '1 hour'", "now() + interval '1 hour'"), [young]);
      const result = await clearQueue(ctx(), { queue: seeded.queue, includeRunning: false, before: cutoff });
      assert.equal(result.status === 'ok' && result.changed, 1, JSON.stringify(result));
      assert.equal(await taskState(db.pool, flavour, seeded.queue, old), 'cancelled');
      assert.notEqual(await taskState(db.pool, flavour, seeded.queue, young), 'cancelled');
    });

    test('clear refuses an unknown queue, and read-only refuses before any query', async () => {
      const unknown = await clearQueue(ctx(), { queue: 'no such queue', includeRunning: false });
      assert.equal(unknown.status, 'refused', JSON.stringify(unknown));
      const snap = await tableSnapshot(db.pool, flavour);
      const ro = await clearQueue(ctx({ readOnly: true }), { queue: seeded.queue, includeRunning: true });
      assert.equal(ro.status === 'refused' && ro.reason, 'read-only mode: actions are disabled');
      await assertOnlyTasksChanged(db.pool, flavour, snap, []);
      const plan = planClearQueue({ flavour }, { queue: seeded.queue, includeRunning: false });
      assert.equal(plan.confirmWord, 'CLEAR');
      assert.match(plan.commands[0]!, new RegExp(`'${seeded.queue}'`));
    });

    test('reap finds exactly the stuck tasks and releases only those still stuck', async () => {
      const config = configSchema.parse({});
      const t = quote(`r_${seeded.queue}`);
      const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
      let expected = stuckRoles[flavour].map((r) => seeded.ids[r]!);
      if (flavour === 'absurd') {
        // A second expired lease, so one can be released and one can recover.
        await db.pool.query(`update absurd.${t} set claim_expires_at = now() - interval '1 minute' where task_id = $1 and state = 'running'`, [seeded.ids.running]);
        expected = [...expected, seeded.ids.running!];
      }
      const found = await findStuckTasks(db.pool, flavour, config, seeded.queue);
      assert.deepEqual(found.map((s) => s.taskId).sort(), [...expected].sort());
      assert.equal(found.length, 2);
      const plan = planReapStuck(ctx(), { queue: seeded.queue, tasks: found });
      assert.equal(plan.title, `Release 2 stuck tasks in ${seeded.queue} whose worker is gone`);
      for (const s of found) assert.ok(plan.commands.some((c) => c.includes(flavour === 'absurd' ? s.runId! : s.taskId)), plan.commands.join('\n'));

      // The second one recovers between the plan and the run: it must be left alone.
      const [released, recovered] = found as [typeof found[0], typeof found[0]];
      await db.pool.query(flavour === 'absurd'
        ? `update absurd.${t} set claim_expires_at = now() + interval '5 minutes' where task_id = $1 and state = 'running'`
        : `update ${table} set claimed_at = now()${flavour === 'dsa110-v1' ? ', last_heartbeat = now()' : ''} where task_id = $1`, [recovered.taskId]);
      const snap = await tableSnapshot(db.pool, flavour);
      const result = await reapStuck(ctx(), { queue: seeded.queue, tasks: found });
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.equal(result.status === 'ok' && result.summary,
        `released 1 of 2 tasks; refused 1: ${recovered.taskId.slice(0, 8)}: no longer stuck; 1 now pending`);
      await assertOnlyTasksChanged(db.pool, flavour, snap, [released.taskId]);
      assert.equal(await taskState(db.pool, flavour, seeded.queue, released.taskId), 'pending');
      assert.equal(await taskState(db.pool, flavour, seeded.queue, recovered.taskId), runningState[flavour]);
      // Repeating finds nothing left to do.
      const again = await reapStuck(ctx(), { queue: seeded.queue });
      assert.equal(again.status === 'ok' && again.summary, 'no stuck tasks');
    });

    test('prune deletes terminal tasks older than N days in batches, nothing younger', async () => {
      const old = [seeded.ids.oldCompleted!, seeded.ids.oldFailed!, other.ids.oldCompleted!, other.ids.oldFailed!];
      const snap = await tableSnapshot(db.pool, flavour);
      assert.equal((await pruneTasks(ctx(), { olderThanDays: 3 })).status === 'ok', true);
      await assertOnlyTasksChanged(db.pool, flavour, snap, []);
      const result = await pruneTasks(ctx(), { olderThanDays: 1, batchSize: 1 });
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.equal(result.status === 'ok' && result.summary, 'deleted 4 terminal tasks older than 1 day');
      await assertOnlyTasksChanged(db.pool, flavour, snap, old);
      for (const id of old) assert.equal(await taskState(db.pool, flavour, seeded.queue, id), null);
      assert.ok(result.commands.some((c) => /ran \d times; the last deleted nothing/.test(c)), result.commands.join('\n'));
      assert.equal((await pruneTasks(ctx(), { olderThanDays: 0 })).status, 'refused');
      const plan = planPruneTasks({ flavour }, { olderThanDays: 30 }, [seeded.queue]);
      assert.match(plan.commands[0]!, flavour === 'absurd'
        ? new RegExp(`^SELECT absurd\\.cleanup_tasks\\('${seeded.queue}', 2592000, 1000\\) AS deleted -- repeated`)
        : /^DELETE FROM absurd\.t?_?tasks WHERE task_id IN \(SELECT .* make_interval\(days => 30\) LIMIT 1000\) AND status IN/);
    });
  });
}

test('reap on dsa110: a task with no attempts left is failed with an error naming absurd-top', async () => {
  for (const flavour of ['dsa110-v2', 'dsa110-v1'] as const) {
    const db = await createTestDatabase({ flavour });
    try {
      const { ids } = await seedFlavour(db.pool, flavour);
      const id = ids.overTimeout!;
      await db.pool.query(`update ${flavour === 'dsa110-v2' ? 'absurd.tasks set max_retries = attempt' : 'absurd.t_tasks set max_retries = retry_count'} where task_id = $1`, [id]);
      const result = await reapStuck(contextFor(db.pool, flavour), {});
      assert.equal(result.status, 'ok', JSON.stringify(result));
      const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
      const row = (await db.pool.query(`select status, error, completed_at is not null as done from ${table} where task_id = $1`, [id])).rows[0];
      assert.equal(row.status, 'failed');
      assert.match(row.error, /^reaped by absurd-top: worker nodec-9c0d1e2f gone/);
      assert.equal(row.done, true);
    } finally {
      await db.drop();
    }
  }
});

test('dsa110 stuck rule: the shorter of the task timeout and runningTooLongSec, as the snapshot flags it', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v2' });
  try {
    const spawnClaimed = async (timeout: number | null, claimedAgo: string) => {
      const id = (await db.pool.query("select absurd.spawn_task('q', 'imaging', '{}', 0, $1, 3)::text as id", [timeout])).rows[0].id as string;
      await db.pool.query(`update absurd.tasks set status = 'claimed', attempt = 1, worker_id = 'w-1', claimed_at = now() - $2::interval where task_id = $1`, [id, claimedAgo]);
      return id;
    };
    const longTimeout = await spawnClaimed(86_400, '3 hours');
    const noTimeout = await spawnClaimed(null, '3 hours');
    const shortTimeout = await spawnClaimed(60, '2 minutes');
    const fresh = await spawnClaimed(null, '1 minute');
    const ids = async (config: object) => (await findStuckTasks(db.pool, 'dsa110-v2', configSchema.parse(config), 'q')).map((s) => s.taskId).sort();
    assert.deepEqual(await ids({}), [longTimeout, noTimeout, shortTimeout].sort());
    assert.deepEqual(await ids({ thresholds: { runningTooLongSec: 86_400 } }), [shortTimeout]);
    assert.ok(!(await ids({})).includes(fresh));
  } finally {
    await db.drop();
  }
});
