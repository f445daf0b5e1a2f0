// Retry failed tasks. Each flavour has its own guard: Absurd's retry_task accepts only failed
// tasks; dsa110-v2's retry_task only failed/cancelled ones with attempts left (and "anyway"
// raises max_retries first, guarded by the same states); dsa110-v1 has no function, so the
// operations guide's guarded UPDATE ... WHERE status = 'failed' is the whole guard.
import type { Flavour } from '../../data/snapshot.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { performDbAction, withTransaction, type DbActionContext, type Queryable } from './context.js';
import { resultFromOutcomes, type TargetOutcome } from './outcome.js';
import { changedWhileRefusal, refusalFromPgError, retryRefusal } from './reasons.js';
import { queueTable } from '../../data/pg/sql-text.js';
import { execRecorded, renderSql, sql, type Statement } from './sql-text.js';
import { missingQueueReason, queueLabel, splitIds } from './targets.js';

export interface RetryTargets {
  queue: string | null;
  taskIds: string[];
  /** Flavour absurd: spawn a copy instead of retrying in place. */
  spawnNew?: boolean;
  /** dsa110-v2: raise max_retries when attempts are exhausted. */
  anyway?: boolean;
  /** Flavour absurd: the new max_attempts (default: Absurd adds one attempt). */
  maxAttempts?: number;
  /**
   * The state each task showed (as the database spells it) when the operator confirmed; the
   * console passes it so a task that moved since is reported as moved, not as a wrong pick.
   */
  seen?: Readonly<Record<string, string>>;
}

const absurdRetry = (queue: string, id: string, t: RetryTargets): Statement => {
  const options: Record<string, unknown> = {};
  if (t.spawnNew) options.spawn_new = true;
  if (t.maxAttempts !== undefined) options.max_attempts = t.maxAttempts;
  return sql('SELECT task_id::text AS task_id, run_id::text AS run_id, attempt, created FROM absurd.retry_task($1, $2::uuid, $3::jsonb)',
    queue, id, JSON.stringify(options));
};
const v2Retry = (id: string): Statement => sql('SELECT absurd.retry_task($1::uuid) AS retried', id);
const v2RaiseMaxRetries = (id: string): Statement => sql(
  `UPDATE absurd.tasks SET max_retries = attempt + 1
    WHERE task_id = $1::uuid AND status IN ('failed', 'cancelled') AND attempt >= max_retries`, id);
const v1Retry = (ids: string[]): Statement => sql(
  `UPDATE absurd.t_tasks SET status = 'pending', error = NULL, claimed_at = NULL, worker_id = NULL
    WHERE task_id = ANY($1::uuid[]) AND status = 'failed' RETURNING task_id::text AS task_id`, ids);

function statements(flavour: Flavour, t: RetryTargets, ids: string[]): Statement[] {
  switch (flavour) {
    case 'absurd': return ids.map((id) => absurdRetry(t.queue ?? '', id, t));
    case 'dsa110-v2': return ids.flatMap((id) => (t.anyway ? [v2Retry(id), v2RaiseMaxRetries(id), v2Retry(id)] : [v2Retry(id)]));
    case 'dsa110-v1': return ids.length > 0 ? [v1Retry(ids)] : [];
  }
}

export function planRetryTasks(ctx: Pick<DbActionContext, 'flavour'>, t: RetryTargets): ActionPlan {
  const { valid } = splitIds(t.taskIds);
  const how = t.spawnNew && ctx.flavour === 'absurd' ? ' as new tasks' : '';
  const missing = missingQueueReason(ctx.flavour, t.queue);
  return {
    action: 'retry',
    title: `Retry ${valid.length} failed task${valid.length === 1 ? '' : 's'}${queueLabel(t.queue)}${how}`,
    // Without the queue on flavour absurd nothing can run: show why instead of a call with ''.
    commands: missing ? [] : statements(ctx.flavour, t, valid).map(renderSql),
    confirmWord: null,
    warning: missing ?? (t.anyway && ctx.flavour === 'dsa110-v2'
      ? 'max_retries is raised only for tasks whose attempts are exhausted, then they are retried' : null),
  };
}

async function retryAbsurd(ctx: DbActionContext, t: RetryTargets, id: string, commands: string[]): Promise<TargetOutcome & { spawned?: string }> {
  const queue = t.queue ?? '';
  try {
    const { rows } = await execRecorded<{ task_id: string; created: boolean }>(ctx.pool, commands, absurdRetry(queue, id, t));
    const row = rows[0];
    return row && row.created && row.task_id !== id ? { id, changed: true, spawned: row.task_id } : { id, changed: true };
  } catch (error) {
    const refusal = refusalFromPgError(error, queue);
    if (refusal === null) throw error;
    // Prefer the task's actual state over the function's wording when the row is readable.
    const state = await ctx.pool.query<{ state: string }>(`SELECT state FROM ${queueTable('t', queue)} WHERE task_id = $1`, [id])
      .then((r) => r.rows[0]?.state ?? null, () => undefined);
    if (state === undefined) return { id, changed: false, reason: refusal };
    // Failed now, yet the function saw another state: the row moved under the call. Any other
    // refusal of a failed task (a bad option) keeps the function's own words.
    if (state === 'failed') return { id, changed: false, reason: /only failed tasks/.test(refusal) ? changedWhileRefusal('retrying', state, t.seen?.[id]) : refusal };
    return { id, changed: false, reason: retryRefusal(state, 'failed', t.seen?.[id]) };
  }
}

async function v2Refusal(db: Queryable, id: string, seen: string | undefined): Promise<string> {
  const { rows } = await db.query<{ status: string; attempt: number; max_retries: number }>(
    'SELECT status, attempt, max_retries FROM absurd.tasks WHERE task_id = $1', [id]);
  const row = rows[0];
  if (!row || !['failed', 'cancelled'].includes(row.status)) return retryRefusal(row?.status ?? null, 'failed or cancelled', seen);
  if (row.attempt >= row.max_retries) {
    return `attempts exhausted (attempt ${row.attempt} of max_retries ${row.max_retries}); retry anyway (--anyway) raises max_retries`;
  }
  return changedWhileRefusal('retrying', row.status, seen);
}

async function retryV2(ctx: DbActionContext, t: RetryTargets, id: string, commands: string[]): Promise<TargetOutcome> {
  // One transaction: a raised max_retries never stays behind without the retry it was for.
  return withTransaction(ctx.pool, async (db) => {
    const first = await execRecorded<{ retried: boolean }>(db, commands, v2Retry(id));
    if (first.rows[0]?.retried) return { id, changed: true };
    const reason = await v2Refusal(db, id, t.seen?.[id]);
    if (!t.anyway || !reason.startsWith('attempts exhausted')) return { id, changed: false, reason };
    const raised = await execRecorded(db, commands, v2RaiseMaxRetries(id));
    if (raised.rowCount !== 1) return { id, changed: false, reason: await v2Refusal(db, id, t.seen?.[id]) };
    const second = await execRecorded<{ retried: boolean }>(db, commands, v2Retry(id));
    return second.rows[0]?.retried ? { id, changed: true } : { id, changed: false, reason: await v2Refusal(db, id, t.seen?.[id]) };
  });
}

async function retryV1(ctx: DbActionContext, t: RetryTargets, ids: string[], commands: string[]): Promise<TargetOutcome[]> {
  const { rows } = await execRecorded<{ task_id: string }>(ctx.pool, commands, v1Retry(ids));
  const retried = new Set(rows.map((r) => r.task_id));
  // One cheap read of what the rest are now, so the refusal names the state the row is in.
  const states = await ctx.pool.query<{ task_id: string; status: string }>(
    'SELECT task_id::text AS task_id, status FROM absurd.t_tasks WHERE task_id = ANY($1::uuid[])', [ids.filter((id) => !retried.has(id))]);
  const stateOf = new Map(states.rows.map((r) => [r.task_id, r.status]));
  const refusal = (id: string): string => {
    const state = stateOf.get(id) ?? null;
    // Failed now although the guarded UPDATE found it otherwise: it moved between the two reads.
    return state === 'failed' ? changedWhileRefusal('retrying', state, t.seen?.[id]) : retryRefusal(state, 'failed', t.seen?.[id]);
  };
  return ids.map((id) => (retried.has(id) ? { id, changed: true } : { id, changed: false, reason: refusal(id) }));
}

export function retryTasks(ctx: DbActionContext, t: RetryTargets): Promise<ActionResult> {
  return performDbAction(ctx, 'retry', t, async (commands) => {
    const missing = missingQueueReason(ctx.flavour, t.queue);
    if (missing) return { status: 'refused', action: 'retry', reason: missing, commands };
    if (t.taskIds.length === 0) return { status: 'refused', action: 'retry', reason: 'no task ids given', commands };
    const { valid, invalid } = splitIds(t.taskIds);
    const outcomes: (TargetOutcome & { spawned?: string })[] = [...invalid];
    if (ctx.flavour === 'dsa110-v1') {
      if (valid.length > 0) outcomes.push(...await retryV1(ctx, t, valid, commands));
    } else {
      for (const id of valid) {
        outcomes.push(ctx.flavour === 'absurd' ? await retryAbsurd(ctx, t, id, commands) : await retryV2(ctx, t, id, commands));
      }
    }
    const spawned = outcomes.filter((o) => o.spawned).map((o) => ({ from: o.id, task: o.spawned }));
    return resultFromOutcomes('retry', 'retried', outcomes, commands, {
      notes: spawned.length > 0 ? [`spawned ${spawned.length} new task${spawned.length === 1 ? '' : 's'}`] : [],
      details: spawned.length > 0 ? { spawned } : {},
    });
  });
}
