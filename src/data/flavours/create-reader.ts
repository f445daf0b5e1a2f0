// The one entry point the app uses: detect the layout, then build its reader. Failures arrive as
// DbProblemError (kind + one line), e.g. unreachable, auth, no-database, no-schema, permission.
import pg from 'pg';
import type { Config } from '../../config/schema.js';
import type { DbReader } from '../sources.js';
import { classifyDbError, DbProblemError } from '../pg/classify-error.js';
import { connectionTarget, maskedTarget } from '../pg/connect.js';
import { detectFlavour } from '../pg/detect-flavour.js';
import { AbsurdReader } from './absurd.js';
import { withDefaults, type FlavourReader, type ReaderContext, type ReaderOptions } from './context.js';
import { WriteGate } from './write-gate.js';
import { DsaV1Reader } from './dsa110-v1.js';
import { DsaV2Reader } from './dsa110-v2.js';

export type { ReaderOptions } from './context.js';

export type ReaderCreateConfig = Pick<Config, 'database' | 'queue' | 'flavour' | 'thresholds' | 'statementTimeoutMs'>;

export async function createDbReader(pool: pg.Pool, config: ReaderCreateConfig, options: ReaderOptions = {}): Promise<DbReader> {
  const target = connectionTarget(config.database);
  try {
    const detection = await detectFlavour(pool, config);
    const ctx: ReaderContext = { pool, config, detection, target: maskedTarget(config.database), options: withDefaults(options) };
    const reader = detection.flavour === 'absurd' ? new AbsurdReader(ctx)
      : detection.flavour === 'dsa110-v2' ? new DsaV2Reader(ctx) : new DsaV1Reader(ctx);
    return classifying(reader, new WriteGate(pool, ctx.options.unchangedReuseMs, ctx.options.now), config);
  } catch (err) {
    const problem = classifyDbError(err, { target, statementTimeoutMs: config.statementTimeoutMs });
    if (problem.kind === 'no-database') problem.message = await withDatabaseHint(problem.message, config.database, target.database);
    throw new DbProblemError(problem.kind, problem.message, problem.since);
  }
}

/** Every reader call rethrows pg errors as DbProblemError, so callers only ever see one kind. */
function classifying(reader: FlavourReader, gate: WriteGate, config: ReaderCreateConfig): DbReader {
  const ctx = { target: connectionTarget(config.database), statementTimeoutMs: config.statementTimeoutMs };
  const wrap = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      const p = classifyDbError(err, ctx);
      throw new DbProblemError(p.kind, p.message, p.since);
    }
  };
  return {
    flavour: reader.flavour,
    queues: wrap(() => reader.queues()),
    snapshot: wrap(() => gate.snapshot((roundTripMs) => reader.snapshot(roundTripMs))),
    taskDetail: wrap((queue: string, id: string) => reader.taskDetail(queue, id)),
    browse: wrap((q: Parameters<DbReader['browse']>[0]) => reader.browse(q)),
  };
}

/** A missing database: list the ones that exist on the server, Absurd-looking ones first. */
async function withDatabaseHint(message: string, database: string | null, missing: string): Promise<string> {
  const client = new pg.Client({ ...maintenanceDb(database), connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query<{ datname: string }>(
      `select datname from pg_database where not datistemplate and datallowconn order by (datname ilike '%absurd%') desc, datname limit 8`);
    const names = res.rows.map((r) => r.datname).filter((n) => n !== missing);
    return names.length ? `${message.replace(/: check .*$/, '')}; databases there: ${names.join(', ')}` : message;
  } catch {
    return message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Same server and credentials, database "postgres" (a URL's own database would win over a field). */
function maintenanceDb(database: string | null): pg.ClientConfig {
  if (!database) return { database: 'postgres' };
  try {
    const url = new URL(database);
    url.pathname = '/postgres';
    return { connectionString: url.toString() };
  } catch {
    return { connectionString: database, database: 'postgres' };
  }
}
