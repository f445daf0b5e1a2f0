// Emergency stop, in the guide's order: the producer first (no new work is created), then every
// worker instance on every host, highest first. It keeps going past failures, because in a crisis
// a half-done stop that says exactly what failed beats one that gave up at the first error.
import type { UnitsSnapshot } from '../../data/snapshot.js';
import { hostLabel, unitHosts } from '../../data/units/unit-names.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { finish, hostListProblem, producerTargets, readOnlyReason, refused, unitLabel, type UnitActionContext } from './context.js';
import { failureText, ranCommands, runSteps, type Step, type StepReport } from './run-steps.js';

export const emergencyConfirmWord = 'STOP';

function stopSteps(snapshot: UnitsSnapshot, ctx: UnitActionContext): { steps: Step[]; unreadable: string[] } {
  const steps: Step[] = producerTargets(snapshot, ctx.config).map((unit) => ({ verb: 'stop', unit }));
  const unreadable: string[] = [];
  for (const host of unitHosts(ctx.config.units)) {
    const problem = hostListProblem(snapshot, host, ctx.config);
    if (problem) unreadable.push(`could not list the workers on ${hostLabel(host)}, none stopped there: ${problem}`);
    // Anything not already inactive: a unit in auto-restart shows as activating and must stop too.
    const workers = snapshot.units
      .filter((u) => u.host === host && u.role === 'worker' && u.load !== 'not-found' && u.active !== 'inactive')
      .sort((a, b) => Number(b.instance) - Number(a.instance));
    for (const w of workers) steps.push({ verb: 'stop', unit: { name: w.name, host } });
  }
  return { steps, unreadable };
}

export async function planEmergencyStop(ctx: UnitActionContext): Promise<ActionPlan> {
  const snapshot = await ctx.units.list();
  const { steps, unreadable } = stopSteps(snapshot, ctx);
  const workers = steps.length - producerTargets(snapshot, ctx.config).length;
  const warnings = [
    ctx.config.readOnly ? `${readOnlyReason}; nothing will run` : null,
    'running tasks are not requeued: they stay claimed until reaped',
    ...unreadable,
  ].filter(Boolean);
  return {
    action: 'emergency-stop',
    title: `Emergency stop: the producer, then ${workers} worker unit(s)`,
    commands: steps.map((s) => ctx.units.describe(s.verb, s.unit)),
    confirmWord: emergencyConfirmWord,
    warning: warnings.join('; '),
  };
}

export async function emergencyStop(ctx: UnitActionContext): Promise<ActionResult> {
  if (ctx.config.readOnly) return finish(ctx, { all: true }, refused('emergency-stop', readOnlyReason));
  // The producer needs no listing: stop it before anything else can go wrong.
  const firstStep: Step = { verb: 'stop', unit: producerTargets({ units: [], problem: null }, ctx.config)[0] ?? { name: ctx.config.units.producer, host: null } };
  const reports: StepReport[] = await runSteps([firstStep], ctx);
  let snapshot: UnitsSnapshot;
  try {
    snapshot = await ctx.units.list();
  } catch (error) {
    snapshot = { units: [], problem: (error as Error).message };
  }
  const { steps, unreadable } = stopSteps(snapshot, ctx);
  const rest = steps.filter((s) => !(s.unit.name === firstStep.unit.name && s.unit.host === firstStep.unit.host));
  reports.push(...await runSteps(rest, ctx));
  const done = reports.filter((r) => r.ok);
  const commands = ranCommands(reports);
  const targets = { units: reports.map((r) => r.unit) };
  if (done.length === reports.length && unreadable.length === 0) {
    return finish(ctx, targets, {
      status: 'ok', action: 'emergency-stop', asked: reports.length, changed: done.length, commands, details: reports,
      summary: `emergency stop: stopped ${done.map((r) => unitLabel(r.unit)).join(', ')}`,
    });
  }
  const failed = reports.length - done.length;
  const parts = [failed ? `${failed} of ${reports.length} stops failed — ${failureText(reports)}` : null, ...unreadable].filter(Boolean);
  return finish(ctx, targets, {
    status: 'failed', action: 'emergency-stop', commands,
    error: `emergency stop incomplete (${done.length} of ${reports.length} units stopped): ${parts.join('; ')}`,
  });
}
