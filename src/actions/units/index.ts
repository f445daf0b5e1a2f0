// Unit actions: plain async functions with explicit targets, each with a plan for its dialog.
export {
  finish, readOnlyReason, UnitActionRefused, type UnitActionContext, type UnitAuditEntry,
} from './context.js';
export {
  planRestartUnit, planStartUnit, planStopUnit, planUnitAction, restartUnit, startUnit, stopUnit, unitAction,
} from './single-unit.js';
export { maxScale, planScaleWorkers, scaleWorkers } from './scale-workers.js';
export { emergencyConfirmWord, emergencyStop, planEmergencyStop } from './emergency-stop.js';
export { drain, planDrain, type DrainOptions } from './drain.js';
export type { StepReport } from './run-steps.js';
