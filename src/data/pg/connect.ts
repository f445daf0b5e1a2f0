// The one place a pg.Pool is created for the console. Every session carries the statement
// timeout, an application_name operators can find in pg_stat_activity, and read-only mode when
// asked; the pool is tiny because a refresh needs one connection and a background total another.
import pg from 'pg';
import type { Config } from '../../config/schema.js';
import { maskDatabaseUrl } from '../../config/load-config.js';

export type PoolConfig = Pick<Config, 'database' | 'statementTimeoutMs' | 'readOnly'>;

export interface ConnectionTarget {
  host: string;
  port: number;
  user: string;
  database: string;
}

export function createPool(config: PoolConfig, opts: { max?: number } = {}): pg.Pool {
  // jit=off: the refresh queries are short, but their window bounds are only known at run time,
  // so the planner's row estimates can be high enough to trigger JIT, which then costs ~1 s of
  // compilation per refresh for a query that runs in a millisecond.
  const options = `-c jit=off${config.readOnly ? ' -c default_transaction_read_only=on' : ''}`;
  const pool = new pg.Pool({
    // null = node-postgres reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE itself.
    ...(config.database ? { connectionString: config.database } : {}),
    max: opts.max ?? 3,
    application_name: 'absurd-top',
    statement_timeout: config.statementTimeoutMs,
    // A server that never answers must not hang a refresh: fail the connect and, as a last
    // resort, the read, a little after the server-side timeout would have fired.
    connectionTimeoutMillis: Math.max(config.statementTimeoutMs, 2000),
    query_timeout: config.statementTimeoutMs + 2000,
    idleTimeoutMillis: 60_000,
    options,
  });
  // An idle client losing its server emits 'error' on the pool; without a listener Node would
  // crash the console. The next query fails and is reported through classifyDbError instead.
  pool.on('error', () => undefined);
  return pool;
}

/** Where the pool connects, resolved exactly as node-postgres resolves URL and PG* variables. */
export function connectionTarget(database: string | null): ConnectionTarget {
  const client = new pg.Client(database ? { connectionString: database } : {});
  return {
    host: client.host || 'localhost',
    port: client.port || 5432,
    user: client.user ?? '',
    database: client.database ?? client.user ?? '',
  };
}

/** postgres://user:***@host:port/db: safe to print, log and put in the snapshot. */
export function maskedTarget(database: string | null): string {
  if (database) return maskDatabaseUrl(database);
  const t = connectionTarget(null);
  const password = process.env.PGPASSWORD ? ':***' : '';
  return `postgres://${encodeURIComponent(t.user)}${password}@${t.host}:${t.port}/${encodeURIComponent(t.database)}`;
}
