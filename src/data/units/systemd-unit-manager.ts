// UnitManager on real systemd: two systemctl calls per host per refresh (list-units to discover
// the template's instances, one show for all their properties), hosts in parallel, and actions
// as single systemctl calls. Nothing here throws at the poller: problems come back as text.
import type { CommandOutcome, UnitManager, UnitRef, UnitVerb } from '../sources.js';
import type { UnitsSnapshot } from '../snapshot.js';
import { formatCommandLine, systemctlArgv, unitVerbs } from './command-line.js';
import { defaultExec, type ExecFn } from './exec.js';
import { listHostUnits } from './list-host.js';
import { describeFailure } from './problems.js';
import { checkUnitRef, hostLabel, unitHosts, type UnitsConfig } from './unit-names.js';

export interface SystemdUnitManagerOptions {
  units: UnitsConfig & { commandTimeoutMs?: number };
  /** Run actions as `sudo -n systemctl …` (listing never needs root). */
  sudo: boolean;
  readOnly: boolean;
  /** Limit for every listing call; default units.commandTimeoutMs, else 5000. */
  timeoutMs?: number;
  /** Limit for start/stop/restart, which wait for the job (a worker may take long to stop). Default timeoutMs. */
  actionTimeoutMs?: number;
  exec?: ExecFn;
  /** Environment for the commands (PATH decides which systemctl runs); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Worker instances 1..N looked up on every host even before systemd has loaded them; default 1. */
  expectedInstances?: number;
  maxBuffer?: number;
}

export const readOnlyProblem = 'read-only mode: actions are disabled';

export class SystemdUnitManager implements UnitManager {
  private readonly exec: ExecFn;
  private readonly timeoutMs: number;
  private readonly actionTimeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;
  /** Per host: does list-units speak JSON? Learned on the first call, so old systemd costs one try. */
  private readonly jsonSupport = new Map<string | null, boolean>();

  constructor(private readonly options: SystemdUnitManagerOptions) {
    this.exec = options.exec ?? defaultExec;
    this.timeoutMs = options.timeoutMs ?? options.units.commandTimeoutMs ?? 5000;
    this.actionTimeoutMs = options.actionTimeoutMs ?? this.timeoutMs;
    // LC_ALL=C keeps systemd's and sudo's messages in the English the problem patterns match;
    // an empty SYSTEMD_PAGER and no colours keep the output plain even if a TTY leaks through.
    this.env = { ...(options.env ?? process.env), LC_ALL: 'C', SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' };
  }

  async list(): Promise<UnitsSnapshot> {
    try {
      const hosts = unitHosts(this.options.units);
      const results = await Promise.all(hosts.map((host, index) => listHostUnits({
        host,
        primary: index === 0,
        units: this.options.units,
        expectedInstances: this.options.expectedInstances ?? 1,
        jsonSupport: this.jsonSupport,
        call: (args) => this.exec('systemctl', systemctlArgv(args, host, false).slice(1), this.execOptions(this.timeoutMs)),
        problemOf: (error, verb) => describeFailure(error, { binary: 'systemctl', host, timeoutMs: this.timeoutMs, mutating: false, verb }),
      })));
      return { units: results.flatMap((r) => r.units), problem: mergeProblems(results, hosts.length > 1) };
    } catch (error) {
      // A bug here must not take the console down: show it where the units would be.
      return { units: [], problem: `listing units failed unexpectedly: ${(error as Error).message}` };
    }
  }

  describe(verb: UnitVerb, unit: UnitRef): string {
    const check = checkUnitRef(unit, this.options.units);
    if (!check.ok) throw new Error(check.reason);
    if (!unitVerbs.includes(verb)) throw new Error(`refused verb ${JSON.stringify(verb)}: expected start, stop or restart`);
    return formatCommandLine(systemctlArgv([verb, check.ref.name], check.ref.host, this.options.sudo));
  }

  async run(verb: UnitVerb, unit: UnitRef): Promise<CommandOutcome> {
    const check = checkUnitRef(unit, this.options.units);
    if (!check.ok) return { ok: false, commandLine: '', problem: check.reason };
    if (!unitVerbs.includes(verb)) return { ok: false, commandLine: '', problem: `refused verb ${JSON.stringify(verb)}: expected start, stop or restart` };
    const argv = systemctlArgv([verb, check.ref.name], check.ref.host, this.options.sudo);
    const commandLine = formatCommandLine(argv);
    if (this.options.readOnly) return { ok: false, commandLine, problem: readOnlyProblem };
    const [binary, ...args] = argv as [string, ...string[]];
    try {
      await this.exec(binary, args, this.execOptions(this.actionTimeoutMs));
      return { ok: true, commandLine, problem: null };
    } catch (error) {
      const problem = describeFailure(error, { binary, host: check.ref.host, timeoutMs: this.actionTimeoutMs, mutating: true, verb });
      return { ok: false, commandLine, problem };
    }
  }

  private execOptions(timeout: number) {
    return { timeout, maxBuffer: this.options.maxBuffer ?? 4 * 1024 * 1024, env: this.env };
  }
}

/** One problem line for all hosts; identical reasons (systemctl missing everywhere) are said once. */
function mergeProblems(results: { host: string | null; problem: string | null }[], labelled: boolean): string | null {
  const byText = new Map<string, string[]>();
  for (const r of results) {
    if (r.problem) byText.set(r.problem, [...(byText.get(r.problem) ?? []), hostLabel(r.host)]);
  }
  if (byText.size === 0) return null;
  return [...byText].map(([text, hosts]) => (labelled ? `${hosts.join(', ')}: ${text}` : text)).join('; ');
}
