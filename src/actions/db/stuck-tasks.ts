// Which running tasks belong to a worker that is gone. One predicate per flavour, used twice:
// to find the set the operator confirms, and again inside the UPDATE that releases them, so a
// task that moved on in between (completed, heartbeat resumed) is left alone.
//   absurd:    state='running' AND claim_expires_at <= now()  (the lease ran out)
//   dsa110-v2: claimed for longer than thresholds.runningTooLongSec or its own timeout_sec,
//              whichever is shorter (the same rule the snapshot's stuck list uses)
//   dsa110-v1: the same, or a last_heartbeat older than thresholds.heartbeatStaleSec. A NULL
//              heartbeat is not stale: workers that never beat would all look dead.
import type { Config } from '../../config/schema.js';
import type { Flavour } from '../../data/snapshot.js';
import type { Queryable } from './context.js';
import { listQueues } from './queues.js';
import { queueTable } from '../../data/pg/sql-text.js';

export interface StuckRef {
  queue: string;
  taskId: string;
  /** Flavour absurd: the expired run fail_run releases; null on dsa110. */
  runId: string | null;
  workerId: string | null;
}

/** SQL predicate on the dsa110 tables; $2 = running-too-long seconds, $3 = heartbeat-stale seconds. */
export function dsaStuckPredicate(flavour: 'dsa110-v2' | 'dsa110-v1'): string {
  // LEAST ignores NULL: a task without timeout_sec gets the configured limit.
  const overTimeout = "status = 'claimed' AND claimed_at < now() - make_interval(secs => LEAST(timeout_sec::float8, $2::float8))";
  if (flavour === 'dsa110-v2') return `(${overTimeout})`;
  return `(${overTimeout} OR (status = 'claimed' AND last_heartbeat < now() - make_interval(secs => $3::float8)))`;
}

/** Values for $2 (and $3 on v1): an unreferenced parameter would be an error. */
export function stuckParams(config: Config, flavour: 'dsa110-v2' | 'dsa110-v1'): number[] {
  const { runningTooLongSec, heartbeatStaleSec } = config.thresholds;
  return flavour === 'dsa110-v2' ? [runningTooLongSec] : [runningTooLongSec, heartbeatStaleSec];
}

export const absurdStillStuck = (queue: string): string =>
  `SELECT 1 FROM ${queueTable('r', queue)} WHERE run_id = $1 AND task_id = $2
     AND state = 'running' AND claim_expires_at <= now() FOR UPDATE`;

async function findAbsurd(db: Queryable, queue: string | null): Promise<StuckRef[]> {
  const queues = queue ? [queue] : await listQueues(db, 'absurd');
  const found: StuckRef[] = [];
  for (const q of queues) {
    // Served by the partial index (claim_expires_at) WHERE state = 'running'.
    const { rows } = await db.query<{ task_id: string; run_id: string; claimed_by: string | null }>(
      `SELECT task_id::text AS task_id, run_id::text AS run_id, claimed_by FROM ${queueTable('r', q)}
        WHERE state = 'running' AND claim_expires_at <= now() ORDER BY claim_expires_at`);
    found.push(...rows.map((r) => ({ queue: q, taskId: r.task_id, runId: r.run_id, workerId: r.claimed_by })));
  }
  return found;
}

/** The stuck set now, in one queue or all of them. */
export async function findStuckTasks(db: Queryable, flavour: Flavour, config: Config, queue: string | null): Promise<StuckRef[]> {
  if (flavour === 'absurd') return findAbsurd(db, queue);
  const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
  const { rows } = await db.query<{ task_id: string; queue_name: string; worker_id: string | null }>(
    `SELECT task_id::text AS task_id, queue_name, worker_id FROM ${table}
      WHERE ${dsaStuckPredicate(flavour)} AND ($1::text IS NULL OR queue_name = $1)
      ORDER BY claimed_at`, [queue, ...stuckParams(config, flavour)]);
  return rows.map((r) => ({ queue: r.queue_name, taskId: r.task_id, runId: null, workerId: r.worker_id }));
}
