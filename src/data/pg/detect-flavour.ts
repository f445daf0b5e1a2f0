// Which Absurd layout is this? Decided from the catalog alone (pg_class / pg_attribute, which
// every role can read), before any real query, so a wrong database or a missing grant gets a
// clear sentence instead of "relation does not exist".
import type pg from 'pg';
import type { Config } from '../../config/schema.js';
import type { Diagnostic, Flavour } from '../snapshot.js';
import { DbProblemError } from './classify-error.js';
import { queueTable } from './sql-text.js';

export interface Detection {
  flavour: Flavour;
  schemaVersion: string | null;
  /** Every layout found, e.g. two after a half-finished migration. */
  found: Flavour[];
  diagnostics: Diagnostic[];
  database: string;
}

interface CatalogRow {
  relname: string;
  columns: string[];
}

const catalogSql = `
  select c.relname, array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'absurd'
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
   where c.relkind in ('r', 'p', 'v') and c.relname in ('tasks', 't_tasks', 'queues')
   group by c.relname`;

export async function detectFlavour(pool: pg.Pool, config: Pick<Config, 'flavour'>): Promise<Detection> {
  const head = await pool.query<{ db: string; has_schema: boolean; usage: boolean | null; user: string }>(
    `select current_database() as db, current_user as user,
            exists (select 1 from pg_namespace where nspname = 'absurd') as has_schema,
            (select has_schema_privilege('absurd', 'USAGE') from pg_namespace where nspname = 'absurd') as usage`);
  const { db, has_schema: hasSchema, usage, user } = head.rows[0]!;
  if (!hasSchema) {
    throw new DbProblemError('no-schema', `no absurd schema in database "${db}": is this the right database? (the pipeline's is usually dsa110_absurd)`);
  }
  const rels = new Map((await pool.query<CatalogRow>(catalogSql)).rows.map((r) => [r.relname, new Set(r.columns)]));
  const found: Flavour[] = [];
  const queues = rels.get('queues');
  const tTasks = rels.get('t_tasks');
  // A queue literally named "tasks" in flavour absurd owns absurd.t_tasks too: it has `state`.
  if ((queues && !queues.has('description')) || tTasks?.has('state')) found.push('absurd');
  if (rels.get('tasks')?.has('status')) found.push('dsa110-v2');
  if (tTasks?.has('status')) found.push('dsa110-v1');
  if (found.length === 0) {
    throw new DbProblemError('no-schema', `schema absurd in database "${db}" holds no Absurd task tables (absurd.queues, absurd.tasks or absurd.t_tasks): is this the right database?`);
  }
  if (usage === false) {
    throw new DbProblemError('permission', `permission denied for schema absurd (user "${user}"): ask an admin to run GRANT USAGE ON SCHEMA absurd TO ${user}; GRANT SELECT ON ALL TABLES IN SCHEMA absurd TO ${user}`);
  }

  const diagnostics: Diagnostic[] = [];
  let flavour = found[0]!;
  if (config.flavour) {
    if (!found.includes(config.flavour)) {
      throw new DbProblemError('no-schema', `--flavour ${config.flavour} requested, but database "${db}" holds ${found.join(' and ')}`);
    }
    flavour = config.flavour;
  }
  if (found.length > 1) {
    const newest = await newestRows(pool, found);
    if (!config.flavour) {
      flavour = [...found].sort((a, b) => (newest.get(b) ?? -Infinity) - (newest.get(a) ?? -Infinity))[0]!;
    }
    const list = found.map((f) => `${f} (newest task ${fmt(newest.get(f))})`).join(', ');
    diagnostics.push({
      level: 'warning',
      message: `database "${db}" holds ${found.length} Absurd layouts: ${list}; reading ${flavour} (${config.flavour ? '--flavour' : 'newest rows'}); pass --flavour to choose`,
    });
  }
  return { flavour, schemaVersion: await schemaVersion(pool, flavour), found, diagnostics, database: db };
}

const fmt = (ms: number | undefined): string => (ms === undefined ? 'none' : new Date(ms).toISOString());

/** Newest creation time per layout; runs once at start-up, only when layouts compete. */
async function newestRows(pool: pg.Pool, found: Flavour[]): Promise<Map<Flavour, number>> {
  const out = new Map<Flavour, number>();
  for (const f of found) {
    let sql: string;
    if (f === 'dsa110-v2') sql = 'select max(created_at) as t from absurd.tasks';
    else if (f === 'dsa110-v1') sql = 'select max(created_at) as t from absurd.t_tasks';
    else {
      const qs = (await pool.query<{ queue_name: string }>('select queue_name from absurd.queues')).rows;
      if (qs.length === 0) continue;
      sql = `select max(t) as t from (${qs.map((q) => `(select enqueue_at as t from ${queueTable('t', q.queue_name)} order by task_id desc limit 1)`).join(' union all ')}) x`;
    }
    const t = (await pool.query<{ t: Date | null }>(sql)).rows[0]?.t;
    if (t) out.set(f, t.getTime());
  }
  return out;
}

async function schemaVersion(pool: pg.Pool, flavour: Flavour): Promise<string | null> {
  if (flavour !== 'absurd') return null;
  const has = await pool.query<{ fn: string | null }>(`select to_regprocedure('absurd.get_schema_version()')::text as fn`);
  if (!has.rows[0]?.fn) return null;
  return (await pool.query<{ v: string }>('select absurd.get_schema_version()::text as v')).rows[0]?.v ?? null;
}
