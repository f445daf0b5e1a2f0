// Why a command cannot act right now, in the operator's words, or null when it can. The shell
// shows the reason in the status line instead of silently ignoring the key (lazygit's
// GetDisabledReason). Pure: everything it needs is in the context.
import type { Snapshot, TaskSummary, Unit } from '../data/snapshot.js';
import { keysLabel, type CommandId, type Keymap, type Layer } from './keymap.js';
import type { PaneId } from './view-state.js';

export interface CommandContext {
  keymap: Keymap;
  layer: Layer;
  readOnly: boolean;
  focus: PaneId;
  snapshot: Snapshot;
  /** The selected queue; null = all queues. */
  queue: string | null;
  /** The task a task command acts on: the selected row, the browser row or the open detail. */
  task: TaskSummary | null;
  /** The selected unit (workers pane). */
  unit: Unit | null;
  /** Failed tasks on screen (R retries exactly these). */
  failuresInView: readonly TaskSummary[];
  /** Stuck tasks on screen (x reaps exactly these). */
  stuckInView: readonly TaskSummary[];
}

const liveStates = new Set(['pending', 'running', 'sleeping', 'retrying']);
/**
 * Running worker instances on the host `+`/`-` scale (this machine when it has worker units,
 * else the configured host), counted the way the scale action counts them.
 */
export function activeWorkers(snapshot: Snapshot): Unit[] {
  const running = snapshot.units.units.filter((u) => u.role === 'worker' && ['active', 'activating', 'reloading'].includes(u.active));
  const local = running.filter((u) => u.host === null);
  return local.length > 0 || snapshot.units.units.some((u) => u.role === 'worker' && u.host === null) ? local : running;
}

function dbDown(ctx: CommandContext): string | null {
  const problem = ctx.snapshot.dbProblem;
  if (problem) return `database is down (${problem.kind}: ${problem.message}); actions wait until it is back`;
  return ctx.snapshot.db ? null : 'database not read yet; wait for the first refresh';
}
function unitsDown(ctx: CommandContext): string | null {
  const problem = ctx.snapshot.units.problem;
  return problem ? `systemctl unavailable: ${problem}` : null;
}
const short = (id: string): string => id.slice(0, 8);

function taskReason(ctx: CommandContext, wanted: 'failed' | 'live'): string | null {
  const move = `${keysLabel(ctx.keymap, 'down', 1)}/${keysLabel(ctx.keymap, 'up', 1)}`;
  if (!ctx.task) {
    return wanted === 'failed'
      ? `no task selected — focus failures (${keysLabel(ctx.keymap, 'focus-failures')}) and move to a failed task with ${move}`
      : `no task selected — move to a pending or running task with ${move}`;
  }
  const { state, id } = ctx.task;
  if (wanted === 'failed' && state !== 'failed') return `task ${short(id)} is ${state}; only failed tasks can be retried`;
  if (wanted === 'live' && !liveStates.has(state)) return `task ${short(id)} is ${state}; only pending or running tasks can be cancelled`;
  return null;
}

function actionReason(id: CommandId, ctx: CommandContext): string | null {
  switch (id) {
    case 'retry': return dbDown(ctx) ?? taskReason(ctx, 'failed');
    case 'cancel': return dbDown(ctx) ?? taskReason(ctx, 'live');
    case 'retry-all':
      return dbDown(ctx) ?? (ctx.failuresInView.some((t) => t.state === 'failed') ? null : 'no failed tasks in view');
    case 'reap': return dbDown(ctx) ?? (ctx.stuckInView.length > 0 ? null : 'no stuck tasks in view');
    case 'clear-queue':
      return dbDown(ctx) ?? (ctx.queue ? null
        : `no queue selected — pick one with ${keysLabel(ctx.keymap, 'next-queue', 1)}/${keysLabel(ctx.keymap, 'prev-queue', 1)}; clear works on one queue at a time`);
    case 'scale-up': case 'emergency-stop': return unitsDown(ctx);
    case 'scale-down':
      return unitsDown(ctx) ?? (activeWorkers(ctx.snapshot).length > 0 ? null : 'no worker instance is running');
    case 'restart-unit':
      return unitsDown(ctx) ?? (ctx.unit ? null
        : `no unit selected — focus workers (${keysLabel(ctx.keymap, 'focus-workers')}) and pick a unit with ${keysLabel(ctx.keymap, 'down', 1)}/${keysLabel(ctx.keymap, 'up', 1)}`);
    default: return null;
  }
}

/** The queue `t` browses: the selected one, else the selected task's, else the only one. */
export function browseQueue(ctx: Pick<CommandContext, 'queue' | 'task' | 'snapshot'>): string | null {
  const queues = ctx.snapshot.db?.queues ?? [];
  return ctx.queue ?? ctx.task?.queue ?? (queues.length === 1 ? queues[0]!.name : null);
}

/** null = the command can act now; otherwise the reason it cannot. */
export function disabledReason(id: CommandId, ctx: CommandContext): string | null {
  const command = ctx.keymap.byId.get(id);
  if (command?.action) return ctx.readOnly ? 'read-only mode: actions are disabled (started with --read-only)' : actionReason(id, ctx);
  switch (id) {
    case 'open':
      return ctx.task ? null : `no task selected — move to a task with ${keysLabel(ctx.keymap, 'down', 1)}/${keysLabel(ctx.keymap, 'up', 1)}`;
    case 'filter':
      return ctx.layer === 'browser' || (ctx.layer === 'dashboard' && ctx.focus === 'logs') ? null
        : `/ filters the logs pane (${keysLabel(ctx.keymap, 'focus-logs')}) and searches the task browser (${keysLabel(ctx.keymap, 'browse')})`;
    case 'log-unit': return ctx.focus === 'logs' ? null : 'the unit filter works in the logs pane';
    case 'browse': {
      if (ctx.snapshot.dbProblem && !ctx.snapshot.db) return dbDown(ctx);
      return browseQueue(ctx) !== null ? null
        : `no queue selected — pick one with ${keysLabel(ctx.keymap, 'next-queue', 1)} to browse its tasks`;
    }
    case 'next-queue': case 'prev-queue':
      return (ctx.snapshot.db?.queues.length ?? 0) > 0 ? null : 'no queues known yet';
    default: return null;
  }
}
