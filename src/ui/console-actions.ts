// What the interactive shell may ask of the action layer. The shell captures a request (its
// targets) when a dialog opens and hands exactly that request to `run` on "yes", so an action
// never hits a row that moved in between. Injected, so src/ui never imports pg or systemctl.
import type { ActionPlan, ActionResult } from '../actions/types.js';
import type { UnitRef } from '../data/sources.js';

export interface TaskRef {
  id: string;
  queue: string;
  /** The state the operator saw (as the database spells it), so a refusal can say the task moved since. */
  state?: string;
}

export type ActionRequest =
  /** Retry failed tasks (one for `r`, every failure in view for `R`). */
  | { command: 'retry'; tasks: TaskRef[] }
  | { command: 'cancel'; tasks: TaskRef[] }
  /** Cancel every pending task of one queue. */
  | { command: 'clear-queue'; queue: string }
  /** Release tasks stuck on workers that are gone (the stuck tasks seen when the dialog opened). */
  | { command: 'reap'; tasks: TaskRef[] }
  /** Run worker instances 1..workers; `current` is what the snapshot showed, for the title. */
  | { command: 'scale'; workers: number; current: number }
  | { command: 'restart'; unit: UnitRef }
  | { command: 'emergency-stop' };

export type PlanOutcome = ActionPlan | { refused: string };

export interface ConsoleActions {
  /** What would run, without running it; `refused` when it cannot run at all. */
  plan(request: ActionRequest): Promise<PlanOutcome>;
  /** Runs the request captured when the dialog opened. Never rejects: failures are results. */
  run(request: ActionRequest): Promise<ActionResult>;
}

export const isRefusedPlan = (outcome: PlanOutcome): outcome is { refused: string } => 'refused' in outcome;
