// The guide's "Clear Task Queue": cancel every queued (and, if asked, running) task of ONE
// queue, in batches so no statement holds thousands of row locks for long. Each batch is one
// guarded statement that locks its rows and returns each row's state before the change, so
// the counts are what happened, not what was hoped. Only tasks created up to `before` (the
// moment the operator confirmed) are touched: a producer still spawning cannot make it endless.
import type { Flavour } from '../../data/snapshot.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { performDbAction, type DbActionContext } from './context.js';
import { runningNote } from './cancel-tasks.js';
import { queueExists } from './queues.js';
import { oneLineError, refusalFromPgError } from './reasons.js';
import { queueTable } from '../../data/pg/sql-text.js';
import { execRecorded, renderSql, sql, type Statement } from './sql-text.js';

export interface ClearTargets {
  queue: string;
  includeRunning: boolean;
  /** Tasks created after this are left alone (ISO time; default: the database's now() at start). */
  before?: string;
  batchSize?: number;
}

const DEFAULT_BATCH = 1000;

/** Queued states per flavour, and the state that means "running". */
function states(flavour: Flavour, includeRunning: boolean): { queued: string[]; running: string } {
  const byFlavour = {
    absurd: { queued: ['pending', 'sleeping'], running: 'running' },
    'dsa110-v2': { queued: ['pending', 'retrying'], running: 'claimed' },
    'dsa110-v1': { queued: ['pending'], running: 'claimed' },
  }[flavour];
  return { queued: includeRunning ? [...byFlavour.queued, byFlavour.running] : byFlavour.queued, running: byFlavour.running };
}

function batchStatement(flavour: Flavour, t: ClearTargets, before: string | null): Statement {
  const wanted = states(flavour, t.includeRunning).queued;
  const limit = t.batchSize ?? DEFAULT_BATCH;
  // `before` null renders as now(): the plan shown before the database was asked for its clock.
  const cutoff = before === null ? 'now()' : '$4::timestamptz';
  const params = before === null ? [t.queue, wanted, limit] : [t.queue, wanted, limit, before];
  if (flavour === 'absurd') {
    // Runs first, then tasks: the lock order of cancel_task/complete_run, so no deadlock.
    return sql(`WITH runs AS (SELECT r.task_id FROM ${queueTable('r', t.queue)} r
        WHERE r.state = ANY($2::text[]) AND r.created_at <= ${cutoff} LIMIT $3 FOR UPDATE),
      tasks AS (SELECT t.task_id, t.state FROM ${queueTable('t', t.queue)} t JOIN runs USING (task_id)
        WHERE t.state = ANY($2::text[]) FOR UPDATE OF t)
      SELECT tasks.state AS was, absurd.cancel_task($1, tasks.task_id) FROM tasks`, ...params);
  }
  const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
  const completedAt = flavour === 'dsa110-v2' ? 'now()' : 'COALESCE(t.completed_at, now())';
  return sql(`WITH target AS (SELECT task_id, status FROM ${table}
      WHERE queue_name = $1 AND status = ANY($2::text[]) AND created_at <= ${cutoff} LIMIT $3 FOR UPDATE)
    UPDATE ${table} t SET status = 'cancelled', completed_at = ${completedAt}
      FROM target WHERE t.task_id = target.task_id AND t.status = ANY($2::text[])
    RETURNING target.status AS was`, ...params);
}

function describe(flavour: Flavour, t: ClearTargets): string {
  return states(flavour, t.includeRunning).queued.join(', ');
}

export function planClearQueue(ctx: Pick<DbActionContext, 'flavour'>, t: ClearTargets): ActionPlan {
  return {
    action: 'clear-queue',
    title: `Cancel every task of queue ${t.queue} that is ${describe(ctx.flavour, t)} (loses all queued work)`,
    commands: [`${renderSql(batchStatement(ctx.flavour, t, t.before ?? null))} -- repeated until it returns no rows`],
    confirmWord: 'CLEAR',
    warning: t.includeRunning
      ? 'running tasks are marked cancelled but their workers are not interrupted'
      : 'stop the producer first, or new tasks keep arriving',
  };
}

export function clearQueue(ctx: DbActionContext, t: ClearTargets): Promise<ActionResult> {
  return performDbAction(ctx, 'clear-queue', t, async (commands) => {
    if (!t.queue) return { status: 'refused', action: 'clear-queue', reason: 'no queue given: name the queue to clear', commands };
    const before = t.before ?? (await ctx.pool.query<{ at: string }>("SELECT to_json(now())#>>'{}' AS at")).rows[0]?.at ?? null;
    const statement = batchStatement(ctx.flavour, t, before);
    const runningState = states(ctx.flavour, t.includeRunning).running;
    let cancelled = 0;
    let running = 0;
    let batches = 0;
    for (;;) {
      // Record the statement once: every batch runs the same text with the same parameters.
      let rows: { was: string }[];
      try {
        ({ rows } = batches === 0
          ? await execRecorded<{ was: string }>(ctx.pool, commands, statement)
          : await ctx.pool.query<{ was: string }>(statement.text, statement.params));
      } catch (error) {
        // Half-way through, the count of what was already cancelled must survive the error.
        if (batches > 0) throw new Error(`${oneLineError(error)} (after cancelling ${cancelled} tasks)`);
        const refusal = refusalFromPgError(error, t.queue);
        if (refusal === null) throw error;
        return { status: 'refused', action: 'clear-queue', reason: refusal, commands };
      }
      if (rows.length === 0) break;
      batches += 1;
      cancelled += rows.length;
      running += rows.filter((r) => r.was === runningState).length;
    }
    if (batches > 0) commands.push(`-- the statement above ran ${batches + 1} times; the last returned no rows`);
    if (cancelled === 0 && !(await queueExists(ctx.pool, ctx.flavour, t.queue))) {
      return { status: 'refused', action: 'clear-queue', reason: `unknown queue "${t.queue}"`, commands };
    }
    const summary = [`cancelled ${cancelled} task${cancelled === 1 ? '' : 's'} of queue ${t.queue}${batches > 1 ? ` in ${batches} batches` : ''}`,
      ...runningNote(running)].join('; ');
    return { status: 'ok', action: 'clear-queue', summary, asked: cancelled, changed: cancelled, commands, details: { queue: t.queue, cancelled, running, batches } };
  });
}
