// Delete terminal tasks older than N days, in batches (never one giant DELETE that holds locks
// and bloats WAL for minutes). Absurd: its own cleanup_tasks per queue until it returns 0.
// dsa110: a bounded DELETE ... WHERE task_id IN (SELECT ... LIMIT n) whose outer WHERE re-checks
// state and age, looped until it deletes nothing.
import type { Flavour } from '../../data/snapshot.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { performDbAction, type DbActionContext } from './context.js';
import { listQueues, queueExists } from './queues.js';
import { execRecorded, renderSql, sql, type Statement } from './sql-text.js';

export interface PruneTargets {
  olderThanDays: number;
  batchSize?: number;
  /** One queue; null/omitted = every queue. */
  queue?: string | null;
}

const DEFAULT_BATCH = 1000;
export const daysText = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;

export function pruneRefusal(t: PruneTargets): string | null {
  if (!Number.isInteger(t.olderThanDays) || t.olderThanDays < 1) return `days must be a whole number of at least 1, got ${t.olderThanDays}`;
  const batch = t.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) return `batch size must be 1..100000, got ${batch}`;
  return null;
}

const absurdCleanup = (queue: string, t: PruneTargets): Statement =>
  sql('SELECT absurd.cleanup_tasks($1, $2, $3) AS deleted', queue, t.olderThanDays * 86_400, t.batchSize ?? DEFAULT_BATCH);

function dsaDelete(flavour: 'dsa110-v2' | 'dsa110-v1', t: PruneTargets): Statement {
  const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
  const old = `status IN ('completed', 'failed', 'cancelled')
    AND COALESCE(completed_at, created_at) < now() - make_interval(days => $1)${t.queue ? ' AND queue_name = $3' : ''}`;
  const params: unknown[] = [t.olderThanDays, t.batchSize ?? DEFAULT_BATCH];
  if (t.queue) params.push(t.queue);
  return sql(`DELETE FROM ${table} WHERE task_id IN (SELECT task_id FROM ${table} WHERE ${old} LIMIT $2) AND ${old}`, ...params);
}

function plannedStatements(flavour: Flavour, t: PruneTargets, queues: string[]): Statement[] {
  if (flavour === 'absurd') return queues.map((q) => absurdCleanup(q, t));
  return [dsaDelete(flavour, t)];
}

/** `queues`: flavour absurd runs cleanup_tasks once per queue, so the plan needs their names. */
export function planPruneTasks(ctx: Pick<DbActionContext, 'flavour'>, t: PruneTargets, queues: string[] = t.queue ? [t.queue] : []): ActionPlan {
  return {
    action: 'prune',
    title: `Delete completed, failed and cancelled tasks older than ${daysText(t.olderThanDays)}${t.queue ? ` in ${t.queue}` : ''}`,
    commands: plannedStatements(ctx.flavour, t, queues).map((s) => `${renderSql(s)} -- repeated until nothing is deleted`),
    confirmWord: null,
    warning: 'deleted tasks are gone for good (the audit trail of what they did goes with them)',
  };
}

export function pruneTasks(ctx: DbActionContext, t: PruneTargets): Promise<ActionResult> {
  return performDbAction(ctx, 'prune', t, async (commands) => {
    const refusal = pruneRefusal(t);
    if (refusal) return { status: 'refused', action: 'prune', reason: refusal, commands };
    if (t.queue && !(await queueExists(ctx.pool, ctx.flavour, t.queue))) {
      return { status: 'refused', action: 'prune', reason: `unknown queue "${t.queue}"`, commands };
    }
    const queues = ctx.flavour === 'absurd' ? (t.queue ? [t.queue] : await listQueues(ctx.pool, 'absurd')) : [];
    const perQueue: Record<string, number> = {};
    let total = 0;
    for (const statement of plannedStatements(ctx.flavour, t, queues)) {
      let runs = 0;
      for (;;) {
        const result = runs === 0
          ? await execRecorded<{ deleted: number }>(ctx.pool, commands, statement)
          : await ctx.pool.query<{ deleted: number }>(statement.text, statement.params);
        runs += 1;
        const deleted = ctx.flavour === 'absurd' ? Number(result.rows[0]?.deleted ?? 0) : (result.rowCount ?? 0);
        if (deleted === 0) break;
        total += deleted;
        const key = ctx.flavour === 'absurd' ? String(statement.params[0]) : (t.queue ?? '*');
        perQueue[key] = (perQueue[key] ?? 0) + deleted;
      }
      if (runs > 1) commands.push(`-- the statement above ran ${runs} times; the last deleted nothing`);
    }
    const summary = `deleted ${total} terminal task${total === 1 ? '' : 's'} older than ${daysText(t.olderThanDays)}`;
    return { status: 'ok', action: 'prune', summary, asked: total, changed: total, commands, details: { perQueue } };
  });
}
