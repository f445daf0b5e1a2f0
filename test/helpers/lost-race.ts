// Reproduces, deterministically, an action that loses the race for its task: another session
// (a colleague's console, a worker) has changed the row in a transaction that is still open
// when the operator's confirmed action runs; the action waits on the row lock, the other side
// commits, and the action's guard now sees the new state.
import type pg from 'pg';
import type { ActionResult } from '../../src/actions/types.js';
import type { Flavour } from '../../src/data/snapshot.js';
import { tableSnapshot } from './action-fixtures.js';
import { waitFor } from './wait-for.js';

export interface LostRace {
  result: ActionResult;
  /** Every task/run row as the other side committed it: the action must leave exactly this. */
  theirs: Map<string, string>;
}

/** Sessions of this database waiting for a lock: the action is queued behind the other side. */
async function lockWaiters(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
  return rows[0]!.n;
}

export async function loseRace(
  pool: pg.Pool,
  flavour: Flavour,
  otherSide: (client: pg.PoolClient) => Promise<unknown>,
  action: () => Promise<ActionResult>,
): Promise<LostRace> {
  const other = await pool.connect();
  try {
    await other.query('begin');
    await otherSide(other);
    const pending = action();
    await waitFor(() => lockWaiters(pool), (n) => n > 0, 5000, 'the action to wait on the row the other side holds');
    const theirs = await tableSnapshot(other, flavour);
    await other.query('commit');
    return { result: await pending, theirs };
  } catch (error) {
    await other.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    other.release();
  }
}
