// Queue look-ups the actions need: does a queue exist (so a typo is refused, not reported as
// "0 changed"), which queues exist, and, on flavour absurd, which queue holds a task id.
import type { Flavour } from '../../data/snapshot.js';
import type { Queryable } from './context.js';
import { queueTable } from '../../data/pg/sql-text.js';

export async function listQueues(db: Queryable, flavour: Flavour): Promise<string[]> {
  const text = flavour === 'dsa110-v2'
    // Loose index scan over (queue_name, status): one probe per queue instead of a table scan.
    ? `WITH RECURSIVE q AS (SELECT min(queue_name) AS name FROM absurd.tasks
         UNION ALL SELECT (SELECT min(queue_name) FROM absurd.tasks WHERE queue_name > q.name) FROM q WHERE q.name IS NOT NULL)
       SELECT name FROM q WHERE name IS NOT NULL`
    : 'SELECT queue_name AS name FROM absurd.queues ORDER BY queue_name';
  const { rows } = await db.query<{ name: string }>(text);
  return rows.map((r) => r.name);
}

export async function queueExists(db: Queryable, flavour: Flavour, queue: string): Promise<boolean> {
  const text = flavour === 'dsa110-v2'
    ? 'SELECT EXISTS (SELECT 1 FROM absurd.tasks WHERE queue_name = $1) AS found'
    : 'SELECT EXISTS (SELECT 1 FROM absurd.queues WHERE queue_name = $1) AS found';
  const { rows } = await db.query<{ found: boolean }>(text, [queue]);
  return rows[0]?.found === true;
}

/** Flavour absurd: the queue of each task id found (primary-key probes, one per queue). */
export async function locateAbsurdTasks(db: Queryable, taskIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const queue of await listQueues(db, 'absurd')) {
    const { rows } = await db.query<{ task_id: string }>(
      `SELECT task_id::text AS task_id FROM ${queueTable('t', queue)} WHERE task_id = ANY($1::uuid[])`, [taskIds]);
    for (const row of rows) found.set(row.task_id, queue);
  }
  return found;
}

/** How many tasks are running now (drain polls this until it is 0), through each flavour's index where one exists. */
export async function countRunningTasks(db: Queryable, flavour: Flavour): Promise<number> {
  if (flavour !== 'absurd') {
    const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE status = 'claimed'`);
    return rows[0]?.n ?? 0;
  }
  let total = 0;
  for (const queue of await listQueues(db, 'absurd')) {
    // A live task's state equals its current run's: count runs through their (state, available_at) index.
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${queueTable('r', queue)} WHERE state = 'running'`);
    total += rows[0]?.n ?? 0;
  }
  return total;
}
