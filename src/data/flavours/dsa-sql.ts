// SQL for the two dsa110 layouts, one table for all queues: absurd.tasks (v2, indexed on status,
// (queue_name, status) and created_at) and absurd.t_tasks (v1, only a partial index on pending).
// Recent activity is bounded by created_at (v2 has no completed_at index).
import { jsonRows, lit, num } from '../pg/sql-text.js';
import { floorSql } from './window-floor.js';
import { windowAggregates } from './window-sql.js';

export interface DsaColumns {
  table: string;
  attempts: string;
  maxAttempts: string;
  waitSec: string;
  runSec: string;
  retryCount: string;
  /** The worker's last heartbeat, as a timestamptz. */
  heartbeatAt: string;
  /** Live state bucket (pending / running / retrying) from the raw status. */
  liveState: string;
  liveStatuses: string;
  /** Extra columns shown in the task detail. */
  detailExtra: string;
  /** SQL predicate per console state (validated enum values only, never user text). */
  statePredicate: Record<string, string>;
}

const commonStates: Record<string, string> = {
  running: `status = 'claimed'`, completed: `status = 'completed'`, failed: `status = 'failed'`,
  cancelled: `status = 'cancelled'`, sleeping: 'false',
};

export const v2Columns: DsaColumns = {
  table: 'absurd.tasks',
  attempts: 'attempt',
  maxAttempts: 'max_retries',
  waitSec: 'wait_time_sec',
  runSec: 'execution_time_sec',
  retryCount: 'null::int',
  heartbeatAt: 'null::timestamptz',
  liveState: `case status when 'claimed' then 'running' else status end`,
  liveStatuses: `'pending', 'claimed', 'retrying'`,
  detailExtra: 'priority, timeout_sec, wait_time_sec, execution_time_sec',
  statePredicate: { ...commonStates, pending: `status = 'pending'`, retrying: `status = 'retrying'` },
};

/** v1 counts retries (fail_task requeues while retry_count < max_retries): attempts = retries + this one. */
export const v1Columns: DsaColumns = {
  table: 'absurd.t_tasks',
  attempts: `retry_count + case when status in ('claimed', 'completed', 'failed') then 1 else 0 end`,
  maxAttempts: 'max_retries + 1',
  waitSec: 'extract(epoch from claimed_at - created_at)::float8',
  runSec: 'extract(epoch from completed_at - claimed_at)::float8',
  retryCount: 'retry_count',
  heartbeatAt: 'last_heartbeat',
  liveState: `case when status = 'claimed' then 'running' when retry_count > 0 then 'retrying' else 'pending' end`,
  liveStatuses: `'pending', 'claimed'`,
  detailExtra: 'priority, timeout_sec, last_heartbeat, max_retries',
  statePredicate: {
    ...commonStates,
    pending: `(status = 'pending' and retry_count = 0)`, retrying: `(status = 'pending' and retry_count > 0)`,
  },
};

export class DsaSql {
  /** `and queue_name = '<queue>'` when one queue is shown. */
  private readonly qf: string;

  constructor(private readonly c: DsaColumns, queue: string | null, private readonly windowSec: number) {
    this.qf = queue === null ? '' : `and queue_name = ${lit(queue)}`;
  }

  summary(error = 'error'): string {
    const c = this.c;
    return `task_id::text as id, queue_name as queue, task_name as name, status as raw_state,
      (${c.attempts})::int as attempts, (${c.maxAttempts})::int as max_attempts, worker_id,
      created_at, claimed_at, completed_at, left(${error}, 2000) as error, ${c.retryCount} as retry_count`;
  }

  live(statuses = this.c.liveStatuses): string {
    return `select queue_name as queue, ${this.c.liveState} as state, count(*)::int as n,
        min(created_at) as oldest_pending_at, min(created_at) as oldest_created_at
      from ${this.c.table} where status in (${statuses}) ${this.qf} group by 1, 2`;
  }

  /** Rows created since the window start (window-floor.ts); historyMs from earlier refreshes. */
  private window(historyMs: number | null): string {
    // OFFSET 0 keeps the planner from answering min() by walking the created_at index from the
    // oldest row until it meets a live one (the whole table); the status index finds them.
    const liveMin = `select min(created_at) from (select created_at from ${this.c.table}
      where status in (${this.c.liveStatuses}) ${this.qf} offset 0) live`;
    return `created_at > ${floorSql(this.windowSec, liveMin, historyMs)} ${this.qf}`;
  }

  /**
   * Activity, workers and (v2) error results from one pass over the window's rows. Completed
   * tasks whose result says {"status": "error"} are flagged; v1 has no such convention.
   */
  windowFacts(errorLimit: number, historyMs: number | null): string {
    const c = this.c;
    const errorResult = c.table === 'absurd.tasks' ? `status = 'completed' and result ->> 'status' = 'error'` : 'false';
    return `with w as materialized (
        select ${this.summary(`coalesce(error, result ->> 'message', result ->> 'error', result::text)`)},
               (${c.waitSec})::float8 as wait_sec, (${c.runSec})::float8 as run_sec, ${errorResult} as error_result
          from ${c.table} where ${this.window(historyMs)}),
      wa as (
        select queue, worker_id, claimed_at as started_at,
               case when raw_state = 'completed' then completed_at end as completed_at,
               case when raw_state = 'failed' then completed_at end as failed_at,
               raw_state = 'failed' as final_failed, wait_sec, run_sec,
               greatest(claimed_at, completed_at) as seen_at
          from w)
      select ${windowAggregates},
        (select coalesce(json_agg(e), '[]') from (
           select id, queue, name, raw_state, attempts, max_attempts, worker_id, created_at, claimed_at,
                  completed_at, error, retry_count
             from w where error_result order by completed_at desc limit ${num(errorLimit)}) e) as error_results`;
  }

  /** In-flight tasks, longest claimed first, as JSON rows (sql-text.ts jsonRows). */
  inFlight(limit: number): string {
    return jsonRows(`select ${this.summary()}, timeout_sec,
        ${this.c.heartbeatAt} as heartbeat_at, null::timestamptz as lease_expires_at
      from ${this.c.table} where status = 'claimed' ${this.qf} order by claimed_at limit ${num(limit)}`, 'r.claimed_at');
  }

  /** Newest failures of the last day (a bound, so rare failures never walk the whole index), as JSON rows. */
  failures(limit: number): string {
    return jsonRows(`select ${this.summary()} from ${this.c.table}
      where status = 'failed' and created_at > now() - interval '24 hours' ${this.qf}
      order by created_at desc limit ${num(limit)}`, 'r.created_at desc');
  }

  /** Newest tasks, as JSON rows. */
  recent(limit: number): string {
    return jsonRows(`select ${this.summary()} from ${this.c.table} where true ${this.qf}
      order by created_at desc limit ${num(limit)}`, 'r.created_at desc');
  }

  terminal(): string {
    return `select queue_name as queue,
        count(*) filter (where status = 'completed')::int as completed,
        count(*) filter (where status = 'failed')::int as failed,
        count(*) filter (where status = 'cancelled')::int as cancelled
      from ${this.c.table} where status in ('completed', 'failed', 'cancelled') ${this.qf} group by queue_name`;
  }
}
