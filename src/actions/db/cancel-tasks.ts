// Cancel tasks by id. Absurd: cancel_task (a silent no-op on terminal tasks, so the task's
// state is read under the same locks first to report honestly). dsa110-v2: cancel_task for
// pending/retrying, a guarded UPDATE for claimed ones. dsa110-v1: the guide's guarded UPDATE.
// Cancelling a running task never stops the worker process: the summary says so.
import type { Flavour } from '../../data/snapshot.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { performDbAction, withTransaction, type DbActionContext } from './context.js';
import { resultFromOutcomes, type TargetOutcome } from './outcome.js';
import { cancelRefusal, changedWhileRefusal, isTerminal, refusalFromPgError } from './reasons.js';
import { queueTable } from '../../data/pg/sql-text.js';
import { execRecorded, renderSql, sql, type Statement } from './sql-text.js';
import { missingQueueReason, queueLabel, splitIds } from './targets.js';

export interface CancelTargets {
  queue: string | null;
  taskIds: string[];
  /** The state each task showed when the operator confirmed (see RetryTargets.seen). */
  seen?: Readonly<Record<string, string>>;
}

type CancelOutcome = TargetOutcome & { wasRunning?: boolean };

export const RUNNING_NOT_INTERRUPTED = 'a running worker is not interrupted';

export const absurdCancel = (queue: string, id: string): Statement =>
  sql('SELECT absurd.cancel_task($1, $2::uuid)', queue, id);
const v2Cancel = (id: string): Statement => sql('SELECT absurd.cancel_task($1::uuid) AS cancelled', id);
const v2CancelClaimed = (id: string): Statement => sql(
  `UPDATE absurd.tasks SET status = 'cancelled', completed_at = now()
    WHERE task_id = $1::uuid AND status = 'claimed' RETURNING task_id::text AS task_id`, id);
/** The guide's guarded UPDATE; the CTE locks the rows to return each one's status before the change. */
export const v1Cancel = (ids: string[]): Statement => sql(
  `WITH target AS (SELECT task_id, status FROM absurd.t_tasks
      WHERE task_id = ANY($1::uuid[]) AND status IN ('pending', 'claimed') FOR UPDATE)
   UPDATE absurd.t_tasks t SET status = 'cancelled', completed_at = COALESCE(t.completed_at, now())
     FROM target WHERE t.task_id = target.task_id AND t.status IN ('pending', 'claimed')
   RETURNING t.task_id::text AS task_id, target.status AS was`, ids);

function statements(flavour: Flavour, queue: string, ids: string[]): Statement[] {
  switch (flavour) {
    case 'absurd': return ids.map((id) => absurdCancel(queue, id));
    case 'dsa110-v2': return ids.flatMap((id) => [v2Cancel(id), v2CancelClaimed(id)]);
    case 'dsa110-v1': return ids.length > 0 ? [v1Cancel(ids)] : [];
  }
}

export function planCancelTasks(ctx: Pick<DbActionContext, 'flavour'>, t: CancelTargets): ActionPlan {
  const { valid } = splitIds(t.taskIds);
  const missing = missingQueueReason(ctx.flavour, t.queue);
  return {
    action: 'cancel',
    title: `Cancel ${valid.length} task${valid.length === 1 ? '' : 's'}${queueLabel(t.queue)}`,
    commands: missing ? [] : statements(ctx.flavour, t.queue ?? '', valid).map(renderSql),
    confirmWord: null,
    warning: missing ?? `${RUNNING_NOT_INTERRUPTED}: its task is marked cancelled while the process keeps running`,
  };
}

/**
 * Why a guarded cancel changed nothing: a state its guard accepts means the row moved between
 * the statement and the read-back; any other state is the plain refusal.
 */
function cancelRefusalAfterGuard(state: string | null, guarded: readonly string[], seen: string | undefined): string {
  return state !== null && guarded.includes(state) ? changedWhileRefusal('cancelling', state, seen) : cancelRefusal(state, seen);
}

async function cancelAbsurd(ctx: DbActionContext, queue: string, id: string, seen: string | undefined, commands: string[]): Promise<CancelOutcome> {
  try {
    return await withTransaction(ctx.pool, async (db) => {
      // Same lock order as cancel_task/complete_run (runs, then task) so no new deadlock, and
      // the state read here is the one cancel_task will act on.
      await db.query(`SELECT run_id FROM ${queueTable('r', queue)}
        WHERE task_id = $1 AND state NOT IN ('completed', 'failed', 'cancelled') ORDER BY run_id FOR UPDATE`, [id]);
      const { rows } = await db.query<{ state: string }>(`SELECT state FROM ${queueTable('t', queue)} WHERE task_id = $1 FOR UPDATE`, [id]);
      const state = rows[0]?.state ?? null;
      if (state === null || isTerminal(state)) return { id, changed: false, reason: cancelRefusal(state, seen) };
      await execRecorded(db, commands, absurdCancel(queue, id));
      return { id, changed: true, wasRunning: state === 'running' };
    });
  } catch (error) {
    const refusal = refusalFromPgError(error, queue);
    if (refusal === null) throw error;
    return { id, changed: false, reason: refusal };
  }
}

function cancelV2(ctx: DbActionContext, id: string, seen: string | undefined, commands: string[]): Promise<CancelOutcome> {
  return withTransaction(ctx.pool, async (db) => {
    const queued = await execRecorded<{ cancelled: boolean }>(db, commands, v2Cancel(id));
    if (queued.rows[0]?.cancelled) return { id, changed: true };
    const claimed = await execRecorded(db, commands, v2CancelClaimed(id));
    if (claimed.rowCount === 1) return { id, changed: true, wasRunning: true };
    const { rows } = await db.query<{ status: string }>('SELECT status FROM absurd.tasks WHERE task_id = $1', [id]);
    return { id, changed: false, reason: cancelRefusalAfterGuard(rows[0]?.status ?? null, ['pending', 'retrying', 'claimed'], seen) };
  });
}

async function cancelV1(ctx: DbActionContext, t: CancelTargets, ids: string[], commands: string[]): Promise<CancelOutcome[]> {
  const { rows } = await execRecorded<{ task_id: string; was: string }>(ctx.pool, commands, v1Cancel(ids));
  const was = new Map(rows.map((r) => [r.task_id, r.was]));
  const rest = await ctx.pool.query<{ task_id: string; status: string }>(
    'SELECT task_id::text AS task_id, status FROM absurd.t_tasks WHERE task_id = ANY($1::uuid[])', [ids.filter((id) => !was.has(id))]);
  const stateOf = new Map(rest.rows.map((r) => [r.task_id, r.status]));
  return ids.map((id) => (was.has(id)
    ? { id, changed: true, wasRunning: was.get(id) === 'claimed' }
    : { id, changed: false, reason: cancelRefusalAfterGuard(stateOf.get(id) ?? null, ['pending', 'claimed'], t.seen?.[id]) }));
}

export function runningNote(count: number): string[] {
  return count > 0 ? [`${count} running task${count === 1 ? ' was' : 's were'} cancelled: ${RUNNING_NOT_INTERRUPTED}`] : [];
}

export function cancelTasks(ctx: DbActionContext, t: CancelTargets): Promise<ActionResult> {
  return performDbAction(ctx, 'cancel', t, async (commands) => {
    const missing = missingQueueReason(ctx.flavour, t.queue);
    if (missing) return { status: 'refused', action: 'cancel', reason: missing, commands };
    if (t.taskIds.length === 0) return { status: 'refused', action: 'cancel', reason: 'no task ids given', commands };
    const { valid, invalid } = splitIds(t.taskIds);
    const outcomes: CancelOutcome[] = [...invalid];
    if (ctx.flavour === 'dsa110-v1') {
      if (valid.length > 0) outcomes.push(...await cancelV1(ctx, t, valid, commands));
    } else {
      for (const id of valid) {
        outcomes.push(ctx.flavour === 'absurd'
          ? await cancelAbsurd(ctx, t.queue ?? '', id, t.seen?.[id], commands) : await cancelV2(ctx, id, t.seen?.[id], commands));
      }
    }
    const running = outcomes.filter((o) => o.changed && o.wasRunning).map((o) => o.id);
    return resultFromOutcomes('cancel', 'cancelled', outcomes, commands, {
      notes: runningNote(running.length),
      details: { running },
    });
  });
}
