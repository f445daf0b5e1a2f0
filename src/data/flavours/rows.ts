// Row shapes every flavour's SQL returns, parsed with zod so a schema drift (a renamed column, a
// count that came back as a string because of a missing ::int) fails here, loudly, in one place.
// The flavours alias their columns to these names; only state mapping differs between them.
import { z } from 'zod';
import { taskStateSchema, type Flavour, type TaskState, type TaskSummary } from '../snapshot.js';

/**
 * timestamptz as node-postgres returns it: Date, null, or ±Infinity for 'infinity'; inside JSON
 * aggregates an ISO string or "infinity". Infinite times map to null.
 */
// One custom check (z.number() would reject Infinity itself), not a union of four: a union tries
// its options in turn and builds an issue for each that fails (three for every null time), for
// every time column of every row.
const pgTimeInput = z.custom<Date | number | string | null>(
  (v) => v === null || v instanceof Date || typeof v === 'number' || typeof v === 'string',
  'a time (a Date, a number, a string or null)',
);
export const pgTime = pgTimeInput.transform((v): number | null => {
  if (v === null) return null;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : v;
  return Number.isFinite(ms) ? ms : null;
});
const int = z.number().int();

export const summaryRowSchema = z.object({
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  raw_state: z.string(),
  attempts: int,
  max_attempts: int.nullable(),
  worker_id: z.string().nullable(),
  created_at: pgTime,
  claimed_at: pgTime,
  completed_at: pgTime,
  error: z.string().nullable(),
  /** dsa110-v1 only: a pending task with retries behind it is shown as retrying. */
  retry_count: int.nullable().optional(),
});
export type SummaryRow = z.output<typeof summaryRowSchema>;

/**
 * In-flight rows carry what stuck detection needs as times, not ages: ages are taken against the
 * database clock of the same read (TaskLists.dbNowMs), so an unchanged task keeps an unchanged row.
 */
export const inFlightRowSchema = summaryRowSchema.extend({
  timeout_sec: int.nullable(),
  /** dsa110-v1 only: the worker's last heartbeat. */
  heartbeat_at: pgTime,
  /** Flavour absurd: when the claim's lease runs out (null: never). */
  lease_expires_at: pgTime,
});
export type InFlightRow = z.output<typeof inFlightRowSchema>;

export const liveRowSchema = z.object({
  queue: z.string(),
  state: taskStateSchema,
  n: int,
  /** Oldest claimable time in this state (only read for pending). */
  oldest_pending_at: pgTime,
  /** Creation time of the oldest task in this state (for the activity window, see window-floor.ts). */
  oldest_created_at: pgTime,
});
export type LiveRow = z.output<typeof liveRowSchema>;

const percentiles = z.array(z.number().nullable()).nullable();
export const activityRowSchema = z.object({
  queue: z.string(),
  c1: int, c5: int, c60: int, f60: int,
  wait_pct: percentiles,
  run_pct: percentiles,
  last_completion_at: pgTime,
});
export type ActivityRow = z.output<typeof activityRowSchema>;

export const workerRowSchema = z.object({
  worker_id: z.string(),
  last_seen_at: pgTime,
  finished_last_hour: int,
});
export type WorkerRow = z.output<typeof workerRowSchema>;

export const terminalRowSchema = z.object({
  queue: z.string(),
  completed: int, failed: int, cancelled: int,
});
export type TerminalRow = z.output<typeof terminalRowSchema>;

// Building a zod schema is not free (zod 4 compiles it): one array schema per row schema, ever.
const arraySchemas = new WeakMap<z.ZodType, z.ZodType>();

export function parseRows<S extends z.ZodType>(schema: S, rows: unknown[], what: string): z.output<S>[] {
  let arraySchema = arraySchemas.get(schema);
  if (!arraySchema) arraySchemas.set(schema, arraySchema = z.array(schema));
  const parsed = arraySchema.safeParse(rows) as z.ZodSafeParseResult<z.output<S>[]>;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`unexpected ${what} row from the database at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The database's spelling of a state onto the console's vocabulary. */
export function mapState(flavour: Flavour, raw: string, retryCount?: number | null): TaskState {
  if (raw === 'claimed' && flavour !== 'absurd') return 'running';
  if (raw === 'pending' && flavour === 'dsa110-v1' && (retryCount ?? 0) > 0) return 'retrying';
  // v1 has no check constraint: a status nobody knows is shown raw but treated as inert.
  return knownStates.has(raw) ? (raw as TaskState) : 'cancelled';
}

/** A Set, not taskStateSchema.safeParse: this runs for every task row of every refresh. */
const knownStates: ReadonlySet<string> = new Set(taskStateSchema.options);

export function toSummary(flavour: Flavour, row: SummaryRow): TaskSummary {
  return {
    id: row.id, queue: row.queue, name: row.name,
    state: mapState(flavour, row.raw_state, row.retry_count), rawState: row.raw_state,
    attempts: row.attempts, maxAttempts: row.max_attempts, workerId: row.worker_id,
    createdAt: row.created_at, claimedAt: row.claimed_at, completedAt: row.completed_at,
    error: row.error,
  };
}

/** Compact human durations for sentences like "claimed 3h 2m ago". */
export function formatSeconds(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)}h` : ''}`;
}
