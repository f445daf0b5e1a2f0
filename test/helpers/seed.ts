// Seeds one queue with a task in every state the flavour knows, through the flavour's own
// functions where they exist, and plain UPDATE/INSERT for states only time produces (expired
// leases, stale heartbeats, rows finished days ago). Returns the ids by role so tests can assert
// on individual tasks; counts are asserted against plain SQL, not against these roles.
import type pg from 'pg';
import type { Flavour } from '../../src/data/snapshot.js';

export { bulkSeed } from './bulk-seed.js';

export interface Seeded {
  queue: string;
  /** Task id by role, e.g. ids.stuck, ids.failed (roles differ per flavour, see below). */
  ids: Record<string, string>;
}

export const workers = { a: 'host-a:101', b: 'host-b:202', c: 'host-c:303' } as const;
export const dsaWorkers = { a: 'nodea-1a2b3c4d', b: 'nodeb-5e6f7a8b', c: 'nodec-9c0d1e2f' } as const;

export function seedFlavour(pool: pg.Pool, flavour: Flavour, queue?: string): Promise<Seeded> {
  if (flavour === 'absurd') return seedAbsurd(pool, queue);
  if (flavour === 'dsa110-v2') return seedV2(pool, queue);
  return seedV1(pool, queue);
}

async function one<T = Record<string, unknown>>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<T> {
  const res = await pool.query(sql, params);
  return res.rows[0] as T;
}

/**
 * Roles: completed, failed, sleeping (retry backoff), waiting (event wait, available_at
 * infinity), running, stuck (lease expired), cancelled, pending, oldCompleted, oldFailed.
 * Order matters: claim_task takes the oldest available run and reaps expired leases, so each
 * claim happens while exactly one run is claimable and the stuck lease is made after the last claim.
 */
export async function seedAbsurd(pool: pg.Pool, queue = 'default'): Promise<Seeded> {
  const ids: Record<string, string> = {};
  await pool.query('select absurd.create_queue($1)', [queue]);
  const spawn = async (role: string, name: string, options: object = {}): Promise<string> => {
    const r = await one<{ task_id: string }>(pool, 'select task_id from absurd.spawn_task($1, $2, $3::jsonb, $4::jsonb)',
      [queue, name, JSON.stringify({ role, group: `2026-01-01T00:${role.length}0` }), JSON.stringify(options)]);
    ids[role] = r.task_id;
    return r.task_id;
  };
  const claim = async (worker: string, timeout = 300): Promise<string> =>
    (await one<{ run_id: string }>(pool, 'select run_id from absurd.claim_task($1, $2, $3, 1)', [queue, worker, timeout])).run_id;
  const t = `absurd.${quote('t_' + queue)}`;
  const r = `absurd.${quote('r_' + queue)}`;

  const completed = await spawn('completed', 'convert-uvh5-to-ms');
  const completedRun = await claim(workers.a);
  await pool.query('select absurd.complete_run($1, $2, $3)', [queue, completedRun, JSON.stringify({ ms: '/stage/a.ms' })]);
  await pool.query(`insert into absurd.${quote('c_' + queue)} (task_id, checkpoint_name, state, owner_run_id)
    values ($1, 'convert', '{"files": 16}', $2), ($1, 'flag', '{"flagged": 0.12}', $2)`, [completed, completedRun]);

  await spawn('failed', 'calibration-solve', { max_attempts: 1 });
  await pool.query('select absurd.fail_run($1, $2, $3, null)', [queue, await claim(workers.b),
    JSON.stringify({ name: 'RuntimeError', message: 'disk full: /stage', stack: 'Traceback...\n  line 1' })]);

  await spawn('sleeping', 'imaging', { max_attempts: 3 });
  await pool.query("select absurd.fail_run($1, $2, $3, now() + interval '1 hour')", [queue, await claim(workers.a),
    JSON.stringify({ name: 'TimeoutError', message: 'casa timed out' })]);

  const waiting = await spawn('waiting', 'create-mosaic');
  const waitingRun = await claim(workers.b);
  await pool.query(`update ${r} set state = 'sleeping', wake_event = 'group-ready', available_at = 'infinity',
    claimed_by = null, claim_expires_at = null where run_id = $1`, [waitingRun]);
  await pool.query(`update ${t} set state = 'sleeping' where task_id = $1`, [waiting]);
  await pool.query(`insert into absurd.${quote('w_' + queue)} (task_id, run_id, step_name, event_name)
    values ($1, $2, 'wait-group', 'group-ready')`, [waiting, waitingRun]);

  await spawn('running', 'validation');
  await claim(workers.a, 3600);

  await spawn('stuck', 'crossmatch');
  const stuckRun = await claim(workers.c);
  await pool.query(`update ${r} set claim_expires_at = now() - interval '10 minutes',
    started_at = now() - interval '20 minutes' where run_id = $1`, [stuckRun]);

  await spawn('cancelled', 'photometry');
  await pool.query('select absurd.cancel_task($1, $2)', [queue, ids.cancelled]);
  await spawn('pending', 'convert-uvh5-to-ms');

  // Finished two days ago: ids carry the old time, so UUIDv7 windows must exclude them.
  for (const [role, state] of [['oldCompleted', 'completed'], ['oldFailed', 'failed']] as const) {
    const row = await one<{ task_id: string }>(pool, `with ids as (
        select absurd.portable_uuidv7(now() - interval '2 days') as task_id,
               absurd.portable_uuidv7(now() - interval '2 days' + interval '1 second') as run_id),
      task as (insert into ${t} (task_id, task_name, params, state, attempts, last_attempt_run, max_attempts, enqueue_at, first_started_at)
        select task_id, 'imaging', '{}', $1, 1, run_id, 1, now() - interval '2 days', now() - interval '2 days' from ids returning task_id)
      insert into ${r} (run_id, task_id, attempt, state, claimed_by, available_at, started_at, completed_at, failed_at, failure_reason, created_at)
        select run_id, task_id, 1, $1, $2, now() - interval '2 days', now() - interval '2 days',
               case when $1 = 'completed' then now() - interval '2 days' + interval '30 seconds' end,
               case when $1 = 'failed' then now() - interval '2 days' + interval '30 seconds' end,
               case when $1 = 'failed' then '{"name": "OSError", "message": "old failure"}'::jsonb end,
               now() - interval '2 days'
          from ids returning task_id`, [state, workers.b]);
    ids[role] = row.task_id;
  }
  // An emitted event and a placeholder (payload NULL) that views must hide.
  await pool.query(`insert into absurd.${quote('e_' + queue)} (event_name, payload) values
    ('group-ready:2026-01-01', '{"files": 16}'), ('group-ready:placeholder', null)`);
  return { queue, ids };
}

/**
 * Roles: completed, errorResult, failed, running, stuck (claimed 3 h ago), overTimeout
 * (timeout_sec 60, claimed 10 min ago), retrying, cancelled, pending, oldCompleted, oldFailed.
 */
export async function seedV2(pool: pg.Pool, queue = 'dsa110-pipeline'): Promise<Seeded> {
  const ids: Record<string, string> = {};
  const spawn = async (role: string, name: string, timeout: number | null = 3600, maxRetries = 3): Promise<string> => {
    const row = await one<{ id: string }>(pool, 'select absurd.spawn_task($1, $2, $3, 0, $4, $5) as id',
      [queue, name, JSON.stringify({ role }), timeout, maxRetries]);
    ids[role] = row.id;
    return row.id;
  };
  const claim = (worker: string) => pool.query('select task_id from absurd.claim_task($1, $2)', [queue, worker]);

  await spawn('completed', 'convert-uvh5-to-ms'); await claim(dsaWorkers.a);
  await pool.query(`select absurd.complete_task($1, '{"status": "ok", "ms": "/stage/a.ms"}')`, [ids.completed]);
  await spawn('errorResult', 'calibration-apply'); await claim(dsaWorkers.b);
  await pool.query(`select absurd.complete_task($1, '{"status": "error", "message": "no calibrator in field"}')`, [ids.errorResult]);
  await spawn('failed', 'calibration-solve'); await claim(dsaWorkers.b);
  await pool.query('select absurd.fail_task($1, $2)', [ids.failed, 'RuntimeError: disk full: /stage\nTraceback ...']);
  await spawn('retrying', 'imaging'); await claim(dsaWorkers.a);
  await pool.query('select absurd.fail_task($1, $2)', [ids.retrying, 'casa crashed']);
  await spawn('running', 'validation'); await claim(dsaWorkers.a);
  await spawn('stuck', 'crossmatch', null); await claim(dsaWorkers.b);
  await pool.query(`update absurd.tasks set created_at = now() - interval '3 hours 1 minute',
    claimed_at = now() - interval '3 hours' where task_id = $1`, [ids.stuck]);
  await spawn('overTimeout', 'photometry', 60); await claim(dsaWorkers.c);
  await pool.query(`update absurd.tasks set created_at = now() - interval '11 minutes',
    claimed_at = now() - interval '10 minutes' where task_id = $1`, [ids.overTimeout]);
  // retry_task makes the task claimable again, so it runs after the last claim.
  await pool.query('select absurd.retry_task($1)', [ids.retrying]);
  await spawn('cancelled', 'create-mosaic');
  await pool.query('select absurd.cancel_task($1)', [ids.cancelled]);
  await spawn('pending', 'convert-uvh5-to-ms');

  for (const [role, status] of [['oldCompleted', 'completed'], ['oldFailed', 'failed']] as const) {
    const row = await one<{ task_id: string }>(pool, `insert into absurd.tasks (queue_name, task_name, status, worker_id,
        attempt, created_at, claimed_at, completed_at, wait_time_sec, execution_time_sec, error, result)
      values ($1, 'imaging', $2, $3, 1, now() - interval '2 days', now() - interval '2 days' + interval '5 seconds',
        now() - interval '2 days' + interval '65 seconds', 5, 60,
        case when $2 = 'failed' then 'old failure' end, case when $2 = 'completed' then '{"status": "ok"}'::jsonb end)
      returning task_id`, [queue, status, dsaWorkers.c]);
    ids[role] = row.task_id;
  }
  return { queue, ids };
}

/**
 * Roles: completed, failed, running, staleHeartbeat (heartbeat 5 min old), overTimeout
 * (claimed 20 min ago, timeout 600 s, fresh heartbeat), requeued (pending after one failure),
 * cancelled, pending, oldCompleted, oldFailed.
 */
export async function seedV1(pool: pg.Pool, queue = 'dsa110-pipeline'): Promise<Seeded> {
  const ids: Record<string, string> = {};
  await pool.query('select absurd.create_queue($1, $2)', [queue, 'seeded by tests']);
  const spawn = async (role: string, name: string, maxRetries = 3, timeout = 3600): Promise<string> => {
    const row = await one<{ id: string }>(pool, 'select absurd.spawn_task($1, $2, $3, 0, $4, $5) as id',
      [queue, name, JSON.stringify({ role }), maxRetries, timeout]);
    ids[role] = row.id;
    return row.id;
  };
  const claim = (worker: string) => pool.query('select task_id from absurd.claim_task($1, $2)', [queue, worker]);

  await spawn('completed', 'convert-uvh5-to-ms'); await claim(dsaWorkers.a);
  await pool.query('select absurd.heartbeat_task($1)', [ids.completed]);
  await pool.query(`select absurd.complete_task($1, '{"ms": "/stage/a.ms"}')`, [ids.completed]);
  await spawn('failed', 'calibration-solve', 0); await claim(dsaWorkers.b);
  await pool.query('select absurd.fail_task($1, $2)', [ids.failed, 'RuntimeError: disk full: /stage']);
  await spawn('running', 'validation'); await claim(dsaWorkers.a);
  await spawn('staleHeartbeat', 'imaging'); await claim(dsaWorkers.b);
  await pool.query(`update absurd.t_tasks set created_at = now() - interval '7 minutes', claimed_at = now() - interval '6 minutes',
    last_heartbeat = now() - interval '5 minutes' where task_id = $1`, [ids.staleHeartbeat]);
  await spawn('overTimeout', 'photometry', 3, 600); await claim(dsaWorkers.c);
  await pool.query(`update absurd.t_tasks set created_at = now() - interval '21 minutes',
    claimed_at = now() - interval '20 minutes' where task_id = $1`, [ids.overTimeout]);
  // fail_task requeues this one (retry_count 0 < 3): it must be the last claim.
  await spawn('requeued', 'crossmatch'); await claim(dsaWorkers.a);
  await pool.query('select absurd.fail_task($1, $2)', [ids.requeued, 'transient: connection reset']);
  await spawn('cancelled', 'create-mosaic');
  await pool.query(`update absurd.t_tasks set status = 'cancelled' where task_id = $1 and status in ('pending', 'claimed')`, [ids.cancelled]);
  await spawn('pending', 'convert-uvh5-to-ms');

  for (const [role, status] of [['oldCompleted', 'completed'], ['oldFailed', 'failed']] as const) {
    const row = await one<{ task_id: string }>(pool, `insert into absurd.t_tasks (queue_name, task_name, status, worker_id,
        created_at, claimed_at, completed_at, last_heartbeat, error)
      values ($1, 'imaging', $2, $3, now() - interval '2 days', now() - interval '2 days' + interval '5 seconds',
        now() - interval '2 days' + interval '65 seconds', now() - interval '2 days' + interval '60 seconds',
        case when $2 = 'failed' then 'old failure' end)
      returning task_id`, [queue, status, dsaWorkers.c]);
    ids[role] = row.task_id;
  }
  return { queue, ids };
}

/**
 * Fresh work on an existing (bulk) queue through the flavour's own functions: one task claimed
 * and completed, one claimed and failed, so the last-hour window holds a failure too.
 */
export async function freshActivity(pool: pg.Pool, flavour: Flavour, queue: string): Promise<void> {
  if (flavour === 'absurd') {
    const claim = async (): Promise<string> =>
      (await one<{ run_id: string }>(pool, 'select run_id from absurd.claim_task($1, $2, 60, 1)', [queue, workers.a])).run_id;
    await pool.query('select absurd.complete_run($1, $2, null)', [queue, await claim()]);
    await pool.query(`select absurd.fail_run($1, $2, '{"name": "E", "message": "fresh"}', null)`, [queue, await claim()]);
    return;
  }
  const claim = async (): Promise<string> =>
    (await one<{ task_id: string }>(pool, 'select task_id from absurd.claim_task($1, $2)', [queue, dsaWorkers.a])).task_id;
  await pool.query('select absurd.complete_task($1, null)', [await claim()]);
  await pool.query(`select absurd.fail_task($1, 'fresh')`, [await claim()]);
}

/** SQL identifier quoting, same rule as pg's escapeIdentifier, for building fixture statements. */
export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
