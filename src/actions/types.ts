// Every action is a plain async function: explicit targets in, a result value out.
// `commands` lists the exact SQL calls or command lines that ran (or would run), for the
// confirmation dialog, the audit log and `--dry-run`.
export type ActionName =
  | 'retry' | 'cancel' | 'clear-queue' | 'reap' | 'prune'
  | 'start' | 'stop' | 'restart' | 'scale' | 'emergency-stop' | 'drain';

export type ActionResult =
  | { status: 'ok'; action: ActionName; summary: string; asked: number; changed: number; commands: string[]; details?: unknown }
  | { status: 'refused'; action: ActionName; reason: string; commands: string[] }
  | { status: 'failed'; action: ActionName; error: string; commands: string[] };

/** What a confirmation dialog shows before anything runs. */
export interface ActionPlan {
  action: ActionName;
  /** One line: "Retry 3 failed tasks in dsa110-pipeline". */
  title: string;
  /** The exact SQL calls / command lines that will run. */
  commands: string[];
  /** Typed confirmation word for the most destructive actions (emergency stop, clear queue). */
  confirmWord: string | null;
  /** Extra warning, e.g. "a running worker is not interrupted". */
  warning: string | null;
}
