// Shared by the action tests: a context per flavour, and whole-table snapshots so a test can
// assert that exactly the intended rows changed and nothing else.
import assert from 'node:assert/strict';
import type pg from 'pg';
import type { DbActionContext, Queryable } from '../../src/actions/db/context.js';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import type { Flavour } from '../../src/data/snapshot.js';
import { quote } from './seed.js';

export const flavours: Flavour[] = ['absurd', 'dsa110-v2', 'dsa110-v1'];

export function contextFor(pool: pg.Pool, flavour: Flavour, config: ConfigInput = {}): DbActionContext {
  return { pool, flavour, config: configSchema.parse(config) };
}

/**
 * Every row of every task/run table of the flavour, as JSON text keyed by table and id. Takes a
 * client too, so a test can see what an open transaction is about to commit.
 */
export async function tableSnapshot(pool: Queryable, flavour: Flavour): Promise<Map<string, string>> {
  const tables: [string, string][] = [];
  if (flavour === 'absurd') {
    const { rows } = await pool.query<{ queue_name: string }>('select queue_name from absurd.queues');
    for (const { queue_name: q } of rows) {
      tables.push([`absurd.${quote(`t_${q}`)}`, 'task_id'], [`absurd.${quote(`r_${q}`)}`, 'run_id']);
    }
  } else {
    tables.push([flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks', 'task_id']);
  }
  const out = new Map<string, string>();
  for (const [table, key] of tables) {
    const { rows } = await pool.query<{ id: string; row: unknown }>(`select ${key}::text as id, to_jsonb(x) as row from ${table} x`);
    for (const r of rows) out.set(`${table}:${r.id}`, JSON.stringify(r.row));
  }
  return out;
}

/** Keys that differ between two snapshots: changed, added and removed rows. */
export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): { changed: string[]; added: string[]; removed: string[] } {
  const changed = [...before].filter(([k, v]) => after.has(k) && after.get(k) !== v).map(([k]) => k);
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  return { changed, added, removed };
}

/** Asserts the changed rows are exactly the task rows of `taskIds` (runs of those tasks allowed too). */
export async function assertOnlyTasksChanged(pool: pg.Pool, flavour: Flavour, before: Map<string, string>, taskIds: string[]): Promise<void> {
  const after = await tableSnapshot(pool, flavour);
  const diff = diffSnapshots(before, after);
  const touchedTasks = new Set<string>();
  for (const key of [...diff.changed, ...diff.added, ...diff.removed]) {
    const row = JSON.parse(after.get(key) ?? before.get(key) ?? '{}') as { task_id?: string };
    touchedTasks.add(row.task_id ?? key);
  }
  assert.deepEqual([...touchedTasks].sort(), [...new Set(taskIds)].sort(), `rows changed: ${JSON.stringify(diff)}`);
}

export async function taskState(pool: pg.Pool, flavour: Flavour, queue: string, id: string): Promise<string | null> {
  const text = flavour === 'absurd' ? `select state from absurd.${quote(`t_${queue}`)} where task_id = $1`
    : `select status as state from ${flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks'} where task_id = $1`;
  const { rows } = await pool.query<{ state: string }>(text, [id]);
  return rows[0]?.state ?? null;
}

/** Spawns a plain pending task through the flavour's own function. */
export async function spawnPending(pool: pg.Pool, flavour: Flavour, queue: string, name = 'imaging'): Promise<string> {
  const text = flavour === 'absurd' ? "select task_id::text as id from absurd.spawn_task($1, $2, '{}')"
    : "select absurd.spawn_task($1, $2, '{}')::text as id";
  const { rows } = await pool.query<{ id: string }>(text, [queue, name]);
  return rows[0]!.id;
}
