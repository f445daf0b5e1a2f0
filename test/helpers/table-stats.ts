// Reads per-table access counters from pg_stat_user_tables, to prove a refresh reads no table
// sequentially and to measure rows read. Statistics reach the shared view asynchronously: the
// session that ran the queries must call pg_stat_force_next_flush() (PG 15+) first, which is why
// callers run the reader on a one-connection pool and flush through that same pool.
import type pg from 'pg';

export interface TableStats {
  seqScan: number;
  seqTupRead: number;
  idxScan: number;
  idxTupFetch: number;
  /** Index entries read (pg_stat_user_indexes.idx_tup_read), which index-only scans add to. */
  idxTupRead: number;
}

/** Flushes the stats of the (single) session behind `readerPool`. */
export async function flushStats(readerPool: pg.Pool): Promise<void> {
  await readerPool.query('select pg_stat_force_next_flush()');
  // The flush happens when that session goes idle after the call; a second statement on the
  // same session starts only after it did.
  await readerPool.query('select 1');
}

export async function tableStats(pool: pg.Pool): Promise<Map<string, TableStats>> {
  const res = await pool.query<{ relname: string; s: string; st: string; i: string; it: string; ir: string }>(
    `select t.relname, t.seq_scan::text as s, t.seq_tup_read::text as st, coalesce(t.idx_scan, 0)::text as i,
            coalesce(t.idx_tup_fetch, 0)::text as it,
            coalesce((select sum(x.idx_tup_read) from pg_stat_user_indexes x where x.relid = t.relid), 0)::text as ir
       from pg_stat_user_tables t where t.schemaname = 'absurd'`);
  return new Map(res.rows.map((r) => [r.relname, { seqScan: +r.s, seqTupRead: +r.st, idxScan: +r.i, idxTupFetch: +r.it, idxTupRead: +r.ir }]));
}

/**
 * Stats after a flush, read until two reads agree: parallel workers report their share when
 * they exit, which can land just after the query returned.
 */
export async function settledStats(statsPool: pg.Pool, readerPool: pg.Pool): Promise<Map<string, TableStats>> {
  await flushStats(readerPool);
  let last = JSON.stringify([...(await tableStats(statsPool))]);
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await tableStats(statsPool);
    const text = JSON.stringify([...now]);
    if (text === last) return now;
    last = text;
  }
  return tableStats(statsPool);
}

/** after - before per table, only tables that changed. */
export function statsDelta(before: Map<string, TableStats>, after: Map<string, TableStats>): Map<string, TableStats> {
  const out = new Map<string, TableStats>();
  for (const [name, a] of after) {
    const b = before.get(name) ?? { seqScan: 0, seqTupRead: 0, idxScan: 0, idxTupFetch: 0, idxTupRead: 0 };
    const d = {
      seqScan: a.seqScan - b.seqScan, seqTupRead: a.seqTupRead - b.seqTupRead, idxScan: a.idxScan - b.idxScan,
      idxTupFetch: a.idxTupFetch - b.idxTupFetch, idxTupRead: a.idxTupRead - b.idxTupRead,
    };
    if (d.seqScan || d.seqTupRead || d.idxScan || d.idxTupFetch || d.idxTupRead) out.set(name, d);
  }
  return out;
}

/** Rows read as the benchmark counts them: sequentially read plus fetched through indexes. */
export function rowsRead(delta: Map<string, TableStats>, tables?: (name: string) => boolean): number {
  let n = 0;
  for (const [name, d] of delta) if (!tables || tables(name)) n += d.seqTupRead + d.idxTupFetch;
  return n;
}

/** Index entries read, for the same tables. */
export function indexEntriesRead(delta: Map<string, TableStats>, tables?: (name: string) => boolean): number {
  let n = 0;
  for (const [name, d] of delta) if (!tables || tables(name)) n += d.idxTupRead;
  return n;
}
