// The one normalised picture of the world that every view reads. Sources produce parts of it;
// the poller assembles one immutable Snapshot per tick. Times are epoch milliseconds (or null),
// durations are seconds, so the JSON form (`--once --json`) is stable and easy to consume.
import { z } from 'zod';

export const flavourSchema = z.enum(['absurd', 'dsa110-v2', 'dsa110-v1']);
export type Flavour = z.infer<typeof flavourSchema>;

/** Every flavour's states mapped onto one vocabulary (dsa110 `claimed` becomes `running`). */
export const taskStateSchema = z.enum([
  'pending', 'running', 'sleeping', 'retrying', 'completed', 'failed', 'cancelled',
]);
export type TaskState = z.infer<typeof taskStateSchema>;
export const liveStates = ['pending', 'running', 'sleeping', 'retrying'] as const;
export const terminalStates = ['completed', 'failed', 'cancelled'] as const;

const epochMs = z.number().nullable();

export const taskSummarySchema = z.object({
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  state: taskStateSchema,
  /** The state exactly as the database spells it (`claimed`, `running`, ...). */
  rawState: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int().nullable(),
  workerId: z.string().nullable(),
  createdAt: epochMs,
  claimedAt: epochMs,
  completedAt: epochMs,
  /** First few KB of the error text or failure reason; the full text is in the task detail. */
  error: z.string().nullable(),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;

export const stuckTaskSchema = taskSummarySchema.extend({
  reason: z.enum(['lease-expired', 'over-timeout', 'stale-heartbeat']),
  /** Human sentence, e.g. "claimed 3h 2m ago, timeout 1h". */
  detail: z.string(),
});
export type StuckTask = z.infer<typeof stuckTaskSchema>;

export const queueStatsSchema = z.object({
  name: z.string(),
  live: z.object({
    pending: z.number().int(), running: z.number().int(),
    sleeping: z.number().int(), retrying: z.number().int(),
  }),
  terminal: z.object({
    completed: z.number().int(), failed: z.number().int(), cancelled: z.number().int(),
  }),
  /** all-time: exact totals; window: only the last `terminalWindowMinutes`; estimated: planner estimate. */
  terminalScope: z.enum(['all-time', 'window', 'estimated']),
  terminalWindowMinutes: z.number().nullable(),
  /** When the terminal counts were computed (they refresh at most once a minute). */
  terminalAsOf: epochMs,
  throughputPerMin: z.object({ m1: z.number(), m5: z.number(), m60: z.number() }),
  completedLastHour: z.number().int(),
  failedLastHour: z.number().int(),
  /** failed / (completed + failed) over the last hour; null when nothing finished. */
  failureRateLastHour: z.number().nullable(),
  waitSec: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  runSec: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  /** When the oldest pending task became claimable; views show its age against their clock. */
  oldestPendingAt: epochMs,
  lastCompletionAt: epochMs,
});
export type QueueStats = z.infer<typeof queueStatsSchema>;

export const dbWorkerSchema = z.object({
  id: z.string(),
  /** Host part of the worker id (`host-1a2b3c4d` or `host:pid`), when it has one. */
  host: z.string().nullable(),
  lastSeenAt: epochMs,
  currentTaskId: z.string().nullable(),
  currentTaskName: z.string().nullable(),
  currentTaskSince: epochMs,
  stuck: z.boolean(),
  finishedLastHour: z.number().int(),
});
export type DbWorker = z.infer<typeof dbWorkerSchema>;

export const diagnosticSchema = z.object({
  level: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof diagnosticSchema>;

export const dbSnapshotSchema = z.object({
  flavour: flavourSchema,
  schemaVersion: z.string().nullable(),
  /** Connection target with the password masked, e.g. postgres://absurd:***@db:5432/dsa110_absurd */
  target: z.string(),
  queues: z.array(queueStatsSchema),
  inFlight: z.array(taskSummarySchema),
  stuck: z.array(stuckTaskSchema),
  failures: z.array(taskSummarySchema),
  /** dsa110-v2 only: tasks `completed` whose result says {"status":"error"}. */
  errorResults: z.array(taskSummarySchema),
  /** Newest tasks by creation time (what the old monitor script listed). */
  recent: z.array(taskSummarySchema),
  workers: z.array(dbWorkerSchema),
  roundTripMs: z.number(),
  /** Facts the data layer itself knows are wrong, e.g. a missing index on dsa110-v1. */
  diagnostics: z.array(diagnosticSchema),
  fetchedAt: z.number(),
});
export type DbSnapshot = z.infer<typeof dbSnapshotSchema>;

export const unitSchema = z.object({
  name: z.string(),
  /** null = this machine; otherwise the `-H` target, e.g. `ops@worker2`. */
  host: z.string().nullable(),
  role: z.enum(['producer', 'worker', 'other']),
  /** Template instance (`3` of `dsa110-absurd-worker@3.service`), null otherwise. */
  instance: z.string().nullable(),
  load: z.string(),
  active: z.string(),
  sub: z.string(),
  since: epochMs,
  mainPid: z.number().int().nullable(),
  restarts: z.number().int().nullable(),
  memoryBytes: z.number().nullable(),
  cpuNsec: z.number().nullable(),
  /** The database worker id the unit's log announced ("Worker <id> starting"). */
  workerId: z.string().nullable(),
});
export type Unit = z.infer<typeof unitSchema>;

export const unitsSnapshotSchema = z.object({
  units: z.array(unitSchema),
  /** Set when systemctl is missing, denied or timed out: why, and what would fix it. */
  problem: z.string().nullable(),
  /**
   * false only while the console's first refresh waits for systemd (over ssh it can take
   * seconds; the database is shown meanwhile): `units` is empty because nobody answered yet.
   */
  asked: z.literal(false).optional(),
});
export type UnitsSnapshot = z.infer<typeof unitsSnapshotSchema>;

export const logLineSchema = z.object({
  /** Monotonic sequence number so views can key rows and detect new lines. */
  seq: z.number().int(),
  time: z.number(),
  unit: z.string(),
  host: z.string().nullable(),
  /** syslog priority 0 (emerg) .. 7 (debug). */
  priority: z.number().int(),
  message: z.string(),
  /** systemd itself wrote it about the unit (started, stopping, exited): the unit's state moved. */
  fromSystemd: z.boolean().optional(),
  /** absurd-top's own note that a log source cannot deliver, with the fix: shown whole, never cut. */
  problem: z.boolean().optional(),
});
export type LogLine = z.infer<typeof logLineSchema>;

export const diskSchema = z.object({
  path: z.string(),
  mount: z.string().nullable(),
  exists: z.boolean(),
  sizeBytes: z.number().nullable(),
  usedBytes: z.number().nullable(),
  usedPct: z.number().nullable(),
  level: z.enum(['ok', 'warning', 'critical', 'missing']),
});
export type Disk = z.infer<typeof diskSchema>;

export const hostSnapshotSchema = z.object({
  disks: z.array(diskSchema),
  backlog: z.object({
    dir: z.string(),
    exists: z.boolean(),
    files: z.number().int(),
    oldestAgeSec: z.number().nullable(),
  }).nullable(),
  load: z.array(z.number()),
  memUsedPct: z.number().nullable(),
  problem: z.string().nullable(),
  /** false only until the console's first look at the disks: `disks` is empty because nobody looked yet. */
  asked: z.literal(false).optional(),
});
export type HostSnapshot = z.infer<typeof hostSnapshotSchema>;

export const dbProblemSchema = z.object({
  kind: z.enum([
    'unreachable', 'auth', 'no-database', 'no-schema', 'permission', 'unknown-queue',
    'timeout', 'other',
  ]),
  message: z.string(),
  /** When the database was first seen failing in the current outage. */
  since: z.number(),
});
export type DbProblem = z.infer<typeof dbProblemSchema>;

export const snapshotSchema = z.object({
  takenAt: z.number(),
  /** Last good database picture; kept (and shown stale) while `dbProblem` is set. */
  db: dbSnapshotSchema.nullable(),
  dbProblem: dbProblemSchema.nullable(),
  units: unitsSnapshotSchema,
  host: hostSnapshotSchema,
});
export type Snapshot = z.infer<typeof snapshotSchema>;
