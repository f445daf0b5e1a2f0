// An hour of past pipeline activity for a fresh demo database, so the panes (throughput,
// failure rate, p50/p95, workers seen, a failure to retry) are not empty at first sight.
// The flavour functions always stamp now(), so history is the one thing written with plain
// INSERTs (one statement per table, rows passed as a JSON array).
import type { Flavour } from '../data/snapshot.js';
import { errorText, flavourOps, type Sql, type TaskError } from './flavour-ops.js';
import { groupId, groupParams, planTask, type GroupParams } from './pipeline-scenario.js';
import { demoQueues, monitoringQueue, pipelineQueue } from './simulated-pipeline.js';

interface HistoryRow {
  queue: string;
  name: string;
  params: GroupParams;
  state: 'completed' | 'failed' | 'pending' | 'claimed';
  worker: string | null;
  result: Record<string, unknown> | null;
  error: TaskError | null;
  created_at: string;
  claimed_at: string | null;
  completed_at: string | null;
}

/** Groups every ~4 minutes over the last hour, each run through the stage chain by one of three past workers. */
export function historyRows(flavour: Flavour, now = Date.now(), random = Math.random): HistoryRow[] {
  const ops = flavourOps(flavour);
  const workers = [0, 1, 2].map((i) => ops.newWorkerId(31_000 + i * 977));
  const iso = (ms: number): string => new Date(ms).toISOString();
  const rows: HistoryRow[] = [];
  for (let start = now - 60 * 60_000; start < now - 6 * 60_000; start += 240_000) {
    let stage: { name: string; params: GroupParams } | null = { name: 'convert-uvh5-to-ms', params: groupParams(groupId(start - 120_000)) };
    let created = start;
    while (stage) {
      const plan = planTask(stage.name, stage.params, { taskSec: [20, 90], failureScale: 1.5, dieChance: 0, random });
      const claimed = created + 2_000 + random() * 40_000;
      const done = claimed + plan.durationSec * 1000;
      if (done > now) break;
      rows.push({
        queue: pipelineQueue, name: stage.name, params: stage.params, state: plan.error ? 'failed' : 'completed',
        worker: workers[Math.floor(random() * workers.length)] ?? null, result: plan.error ? null : plan.result, error: plan.error,
        created_at: iso(created), claimed_at: iso(claimed), completed_at: iso(done),
      });
      stage = plan.next;
      created = done;
    }
  }
  // At least one mosaic that "completed" with an error result (dsa110-v2 flags these).
  const mosaics = rows.filter((r) => r.name === 'create-mosaic' && r.state === 'completed');
  const last = mosaics.at(-1);
  if (last && !mosaics.some((r) => r.result?.status === 'error')) {
    last.result = { status: 'error', message: `mosaic has 0 valid tiles: all 12 images of ${last.params.group_id} failed QA` };
  }
  // A worker that died 75 minutes ago with its imaging task in hand: the stuck pane's first row.
  const stuckAt = now - 75 * 60_000;
  rows.push({
    queue: pipelineQueue, name: 'imaging', params: groupParams(groupId(stuckAt - 20 * 60_000)), state: 'claimed',
    worker: ops.newWorkerId(29_411), result: null, error: null, created_at: iso(stuckAt - 30_000), claimed_at: iso(stuckAt), completed_at: null,
  });
  // The queue nobody consumes: checks that have waited up to an hour.
  for (const minutesAgo of [55, 41, 28, 14]) {
    rows.push({
      queue: monitoringQueue, name: 'validation', params: groupParams(groupId(now - (minutesAgo + 10) * 60_000)), state: 'pending',
      worker: null, result: null, error: null, created_at: iso(now - minutesAgo * 60_000), claimed_at: null, completed_at: null,
    });
  }
  return rows;
}

const recordset = `jsonb_to_recordset($1::jsonb) AS r(queue text, name text, params jsonb, state text, worker text,
  result jsonb, error jsonb, created_at timestamptz, claimed_at timestamptz, completed_at timestamptz)`;

export async function seedHistory(db: Sql, flavour: Flavour, rows = historyRows(flavour)): Promise<void> {
  const ops = flavourOps(flavour);
  await ops.ensureQueues(db, demoQueues);
  if (flavour === 'absurd') {
    for (const queue of demoQueues.map((q) => q.name)) await seedAbsurdQueue(db, queue, rows.filter((r) => r.queue === queue));
    return;
  }
  // The dsa110 flavours keep the error as the pipeline's text ("OSError: [Errno 28] …").
  const json = JSON.stringify(rows.map((r) => ({ ...r, error: r.error ? errorText(r.error) : null })));
  if (flavour === 'dsa110-v2') {
    await db.query(`INSERT INTO absurd.tasks (queue_name, task_name, params, status, worker_id, attempt, max_retries,
        timeout_sec, result, error, created_at, claimed_at, completed_at, wait_time_sec, execution_time_sec)
      SELECT r.queue, r.name, r.params, r.state, r.worker, CASE WHEN r.claimed_at IS NULL THEN 0 ELSE 1 END, 3, 3600,
             r.result, r.error #>> '{}', r.created_at, r.claimed_at, r.completed_at,
             extract(epoch FROM r.claimed_at - r.created_at), extract(epoch FROM r.completed_at - r.claimed_at)
        FROM ${recordset}`, [json]);
  } else {
    // v1's fail_task requeues until retry_count reaches max_retries: a failed row used them all.
    await db.query(`INSERT INTO absurd.t_tasks (queue_name, task_name, params, status, worker_id, result, error,
        retry_count, created_at, claimed_at, completed_at, last_heartbeat)
      SELECT r.queue, r.name, r.params, r.state, r.worker, r.result, r.error #>> '{}',
             CASE WHEN r.state = 'failed' THEN 3 ELSE 0 END, r.created_at, r.claimed_at, r.completed_at, r.completed_at
        FROM ${recordset}`, [json]);
  }
}

/** Flavour absurd: task and run ids are UUIDv7 of their own creation time, as Absurd makes them. */
async function seedAbsurdQueue(db: Sql, queue: string, rows: HistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const t = `absurd.${quoteIdent(`t_${queue}`)}`;
  const r = `absurd.${quoteIdent(`r_${queue}`)}`;
  // A 'claimed' row is Absurd's running run whose 60 s lease ran out long ago.
  await db.query(`WITH src AS (
      SELECT r.queue, r.name, r.params, CASE WHEN r.state = 'claimed' THEN 'running' ELSE r.state END AS state, r.worker,
             r.result, r.error, r.created_at, r.claimed_at, r.completed_at,
             CASE WHEN r.state = 'claimed' THEN r.claimed_at + interval '60 seconds' END AS lease_end,
             absurd.portable_uuidv7(r.created_at) AS tid, absurd.portable_uuidv7(r.created_at) AS rid FROM ${recordset}),
    tasks AS (
      INSERT INTO ${t} (task_id, task_name, params, max_attempts, enqueue_at, first_started_at, state, attempts,
                        last_attempt_run, completed_payload)
      SELECT tid, name, params, 2, created_at, claimed_at, state, 1, rid, CASE WHEN state = 'completed' THEN result END FROM src)
    INSERT INTO ${r} (run_id, task_id, attempt, state, claimed_by, claim_expires_at, available_at, started_at,
                      completed_at, failed_at, result, failure_reason, created_at)
    SELECT rid, tid, 1, state, worker, lease_end, created_at, claimed_at,
           CASE WHEN state = 'completed' THEN completed_at END, CASE WHEN state = 'failed' THEN completed_at END,
           CASE WHEN state = 'completed' THEN result END, error, created_at FROM src`, [JSON.stringify(rows)]);
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
