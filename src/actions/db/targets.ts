// Small checks shared by the id-targeted actions, run before any query.
import { isUuid } from '../../data/pg/sql-text.js';
import type { Flavour } from '../../data/snapshot.js';
import type { TargetOutcome } from './outcome.js';

/** Every task id is a UUID in all three layouts; anything else is refused without a query. */
export function splitIds(taskIds: string[]): { valid: string[]; invalid: TargetOutcome[] } {
  const unique = [...new Set(taskIds.map((id) => id.trim().toLowerCase()))];
  return {
    valid: unique.filter(isUuid),
    invalid: unique.filter((id) => !isUuid(id)).map((id) => ({ id, changed: false, reason: 'not a task id (expected a UUID)' })),
  };
}

/** Flavour absurd keeps tasks in per-queue tables, so its functions need the queue name. */
export function missingQueueReason(flavour: Flavour, queue: string | null): string | null {
  return flavour === 'absurd' && !queue ? 'flavour absurd needs the queue of the tasks: pass --queue NAME' : null;
}

export function queueLabel(queue: string | null): string {
  return queue ? ` in ${queue}` : '';
}
