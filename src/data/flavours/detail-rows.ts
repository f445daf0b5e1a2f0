// Row shapes for the task detail view (params, results, runs and checkpoints), parsed with zod
// like every other row that crosses into the app.
import { z } from 'zod';
import { pgTime, summaryRowSchema } from './rows.js';

const detailBase = summaryRowSchema.extend({
  params: z.unknown(),
  result: z.unknown(),
  full_error: z.string().nullable(),
});

export const absurdDetailRow = detailBase.extend({
  headers: z.unknown(), retry_strategy: z.unknown(), cancellation: z.unknown(),
  idempotency_key: z.string().nullable(), last_attempt_run: z.string().nullable(),
  enqueue_at: pgTime, first_started_at: pgTime, cancelled_at: pgTime,
});

/** dsa110-v2 and v1 share most columns; the optional ones exist in only one of them. */
export const dsaDetailRow = detailBase.extend({
  priority: z.number().int(), timeout_sec: z.number().int().nullable(),
  wait_time_sec: z.number().nullable().optional(), execution_time_sec: z.number().nullable().optional(),
  last_heartbeat: pgTime.optional(), max_retries: z.number().int().optional(),
});

export const runRowSchema = z.object({
  run_id: z.string(),
  attempt: z.number().int(),
  state: z.string(),
  claimed_by: z.string().nullable(),
  started_at: pgTime,
  completed_at: pgTime,
  failed_at: pgTime,
  claim_expires_at: pgTime,
  failure_reason: z.unknown(),
});

export const checkpointRowSchema = z.object({
  name: z.string(),
  status: z.string().nullable(),
  updated_at: pgTime,
  state: z.unknown(),
});
