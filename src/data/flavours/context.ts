// What every flavour reader shares: the pool, the config, the detection result, and small
// helpers for timing, multi-statement queries and the one long-running query per minute.
import type pg from 'pg';
import type { Config } from '../../config/schema.js';
import type { BrowseQuery, DbReader } from '../sources.js';
import type { DbSnapshot } from '../snapshot.js';
import { browseQuerySchema } from '../sources.js';
import { DbProblemError } from '../pg/classify-error.js';
import type { Detection } from '../pg/detect-flavour.js';

export type ReaderConfig = Pick<Config, 'queue' | 'thresholds' | 'statementTimeoutMs'>;

export interface ReaderOptions {
  /** How long all-time totals (and v1 full scans) are reused; default one minute. */
  cacheTtlMs?: number;
  /** Timeout for the once-a-minute total counts, which may read a whole table; default 60 s. */
  slowStatementTimeoutMs?: number;
  /** dsa110-v1: below this many (estimated) rows, scanning every refresh is cheap enough. */
  v1ScanEveryRefreshBelowRows?: number;
  /**
   * While no transaction has written, the last snapshot is reused this long (write-gate.ts):
   * how far clock-driven figures (last minute's completions, stuck, a lapsed lease or heartbeat)
   * may lag on a database where nothing at all is written; ages are the views' own and do not
   * lag. Default 30 s: the full re-reads were most of what an idle console still cost (0.73 %
   * of a core with 10 s, 0.50 % with 30 s, htop 0.58 / 0.48 % in the same runs; session 4).
   */
  unchangedReuseMs?: number;
  now?: () => number;
}

export interface ReaderContext {
  pool: pg.Pool;
  config: ReaderConfig;
  detection: Detection;
  /** Masked connection target for the snapshot header. */
  target: string;
  options: Required<ReaderOptions>;
}

export function withDefaults(options: ReaderOptions = {}): Required<ReaderOptions> {
  return {
    cacheTtlMs: 60_000, slowStatementTimeoutMs: 60_000, v1ScanEveryRefreshBelowRows: 100_000, unchangedReuseMs: 30_000, now: Date.now,
    ...options,
  };
}

/**
 * Recent activity is read by creation time (the only time-ordered key every layout indexes). A
 * task created before the hour but finished within it still counts if it was created no more
 * than runningTooLongSec earlier; anything slower is flagged stuck long before it finishes.
 */
export function activityWindowSec(config: ReaderConfig): number {
  return 3600 + config.thresholds.runningTooLongSec;
}

/**
 * A layout's reader. Its snapshot takes the round trip the write gate just measured with its
 * probe (write-gate.ts), so a refresh never spends a statement on timing alone.
 */
export type FlavourReader = Omit<DbReader, 'snapshot'> & { snapshot(roundTripMs: number): Promise<DbSnapshot> };

/** Runs several `;`-separated statements in one round trip and returns each one's rows. */
export async function multiQuery(pool: pg.Pool, statements: string[]): Promise<unknown[][]> {
  const res = (await pool.query(statements.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
  const list = Array.isArray(res) ? res : [res];
  return list.map((r) => r.rows as unknown[]);
}

/** What a jsonRows statement returns: each row's JSON text, and the database clock then. */
export interface JsonRows { texts: string[]; nowMs: number }

/** The rows of a jsonRows statement, from multiQuery's result for it. */
export function fromJsonRows(result: unknown[] | undefined): JsonRows {
  const row = result?.[0] as { rows?: unknown; now_ms?: unknown } | undefined;
  const texts = row?.rows;
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) {
    throw new Error('unexpected row from the database: a JSON array of row texts was expected');
  }
  if (typeof row?.now_ms !== 'number') throw new Error('unexpected row from the database: the database clock (now_ms) was expected');
  return { texts, nowMs: row.now_ms };
}

/** For the rare query allowed to read a whole table: its own, longer statement timeout. */
export async function slowQuery<R extends pg.QueryResultRow>(ctx: ReaderContext, sql: string): Promise<R[]> {
  const client = await ctx.pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local statement_timeout = ${Math.max(ctx.options.slowStatementTimeoutMs, ctx.config.statementTimeoutMs)}`);
    const res = await client.query<R>(sql);
    await client.query('commit');
    return res.rows;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The queues to show: all, or the configured one, which must exist. */
export function pickQueues(all: string[], config: ReaderConfig): string[] {
  if (config.queue === null) return all;
  if (all.includes(config.queue)) return [config.queue];
  const known = all.length ? `known queues: ${all.slice(0, 10).join(', ')}${all.length > 10 ? ', ...' : ''}` : 'the database has no queues yet';
  throw new DbProblemError('unknown-queue', `queue "${config.queue}" not found; ${known}`);
}

export function parseBrowse(query: BrowseQuery): ReturnType<typeof browseQuerySchema.parse> {
  return browseQuerySchema.parse(query);
}

/** ILIKE pattern for a user's substring, with its own % and _ taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
