// scale | start | stop | restart | emergency-stop | drain from the command line, on the unit
// actions (src/actions/units). A unit on another host is named with one -H USER@HOST.
import { UsageError, type ParsedFlags } from '../config/args.js';
import type { UnitVerb } from '../data/sources.js';
import type { CommandDeps, DbCommandDeps, PreparedCommand } from './command-types.js';
import { countRunningTasks } from './db/index.js';
import {
  drain, emergencyStop, maxScale, planDrain, planEmergencyStop, planScaleWorkers, planUnitAction, scaleWorkers, unitAction,
  type UnitActionContext,
} from './units/index.js';

function unitContext(deps: CommandDeps): UnitActionContext {
  return { units: deps.units, config: deps.config, audit: deps.audit };
}

/** One -H picks the host; none = the default host; several are ambiguous for one action. */
function hostFrom(verb: string, flags: ParsedFlags): string | undefined {
  const hosts = flags.host ?? [];
  if (hosts.length > 1) throw new UsageError(`${verb} acts on one host: pass a single -H USER@HOST (got ${hosts.join(', ')})`);
  return hosts[0];
}

export async function prepareScale(args: string[], flags: ParsedFlags, deps: CommandDeps): Promise<PreparedCommand> {
  const [raw, ...rest] = args;
  if (raw === undefined || rest.length > 0) throw new UsageError('scale needs exactly one number of workers, e.g. absurd-top scale 4');
  if (!/^\d+$/.test(raw) || Number(raw) > maxScale) throw new UsageError(`scale: "${raw}" is not a number of workers from 0 to ${maxScale}`);
  const n = Number(raw);
  const host = hostFrom('scale', flags);
  const ctx = unitContext(deps);
  return { needsYes: null, plan: () => planScaleWorkers(n, host, ctx), run: () => scaleWorkers(n, host, ctx) };
}

export async function prepareUnit(verb: UnitVerb, args: string[], flags: ParsedFlags, deps: CommandDeps): Promise<PreparedCommand> {
  const [name, ...rest] = args;
  if (name === undefined || rest.length > 0) {
    throw new UsageError(`${verb} needs exactly one unit, e.g. absurd-top ${verb} ${deps.config.units.producer}`);
  }
  const unit = { name, host: hostFrom(verb, flags) ?? null };
  const ctx = unitContext(deps);
  return { needsYes: null, plan: async () => planUnitAction(verb, unit, ctx), run: () => unitAction(verb, unit, ctx) };
}

export async function prepareEmergencyStop(args: string[], _flags: ParsedFlags, deps: CommandDeps): Promise<PreparedCommand> {
  if (args.length > 0) throw new UsageError(`emergency-stop takes no arguments (got ${args.join(' ')}): it stops the producer, then every worker`);
  const ctx = unitContext(deps);
  return { needsYes: 'run an emergency stop', plan: () => planEmergencyStop(ctx), run: () => emergencyStop(ctx) };
}

export async function prepareDrain(args: string[], flags: ParsedFlags, deps: DbCommandDeps): Promise<PreparedCommand> {
  if (args.length > 0) throw new UsageError(`drain takes no arguments (got ${args.join(' ')})`);
  const ctx = unitContext(deps);
  let last = -1;
  const options = {
    runningCount: () => countRunningTasks(deps.pool, deps.flavour),
    // A task running longer than the stuck threshold will not finish on its own: stop waiting then.
    timeoutMs: deps.config.thresholds.runningTooLongSec * 1000,
    pollMs: deps.config.refreshSec * 1000,
    signal: deps.signal,
    onProgress: (running: number, waitedMs: number) => {
      if (flags.json || running === last || running === 0) return;
      last = running;
      deps.out(`drain: ${running} task${running === 1 ? '' : 's'} still running after ${Math.round(waitedMs / 1000)} s`);
    },
  };
  return { needsYes: null, plan: () => planDrain(ctx), run: () => drain(options, ctx) };
}
