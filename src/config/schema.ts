// The whole configuration, validated by zod. Defaults come from ../shared/spec/operations.md.
import { z } from 'zod';
import { flavourSchema } from '../data/snapshot.js';

const pct = z.number().min(0).max(100);
const seconds = z.number().positive();

export const thresholdsSchema = z.object({
  diskWarnPct: pct.default(80),
  diskCritPct: pct.default(90),
  pendingWarn: z.number().int().nonnegative().default(50),
  pendingCrit: z.number().int().nonnegative().default(100),
  failureRateWarn: z.number().min(0).max(1).default(0.1),
  failureRateCrit: z.number().min(0).max(1).default(0.25),
  /** A task running longer than this (or its own timeout_sec) is stuck. */
  runningTooLongSec: seconds.default(7200),
  oldestPendingWarnSec: seconds.default(600),
  oldestPendingCritSec: seconds.default(3600),
  noCompletionWarnSec: seconds.default(300),
  roundTripWarnMs: seconds.default(500),
  roundTripCritMs: seconds.default(1000),
  /** dsa110-v1: a claimed task whose last_heartbeat is older than this has a dead worker. */
  heartbeatStaleSec: seconds.default(30),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Unit names reach argv only after this check (no shell is ever used, but be strict anyway). */
export const unitNameSchema = z.string().regex(/^[A-Za-z0-9:_.@\\-]+$/, 'a systemd unit name (letters, digits, ":_.@\\-")');
export const hostSchema = z.string().regex(/^[A-Za-z0-9_.@:\-[\]]+$/, 'a host for systemctl -H, e.g. ops@worker2');

export const configSchema = z.object({
  /** Postgres URL; null = let node-postgres use the PG* environment variables. */
  database: z.string().min(1).nullable().default(null),
  /** Show one queue; null = all queues. */
  queue: z.string().min(1).max(57).nullable().default(null),
  /** Force a layout when the database holds more than one. */
  flavour: flavourSchema.nullable().default(null),
  refreshSec: z.number().min(0.1).max(3600).default(2),
  statementTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
  readOnly: z.boolean().default(false),
  sudo: z.boolean().default(false),
  units: z.object({
    producer: unitNameSchema.default('dsa110-mosaic-daemon.service'),
    workerTemplate: unitNameSchema.refine((n) => n.includes('@.'), 'a template unit such as dsa110-absurd-worker@.service')
      .default('dsa110-absurd-worker@.service'),
    /** Extra hosts whose units join the view through `systemctl -H`; the local host is always included unless localUnits is false. */
    hosts: z.array(hostSchema).default([]),
    localUnits: z.boolean().default(true),
    /**
     * Seconds between asks of systemd (each forks systemctl). systemd's own journal lines about
     * a unit (started, stopped, exited) trigger an ask at once, as does every action. null:
     * see unitsPollSec.
     */
    pollSec: z.number().min(0.1).max(3600).nullable().default(null),
    commandTimeoutMs: z.number().int().min(100).default(5000),
  }).prefault({}),
  logs: z.object({
    journal: z.boolean().default(true),
    /** Log files to tail (units that do not log to the journal). */
    files: z.array(z.string()).default([]),
    backlog: z.number().int().min(0).max(10_000).default(200),
    bufferLines: z.number().int().min(100).max(1_000_000).default(5000),
  }).prefault({}),
  disks: z.object({
    paths: z.array(z.string()).default(['/data', '/data/incoming', '/stage', '/stage/dsa110-contimg']),
    incoming: z.string().nullable().default('/data/incoming'),
  }).prefault({}),
  thresholds: thresholdsSchema.prefault({}),
  /** Audit log path; null = $XDG_STATE_HOME/absurd-top/audit.log. */
  auditLog: z.string().nullable().default(null),
  /** Key rebinding: command id -> keys, e.g. {"retry": ["r", "ctrl+r"]}. */
  keys: z.record(z.string(), z.array(z.string().min(1))).default({}),
  color: z.boolean().default(true),
});
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/**
 * How often systemd is asked when units.pollSec is null (the default). When every watched unit is local and
 * the journal is followed, a unit's changes already trigger an ask, so the regular ask only
 * refreshes slow figures (memory, CPU) and is a safety net: 30 s. Units on other hosts are not
 * followed in the journal and are seen only by asking: 10 s.
 */
export function unitsPollSec(config: Pick<Config, 'units' | 'logs'>): number {
  if (config.units.pollSec !== null) return config.units.pollSec;
  return config.logs.journal && config.units.hosts.length === 0 ? 30 : 10;
}
