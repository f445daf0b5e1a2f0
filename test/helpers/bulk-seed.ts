// Large tables in one INSERT ... SELECT generate_series per table, for the cheapness tests and
// the benchmark. The mix mimics a long-running pipeline: rows spread evenly over `days`, mostly
// completed, 2 % failed, 1 % cancelled, and the newest `live` rows still pending (3/4) or
// running (1/4). Row i is deterministic, so runs can point at their tasks without a join.
import type pg from 'pg';
import type { Flavour } from '../../src/data/snapshot.js';

export interface BulkSeedOptions {
  /** Queues to spread rows over (round robin); default ['bulk']. */
  queues?: string[];
  /** History the rows cover, oldest row `days` ago; default 365 (a year of pipeline work). */
  days?: number;
  /** Newest rows left pending or running; default 300. */
  live?: number;
}

// $1 = n, $2 = days, $3 = live. One row per task with its state and times.
const rows = `
  select i, created, st, name,
         least(created + make_interval(secs => i % 30), now()) as started,
         least(created + make_interval(secs => i % 30 + 5 + i % 120), now()) as finished,
         lpad(to_hex((extract(epoch from created) * 1000)::bigint), 12, '0') as ms_hex
    from (select i, now() - make_interval(secs => $2 * 86400.0 * (1 - i::float8 / $1)) as created,
                 case when i > $1 - $3 then case when i % 4 = 0 then 'running' else 'pending' end
                      when i % 50 = 0 then 'failed' when i % 97 = 0 then 'cancelled'
                      else 'completed' end as st,
                 (array['convert-uvh5-to-ms', 'calibration-solve', 'calibration-apply', 'imaging',
                        'create-mosaic', 'validation', 'crossmatch', 'photometry'])[1 + i % 8] as name
            from generate_series(1, $1::int) i) s`;

const worker = (sep: string) => `'node' || (i % 4) || '${sep}' || lpad(to_hex(i % 65536), 8, '0')`;

export async function bulkSeed(pool: pg.Pool, flavour: Flavour, n: number, opts: BulkSeedOptions = {}): Promise<void> {
  const queues = opts.queues ?? ['bulk'];
  const days = opts.days ?? 365;
  const live = Math.min(opts.live ?? 300, n);
  const perQueue = Math.ceil(n / queues.length);
  // One transaction per queue on one client: now() is then the same instant in the task and
  // run statements, so both compute the same ids. Nothing here needs a durable WAL flush.
  const client = await pool.connect();
  try {
    await client.query('set synchronous_commit = off');
    for (const queue of queues) {
      const params = [perQueue, days, Math.ceil(live / queues.length)];
      await client.query('begin');
      if (flavour === 'absurd') await bulkAbsurd(client, queue, params);
      else if (flavour === 'dsa110-v2') await bulkV2(client, queue, params);
      else await bulkV1(client, queue, params);
      await client.query('commit');
    }
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function bulkAbsurd(pool: pg.ClientBase, queue: string, params: number[]): Promise<void> {
  await pool.query('select absurd.create_queue($1)', [queue]);
  const t = quoteIdent(`t_${queue}`);
  const r = quoteIdent(`r_${queue}`);
  // UUIDv7 by hand: creation ms, version 7, then i, so ids sort by time like real ones.
  const taskId = `(ms_hex || '70008' || lpad(to_hex(i), 15, '0'))::uuid`;
  const runId = `(ms_hex || '70009' || lpad(to_hex(i), 15, '0'))::uuid`;
  await pool.query(`insert into absurd.${t} (task_id, task_name, params, state, attempts, max_attempts,
      last_attempt_run, enqueue_at, first_started_at, completed_payload, cancelled_at)
    select ${taskId}, name, jsonb_build_object('group', i, 'files', 16), st, 1, 1, ${runId}, created,
           case when st <> 'pending' then started end,
           case when st = 'completed' then '{"ok": true}'::jsonb end,
           case when st = 'cancelled' then finished end
      from (${rows}) g`, params);
  await pool.query(`insert into absurd.${r} (run_id, task_id, attempt, state, claimed_by, claim_expires_at,
      available_at, started_at, completed_at, failed_at, result, failure_reason, created_at)
    select ${runId}, ${taskId}, 1, st,
           case when st <> 'pending' then ${worker(':')} end,
           case when st = 'running' then now() + interval '1 hour' end,
           created, case when st <> 'pending' then started end,
           case when st = 'completed' then finished end,
           case when st = 'failed' then finished end,
           case when st = 'completed' then '{"ok": true}'::jsonb end,
           case when st = 'failed' then jsonb_build_object('name', 'RuntimeError', 'message', 'disk full ' || i) end,
           created
      from (${rows}) g`, params);
}

async function bulkV2(pool: pg.ClientBase, queue: string, params: number[]): Promise<void> {
  await pool.query(`insert into absurd.tasks (queue_name, task_name, params, priority, timeout_sec, status,
      worker_id, attempt, result, error, created_at, claimed_at, completed_at, wait_time_sec, execution_time_sec)
    select $4, name, jsonb_build_object('group', i, 'files', 16), 0, 3600,
           case st when 'running' then 'claimed' else st end,
           case when st <> 'pending' then ${worker('-')} end,
           case when st = 'pending' then 0 else 1 end,
           case when st = 'completed' and i % 200 = 1 then '{"status": "error", "message": "no calibrator"}'::jsonb
                when st = 'completed' then '{"status": "ok"}'::jsonb end,
           case when st = 'failed' then 'RuntimeError: disk full ' || i end,
           created, case when st <> 'pending' then started end,
           case when st in ('completed', 'failed', 'cancelled') then finished end,
           case when st <> 'pending' then extract(epoch from started - created) end,
           case when st in ('completed', 'failed') then extract(epoch from finished - started) end
      from (${rows}) g`, [...params, queue]);
}

async function bulkV1(pool: pg.ClientBase, queue: string, params: number[]): Promise<void> {
  await pool.query('insert into absurd.queues (queue_name) values ($1) on conflict do nothing', [queue]);
  await pool.query(`insert into absurd.t_tasks (queue_name, task_name, params, status, worker_id, result, error,
      created_at, claimed_at, completed_at, last_heartbeat)
    select $4, name, jsonb_build_object('group', i, 'files', 16),
           case st when 'running' then 'claimed' else st end,
           case when st <> 'pending' then ${worker('-')} end,
           case when st = 'completed' then '{"ms": "/stage/x.ms"}'::jsonb end,
           case when st = 'failed' then 'RuntimeError: disk full ' || i end,
           created, case when st <> 'pending' then started end,
           case when st in ('completed', 'failed', 'cancelled') then finished end,
           case when st = 'running' then now() - make_interval(secs => i % 5)
                when st <> 'pending' then finished end
      from (${rows}) g`, [...params, queue]);
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
