// The production ConsoleActions: maps each request the console captured onto the same action
// functions the scripted commands use. A request is prepared once when its dialog opens (the
// plan and the run share the resolved targets, e.g. the stuck runs found for a reap), so "yes"
// runs exactly what the dialog showed.
import type { Config } from '../config/schema.js';
import type { Flavour } from '../data/snapshot.js';
import type { UnitManager } from '../data/sources.js';
import type { ActionRequest, ConsoleActions, PlanOutcome, TaskRef } from '../ui/console-actions.js';
import type { AuditFn } from './audit-log.js';
import type { ActionPool, DbActionContext } from './db/context.js';
import {
  cancelTasks, clearQueue, findStuckTasks, planCancelTasks, planClearQueue, planReapStuck, planRetryTasks, reapStuck,
  retryTasks, type StuckRef,
} from './db/index.js';
import type { ActionName, ActionPlan, ActionResult } from './types.js';
import {
  emergencyStop, planEmergencyStop, planRestartUnit, planScaleWorkers, restartUnit, scaleWorkers, type UnitActionContext,
} from './units/index.js';

export interface ConsoleActionDeps {
  config: Config;
  pool: ActionPool;
  units: UnitManager;
  audit?: AuditFn;
  /** The layout the poller detected; null until the first successful database read. */
  flavour: () => Flavour | null;
}

interface Prepared { plan(): Promise<ActionPlan>; run(): Promise<ActionResult> }

const actionOf = (r: ActionRequest): ActionName => r.command;
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const resultText = (r: ActionResult): string => (r.status === 'ok' ? r.summary : r.status === 'refused' ? r.reason : r.error);

/** Targets per queue, with the state each task showed when the dialog captured it. */
function byQueue(tasks: readonly TaskRef[]): { queue: string; taskIds: string[]; seen: Record<string, string> }[] {
  const groups = new Map<string, { queue: string; taskIds: string[]; seen: Record<string, string> }>();
  for (const t of tasks) {
    const group = groups.get(t.queue) ?? { queue: t.queue, taskIds: [], seen: {} };
    group.taskIds.push(t.id);
    if (t.state !== undefined) group.seen[t.id] = t.state;
    groups.set(t.queue, group);
  }
  return [...groups.values()];
}

/** One plan for tasks spread over several queues (each flavour-absurd call needs its queue). */
export function mergePlans(plans: ActionPlan[], title: string): ActionPlan {
  if (plans.length === 1) return plans[0]!;
  return {
    action: plans[0]?.action ?? 'retry', title, commands: plans.flatMap((p) => p.commands),
    confirmWord: null, warning: plans.find((p) => p.warning)?.warning ?? null,
  };
}

/** One result for several per-queue runs: ok when anything changed, every part's words kept. */
export function mergeResults(action: ActionName, results: ActionResult[]): ActionResult {
  if (results.length === 1) return results[0]!;
  const commands = results.flatMap((r) => r.commands);
  const text = results.map(resultText).join('; ');
  const ok = results.filter((r) => r.status === 'ok');
  if (ok.length > 0) {
    const sum = (f: (r: Extract<ActionResult, { status: 'ok' }>) => number) => ok.reduce((n, r) => n + f(r), 0);
    return { status: 'ok', action, summary: text, asked: sum((r) => r.asked), changed: sum((r) => r.changed), commands };
  }
  return results.some((r) => r.status === 'failed')
    ? { status: 'failed', action, error: text, commands }
    : { status: 'refused', action, reason: text, commands };
}

export function createConsoleActions(deps: ConsoleActionDeps): ConsoleActions {
  const prepared = new WeakMap<ActionRequest, Prepared>();
  const unitCtx: UnitActionContext = { units: deps.units, config: deps.config, ...(deps.audit ? { audit: deps.audit } : {}) };
  const dbCtx = (): DbActionContext => {
    const flavour = deps.flavour();
    if (!flavour) throw new Error('the database layout is not known yet; wait for the first successful refresh');
    return { pool: deps.pool, flavour, config: deps.config, ...(deps.audit ? { audit: deps.audit } : {}) };
  };

  function perQueue(request: { tasks: TaskRef[] }, plan: typeof planRetryTasks, run: typeof retryTasks, what: string): Prepared {
    const ctx = dbCtx();
    const groups = byQueue(request.tasks);
    const n = request.tasks.length;
    return {
      plan: async () => mergePlans(groups.map((g) => plan(ctx, g)), `${what} ${n} task${n === 1 ? '' : 's'} in ${groups.length} queues`),
      run: async () => {
        const results: ActionResult[] = [];
        for (const g of groups) results.push(await run(ctx, g));
        return mergeResults(results[0]?.action ?? 'retry', results);
      },
    };
  }

  async function prepare(request: ActionRequest): Promise<Prepared> {
    switch (request.command) {
      case 'retry': return perQueue(request, planRetryTasks, retryTasks, 'Retry');
      case 'cancel': return perQueue(request, planCancelTasks, cancelTasks, 'Cancel');
      case 'clear-queue': {
        const ctx = dbCtx();
        const targets = { queue: request.queue, includeRunning: false };
        return { plan: async () => planClearQueue(ctx, targets), run: () => clearQueue(ctx, targets) };
      }
      case 'reap': {
        const ctx = dbCtx();
        // The runs to release are looked up now; tasks seen stuck but no longer so stay in the
        // list, so the result says "no longer stuck" for them instead of silently skipping them.
        const stuck = await findStuckTasks(deps.pool, ctx.flavour, deps.config, null);
        const tasks: StuckRef[] = request.tasks.map((t) => stuck.find((s) => s.taskId === t.id) ?? { queue: t.queue, taskId: t.id, runId: null, workerId: null });
        return { plan: async () => planReapStuck(ctx, { tasks }), run: () => reapStuck(ctx, { tasks }) };
      }
      case 'scale':
        return { plan: () => planScaleWorkers(request.workers, undefined, unitCtx), run: () => scaleWorkers(request.workers, undefined, unitCtx) };
      case 'restart':
        return { plan: async () => planRestartUnit(request.unit, unitCtx), run: () => restartUnit(request.unit, unitCtx) };
      case 'emergency-stop':
        return { plan: () => planEmergencyStop(unitCtx), run: () => emergencyStop(unitCtx) };
    }
  }

  return {
    async plan(request): Promise<PlanOutcome> {
      try {
        const ready = await prepare(request);
        prepared.set(request, ready);
        return await ready.plan();
      } catch (error) {
        return { refused: message(error) };
      }
    },
    async run(request): Promise<ActionResult> {
      try {
        return await (prepared.get(request) ?? await prepare(request)).run();
      } catch (error) {
        return { status: 'failed', action: actionOf(request), error: message(error), commands: [] };
      }
    },
  };
}
