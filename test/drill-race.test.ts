// Drill: retry and cancel racing a worker that claims and finishes the same task, 1,000
// iterations across the three flavours. Each iteration spawns one task; a worker on its own
// connection claims it and completes or fails it through the flavour's functions, while the
// console's action (retry or cancel) hits the same task after a random few hundred µs.
// Afterwards:
//   - the row is in a state that the worker or the confirmed action produced, nothing else;
//   - an `ok` result means the row is in the action's state and nothing overwrote it;
//   - a refusal leaves the row as the worker left it, and names a state the row really went through;
//   - no action ever fails (no deadlock, no half-done transaction), and a task stays one row.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { cancelTasks, retryTasks } from '../src/actions/db/index.js';
import type { ActionResult } from '../src/actions/types.js';
import type { Flavour } from '../src/data/snapshot.js';
import { createTestDatabase } from './helpers/test-database.js';
import { contextFor, flavours, taskState } from './helpers/action-fixtures.js';

const TOTAL = 1000;
const queue = 'race';

interface Flow {
  claimed: string;
  /** The state the action leaves when it succeeds. */
  retried: string;
  spawn(pool: pg.Pool): Promise<string>;
  /** `sent` is called once the statement is on its way, before its answer. */
  claim(c: pg.PoolClient, sent: () => void): Promise<{ taskId: string; runId: string } | null>;
  /** true when the flavour accepted the finish. */
  finish(c: pg.PoolClient, claim: { taskId: string; runId: string }, ok: boolean, sent: () => void): Promise<boolean>;
  /** Puts a non-terminal task out of the way so the next claim takes the next iteration's task. */
  park(pool: pg.Pool, id: string): Promise<void>;
}

/** Calls `sent` once the query has been handed to the connection, then waits for its answer. */
function sending<T>(sent: () => void, query: Promise<T>): Promise<T> {
  sent();
  return query;
}

const refusedByFlavour = /not running|already cancelled|already failed|cancelled/i;

const flows: Record<Flavour, Flow> = {
  absurd: {
    claimed: 'running',
    retried: 'pending',
    spawn: async (pool) => (await pool.query<{ id: string }>(
      `select task_id::text as id from absurd.spawn_task($1, 'imaging', '{}', '{"max_attempts": 1}')`, [queue])).rows[0]!.id,
    claim: async (c, sent) => {
      const { rows } = await sending(sent, c.query<{ run_id: string; task_id: string }>('select run_id, task_id from absurd.claim_task($1, $2, 30, 1)', [queue, 'race:1']));
      return rows[0] ? { taskId: rows[0].task_id, runId: rows[0].run_id } : null;
    },
    finish: async (c, claim, ok, sent) => {
      try {
        if (ok) await sending(sent, c.query('select absurd.complete_run($1, $2, $3)', [queue, claim.runId, '{}']));
        else await sending(sent, c.query(`select absurd.fail_run($1, $2, '{"name": "Race", "message": "boom"}', null)`, [queue, claim.runId]));
        return true;
      } catch (error) {
        if (refusedByFlavour.test((error as Error).message)) return false;
        throw error;
      }
    },
    park: async (pool, id) => { await pool.query('select absurd.cancel_task($1, $2)', [queue, id]); },
  },
  'dsa110-v2': {
    claimed: 'claimed',
    retried: 'retrying',
    spawn: async (pool) => (await pool.query<{ id: string }>(`select absurd.spawn_task($1, 'imaging')::text as id`, [queue])).rows[0]!.id,
    claim: async (c, sent) => {
      const { rows } = await sending(sent, c.query<{ task_id: string }>('select task_id from absurd.claim_task($1, $2)', [queue, 'race-deadbeef']));
      return rows[0] ? { taskId: rows[0].task_id, runId: '' } : null;
    },
    finish: async (c, claim, ok, sent) => (await sending(sent, c.query<{ done: boolean }>(
      ok ? 'select absurd.complete_task($1, $2) as done' : 'select absurd.fail_task($1, $2) as done',
      [claim.taskId, ok ? '{}' : 'RuntimeError: race']))).rows[0]!.done,
    park: async (pool, id) => { await pool.query('select absurd.cancel_task($1)', [id]); },
  },
  'dsa110-v1': {
    claimed: 'claimed',
    retried: 'pending',
    // max_retries 0: fail_task fails for good instead of requeueing, so retry has work to do.
    spawn: async (pool) => (await pool.query<{ id: string }>(`select absurd.spawn_task($1, 'imaging', '{}', 0, 0)::text as id`, [queue])).rows[0]!.id,
    claim: async (c, sent) => {
      const { rows } = await sending(sent, c.query<{ task_id: string }>('select task_id from absurd.claim_task($1, $2)', [queue, 'race-deadbeef']));
      return rows[0] ? { taskId: rows[0].task_id, runId: '' } : null;
    },
    finish: async (c, claim, ok, sent) => (await sending(sent, c.query<{ done: boolean }>(
      ok ? 'select absurd.complete_task($1, $2) as done' : 'select absurd.fail_task($1, $2) as done',
      [claim.taskId, ok ? '{}' : 'RuntimeError: race']))).rows[0]!.done,
    park: async (pool, id) => { await pool.query(`update absurd.t_tasks set status = 'cancelled' where task_id = $1 and status = 'pending'`, [id]); },
  },
};

/** Waits a random 0–2 event-loop turns plus 0–400 µs of busy time, to shuffle who goes first. */
async function jitter(): Promise<void> {
  const turns = Math.floor(Math.random() * 3);
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  const until = performance.now() + Math.random() * 0.4;
  while (performance.now() < until) { /* spin */ }
}

/**
 * The state a refusal names: "task changed while retrying (now failed): …", "task already
 * completed", "task is running; …", Absurd's "task <id> is running, …".
 */
function mentionedState(reason: string): string | null {
  return (/\(now (\w+)/.exec(reason) ?? /task (?:[0-9a-f-]{36} )?(?:is|already) (\w+)/.exec(reason))?.[1] ?? null;
}

const perFlavour = Math.ceil(TOTAL / flavours.length);

// The three flavours race in parallel (three databases): most of the time is round trips.
describe('retry/cancel racing a worker', { concurrency: flavours.length }, () => {
for (const flavour of flavours) {
  test(`${flavour}: ${perFlavour} retry/cancel races against a worker claiming and finishing the same task`, async (t) => {
    const flow = flows[flavour];
    const db = await createTestDatabase({ flavour });
    const worker = await db.pool.connect();
    const seen: Record<string, number> = {};
    const count = (key: string) => { seen[key] = (seen[key] ?? 0) + 1; };
    try {
      if (flavour !== 'dsa110-v2') await db.pool.query('select absurd.create_queue($1)', [queue]);
      const ctx = contextFor(db.pool, flavour);
      for (let i = 0; i < perFlavour; i++) {
        const action = i % 2 === 0 ? 'cancel' : 'retry';
        // Retry needs a failed task to ever succeed: its worker always fails; cancel's worker mixes.
        const completes = action === 'cancel' && Math.random() < 0.5;
        const id = await flow.spawn(db.pool);
        const produced: string[] = ['pending'];
        // The action starts at a random point of the worker's progress: before it claims, with
        // its claim in flight, or with its finish in flight (the tightest race). This keeps every
        // interleaving likely whatever the machine's load.
        const phase = Math.floor(Math.random() * 3);
        let go!: () => void;
        const started = new Promise<void>((resolve) => { go = resolve; });
        if (phase === 0) go();
        const work = (async () => {
          try {
            await jitter();
            const claim = await flow.claim(worker, () => { if (phase === 1) go(); });
            if (!claim) return;
            assert.equal(claim.taskId, id, `iteration ${i}: the worker claimed another task`);
            produced.push(flow.claimed);
            await jitter();
            if (await flow.finish(worker, claim, completes, () => { if (phase === 2) go(); })) produced.push(completes ? 'completed' : 'failed');
          } finally {
            go(); // the worker had nothing to claim (the action cancelled first): let the action go
          }
        })();
        const act = (async (): Promise<ActionResult> => {
          await started;
          await jitter();
          return action === 'cancel' ? cancelTasks(ctx, { queue, taskIds: [id] }) : retryTasks(ctx, { queue, taskIds: [id] });
        })();
        const [result] = await Promise.all([act, work]);
        const state = await taskState(db.pool, flavour, queue, id);
        const where = `iteration ${i} (${action}): result ${JSON.stringify(result)}, worker produced ${produced.join('→')}, row is ${state}`;

        assert.notEqual(result.status, 'failed', where);
        if (result.status === 'ok') {
          assert.equal(result.asked, 1, where);
          assert.equal(result.changed, 1, where);
          assert.equal(state, action === 'cancel' ? 'cancelled' : flow.retried, where);
          if (action === 'retry') assert.equal(produced.at(-1), 'failed', `${where}: only a failed task can have been retried`);
          count(`${action} ok after ${produced.at(-1)}`);
        } else {
          assert.equal(result.status, 'refused', where);
          // Nothing the refused action did shows: the row is where the worker left it.
          assert.equal(state, produced.at(-1), where);
          const named = mentionedState(result.reason);
          assert.ok(named !== null, `${where}: the refusal names the state the task is in`);
          assert.ok(produced.includes(named), `${where}: the refusal names ${named}, a state the row never had`);
          // A refusal naming a state the action accepts can only be a row that moved under it:
          // it must say so, not read like a rule the operator broke.
          const accepted = action === 'retry' ? named === 'failed' || (flavour === 'dsa110-v2' && named === 'cancelled')
            : !['completed', 'failed', 'cancelled'].includes(named);
          if (accepted) assert.match(result.reason, /changed while (retrying|cancelling) \(now \w+\): nothing changed — refresh and decide again/, where);
          count(`${action} refused at ${named}${/changed while/.test(result.reason) ? ' (moved)' : ''}`);
        }
        if (flavour === 'absurd') {
          const { rows } = await db.pool.query<{ task: string; run: string }>(`select t.state as task, r.state as run from absurd."t_race" t
            join absurd."r_race" r on r.run_id = t.last_attempt_run where t.task_id = $1`, [id]);
          assert.equal(rows[0]?.run, rows[0]?.task, `${where}: the task and its last run agree`);
        }
        if (state === 'pending' || state === 'retrying') await flow.park(db.pool, id);
      }
      const { rows } = await db.pool.query<{ n: number }>(flavour === 'absurd' ? 'select count(*)::int as n from absurd."t_race"'
        : `select count(*)::int as n from ${flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks'}`);
      assert.equal(rows[0]!.n, perFlavour, 'one row per spawned task, no copies');
      t.diagnostic(`outcomes: ${JSON.stringify(seen)}`);
      // The race must really be a race: both sides won sometimes.
      assert.ok(Object.keys(seen).some((k) => k.startsWith('cancel ok')), JSON.stringify(seen));
      assert.ok(Object.keys(seen).some((k) => k.startsWith('cancel refused')), JSON.stringify(seen));
      assert.ok(Object.keys(seen).some((k) => k.startsWith('retry ok')), JSON.stringify(seen));
      assert.ok(Object.keys(seen).some((k) => k.startsWith('retry refused')), JSON.stringify(seen));
    } finally {
      worker.release();
      await db.drop();
    }
  });
}
});
