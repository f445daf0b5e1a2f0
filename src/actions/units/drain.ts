// Graceful drain: stop the producer so no new work arrives, then wait until no task is running.
// Workers are left alone on purpose: the operator stops them (or scales to 0) once drained.
import type { ActionPlan, ActionResult } from '../types.js';
import { finish, producerTargets, readOnlyReason, refused, UnitActionRefused, unitLabel, type UnitActionContext } from './context.js';
import { failureText, ranCommands, runSteps } from './run-steps.js';

export interface DrainOptions {
  /** How many tasks are running now (the database source); polled until it returns 0. */
  runningCount: () => Promise<number>;
  timeoutMs: number;
  pollMs: number;
  /** Abort the wait (the producer stays stopped). */
  signal?: AbortSignal;
  /** Told after every poll, e.g. to show "3 tasks still running, 40 s". */
  onProgress?: (running: number, waitedMs: number) => void;
}

function badOptions(options: DrainOptions): string | null {
  if (typeof options.runningCount !== 'function') return 'refused drain: no way to count running tasks (runningCount)';
  if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) return 'refused drain: timeoutMs must be a positive number of milliseconds';
  if (!(options.pollMs >= 0) || !Number.isFinite(options.pollMs)) return 'refused drain: pollMs must be zero or more milliseconds';
  return null;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(done, ms);
  function done() { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
  signal?.addEventListener('abort', done, { once: true });
});
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function planDrain(ctx: UnitActionContext): Promise<ActionPlan> {
  const producers = producerTargets(await ctx.units.list(), ctx.config);
  if (producers.length === 0) throw new UnitActionRefused('drain', 'no producer unit is configured on any host');
  return {
    action: 'drain',
    title: `Drain: stop ${producers.map(unitLabel).join(', ')} and wait until no task is running`,
    commands: producers.map((unit) => ctx.units.describe('stop', unit)),
    confirmWord: null,
    warning: ctx.config.readOnly ? `${readOnlyReason}; nothing will run` : 'workers keep running: stop them or scale to 0 once drained',
  };
}

export async function drain(options: DrainOptions, ctx: UnitActionContext): Promise<ActionResult> {
  const targets = { timeoutMs: options.timeoutMs, pollMs: options.pollMs };
  if (ctx.config.readOnly) return finish(ctx, targets, refused('drain', readOnlyReason));
  const bad = badOptions(options);
  if (bad) return finish(ctx, targets, refused('drain', bad));
  let producers;
  try {
    producers = producerTargets(await ctx.units.list(), ctx.config);
  } catch {
    producers = producerTargets({ units: [], problem: null }, ctx.config);
  }
  const reports = await runSteps(producers.map((unit) => ({ verb: 'stop' as const, unit })), ctx);
  const commands = ranCommands(reports);
  const auditTargets = { ...targets, producers };
  if (reports.some((r) => !r.ok)) {
    return finish(ctx, auditTargets, { status: 'failed', action: 'drain', commands,
      error: `drain not started: could not stop the producer (${failureText(reports)}); not waiting, since new work would keep arriving` });
  }

  const started = Date.now();
  let running = -1;
  let lastError: string | null = null;
  for (;;) {
    try {
      running = await options.runningCount();
      lastError = null;
    } catch (error) {
      // A database hiccup during a long drain is not the end of it: keep polling until the deadline.
      lastError = (error as Error).message;
    }
    const waited = Date.now() - started;
    if (running >= 0) options.onProgress?.(running, waited);
    if (running === 0 && lastError === null) {
      return finish(ctx, auditTargets, { status: 'ok', action: 'drain', asked: producers.length, changed: producers.length, commands,
        details: { waitedMs: waited },
        summary: `drained in ${seconds(waited)}: producer stopped and no task running; workers still running (stop them or scale to 0)` });
    }
    const stillRunning = running >= 0 ? `${running} task(s) still running` : 'running tasks could not be counted';
    const why = lastError ? ` (last error counting them: ${lastError})` : '';
    if (options.signal?.aborted) {
      return finish(ctx, auditTargets, { status: 'failed', action: 'drain', commands,
        error: `drain cancelled after ${seconds(waited)}: ${stillRunning}${why}; the producer stays stopped` });
    }
    if (waited >= options.timeoutMs) {
      return finish(ctx, auditTargets, { status: 'failed', action: 'drain', commands,
        error: `drain timed out after ${seconds(waited)}: ${stillRunning}${why}; the producer stays stopped, workers were not touched` });
    }
    await sleep(Math.min(options.pollMs, Math.max(0, options.timeoutMs - waited)), options.signal);
  }
}
