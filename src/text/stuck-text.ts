// Why a task counts as stuck, as one line: shared by the panes and the --once report.
import type { StuckTask } from '../data/snapshot.js';
import { formatAge } from './format/time.js';
import { sanitizeLine } from './sanitize.js';

/** "claimed 3h02m ago: over its timeout of 1h, by host-1a2b3c4d" — the age from the clock, the rule from the data. */
export function stuckText(task: StuckTask, now: number): string {
  const age = task.claimedAt === null ? 'claimed' : `claimed ${formatAge(task.claimedAt, now)} ago`;
  return `${age}: ${sanitizeLine(task.detail, 500)}`;
}
