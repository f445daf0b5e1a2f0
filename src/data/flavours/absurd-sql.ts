// SQL for flavour `absurd` (per-queue tables t_/r_/c_). Every statement reaches rows through an
// index: live runs through r_ (state, available_at), recent runs through a run_id UUIDv7 floor,
// tasks by primary key. Only the all-time totals read t_ whole, once a minute.
import { jsonRows, lit, num, queueTable } from '../pg/sql-text.js';
import { floorSql, uuidv7FloorSql } from './window-floor.js';
import { windowAggregates } from './window-sql.js';

/** Failure reason {name, message, stack} as one line of text; the raw JSON if it has neither. */
export const reasonText = (r: string): string =>
  `case when ${r}.failure_reason is null then null else coalesce(nullif(concat_ws(': ',
     ${r}.failure_reason ->> 'name', ${r}.failure_reason ->> 'message'), ''), ${r}.failure_reason::text) end`;

/** The summary columns (rows.ts) for task t joined to its current run r. */
/** The whole failure reason for the detail view: "name: message" and then the stack. */
export const fullReasonText = (r: string): string =>
  `case when ${r}.failure_reason is null then null else coalesce(nullif(concat_ws(E'\\n',
     nullif(concat_ws(': ', ${r}.failure_reason ->> 'name', ${r}.failure_reason ->> 'message'), ''),
     ${r}.failure_reason ->> 'stack'), ''), ${r}.failure_reason::text) end`;

export const summaryCols = (queue: string): string => `
  t.task_id::text as id, ${lit(queue)} as queue, t.task_name as name, t.state as raw_state,
  t.attempts, t.max_attempts, r.claimed_by as worker_id, t.enqueue_at as created_at,
  r.started_at as claimed_at,
  case when t.state in ('completed', 'failed', 'cancelled')
       then coalesce(r.completed_at, r.failed_at, t.cancelled_at) end as completed_at,
  left(${reasonText('r')}, 2000) as error`;

const unionAll = (parts: string[]): string => parts.map((p) => `(${p})`).join('\nunion all\n');

export function liveSql(queues: string[]): string {
  return unionAll(queues.map((q) => `
    select ${lit(q)} as queue, state, count(*)::int as n,
           min(available_at) filter (where state = 'pending') as oldest_pending_at,
           min(created_at) as oldest_created_at
      from ${queueTable('r', q)} where state in ('pending', 'running', 'sleeping') group by state`));
}

/**
 * Runs of the activity window (run_id >= the smallest UUIDv7 of the window start, see
 * window-floor.ts), read once, aggregated by window-sql.ts. A failed run counts as a failure
 * only when it ended its task (not an attempt that was retried): one primary-key probe per
 * recently failed run.
 */
export function windowSql(queues: string[], baseSec: number, history: (queue: string) => number | null): string {
  return `with w as materialized (${unionAll(queues.map((q) => `
    select ${lit(q)} as queue, r.claimed_by as worker_id, r.started_at,
           case when r.state = 'completed' then r.completed_at end as completed_at, r.failed_at,
           -- A scalar subquery under CASE: probed by primary key only for failed runs. (EXISTS
           -- here may be planned as a hashed subplan, i.e. a full scan of t_.)
           case when r.state = 'failed' and r.failed_at >= now() - interval '1 hour'
                then coalesce((select t.state = 'failed' and t.last_attempt_run = r.run_id
                                 from ${queueTable('t', q)} t where t.task_id = r.task_id), false)
                else false end as final_failed,
           -- available_at may be 'infinity' (event waits), which cannot be subtracted
           case when r.available_at < 'infinity' then extract(epoch from r.started_at - r.available_at)::float8 end as wait_sec,
           extract(epoch from r.completed_at - r.started_at)::float8 as run_sec,
           greatest(r.started_at, r.completed_at, r.failed_at) as seen_at
      from ${queueTable('r', q)} r
     where r.run_id >= ${uuidv7FloorSql(floorSql(baseSec, `select min(created_at) from ${queueTable('r', q)}
             where state in ('pending', 'running')`, history(q)))}`))}),
    wa as (select * from w)
    select ${windowAggregates}`;
}

/** Running tasks, lease most overdue (earliest to run out) first, as JSON rows (sql-text.ts jsonRows). */
export function inFlightSql(queues: string[], limit: number): string {
  return jsonRows(`select * from (${unionAll(queues.map((q) => `
    select ${summaryCols(q)}, null::int as timeout_sec, null::timestamptz as heartbeat_at,
           case when r.claim_expires_at < 'infinity' then r.claim_expires_at end as lease_expires_at
      from ${queueTable('r', q)} r join ${queueTable('t', q)} t on t.task_id = r.task_id
     where r.state = 'running' order by r.claim_expires_at limit ${num(limit)}`))}) x
    order by lease_expires_at nulls last limit ${num(limit)}`, 'r.lease_expires_at nulls last');
}

/** Newest failed tasks: newest failed runs via the state index, kept when they ended their task; as JSON rows. */
export function failuresSql(queues: string[], limit: number): string {
  return jsonRows(`select * from (${unionAll(queues.map((q) => `
    select ${summaryCols(q)}
      from (select run_id, task_id, claimed_by, started_at, completed_at, failed_at, failure_reason
              from ${queueTable('r', q)} where state = 'failed' order by available_at desc limit ${num(limit * 2)}) r
      join ${queueTable('t', q)} t on t.task_id = r.task_id and t.last_attempt_run = r.run_id
     where t.state = 'failed' order by r.failed_at desc limit ${num(limit)}`))}) x
    order by completed_at desc nulls last limit ${num(limit)}`, 'r.completed_at desc nulls last');
}

/** Newest tasks, as JSON rows. */
export function recentSql(queues: string[], limit: number): string {
  return jsonRows(`select * from (${unionAll(queues.map((q) => `
    select ${summaryCols(q)}
      from (select task_id, task_name, state, attempts, max_attempts, enqueue_at, cancelled_at, last_attempt_run
              from ${queueTable('t', q)} order by task_id desc limit ${num(limit)}) t
      left join ${queueTable('r', q)} r on r.run_id = t.last_attempt_run`))}) x
    order by created_at desc, id desc limit ${num(limit)}`, 'r.created_at desc, r.id desc');
}

/** All-time totals: a full scan of each t_ (no state index), hence the minute cache. */
export function terminalSql(queues: string[]): string {
  return unionAll(queues.map((q) => `
    select ${lit(q)} as queue,
           count(*) filter (where state = 'completed')::int as completed,
           count(*) filter (where state = 'failed')::int as failed,
           count(*) filter (where state = 'cancelled')::int as cancelled
      from ${queueTable('t', q)}`));
}
