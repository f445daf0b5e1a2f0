// The scripting CLI: `absurd-top retry|cancel|clear|reap|prune|scale|start|stop|restart|
// emergency-stop|drain …` on the same action functions as the console's keys. Exit codes:
// 0 ok, 1 refused or failed, 2 usage (the message names what is wrong and what would fix it).
// --dry-run prints the plan and changes nothing; destructive verbs need --yes; --json prints
// the ActionResult (or the plan) as one JSON document.
import type pg from 'pg';
import { UsageError, type ParsedFlags } from '../config/args.js';
import { classifyDbError, DbProblemError } from '../data/pg/classify-error.js';
import { connectionTarget } from '../data/pg/connect.js';
import { detectFlavour } from '../data/pg/detect-flavour.js';
import type { Flavour } from '../data/snapshot.js';
import type { UnitVerb } from '../data/sources.js';
import { prepareCancel, prepareClear, preparePrune, prepareReap, prepareRetry } from './command-db-verbs.js';
import type { ActionCommandDeps, CommandDeps, DbCommandDeps, PreparedCommand } from './command-types.js';
import { prepareDrain, prepareEmergencyStop, prepareScale, prepareUnit } from './command-unit-verbs.js';
import { oneLineError } from './db/reasons.js';
import type { ActionName, ActionPlan, ActionResult } from './types.js';
import { UnitActionRefused } from './units/index.js';

export type { ActionCommandDeps } from './command-types.js';

type Prepare<D> = (args: string[], flags: ParsedFlags, deps: D) => Promise<PreparedCommand>;
const unitVerb = (verb: UnitVerb): Prepare<CommandDeps> => (args, flags, deps) => prepareUnit(verb, args, flags, deps);

/** Verbs that read or change the database (drain counts running tasks there). */
const dbVerbs = {
  retry: prepareRetry,
  cancel: prepareCancel,
  clear: prepareClear,
  reap: prepareReap,
  prune: preparePrune,
  drain: prepareDrain,
} satisfies Record<string, Prepare<DbCommandDeps>>;
/** Verbs that only talk to systemd: they never wait for the database, which may be down. */
const unitVerbs = {
  scale: prepareScale,
  start: unitVerb('start'),
  stop: unitVerb('stop'),
  restart: unitVerb('restart'),
  'emergency-stop': prepareEmergencyStop,
} satisfies Record<string, Prepare<CommandDeps>>;
const verbs = { ...dbVerbs, ...unitVerbs };

export type ActionVerb = keyof typeof verbs;
export const actionVerbs = Object.keys(verbs) as ActionVerb[];

/** The verb `clear` is the action `clear-queue`; every other verb is its own action name. */
const actionName = (verb: ActionVerb): ActionName => (verb === 'clear' ? 'clear-queue' : verb);

export function isActionCommand(verb: string | undefined): verb is ActionVerb {
  return verb !== undefined && Object.hasOwn(verbs, verb);
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export function formatResult(result: ActionResult): string {
  const head = result.status === 'ok' ? `ok: ${result.summary}`
    : result.status === 'refused' ? `refused: ${result.reason}` : `failed: ${result.error}`;
  return [`${result.action} ${head}`, ...result.commands.map((c) => `  ${c}`)].join('\n');
}

export function formatPlan(plan: ActionPlan): string {
  return [
    `dry run: ${plan.title}`,
    ...plan.commands.map((c) => `  ${c}`),
    ...(plan.warning ? [`warning: ${plan.warning}`] : []),
    ...(plan.confirmWord ? [`(the console asks to type ${plan.confirmWord} before this runs)`] : []),
    'nothing was changed',
  ].join('\n');
}

function refusedPlan(error: unknown): ActionResult | null {
  return error instanceof UnitActionRefused
    ? { status: 'refused', action: error.action, reason: error.message, commands: [] } : null;
}

const line = (stream: NodeJS.WriteStream) => (text: string) => { stream.write(`${text}\n`); };

/** The flavour as given, else detected; a detection failure is thrown as a classified DbProblemError. */
async function flavourOf(deps: ActionCommandDeps): Promise<Flavour> {
  if (deps.flavour) return deps.flavour;
  try {
    // detectFlavour only queries: any pool that can run a query serves.
    return (await detectFlavour(deps.pool as unknown as pg.Pool, deps.config)).flavour;
  } catch (error) {
    const { kind, message } = classifyDbError(error, { target: connectionTarget(deps.config.database), statementTimeoutMs: deps.config.statementTimeoutMs });
    throw new DbProblemError(kind, message);
  }
}

/**
 * Runs one scripted action and returns the exit code. Usage, refusals and action failures are
 * reported, never thrown; only "cannot even tell which layout this database has" is thrown
 * (DbProblemError), so the entry point reports it like --once does.
 */
export async function runActionCommand(positionals: string[], flags: ParsedFlags, deps: ActionCommandDeps): Promise<number> {
  const [verb, ...args] = positionals;
  const out = deps.out ?? line(process.stdout);
  // Field by field, not a spread: `flavour` may be a getter that only database verbs may read.
  const { config, pool, units, audit, signal } = deps;
  const base: CommandDeps = { config, pool, units, audit, signal, out, err: deps.err ?? deps.out ?? line(process.stderr) };
  const print = (value: ActionResult | ActionPlan, text: string) => out(flags.json ? JSON.stringify(value, null, 2) : text);
  if (!isActionCommand(verb)) {
    base.err(`unknown command "${verb ?? ''}"; commands: ${actionVerbs.join(', ')} (see absurd-top --help)`);
    return EXIT_USAGE;
  }
  let prepared: PreparedCommand;
  try {
    prepared = Object.hasOwn(dbVerbs, verb)
      ? await dbVerbs[verb as keyof typeof dbVerbs](args, flags, { ...base, flavour: await flavourOf(deps) })
      : await unitVerbs[verb as keyof typeof unitVerbs](args, flags, base);
  } catch (error) {
    if (error instanceof DbProblemError) throw error;
    if (error instanceof UsageError) {
      base.err(error.message);
      return EXIT_USAGE;
    }
    // Preparing reads the database (stuck set, queue of a task): an outage is a failure, not usage.
    const failed: ActionResult = { status: 'failed', action: actionName(verb), error: oneLineError(error), commands: [] };
    print(failed, formatResult(failed));
    return EXIT_REFUSED;
  }

  if (flags['dry-run']) {
    try {
      const plan = await prepared.plan();
      print(plan, formatPlan(plan));
      return EXIT_OK;
    } catch (error) {
      const refused = refusedPlan(error) ?? { status: 'failed', action: actionName(verb), error: oneLineError(error), commands: [] };
      print(refused, formatResult(refused));
      return EXIT_REFUSED;
    }
  }
  // In read-only mode the action refuses by itself (and is audited): no --yes needed to hear that.
  if (prepared.needsYes && !flags.yes && !deps.config.readOnly) {
    base.err(`refusing to ${prepared.needsYes} without --yes; add --yes or --dry-run to see what would run`);
    return EXIT_USAGE;
  }
  const result = await prepared.run();
  print(result, formatResult(result));
  return result.status === 'ok' ? EXIT_OK : EXIT_REFUSED;
}
