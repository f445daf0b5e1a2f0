// The shape every scripted verb is prepared into: parse and check the arguments first (usage
// errors, exit 2), then either show the plan (--dry-run) or run the action.
import type { Config } from '../config/schema.js';
import type { Flavour } from '../data/snapshot.js';
import type { UnitManager } from '../data/sources.js';
import type { AuditFn } from './audit-log.js';
import type { ActionPool } from './db/context.js';
import type { ActionPlan, ActionResult } from './types.js';

/** What the entry point hands over (its runtime fits as is). */
export interface ActionCommandDeps {
  config: Config;
  pool: ActionPool;
  units: UnitManager;
  audit?: AuditFn;
  /** Detected from the catalog when omitted, and only for verbs that touch the database. */
  flavour?: Flavour;
  /** Results, plans and progress; default: stdout, one line per call. */
  out?: (text: string) => void;
  /** Usage errors; default: `out` if given, else stderr. */
  err?: (text: string) => void;
  /** Aborts a waiting drain (Ctrl-C); the producer stays stopped. */
  signal?: AbortSignal;
}

/** Unit verbs get these: no flavour, so they work with the database down (emergency stop must). */
export interface CommandDeps extends ActionCommandDeps {
  out: (text: string) => void;
  err: (text: string) => void;
}
/** Database verbs (and drain, which counts running tasks) get the flavour too. */
export interface DbCommandDeps extends CommandDeps {
  flavour: Flavour;
}

export interface PreparedCommand {
  /** What a missing --yes refuses, e.g. "clear queue dsa110-pipeline"; null = no --yes needed. */
  needsYes: string | null;
  plan(): Promise<ActionPlan>;
  run(): Promise<ActionResult>;
}
