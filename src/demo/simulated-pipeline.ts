// The simulated DSA-110 pipeline's shared settings and context. A producer
// (simulated-producer.ts) spawns data groups in bursts; workers (simulated-worker.ts) claim,
// run, complete or fail them through the flavour's own functions. The demo unit manager
// starts and stops them the way systemd starts and stops the real services.
import type { Flavour } from '../data/snapshot.js';
import { flavourOps, type FlavourOps, type Sql } from './flavour-ops.js';

export interface PipelineTimings {
  /** The producer looks for new data groups this often (production: 60 s). */
  burstEverySec: number;
  /** New data groups found per burst, inclusive range. */
  groupsPerBurst: readonly [number, number];
  /** One task into the queue nobody consumes, this often. */
  monitoringEverySec: number;
  /** Base run time of a task (seconds, range); stages scale it. */
  taskSec: readonly [number, number];
  /** An idle worker polls claim_task this often. */
  pollSec: number;
  /** dsa110-v1/v2 workers call heartbeat_task this often while a task runs (production: 10 s). */
  heartbeatSec: number;
  /** systemd's RestartSec: a worker that died comes back after this. */
  restartSec: number;
  /** Multiplies each stage's failure chance (0 = never fails). */
  failureScale: number;
  /** Chance per task that the worker process dies mid-task and leaves the task claimed. */
  dieChance: number;
  /** The producer defers new groups while this many tasks are pending (keeps the demo cheap). */
  maxBacklog: number;
  /** Flavour absurd: claim lease (claim_timeout). */
  leaseSec: number;
  /** Finished tasks older than this are deleted (checked every 10 minutes) so the demo stays small. */
  retentionSec: number;
}

/** Modest rates: a couple of tasks a second at most, so the demo costs next to nothing. */
export const demoTimings: PipelineTimings = {
  burstEverySec: 30,
  groupsPerBurst: [2, 4],
  monitoringEverySec: 40,
  taskSec: [2, 6],
  pollSec: 1,
  heartbeatSec: 10,
  restartSec: 5,
  failureScale: 1,
  dieChance: 0.01,
  maxBacklog: 40,
  leaseSec: 60,
  retentionSec: 6 * 3600,
};

export const pipelineQueue = 'dsa110-pipeline';
/** Has no consumer at all: its tasks sit pending, which the console must point out. */
export const monitoringQueue = 'dsa110-monitoring';
export const demoQueues = [
  { name: pipelineQueue, description: 'DSA-110 continuum imaging pipeline' },
  { name: monitoringQueue, description: 'Monitoring checks (no consumer deployed)' },
];

export type LogFn = (priority: number, message: string) => void;

export interface PipelineContext {
  flavour: Flavour;
  db: Sql;
  ops: FlavourOps;
  timings: PipelineTimings;
  random: () => number;
}

export function pipelineContext(flavour: Flavour, db: Sql, timings: Partial<PipelineTimings> = {}, random = Math.random): PipelineContext {
  return { flavour, db, ops: flavourOps(flavour), timings: { ...demoTimings, ...timings }, random };
}

/** Resolves true after `sec`, or false as soon as `signal` aborts. */
export function sleep(sec: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => { clearTimeout(timer); resolve(false); };
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(true); }, Math.max(0, sec * 1000));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const oneLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
