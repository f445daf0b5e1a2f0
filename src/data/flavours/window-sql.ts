// Recent activity in one pass: each flavour selects the rows of its activity window once into a
// MATERIALIZED CTE and exposes them as `wa` with normalised columns; these aggregates read only
// `wa` and return JSON columns. Three statements over the same index range would read it thrice.
//
// Columns `wa` must have: queue, worker_id, started_at, completed_at (completed only), failed_at
// (any failed attempt), final_failed (the task failed for good), wait_sec, run_sec, seen_at.
import { z } from 'zod';
import { activityRowSchema, summaryRowSchema, workerRowSchema } from './rows.js';

export const windowAggregates = `
  (select coalesce(json_agg(a), '[]') from (
     select queue,
       count(*) filter (where completed_at >= now() - interval '1 minute')::int as c1,
       count(*) filter (where completed_at >= now() - interval '5 minutes')::int as c5,
       count(*) filter (where completed_at >= now() - interval '1 hour')::int as c60,
       count(*) filter (where final_failed and failed_at >= now() - interval '1 hour')::int as f60,
       percentile_cont(array[0.5, 0.95]) within group (order by wait_sec)
         filter (where started_at >= now() - interval '1 hour') as wait_pct,
       percentile_cont(array[0.5, 0.95]) within group (order by run_sec)
         filter (where completed_at >= now() - interval '1 hour') as run_pct,
       max(completed_at) as last_completion_at
     from wa group by queue) a) as activity,
  (select coalesce(json_agg(x), '[]') from (
     select worker_id, max(seen_at) as last_seen_at,
       count(*) filter (where coalesce(completed_at, failed_at) >= now() - interval '1 hour')::int as finished_last_hour
     from wa where worker_id is not null
     group by worker_id having max(seen_at) >= now() - interval '1 hour') x) as workers`;

export const windowRowSchema = z.object({
  activity: z.array(activityRowSchema),
  workers: z.array(workerRowSchema),
  /** dsa110-v2 only: completed tasks whose result says {"status": "error"}. */
  error_results: z.array(summaryRowSchema).optional(),
});
