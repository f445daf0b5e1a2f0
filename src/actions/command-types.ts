// The shape every scripted verb is prepared into: parse and check the arguments first (usage
// errors, exit 2), then either show the plan (--dry-run) or run the action.
import type { Config } from '../config/schema.js';
import type { Flavour } from '../data/snapshot.js';
import type { UnitManager } from '../data/sources.js';
import type { AuditFn } from './audit-log.js';
import type { ActionPool } from './db/context.js';
import type { ActionPlan, ActionResult } from './types.js';

export interface ActionCommandDeps {
  config: Config;
  pool: ActionPool;
  flavour: Flavour;
  units: UnitManager;
  audit?: AuditFn;
  /** Results, plans and progress. */
  out: (text: string) => void;
  /** Usage errors; defaults to `out`. */
  err?: (text: string) => void;
  /** Aborts a waiting drain (Ctrl-C); the producer stays stopped. */
  signal?: AbortSignal;
}

export interface PreparedCommand {
  /** What a missing --yes refuses, e.g. "clear queue dsa110-pipeline"; null = no --yes needed. */
  needsYes: string | null;
  plan(): Promise<ActionPlan>;
  run(): Promise<ActionResult>;
}
