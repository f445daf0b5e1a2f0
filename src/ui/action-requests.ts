// Turns an action key into the request a confirmation dialog captures. Called once, when the
// dialog opens; later snapshots never change what "yes" runs.
import type { TaskSummary } from '../data/snapshot.js';
import { activeWorkers, type CommandContext } from './command-availability.js';
import type { ActionRequest, TaskRef } from './console-actions.js';
import type { CommandId } from './keymap.js';

const ref = (t: TaskSummary): TaskRef => ({ id: t.id, queue: t.queue, state: t.rawState });

/** The request for an available action command; null for commands that are not actions. */
export function captureRequest(id: CommandId, ctx: CommandContext): ActionRequest | null {
  const workers = activeWorkers(ctx.snapshot).length;
  switch (id) {
    case 'retry': return ctx.task ? { command: 'retry', tasks: [ref(ctx.task)] } : null;
    case 'cancel': return ctx.task ? { command: 'cancel', tasks: [ref(ctx.task)] } : null;
    case 'retry-all':
      return { command: 'retry', tasks: ctx.failuresInView.filter((t) => t.state === 'failed').map(ref) };
    case 'reap': return { command: 'reap', tasks: ctx.stuckInView.map(ref) };
    case 'clear-queue': return ctx.queue ? { command: 'clear-queue', queue: ctx.queue } : null;
    case 'scale-up': return { command: 'scale', workers: workers + 1, current: workers };
    case 'scale-down': return { command: 'scale', workers: Math.max(0, workers - 1), current: workers };
    case 'restart-unit': return ctx.unit ? { command: 'restart', unit: { name: ctx.unit.name, host: ctx.unit.host } } : null;
    case 'emergency-stop': return { command: 'emergency-stop' };
    default: return null;
  }
}
