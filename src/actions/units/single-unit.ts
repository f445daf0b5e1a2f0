// Start, stop or restart one configured unit. The name and host are checked against the config
// here, before the UnitManager sees them, so even a manager that trusts its input is safe.
import type { UnitRef, UnitVerb } from '../../data/sources.js';
import { checkUnitRef } from '../../data/units/unit-names.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { finish, readOnlyReason, refused, UnitActionRefused, unitLabel, type UnitActionContext } from './context.js';

const past: Record<UnitVerb, string> = { start: 'started', stop: 'stopped', restart: 'restarted' };
const title: Record<UnitVerb, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };

/** The confirmation dialog for one unit; throws UnitActionRefused for a unit that is not configured. */
export function planUnitAction(verb: UnitVerb, unit: UnitRef, ctx: UnitActionContext): ActionPlan {
  const check = checkUnitRef(unit, ctx.config.units);
  if (!check.ok) throw new UnitActionRefused(verb, check.reason);
  const warning = ctx.config.readOnly ? `${readOnlyReason}; nothing will run`
    : verb !== 'start' && check.role === 'worker' ? 'the task this worker is running is not requeued: it stays claimed until reaped'
      : verb !== 'start' ? 'the producer stops finding new data while it is down' : null;
  return {
    action: verb,
    title: `${title[verb]} ${unitLabel(check.ref)}`,
    commands: [ctx.units.describe(verb, check.ref)],
    confirmWord: null,
    warning,
  };
}

export async function unitAction(verb: UnitVerb, unit: UnitRef, ctx: UnitActionContext): Promise<ActionResult> {
  const targets = { unit };
  if (ctx.config.readOnly) return finish(ctx, targets, refused(verb, readOnlyReason));
  const check = checkUnitRef(unit, ctx.config.units);
  if (!check.ok) return finish(ctx, targets, refused(verb, check.reason));
  let result: ActionResult;
  try {
    const outcome = await ctx.units.run(verb, check.ref);
    const commands = outcome.commandLine ? [outcome.commandLine] : [];
    result = outcome.ok
      ? { status: 'ok', action: verb, summary: `${past[verb]} ${unitLabel(check.ref)}`, asked: 1, changed: 1, commands }
      : { status: 'failed', action: verb, error: outcome.problem ?? `${verb} ${unitLabel(check.ref)} failed`, commands };
  } catch (error) {
    result = { status: 'failed', action: verb, error: (error as Error).message, commands: [] };
  }
  return finish(ctx, { unit: check.ref }, result);
}

export const startUnit = (unit: UnitRef, ctx: UnitActionContext) => unitAction('start', unit, ctx);
export const stopUnit = (unit: UnitRef, ctx: UnitActionContext) => unitAction('stop', unit, ctx);
export const restartUnit = (unit: UnitRef, ctx: UnitActionContext) => unitAction('restart', unit, ctx);
export const planStartUnit = (unit: UnitRef, ctx: UnitActionContext) => planUnitAction('start', unit, ctx);
export const planStopUnit = (unit: UnitRef, ctx: UnitActionContext) => planUnitAction('stop', unit, ctx);
export const planRestartUnit = (unit: UnitRef, ctx: UnitActionContext) => planUnitAction('restart', unit, ctx);
