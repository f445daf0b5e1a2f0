// The systemd units source: the manager, plus the pure name helpers views and actions share.
export { SystemdUnitManager, readOnlyProblem, type SystemdUnitManagerOptions } from './systemd-unit-manager.js';
export { defaultExec, type ExecFn, type ExecOptions, type ExecOutput, type ExecFailure } from './exec.js';
export { formatCommandLine, quoteArg, systemctlArgv } from './command-line.js';
export {
  checkHost, checkUnitRef, classifyUnit, hostLabel, instanceNumber, isUnitName, maxInstanceNumber, splitTemplate, unitHosts,
  workerInstanceName, workerPattern, type UnitRefCheck, type UnitRole, type UnitsConfig,
} from './unit-names.js';
