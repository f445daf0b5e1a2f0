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

/** Why a task in `state` (null = no such row) cannot be retried. */
export function retryRefusal(state: string | null, retryable: string): string {
  if (state === null) return 'unknown task id';
  return `task is ${state}; only ${retryable} tasks can be retried`;
}

/** Why a task in `state` (null = no such row) cannot be cancelled. */
export function cancelRefusal(state: string | null): string {
  if (state === null) return 'unknown task id';
  if (isTerminal(state)) return `task already ${state}`;
  return `task is ${state} and cannot be cancelled`;
}
