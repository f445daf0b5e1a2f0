// Turning database answers into the short sentences an operator reads in a toast or a script log.

interface PgErrorLike { code?: string; message?: string }

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as PgErrorLike).code : undefined;
}

/** One line, no stack: the first line of the message, plus the SQLSTATE when it helps. */
export function oneLineError(error: unknown): string {
  // Connecting to "localhost" tries ::1 and 127.0.0.1; node reports both in an AggregateError with no message.
  if (error instanceof AggregateError && !error.message && error.errors.length > 0) return oneLineError(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  const first = (message.split('\n')[0] ?? '').trim() || 'unknown error';
  const code = pgCode(error);
  return code && code !== 'P0001' && !first.includes(code) ? `${first} [${code}]` : first;
}

/**
 * A refusal the database itself raised for one target, or null when the error is a real
 * failure. Absurd's codes: P0001 its own validation message (shown as is), AB001 task already
 * cancelled, AB002 run already failed; 42P01 means the queue's tables do not exist.
 */
export function refusalFromPgError(error: unknown, queue: string | null): string | null {
  switch (pgCode(error)) {
    case 'AB001': return 'task already cancelled';
    case 'AB002': return 'run already failed';
    case '42P01': return queue === null ? 'queue does not exist' : `queue "${queue}" does not exist`;
    case 'P0001': return oneLineError(error);
    default: return null;
  }
}

export const terminalStatuses = ['completed', 'failed', 'cancelled'] as const;
export const isTerminal = (state: string): boolean => (terminalStatuses as readonly string[]).includes(state);

const decideAgain = 'nothing changed — refresh and decide again';

/**
 * The task is not in the state the operator confirmed on (`seen`, as the database spells it):
 * a worker or another action got there first. Said as a change, not as a rule ("only failed
 * tasks can be retried" read as if the operator had picked the wrong task). Null when the
 * caller did not say what was seen (a script naming ids) or nothing moved.
 */
export function movedRefusal(state: string | null, seen: string | undefined): string | null {
  if (seen === undefined || seen === state) return null;
  return state === null ? `task no longer exists: ${decideAgain}` : `task is no longer ${seen} (now ${state}): ${decideAgain}`;
}

/**
 * The guarded statement changed nothing yet the row reads actionable now: it moved between the
 * statement and this read (e.g. claimed when the UPDATE looked, failed again a moment later).
 */
export function changedWhileRefusal(doing: 'retrying' | 'cancelling', state: string, seen?: string): string {
  return `task changed while ${doing} (now ${state}${seen === state ? ' again' : ''}): ${decideAgain}`;
}

/** Why a task in `state` (null = no such row) cannot be retried. */
export function retryRefusal(state: string | null, retryable: string, seen?: string): string {
  const moved = movedRefusal(state, seen);
  if (moved !== null) return moved;
  if (state === null) return 'unknown task id';
  return `task is ${state}; only ${retryable} tasks can be retried`;
}

/** Why a task in `state` (null = no such row) cannot be cancelled. */
export function cancelRefusal(state: string | null, seen?: string): string {
  const moved = movedRefusal(state, seen);
  if (moved !== null) return moved;
  if (state === null) return 'unknown task id';
  if (isTerminal(state)) return `task already ${state}`;
  return `task is ${state} and cannot be cancelled`;
}
