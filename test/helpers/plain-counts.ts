// The reference the readers are checked against: per-queue state counts and last-hour figures
// computed by the most obvious SQL (full scans, no cleverness), mapped onto console states.
import type pg from 'pg';
import type { Flavour, TaskState } from '../../src/data/snapshot.js';
import { quote } from './seed.js';

export type StateCounts = Record<TaskState, number>;

const zero = (): StateCounts => ({ pending: 0, running: 0, sleeping: 0, retrying: 0, completed: 0, failed: 0, cancelled: 0 });

export async function plainCounts(pool: pg.Pool, flavour: Flavour, queue: string): Promise<StateCounts> {
  const sql = flavour === 'absurd'
    ? `select state, count(*)::int as n from absurd.${quote(`t_${queue}`)} group by 1`
    : flavour === 'dsa110-v2'
      ? `select case status when 'claimed' then 'running' else status end as state, count(*)::int as n
           from absurd.tasks where queue_name = $1 group by 1`
      : `select case when status = 'claimed' then 'running' when status = 'pending' and retry_count > 0 then 'retrying'
                     else status end as state, count(*)::int as n
           from absurd.t_tasks where queue_name = $1 group by 1`;
  const res = await pool.query<{ state: TaskState; n: number }>(sql, flavour === 'absurd' ? [] : [queue]);
  const out = zero();
  for (const r of res.rows) out[r.state] += r.n;
  return out;
}

/** Tasks completed / failed (for good) in the last hour. */
export async function plainLastHour(pool: pg.Pool, flavour: Flavour, queue: string): Promise<{ completed: number; failed: number }> {
  if (flavour === 'absurd') {
    const res = await pool.query(`select
        count(*) filter (where r.state = 'completed' and r.completed_at >= now() - interval '1 hour')::int as completed,
        count(*) filter (where t.state = 'failed' and r.state = 'failed' and r.failed_at >= now() - interval '1 hour')::int as failed
      from absurd.${quote(`t_${queue}`)} t join absurd.${quote(`r_${queue}`)} r on r.run_id = t.last_attempt_run`);
    return res.rows[0];
  }
  const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
  const res = await pool.query(`select
      count(*) filter (where status = 'completed' and completed_at >= now() - interval '1 hour')::int as completed,
      count(*) filter (where status = 'failed' and completed_at >= now() - interval '1 hour')::int as failed
    from ${table} where queue_name = $1`, [queue]);
  return res.rows[0];
}

/** Every task id of a queue, newest first, as browse must page through them. */
export async function plainIdsNewestFirst(pool: pg.Pool, flavour: Flavour, queue: string): Promise<string[]> {
  const sql = flavour === 'absurd'
    ? `select task_id::text as id from absurd.${quote(`t_${queue}`)} order by task_id desc`
    : `select task_id::text as id from ${flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks'}
        where queue_name = $1 order by created_at desc, task_id desc`;
  return (await pool.query<{ id: string }>(sql, flavour === 'absurd' ? [] : [queue])).rows.map((r) => r.id);
}
