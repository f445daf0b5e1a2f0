// Runs a list of systemctl steps in order, past failures, and says what happened to each:
// emergency stop and scaling must report every unit, not stop at the first error.
import type { UnitRef, UnitVerb } from '../../data/sources.js';
import type { UnitActionContext } from './context.js';
import { unitLabel } from './context.js';

export interface Step {
  verb: UnitVerb;
  unit: UnitRef;
}
export interface StepReport extends Step {
  ok: boolean;
  commandLine: string;
  problem: string | null;
}

export async function runSteps(steps: Step[], ctx: UnitActionContext): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (const step of steps) {
    try {
      const outcome = await ctx.units.run(step.verb, step.unit);
      reports.push({ ...step, ok: outcome.ok, commandLine: outcome.commandLine, problem: outcome.ok ? null : outcome.problem ?? 'failed' });
    } catch (error) {
      // UnitManager.run should not throw; if one does, it is this step's failure, not the action's.
      reports.push({ ...step, ok: false, commandLine: '', problem: (error as Error).message });
    }
  }
  return reports;
}

export const ranCommands = (reports: StepReport[]): string[] => reports.map((r) => r.commandLine).filter(Boolean);

export function failureText(reports: StepReport[]): string {
  return reports.filter((r) => !r.ok).map((r) => `${r.verb} ${unitLabel(r.unit)}: ${r.problem}`).join('; ');
}
