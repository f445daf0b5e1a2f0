// What every unit action receives, and the two things every one of them does the same way:
// refuse in read-only mode before touching anything, and hand its result to the audit callback.
import type { Config } from '../../config/schema.js';
import type { UnitManager, UnitRef } from '../../data/sources.js';
import type { UnitsSnapshot } from '../../data/snapshot.js';
import { hostLabel, unitHosts } from '../../data/units/unit-names.js';
import type { ActionName, ActionResult } from '../types.js';

export interface UnitAuditEntry {
  action: string;
  targets: unknown;
  commands: string[];
  result: ActionResult;
}
export interface UnitActionContext {
  units: UnitManager;
  config: Pick<Config, 'readOnly' | 'units'>;
  /** Called once per action with its result (the audit log writer); never required. */
  audit?: (entry: UnitAuditEntry) => Promise<void>;
}

export const readOnlyReason = 'read-only mode: actions are disabled';

/** Thrown by plan functions for targets that would be refused (bad name, unknown host, bad N). */
export class UnitActionRefused extends Error {
  constructor(readonly action: ActionName, reason: string) {
    super(reason);
    this.name = 'UnitActionRefused';
  }
}

export function refused(action: ActionName, reason: string): ActionResult {
  return { status: 'refused', action, reason, commands: [] };
}

/** Audits and returns. An audit failure does not undo what ran: it is said in the result instead. */
export async function finish(ctx: UnitActionContext, targets: unknown, result: ActionResult): Promise<ActionResult> {
  if (!ctx.audit) return result;
  try {
    await ctx.audit({ action: result.action, targets, commands: result.commands, result });
    return result;
  } catch (error) {
    const note = ` (audit log not written: ${(error as Error).message})`;
    if (result.status === 'ok') return { ...result, summary: result.summary + note };
    if (result.status === 'refused') return { ...result, reason: result.reason + note };
    return { ...result, error: result.error + note };
  }
}

export const isRunning = (active: string): boolean => active === 'active' || active === 'activating' || active === 'reloading';

/**
 * The listing problem of one host, if its units could not be read. UnitsSnapshot has one merged
 * problem line (prefixed by host labels when several hosts are configured); a host with no units
 * at all whose label appears in it is taken as unreadable.
 */
export function hostListProblem(snapshot: UnitsSnapshot, host: string | null, config: UnitActionContext['config']): string | null {
  if (!snapshot.problem || snapshot.units.some((u) => u.host === host)) return null;
  const hosts = unitHosts(config.units);
  return hosts.length === 1 || snapshot.problem.includes(hostLabel(host)) ? snapshot.problem : null;
}

/** Producers to stop: on the primary host always, elsewhere where systemd knows the unit. */
export function producerTargets(snapshot: UnitsSnapshot, config: UnitActionContext['config']): UnitRef[] {
  const name = config.units.producer;
  return unitHosts(config.units)
    .filter((host, index) => index === 0 || snapshot.units.some((u) => u.host === host && u.name === name && u.load !== 'not-found'))
    .map((host) => ({ name, host }));
}

export const unitLabel = (unit: UnitRef): string => (unit.host ? `${unit.name} on ${unit.host}` : unit.name);
