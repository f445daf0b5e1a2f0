// retry | cancel | clear | reap | prune from the command line: argument checks that name what is
// wrong and what would fix it, then the same action functions the console's keys call.
import { UsageError, type ParsedFlags } from '../config/args.js';
import type { DbCommandDeps, PreparedCommand } from './command-types.js';
import type { DbActionContext } from './db/context.js';
import {
  cancelTasks, clearQueue, findStuckTasks, locateAbsurdTasks, planCancelTasks, planClearQueue, planPruneTasks,
  planReapStuck, planRetryTasks, pruneTasks, reapStuck, retryTasks, listQueues, type StuckRef,
} from './db/index.js';
import { daysText } from './db/prune-tasks.js';
import { isUuid } from '../data/pg/sql-text.js';

const example = '0190c1a2-7b3c-7d4e-8f50-1234567890ab';

function dbContext(deps: DbCommandDeps): DbActionContext {
  return { pool: deps.pool, flavour: deps.flavour, config: deps.config, audit: deps.audit };
}

function taskIdsFrom(verb: string, args: string[]): string[] {
  if (args.length === 0) throw new UsageError(`${verb} needs at least one TASK_ID, e.g. absurd-top ${verb} ${example}`);
  const bad = args.filter((id) => !isUuid(id));
  if (bad.length > 0) throw new UsageError(`${verb}: not a task id: ${bad.map((b) => `"${b}"`).join(', ')} (task ids are UUIDs, e.g. ${example})`);
  return [...new Set(args.map((id) => id.toLowerCase()))];
}

function noArgs(verb: string, args: string[], usage: string): void {
  if (args.length > 0) throw new UsageError(`${verb} takes no ${args.length === 1 ? 'argument' : 'arguments'} here (got ${args.join(' ')}); usage: absurd-top ${usage}`);
}

/**
 * The queue of the tasks: --queue / $ABSURD_QUEUE_NAME, else on flavour absurd (whose functions
 * need it) the queue that holds them, found by primary key.
 */
async function queueFor(deps: DbCommandDeps, verb: string, ids: string[]): Promise<string | null> {
  if (deps.config.queue || deps.flavour !== 'absurd') return deps.config.queue;
  const located = await locateAbsurdTasks(deps.pool, ids);
  const queues = [...new Set(located.values())];
  if (queues.length > 1) throw new UsageError(`${verb}: the tasks are in several queues (${queues.join(', ')}); run once per queue with --queue NAME`);
  return queues[0] ?? null;
}

export async function prepareRetry(args: string[], flags: ParsedFlags, deps: DbCommandDeps): Promise<PreparedCommand> {
  const taskIds = taskIdsFrom('retry', args);
  if (flags['spawn-new'] && deps.flavour !== 'absurd') throw new UsageError(`retry --spawn-new exists only on flavour absurd (this database is ${deps.flavour}); drop --spawn-new`);
  const targets = { queue: await queueFor(deps, 'retry', taskIds), taskIds, spawnNew: flags['spawn-new'] ?? false, anyway: flags.anyway ?? false };
  const ctx = dbContext(deps);
  return { needsYes: null, plan: async () => planRetryTasks(ctx, targets), run: () => retryTasks(ctx, targets) };
}

export async function prepareCancel(args: string[], _flags: ParsedFlags, deps: DbCommandDeps): Promise<PreparedCommand> {
  const taskIds = taskIdsFrom('cancel', args);
  const targets = { queue: await queueFor(deps, 'cancel', taskIds), taskIds };
  const ctx = dbContext(deps);
  return {
    // One task is an everyday action; several at once is the kind of thing a typo in a script does.
    needsYes: taskIds.length > 1 ? `cancel ${taskIds.length} tasks` : null,
    plan: async () => planCancelTasks(ctx, targets),
    run: () => cancelTasks(ctx, targets),
  };
}

export async function prepareClear(args: string[], flags: ParsedFlags, deps: DbCommandDeps): Promise<PreparedCommand> {
  const [queue, ...rest] = args;
  if (!queue) throw new UsageError('clear needs the queue to clear: absurd-top clear QUEUE --yes (add --running to cancel running tasks too)');
  noArgs('clear', rest, 'clear QUEUE');
  // The cutoff is now: tasks spawned after the command started are not part of what was asked.
  const targets = { queue, includeRunning: flags.running ?? false, before: new Date().toISOString() };
  const ctx = dbContext(deps);
  return { needsYes: `clear queue ${queue}`, plan: async () => planClearQueue(ctx, targets), run: () => clearQueue(ctx, targets) };
}

export async function prepareReap(args: string[], flags: ParsedFlags, deps: DbCommandDeps): Promise<PreparedCommand> {
  const ids = args.length > 0 ? taskIdsFrom('reap', args) : null;
  // Only an explicit --queue narrows it: a queue from the environment must not hide stuck tasks elsewhere.
  const queue = flags.queue ?? null;
  const stuck = await findStuckTasks(deps.pool, deps.flavour, deps.config, queue);
  // Named ids that are not stuck stay in the list so the result says so; the guard refuses them.
  const tasks: StuckRef[] = ids === null ? stuck
    : ids.map((id) => stuck.find((s) => s.taskId === id) ?? { queue: queue ?? '', taskId: id, runId: null, workerId: null });
  const ctx = dbContext(deps);
  const subject = `reap ${tasks.length} stuck task${tasks.length === 1 ? '' : 's'}`;
  return { needsYes: subject, plan: async () => planReapStuck(ctx, { queue, tasks }), run: () => reapStuck(ctx, { queue, tasks }) };
}

export function parseDays(raw: string | undefined): number {
  if (raw === undefined) return 30;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new UsageError(`--days: expected a whole number of days of at least 1, got "${raw}"`);
  return Number(raw);
}

export async function preparePrune(args: string[], flags: ParsedFlags, deps: DbCommandDeps): Promise<PreparedCommand> {
  noArgs('prune', args, 'prune [--days N] [--queue NAME] --yes');
  const targets = { olderThanDays: parseDays(flags.days), queue: flags.queue ?? null };
  const ctx = dbContext(deps);
  const queues = deps.flavour === 'absurd' && !targets.queue ? await listQueues(deps.pool, 'absurd') : undefined;
  return {
    needsYes: `prune tasks older than ${daysText(targets.olderThanDays)}`,
    plan: async () => planPruneTasks(ctx, targets, queues),
    run: () => pruneTasks(ctx, targets),
  };
}
