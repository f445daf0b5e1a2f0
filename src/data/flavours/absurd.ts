// Reader for flavour `absurd` (per-queue tables). One refresh = the queue list, then one
// multi-statement query; the all-time totals come from the minute cache.
import type { DbSnapshot, TaskSummary } from '../snapshot.js';
import type { BrowsePage, BrowseQuery, TaskDetail } from '../sources.js';
import { isUuid, queueTable } from '../pg/sql-text.js';
import {
  failuresSql, fullReasonText, inFlightSql, liveSql, recentSql, summaryCols, terminalSql, windowSql,
} from './absurd-sql.js';
import { assembleSnapshot } from './assemble.js';
import {
  activityWindowSec, likePattern, multiQuery, parseBrowse, pickQueues, slowQuery, type FlavourReader, type ReaderContext,
} from './context.js';
import { MinuteCache } from './minute-cache.js';
import { LiveHistory, oldestLive } from './window-floor.js';
import {
  liveRowSchema, parseRows, summaryRowSchema, terminalRowSchema, toSummary, type TerminalRow,
} from './rows.js';
import { TaskListRows } from './row-reuse.js';
import { windowRowSchema } from './window-sql.js';
import { absurdDetailRow, checkpointRowSchema, runRowSchema } from './detail-rows.js';

export class AbsurdReader implements FlavourReader {
  readonly flavour = 'absurd' as const;
  private readonly totals: MinuteCache<TerminalRow[]>;
  private totalsQueues: string[] = [];
  private readonly histories = new Map<string, LiveHistory>();
  private readonly taskLists = new TaskListRows();

  constructor(private readonly ctx: ReaderContext) {
    this.totals = new MinuteCache(() => this.loadTotals(), ctx.options.cacheTtlMs, ctx.options.now);
  }

  async queues(): Promise<string[]> {
    const res = await this.ctx.pool.query<{ queue_name: string }>('select queue_name from absurd.queues order by queue_name');
    return res.rows.map((r) => r.queue_name);
  }

  async snapshot(roundTripMs: number): Promise<DbSnapshot> {
    const { ctx } = this;
    const all = await this.queues();
    const queues = pickQueues(all, ctx.config);
    this.totalsQueues = queues;
    const history = (q: string): number | null => this.history(q).oldestMs();
    // The totals go alongside the rest (see dsa110-v2.ts): the first refresh waits for them.
    const [[live, windowRows, inFlight, failures, recent], terminal] = await Promise.all([
      queues.length === 0
        ? [[], [{ activity: [], workers: [] }], ...noTaskLists()]
        : multiQuery(ctx.pool, [liveSql(queues), windowSql(queues, activityWindowSec(ctx.config), history),
          inFlightSql(queues, 200), failuresSql(queues, 50), recentSql(queues, 10)]),
      this.totals.get(),
    ]);
    const liveRows = parseRows(liveRowSchema, live ?? [], 'live count');
    for (const q of queues) this.history(q).observe(oldestLive(liveRows.filter((r) => r.queue === q)));
    const [win] = parseRows(windowRowSchema, (windowRows ?? []).slice(0, 1), 'activity');
    if (!win) throw new Error('activity query returned no row');
    return assembleSnapshot({
      queues,
      live: liveRows,
      activity: win.activity,
      workers: win.workers,
      ...this.taskLists.parse(inFlight, failures, recent),
      errorResults: [],
      terminal,
      diagnostics: ctx.detection.diagnostics,
    }, {
      flavour: this.flavour, schemaVersion: ctx.detection.schemaVersion, target: ctx.target,
      roundTripMs, thresholds: ctx.config.thresholds,
    });
  }

  private history(queue: string): LiveHistory {
    let h = this.histories.get(queue);
    if (!h) {
      h = new LiveHistory(this.ctx.options.now);
      this.histories.set(queue, h);
    }
    return h;
  }

  /** Totals for the queues of the latest refresh; a queue that appears later reads 0 until the next minute. */
  private async loadTotals(): Promise<TerminalRow[]> {
    if (this.totalsQueues.length === 0) return [];
    return parseRows(terminalRowSchema, await slowQuery(this.ctx, terminalSql(this.totalsQueues)), 'total');
  }

  async taskDetail(queue: string, taskId: string): Promise<TaskDetail | null> {
    if (!isUuid(taskId)) return null;
    pickQueues(await this.queues(), { ...this.ctx.config, queue });
    const { pool } = this.ctx;
    const t = queueTable('t', queue);
    const r = queueTable('r', queue);
    const [task, runs, checkpoints] = await Promise.all([
      pool.query(`select ${summaryCols(queue)}, t.params, t.completed_payload as result, t.headers, t.retry_strategy,
          t.cancellation, t.idempotency_key, t.last_attempt_run::text as last_attempt_run,
          t.enqueue_at, t.first_started_at, t.cancelled_at, ${fullReasonText('r')} as full_error
        from ${t} t left join ${r} r on r.run_id = t.last_attempt_run where t.task_id = $1`, [taskId]),
      pool.query(`select run_id::text, attempt, state, claimed_by, started_at, completed_at, failed_at,
          claim_expires_at, failure_reason from ${r} where task_id = $1 order by attempt, run_id`, [taskId]),
      pool.query(`select checkpoint_name as name, status, updated_at, state
          from ${queueTable('c', queue)} where task_id = $1 order by updated_at, checkpoint_name`, [taskId]),
    ]);
    if (task.rows.length === 0) return null;
    const row = absurdDetailRow.parse(task.rows[0]);
    const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
    return {
      ...toSummary(this.flavour, row),
      timestamps: { enqueue_at: row.enqueue_at, first_started_at: row.first_started_at, cancelled_at: row.cancelled_at },
      params: row.params,
      result: row.result,
      fullError: row.full_error,
      extra: {
        idempotency_key: row.idempotency_key, last_attempt_run: row.last_attempt_run,
        headers: json(row.headers), retry_strategy: json(row.retry_strategy), cancellation: json(row.cancellation),
      },
      runs: parseRows(runRowSchema, runs.rows, 'run').map((x) => ({
        runId: x.run_id, attempt: x.attempt, state: x.state, claimedBy: x.claimed_by, startedAt: x.started_at,
        completedAt: x.completed_at, failedAt: x.failed_at, claimExpiresAt: x.claim_expires_at, failureReason: x.failure_reason,
      })),
      checkpoints: parseRows(checkpointRowSchema, checkpoints.rows, 'checkpoint').map((c) => ({
        name: c.name, status: c.status, updatedAt: c.updated_at, state: c.state,
      })),
    };
  }

  /** Newest first by task_id: a UUIDv7, so creation order, and the primary key serves it. */
  async browse(input: BrowseQuery): Promise<BrowsePage> {
    const q = parseBrowse(input);
    pickQueues(await this.queues(), { ...this.ctx.config, queue: q.queue });
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown): void => { params.push(value); where.push(sql(`$${params.length}`)); };
    if (q.after) {
      if (!isUuid(q.after.id)) return { tasks: [], next: null };
      add((p) => `t.task_id < ${p}::uuid`, q.after.id);
    }
    if (q.states?.length) add((p) => `t.state = any(${p}::text[])`, q.states);
    if (q.name) add((p) => `t.task_name ilike ${p}`, likePattern(q.name));
    if (q.text) add((p) => `(t.task_id::text ilike ${p} or t.task_name ilike ${p} or r.failure_reason::text ilike ${p})`, likePattern(q.text));
    const res = await this.ctx.pool.query(`select ${summaryCols(q.queue)}
        from ${queueTable('t', q.queue)} t left join ${queueTable('r', q.queue)} r on r.run_id = t.last_attempt_run
       ${where.length ? `where ${where.join(' and ')}` : ''}
       order by t.task_id desc limit ${q.limit + 1}`, params);
    const rows = parseRows(summaryRowSchema, res.rows, 'browse');
    const tasks: TaskSummary[] = rows.slice(0, q.limit).map((r) => toSummary(this.flavour, r));
    const last = tasks[tasks.length - 1];
    return { tasks, next: rows.length > q.limit && last ? { createdAt: last.createdAt ?? 0, id: last.id } : null };
  }
}

/** What the three jsonRows task lists hold when no queue is watched (nothing is asked). */
function noTaskLists(): unknown[][] {
  const none = [{ rows: [], now_ms: Date.now() }];
  return [none, none, none];
}
