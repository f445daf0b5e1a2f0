// What a pipeline worker and producer do, per flavour, through that flavour's OWN stored
// functions (spawn_task, claim_task, complete/fail, heartbeat) exactly as the real pipeline
// calls them. Only the simulation uses this file: the console never claims work.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Flavour } from '../data/snapshot.js';

export interface Sql {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface ClaimedTask {
  taskId: string;
  /** Flavour absurd: the run that holds the lease. */
  runId: string | null;
  name: string;
  params: Record<string, unknown>;
}

export interface TaskError { name: string; message: string }

export interface FlavourOps {
  /** Creates the queues the flavour needs rows for (idempotent). */
  ensureQueues(db: Sql, queues: { name: string; description: string }[]): Promise<void>;
  spawn(db: Sql, queue: string, name: string, params: Record<string, unknown>): Promise<string>;
  /** `leaseSec`: flavour absurd's claim timeout (the dsa110 flavours have no lease). */
  claim(db: Sql, queue: string, workerId: string, leaseSec: number): Promise<ClaimedTask | null>;
  /** Tasks waiting to be claimed: the producer's backpressure (an indexed count on every flavour). */
  pendingCount(db: Sql, queue: string): Promise<number>;
  /** False when the task was no longer ours (cancelled or released by the console). */
  complete(db: Sql, queue: string, task: ClaimedTask, result: Record<string, unknown>): Promise<boolean>;
  fail(db: Sql, queue: string, task: ClaimedTask, error: TaskError): Promise<boolean>;
  /** v1 writes last_heartbeat; v2's heartbeat only checks; absurd has none in this schema. */
  heartbeat(db: Sql, task: ClaimedTask): Promise<void>;
  /**
   * The demo quitting is a graceful shutdown: the task in hand goes back to pending. (Stopping a
   * unit is a kill and leaves it claimed, as in production.) Absurd needs nothing: the lease runs
   * out and the next claim_task releases it.
   */
  release(db: Sql, task: ClaimedTask, workerId: string): Promise<void>;
  /** Demo retention: deletes finished tasks older than `ageSec` so a demo left running for days stays small. */
  prune(db: Sql, queue: string, ageSec: number): Promise<void>;
  /** The id a fresh worker process gives itself, by the flavour's convention. */
  newWorkerId(pid: number): string;
}

/** The pipeline's error text for the dsa110 flavours: "OSError: [Errno 28] …", or the bare message. */
export function errorText(error: TaskError): string {
  return error.name ? `${error.name}: ${error.message}` : error.message;
}

const host = (): string => hostname().split('.')[0] || 'localhost';
const dsa110WorkerId = (): string => `${host()}-${randomBytes(4).toString('hex')}`;
const bool = (rows: Record<string, unknown>[]): boolean => rows[0]?.ok === true;

function dsa110Claim(rows: Record<string, unknown>[]): ClaimedTask | null {
  const row = rows[0];
  if (!row) return null;
  return { taskId: String(row.task_id), runId: null, name: String(row.task_name), params: (row.params ?? {}) as Record<string, unknown> };
}

const dsa110v2: FlavourOps = {
  async ensureQueues() { /* queues are just DISTINCT queue_name */ },
  async spawn(db, queue, name, params) {
    const { rows } = await db.query('SELECT absurd.spawn_task($1, $2, $3::jsonb, 0, 3600, 3) AS id', [queue, name, JSON.stringify(params)]);
    return String(rows[0]?.id);
  },
  async claim(db, queue, workerId) {
    return dsa110Claim((await db.query('SELECT task_id, task_name, params FROM absurd.claim_task($1, $2)', [queue, workerId])).rows);
  },
  async pendingCount(db, queue) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM absurd.tasks WHERE queue_name = $1 AND status IN ('pending', 'retrying')`, [queue]);
    return Number(rows[0]?.n ?? 0);
  },
  async complete(db, _queue, task, result) {
    return bool((await db.query('SELECT absurd.complete_task($1::uuid, $2::jsonb) AS ok', [task.taskId, JSON.stringify(result)])).rows);
  },
  async fail(db, _queue, task, error) {
    return bool((await db.query('SELECT absurd.fail_task($1::uuid, $2) AS ok', [task.taskId, errorText(error)])).rows);
  },
  async heartbeat(db, task) {
    await db.query('SELECT absurd.heartbeat_task($1::uuid)', [task.taskId]);
  },
  async release(db, task, workerId) {
    await db.query(`UPDATE absurd.tasks SET status = 'pending', worker_id = NULL, claimed_at = NULL, wait_time_sec = NULL,
        attempt = greatest(attempt - 1, 0) WHERE task_id = $1::uuid AND status = 'claimed' AND worker_id = $2`, [task.taskId, workerId]);
  },
  async prune(db, queue, ageSec) {
    await db.query(`DELETE FROM absurd.tasks WHERE queue_name = $1 AND status IN ('completed', 'failed', 'cancelled')
        AND completed_at < now() - make_interval(secs => $2)`, [queue, ageSec]);
  },
  newWorkerId: dsa110WorkerId,
};

const dsa110v1: FlavourOps = {
  ...dsa110v2,
  async ensureQueues(db, queues) {
    for (const q of queues) await db.query('SELECT absurd.create_queue($1, $2)', [q.name, q.description]);
  },
  async spawn(db, queue, name, params) {
    const { rows } = await db.query('SELECT absurd.spawn_task($1, $2, $3::jsonb, 0, 3, 3600) AS id', [queue, name, JSON.stringify(params)]);
    return String(rows[0]?.id);
  },
  async pendingCount(db, queue) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM absurd.t_tasks WHERE queue_name = $1 AND status = 'pending'`, [queue]);
    return Number(rows[0]?.n ?? 0);
  },
  async release(db, task, workerId) {
    await db.query(`UPDATE absurd.t_tasks SET status = 'pending', worker_id = NULL, claimed_at = NULL, last_heartbeat = NULL
        WHERE task_id = $1::uuid AND status = 'claimed' AND worker_id = $2`, [task.taskId, workerId]);
  },
  async prune(db, queue, ageSec) {
    await db.query(`DELETE FROM absurd.t_tasks WHERE queue_name = $1 AND status IN ('completed', 'failed', 'cancelled')
        AND completed_at < now() - make_interval(secs => $2)`, [queue, ageSec]);
  },
};

const absurd: FlavourOps = {
  async ensureQueues(db, queues) {
    for (const q of queues) await db.query('SELECT absurd.create_queue($1)', [q.name]);
  },
  async spawn(db, queue, name, params) {
    const { rows } = await db.query('SELECT task_id FROM absurd.spawn_task($1, $2, $3::jsonb, $4::jsonb)',
      [queue, name, JSON.stringify(params), JSON.stringify({ max_attempts: 2 })]);
    return String(rows[0]?.task_id);
  },
  async claim(db, queue, workerId, leaseSec) {
    const { rows } = await db.query('SELECT run_id, task_id, task_name, params FROM absurd.claim_task($1, $2, $3, 1)', [queue, workerId, Math.ceil(leaseSec)]);
    const row = rows[0];
    if (!row) return null;
    return { taskId: String(row.task_id), runId: String(row.run_id), name: String(row.task_name), params: (row.params ?? {}) as Record<string, unknown> };
  },
  async pendingCount(db, queue) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM absurd.${quoteIdent(`r_${queue}`)} WHERE state = 'pending'`);
    return Number(rows[0]?.n ?? 0);
  },
  async complete(db, queue, task, result) {
    return guarded(() => db.query('SELECT absurd.complete_run($1, $2::uuid, $3::jsonb)', [queue, task.runId, JSON.stringify(result)]));
  },
  async fail(db, queue, task, error) {
    const reason = { ...error, stack: `Traceback (most recent call last):\n  File "dsa110_contimg/pipeline/${task.name}.py", line 212, in run\n${errorText(error)}` };
    return guarded(() => db.query('SELECT absurd.fail_run($1, $2::uuid, $3::jsonb, NULL)', [queue, task.runId, JSON.stringify(reason)]));
  },
  async heartbeat() { /* Absurd extends leases through checkpoints; the simulated tasks have none */ },
  async release() { /* the lease runs out and the next claim_task fails the run over */ },
  async prune(db, queue, ageSec) {
    // Absurd's own cleanup, in batches until nothing is left.
    for (let i = 0; i < 100; i++) {
      const { rows } = await db.query('SELECT absurd.cleanup_tasks($1, $2, 1000) AS n', [queue, Math.ceil(ageSec)]);
      if (Number(rows[0]?.n ?? 0) === 0) return;
    }
  },
  newWorkerId: (pid) => `${host()}:${pid}`,
};

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Absurd's own refusals (P0001 run not running, AB001 cancelled, AB002 already failed) mean "not ours any more". */
async function guarded(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'P0001' || code === 'AB001' || code === 'AB002') return false;
    throw error;
  }
}

export function flavourOps(flavour: Flavour): FlavourOps {
  return { absurd, 'dsa110-v2': dsa110v2, 'dsa110-v1': dsa110v1 }[flavour];
}
