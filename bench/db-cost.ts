// Database cost of one absurd-top refresh versus the old monitor script's two queries, per
// flavour and table size, on the real PostgreSQL server (ABSURD_TEST_DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/test):
//
//   node --import tsx bench/db-cost.ts [--rows 1000000,10000000] [--flavours absurd,dsa110-v2,dsa110-v1] [--keep]
//
// Each case seeds a fresh database (a year of pipeline history: mostly completed, 2 % failed,
// 1 % cancelled, 300 pending/running), runs VACUUM ANALYZE, then times 20 calls of each
// contender after one warm-up (which fills absurd-top's once-a-minute totals). "Rows read" is
// seq_tup_read + idx_tup_fetch from pg_stat_user_tables over the task tables, per call; "index
// entries" is idx_tup_read from pg_stat_user_indexes (index-only scans read entries, not rows).
// Each contender runs on a one-connection pool so its statistics can be flushed from the session.
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { configSchema } from '../src/config/schema.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { createPool } from '../src/data/pg/connect.js';
import { flavourSchema, type Flavour } from '../src/data/snapshot.js';
import { bulkSeed } from '../test/helpers/bulk-seed.js';
import { indexEntriesRead, rowsRead, settledStats, statsDelta } from '../test/helpers/table-stats.js';
import { createTestDatabase } from '../test/helpers/test-database.js';

const queue = 'dsa110-pipeline';
const calls = 20;

interface Cost {
  medianMs: number;
  rowsPerCall: number;
  indexEntriesPerCall: number;
}

interface CaseResult {
  flavour: Flavour;
  rows: number;
  seedSec: number;
  tableMb: number;
  refresh: Cost;
  oldCount: Cost;
  oldRecent: Cost;
}

/** The old script's queries, or their equivalent over absurd.t_<queue>. */
function oldQueries(flavour: Flavour): { count: string; recent: string } {
  if (flavour === 'absurd') {
    return {
      count: `select state, count(*) from absurd."t_${queue}" group by state`,
      recent: `select task_id, task_name, state, enqueue_at from absurd."t_${queue}" order by enqueue_at desc limit 10`,
    };
  }
  const table = flavour === 'dsa110-v2' ? 'absurd.tasks' : 'absurd.t_tasks';
  return {
    count: `select status, count(*) from ${table} group by status`,
    recent: `select task_id, task_name, status, worker_id, created_at from ${table} order by created_at desc limit 10`,
  };
}

const isTaskTable = (flavour: Flavour) => (name: string): boolean =>
  flavour === 'absurd' ? name === `t_${queue}` || name === `r_${queue}` : name === 'tasks' || name === 't_tasks';

async function measure(flavour: Flavour, statsPool: pg.Pool, readerPool: pg.Pool, call: () => Promise<unknown>): Promise<Cost> {
  await call(); // warm-up: caches, plans, shared buffers
  const before = await settledStats(statsPool, readerPool);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  const delta = statsDelta(before, await settledStats(statsPool, readerPool));
  times.sort((a, b) => a - b);
  const tables = isTaskTable(flavour);
  return {
    medianMs: (times[calls / 2 - 1]! + times[calls / 2]!) / 2,
    rowsPerCall: rowsRead(delta, tables) / calls,
    indexEntriesPerCall: indexEntriesRead(delta, tables) / calls,
  };
}

async function runCase(flavour: Flavour, rows: number, keep: boolean): Promise<CaseResult> {
  const db = await createTestDatabase({ flavour });
  const readerPool = createPool({ database: db.url, statementTimeoutMs: 600_000, readOnly: true }, { max: 1 });
  try {
    const t0 = performance.now();
    await bulkSeed(db.pool, flavour, rows, { queues: [queue] });
    await db.pool.query('vacuum analyze');
    const seedSec = (performance.now() - t0) / 1000;
    const size = await db.pool.query<{ mb: number }>(
      `select (sum(pg_total_relation_size(c.oid)) / 1048576)::float8 as mb from pg_class c
        join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'absurd' and c.relkind = 'r'`);
    const config = configSchema.parse({ database: db.url, statementTimeoutMs: 600_000 });
    // Every refresh a full one: what a refresh costs while tasks move. (An unchanged database
    // costs one probe a refresh, write-gate.ts; measured that way this bench read 0 rows.)
    const reader = await createDbReader(readerPool, config, { unchangedReuseMs: 0 });
    const old = oldQueries(flavour);
    const refresh = await measure(flavour, db.pool, readerPool, () => reader.snapshot());
    const oldCount = await measure(flavour, db.pool, readerPool, () => readerPool.query(old.count));
    const oldRecent = await measure(flavour, db.pool, readerPool, () => readerPool.query(old.recent));
    return { flavour, rows, seedSec, tableMb: size.rows[0]?.mb ?? 0, refresh, oldCount, oldRecent };
  } finally {
    await readerPool.end();
    if (keep) console.error(`kept ${db.url}`);
    else await db.drop();
  }
}

const fmtMs = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const fmtRows = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (n: number, of: number): string => `${((100 * n) / of).toPrecision(2)} %`;

function table(results: CaseResult[]): string {
  const head = '| flavour | tasks | absurd-top refresh: median ms | rows read | % of tasks | index entries '
    + '| old count-by-status: ms | rows read | index entries | old last-10: ms | rows read | seed + vacuum s | tables MB |';
  const rule = `|${' --- |'.repeat(13)}`;
  const lines = results.map((r) => `| ${r.flavour} | ${fmtRows(r.rows)} | ${fmtMs(r.refresh.medianMs)} | ${fmtRows(r.refresh.rowsPerCall)} `
    + `| ${pct(r.refresh.rowsPerCall, r.rows)} | ${fmtRows(r.refresh.indexEntriesPerCall)} `
    + `| ${fmtMs(r.oldCount.medianMs)} | ${fmtRows(r.oldCount.rowsPerCall)} | ${fmtRows(r.oldCount.indexEntriesPerCall)} `
    + `| ${fmtMs(r.oldRecent.medianMs)} | ${fmtRows(r.oldRecent.rowsPerCall)} | ${r.seedSec.toFixed(0)} | ${r.tableMb.toFixed(0)} |`);
  return [head, rule, ...lines].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      flavours: { type: 'string', default: 'absurd,dsa110-v2,dsa110-v1' },
      keep: { type: 'boolean', default: false },
    },
  });
  const sizes = values.rows.split(',').map((s) => Number(s.replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--rows: comma-separated integers >= 1000');
  const flavours = values.flavours.split(',').map((f) => flavourSchema.parse(f.trim()));
  const results: CaseResult[] = [];
  for (const rows of sizes) {
    for (const flavour of flavours) {
      console.error(`${new Date().toISOString()} ${flavour} ${rows} rows ...`);
      const r = await runCase(flavour, rows, values.keep);
      console.error(`  refresh ${fmtMs(r.refresh.medianMs)} ms, ${fmtRows(r.refresh.rowsPerCall)} rows; `
        + `old count ${fmtMs(r.oldCount.medianMs)} ms, last-10 ${fmtMs(r.oldRecent.medianMs)} ms`);
      results.push(r);
    }
  }
  console.log(table(results));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
