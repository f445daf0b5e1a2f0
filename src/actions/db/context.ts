// What every database action receives, and the one wrapper that gives all of them the same
// edges: read-only refusal before any query, errors as one-line `failed` values, one audit line.
import type { QueryResult, QueryResultRow } from 'pg';
import type { Config } from '../../config/schema.js';
import type { Flavour } from '../../data/snapshot.js';
import type { AuditFn } from '../audit-log.js';
import type { ActionName, ActionResult } from '../types.js';
import { oneLineError } from './reasons.js';

/** The part of pg.Pool / pg.PoolClient the actions use (a pg.Pool fits as is). */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
export interface PooledClient extends Queryable {
  release(error?: Error | boolean): void;
}
export interface ActionPool extends Queryable {
  connect(): Promise<PooledClient>;
}

export interface DbActionContext {
  pool: ActionPool;
  flavour: Flavour;
  config: Config;
  audit?: AuditFn;
}

export const READ_ONLY_REASON = 'read-only mode: actions are disabled';

/** Runs `body` inside one transaction on one pooled connection. */
export async function withTransaction<T>(pool: ActionPool, body: (client: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const value = await body(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection is unusable: let the pool discard it
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * The shared edges of every database action. `body` pushes each mutating statement it runs
 * onto `commands`, so a failure half-way still reports (and audits) what did run.
 */
export async function performDbAction(
  ctx: DbActionContext,
  action: ActionName,
  targets: unknown,
  body: (commands: string[]) => Promise<ActionResult>,
): Promise<ActionResult> {
  const commands: string[] = [];
  let result: ActionResult;
  if (ctx.config.readOnly) {
    result = { status: 'refused', action, reason: READ_ONLY_REASON, commands };
  } else {
    try {
      result = await body(commands);
    } catch (error) {
      result = { status: 'failed', action, error: oneLineError(error), commands };
    }
  }
  if (!ctx.audit) return result;
  try {
    await ctx.audit({ action, targets, commands: result.commands, result });
    return result;
  } catch (error) {
    // The action already happened; say loudly that it left no trace rather than hide it.
    const note = ` (audit log not written: ${oneLineError(error)})`;
    if (result.status === 'ok') return { ...result, summary: result.summary + note };
    if (result.status === 'refused') return { ...result, reason: result.reason + note };
    return { ...result, error: result.error + note };
  }
}
