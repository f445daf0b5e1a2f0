// Release tasks whose worker is gone ("reset tasks claimed by workers that died"). Touches only
// the tasks the operator confirmed (or the stuck set found at start), and each only if the
// stuck predicate still holds inside the statement that changes it.
//   absurd: absurd.fail_run on the expired run (retries or fails per the task's own policy).
//   dsa110: back to pending while attempts remain, else failed with an error naming absurd-top.
import type { Config } from '../../config/schema.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { performDbAction, withTransaction, type DbActionContext } from './context.js';
import { resultFromOutcomes, type TargetOutcome } from './outcome.js';
import { refusalFromPgError } from './reasons.js';
import { queueTable } from '../../data/pg/sql-text.js';
import { execRecorded, renderSql, sql, type Statement } from './sql-text.js';
import { absurdStillStuck, dsaStuckPredicate, findStuckTasks, stuckParams, type StuckRef } from './stuck-tasks.js';

export interface ReapTargets {
  queue?: string | null;
  /** What the operator confirmed; omitted = the stuck set at the moment the action starts. */
  tasks?: StuckRef[];
}

export const REAP_REASON = { name: 'reaped', message: 'lease expired; released by absurd-top' };

const absurdFailRun = (ref: StuckRef): Statement =>
  sql('SELECT absurd.fail_run($1, $2::uuid, $3::jsonb, NULL)', ref.queue, ref.runId, JSON.stringify(REAP_REASON));

function dsaRelease(flavour: 'dsa110-v2' | 'dsa110-v1', ids: string[], config: Config): Statement {
  // SET expressions read the old row, so every CASE sees the attempt count before the change.
  const left = flavour === 'dsa110-v2' ? 'attempt < max_retries' : 'retry_count < max_retries';
  const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
  const v1Only = flavour === 'dsa110-v1'
    ? `retry_count = CASE WHEN ${left} THEN retry_count + 1 ELSE retry_count END,
       last_heartbeat = CASE WHEN ${left} THEN NULL ELSE last_heartbeat END,` : '';
  return sql(`UPDATE ${table} SET
       status = CASE WHEN ${left} THEN 'pending' ELSE 'failed' END, ${v1Only}
       error = CASE WHEN ${left} THEN error ELSE 'reaped by absurd-top: worker ' || COALESCE(worker_id, '?') || ' gone, claimed at ' || claimed_at END,
       completed_at = CASE WHEN ${left} THEN NULL ELSE now() END,
       worker_id = CASE WHEN ${left} THEN NULL ELSE worker_id END,
       claimed_at = CASE WHEN ${left} THEN NULL ELSE claimed_at END
     WHERE task_id = ANY($1::uuid[]) AND ${dsaStuckPredicate(flavour)}
     RETURNING task_id::text AS task_id, status`, ids, ...stuckParams(config, flavour));
}

function statements(ctx: Pick<DbActionContext, 'flavour' | 'config'>, tasks: StuckRef[]): Statement[] {
  if (tasks.length === 0) return [];
  if (ctx.flavour === 'absurd') return tasks.map(absurdFailRun);
  return [dsaRelease(ctx.flavour, tasks.map((t) => t.taskId), ctx.config)];
}

export function planReapStuck(ctx: Pick<DbActionContext, 'flavour' | 'config'>, t: { queue?: string | null; tasks: StuckRef[] }): ActionPlan {
  const n = t.tasks.length;
  return {
    action: 'reap',
    title: `Release ${n} stuck task${n === 1 ? '' : 's'}${t.queue ? ` in ${t.queue}` : ''} whose worker is gone`,
    commands: statements(ctx, t.tasks).map(renderSql),
    confirmWord: null,
    warning: 'if a worker is in fact alive, its task may run twice',
  };
}

async function reapAbsurd(ctx: DbActionContext, ref: StuckRef, commands: string[]): Promise<TargetOutcome & { now?: string }> {
  if (!ref.runId) return { id: ref.taskId, changed: false, reason: 'not stuck (no expired lease to release)' };
  try {
    return await withTransaction(ctx.pool, async (db) => {
      // Lock the run and re-check the lease: a worker that extended it in the meantime wins.
      const still = await db.query(absurdStillStuck(ref.queue), [ref.runId, ref.taskId]);
      if (still.rowCount !== 1) return { id: ref.taskId, changed: false, reason: 'no longer stuck' };
      await execRecorded(db, commands, absurdFailRun(ref));
      const { rows } = await db.query<{ state: string }>(`SELECT state FROM ${queueTable('t', ref.queue)} WHERE task_id = $1`, [ref.taskId]);
      return { id: ref.taskId, changed: true, now: rows[0]?.state ?? 'unknown' };
    });
  } catch (error) {
    const refusal = refusalFromPgError(error, ref.queue);
    if (refusal === null) throw error;
    return { id: ref.taskId, changed: false, reason: refusal };
  }
}

async function reapDsa(ctx: DbActionContext, tasks: StuckRef[], commands: string[]): Promise<(TargetOutcome & { now?: string })[]> {
  const flavour = ctx.flavour as 'dsa110-v2' | 'dsa110-v1';
  const { rows } = await execRecorded<{ task_id: string; status: string }>(ctx.pool, commands, dsaRelease(flavour, tasks.map((t) => t.taskId), ctx.config));
  const now = new Map(rows.map((r) => [r.task_id, r.status]));
  return tasks.map((t) => (now.has(t.taskId)
    ? { id: t.taskId, changed: true, now: now.get(t.taskId) }
    : { id: t.taskId, changed: false, reason: 'no longer stuck' }));
}

export function reapStuck(ctx: DbActionContext, t: ReapTargets): Promise<ActionResult> {
  return performDbAction(ctx, 'reap', t, async (commands) => {
    const tasks = t.tasks ?? await findStuckTasks(ctx.pool, ctx.flavour, ctx.config, t.queue ?? null);
    if (tasks.length === 0) {
      return { status: 'ok', action: 'reap', summary: 'no stuck tasks', asked: 0, changed: 0, commands, details: { changed: [], refused: [] } };
    }
    const outcomes: (TargetOutcome & { now?: string })[] = [];
    if (ctx.flavour === 'absurd') {
      for (const ref of tasks) outcomes.push(await reapAbsurd(ctx, ref, commands));
    } else {
      outcomes.push(...await reapDsa(ctx, tasks, commands));
    }
    const byState = new Map<string, number>();
    for (const o of outcomes) if (o.changed && o.now) byState.set(o.now, (byState.get(o.now) ?? 0) + 1);
    const after = [...byState].map(([state, n]) => `${n} now ${state}`).join(', ');
    return resultFromOutcomes('reap', 'released', outcomes, commands, {
      notes: after ? [after] : [],
      details: { nowState: Object.fromEntries(outcomes.filter((o) => o.now).map((o) => [o.id, o.now])) },
    });
  });
}
