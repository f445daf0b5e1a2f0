// The narrow interfaces between the sources, the poller, the actions and the views.
// Production implementations: postgres readers (src/data/flavours), systemd units,
// journal/file logs and systeminformation disks. The demo swaps only the database
// location and the UnitManager.
import { z } from 'zod';
import {
  taskSummarySchema, taskStateSchema,
  type DbSnapshot, type Flavour, type HostSnapshot, type LogLine, type TaskState, type UnitsSnapshot,
} from './snapshot.js';

export const taskDetailSchema = taskSummarySchema.extend({
  /** Every timestamp the flavour has, by column name (epoch ms, null when unset). */
  timestamps: z.record(z.string(), z.number().nullable()),
  params: z.unknown(),
  result: z.unknown(),
  /** Full error text / failure reason (may be very large; views truncate). */
  fullError: z.string().nullable(),
  extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** Flavour `absurd` only: one entry per attempt. */
  runs: z.array(z.object({
    runId: z.string(), attempt: z.number().int(), state: z.string(),
    claimedBy: z.string().nullable(), startedAt: z.number().nullable(),
    completedAt: z.number().nullable(), failedAt: z.number().nullable(),
    claimExpiresAt: z.number().nullable(), failureReason: z.unknown(),
  })),
  /** Flavour `absurd` only. */
  checkpoints: z.array(z.object({
    name: z.string(), status: z.string().nullable(), updatedAt: z.number().nullable(), state: z.unknown(),
  })),
});
export type TaskDetail = z.infer<typeof taskDetailSchema>;

export const browseQuerySchema = z.object({
  queue: z.string(),
  states: z.array(taskStateSchema).optional(),
  /** Case-insensitive substring of the task name. */
  name: z.string().optional(),
  /** Case-insensitive substring of task id, name or error text (bounded by the page, never a COUNT). */
  text: z.string().optional(),
  /** Keyset cursor: the last row of the previous page (newest first). */
  after: z.object({ createdAt: z.number(), id: z.string() }).optional(),
  limit: z.number().int().positive().max(500).default(50),
});
export type BrowseQuery = z.input<typeof browseQuerySchema>;
export interface BrowsePage {
  tasks: z.infer<typeof taskSummarySchema>[];
  /** Cursor for the next (older) page, null at the end. */
  next: { createdAt: number; id: string } | null;
}

/** One Absurd layout behind one interface; the three implementations differ only in SQL. */
export interface DbReader {
  readonly flavour: Flavour;
  /** Queue names known to the database (cheap: catalog or indexed). */
  queues(): Promise<string[]>;
  snapshot(): Promise<DbSnapshot>;
  taskDetail(queue: string, taskId: string): Promise<TaskDetail | null>;
  browse(query: BrowseQuery): Promise<BrowsePage>;
}

export interface UnitRef {
  name: string;
  /** null = local; otherwise passed to `systemctl -H`. */
  host: string | null;
}
export type UnitVerb = 'start' | 'stop' | 'restart';
export interface CommandOutcome {
  ok: boolean;
  /** The exact command line, for the confirmation dialog and the audit log. */
  commandLine: string;
  /** Plain-language reason when not ok ("sudo needs a password", "systemctl not found"). */
  problem: string | null;
}

/** systemd in production, the simulated pipeline in the demo. */
export interface UnitManager {
  list(): Promise<UnitsSnapshot>;
  /** The command line `run` would execute, without running it. */
  describe(verb: UnitVerb, unit: UnitRef): string;
  run(verb: UnitVerb, unit: UnitRef): Promise<CommandOutcome>;
}

export interface LogSource {
  /** Starts following; returns a function that stops. Lines arrive in batches. */
  follow(onLines: (lines: LogLine[]) => void, onProblem: (problem: string | null) => void): () => void;
}

export interface HostReader {
  snapshot(): Promise<HostSnapshot>;
}

export type { TaskState };
