// systemd for the demo: the same UnitManager interface and unit names as production, but
// start/stop/restart really start and stop the simulated producer and workers. Like systemd:
// stopping a worker kills it mid-task (its task stays claimed), a worker that dies on its own
// is restarted after RestartSec with a new worker id and NRestarts + 1, and every transition
// is logged under the unit's name so the logs pane reads like the journal.
import { configSchema } from '../config/schema.js';
import type { Unit, UnitsSnapshot } from '../data/snapshot.js';
import type { CommandOutcome, UnitManager, UnitRef, UnitVerb } from '../data/sources.js';
import {
  checkUnitRef, formatCommandLine, readOnlyProblem, systemctlArgv, workerInstanceName, type UnitsConfig,
} from '../data/units/index.js';
import type { DemoLogSource } from './demo-log-source.js';
import type { PipelineContext } from './simulated-pipeline.js';
import { SimulatedProducer } from './simulated-producer.js';
import { SimulatedWorker } from './simulated-worker.js';

type Process = SimulatedProducer | SimulatedWorker;

interface UnitState {
  name: string;
  role: 'producer' | 'worker';
  instance: number | null;
  active: string;
  sub: string;
  since: number | null;
  restarts: number;
  memoryBase: number;
  cpuNsec: number;
  process: Process | null;
  restartTimer: NodeJS.Timeout | null;
}

export interface DemoUnitManagerOptions {
  ctx: PipelineContext;
  logs: DemoLogSource;
  units?: UnitsConfig;
  readOnly?: boolean;
}

/** The simulated systemctl command line, marked so nobody mistakes it for a real one. */
export const demoMark = '(demo)';

export class DemoUnitManager implements UnitManager {
  private readonly units: UnitsConfig;
  private readonly states = new Map<string, UnitState>();
  private nextPid = 40_000 + Math.floor(Math.random() * 20_000);
  private closed = false;

  constructor(private readonly opts: DemoUnitManagerOptions) {
    this.units = opts.units ?? configSchema.parse({}).units;
    this.state(this.units.producer);
  }

  /** The demo's initial state: the producer and `workers` worker instances running (even in read-only mode). */
  boot(workers = 2): void {
    this.startUnit(this.state(this.units.producer));
    for (let n = 1; n <= workers; n++) this.startUnit(this.state(workerInstanceName(this.units.workerTemplate, n)));
  }

  async list(): Promise<UnitsSnapshot> {
    const now = Date.now();
    const units: Unit[] = [...this.states.values()]
      .sort((a, b) => (a.instance ?? 0) - (b.instance ?? 0))
      .map((s) => {
        const running = s.process?.running === true;
        return {
          name: s.name, host: null, role: s.role, instance: s.instance === null ? null : String(s.instance),
          load: 'loaded', active: s.active, sub: s.sub, since: s.since,
          mainPid: running ? s.process!.pid : null,
          restarts: s.restarts,
          // A slow wobble so the column looks alive without any timer of its own.
          memoryBytes: running ? Math.round(s.memoryBase * (1 + 0.08 * Math.sin(now / 7_000 + (s.instance ?? 0)))) : null,
          cpuNsec: s.cpuNsec + (running && s.since ? (now - s.since) * 60_000 : 0),
          workerId: running && s.process instanceof SimulatedWorker ? s.process.id : null,
        };
      });
    return { units, problem: null };
  }

  describe(verb: UnitVerb, unit: UnitRef): string {
    const check = checkUnitRef(unit, this.units);
    if (!check.ok) throw new Error(check.reason);
    return `${demoMark} ${formatCommandLine(systemctlArgv([verb, check.ref.name], check.ref.host, false))}`;
  }

  async run(verb: UnitVerb, unit: UnitRef): Promise<CommandOutcome> {
    const check = checkUnitRef(unit, this.units);
    if (!check.ok) return { ok: false, commandLine: '', problem: check.reason };
    if (check.ref.host !== null) return { ok: false, commandLine: '', problem: 'the demo has no remote hosts' };
    const commandLine = this.describe(verb, check.ref);
    if (this.opts.readOnly) return { ok: false, commandLine, problem: readOnlyProblem };
    if (this.closed) return { ok: false, commandLine, problem: 'the demo is shutting down' };
    const state = this.state(check.ref.name);
    if (verb !== 'start') await this.stopUnit(state);
    if (verb !== 'stop') this.startUnit(state);
    return { ok: true, commandLine, problem: null };
  }

  /**
   * The demo is quitting: everything stops, and the workers hand back the task in hand, so the
   * next start does not open on a wall of tasks nobody runs. (A unit `stop` is a kill.)
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    const live = [...this.states.values()].map((s) => s.process).filter((p): p is SimulatedWorker => p instanceof SimulatedWorker && p.running);
    await Promise.all([...this.states.values()].map((s) => this.stopUnit(s, true)));
    // Read after the stop: a worker may have claimed one more task meanwhile.
    const { ops, db } = this.opts.ctx;
    await Promise.all(live.map((w) => (w.currentTask ? ops.release(db, w.currentTask, w.id).catch(() => undefined) : undefined)));
  }

  private state(name: string): UnitState {
    let s = this.states.get(name);
    if (!s) {
      const producer = name === this.units.producer;
      const check = checkUnitRef({ name, host: null }, this.units);
      s = {
        name, role: producer ? 'producer' : 'worker', instance: check.ok ? check.instance : null,
        active: 'inactive', sub: 'dead', since: null, restarts: 0, cpuNsec: 0,
        memoryBase: (producer ? 90 : 180 + Math.random() * 80) * 1024 * 1024, process: null, restartTimer: null,
      };
      this.states.set(name, s);
    }
    return s;
  }

  private journal(s: UnitState): (priority: number, message: string) => void {
    return this.opts.logs.writer(s.name);
  }

  private description(s: UnitState): string {
    return s.role === 'producer' ? 'DSA-110 mosaic daemon' : `DSA-110 Absurd worker ${s.instance}`;
  }

  private startUnit(s: UnitState): void {
    if (s.process?.running) return;  // `systemctl start` on a running unit does nothing
    if (s.restartTimer) clearTimeout(s.restartTimer);
    s.restartTimer = null;
    const log = this.journal(s);
    const pid = this.nextPid++;
    const process: Process = s.role === 'producer'
      ? new SimulatedProducer(this.opts.ctx, log, pid)
      : new SimulatedWorker(this.opts.ctx, log, pid, { onDied: () => this.died(s) });
    s.process = process;
    s.active = 'active';
    s.sub = 'running';
    s.since = Date.now();
    log(6, `Started ${this.description(s)}.`);
    process.start();
  }

  private async stopUnit(s: UnitState, quiet = false): Promise<void> {
    if (s.restartTimer) clearTimeout(s.restartTimer);
    s.restartTimer = null;
    const process = s.process;
    const wasRunning = process?.running === true;
    const log = this.journal(s);
    if (wasRunning && !quiet) log(6, `Stopping ${this.description(s)}...`);
    s.process = null;
    this.account(s);
    s.active = 'inactive';
    s.sub = 'dead';
    s.since = Date.now();
    await process?.stop();
    if (wasRunning && !quiet) {
      log(6, `${s.name}: Deactivated successfully.`);
      log(6, `Stopped ${this.description(s)}.`);
    }
  }

  /** Restart=on-failure: the unit waits RestartSec, then comes back with a new worker id. */
  private died(s: UnitState): void {
    const log = this.journal(s);
    log(3, `${s.name}: Main process exited, code=killed, status=9/KILL`);
    log(4, `${s.name}: Failed with result 'signal'.`);
    this.account(s);
    s.active = 'activating';
    s.sub = 'auto-restart';
    s.since = Date.now();
    if (this.closed) return;
    s.restartTimer = setTimeout(() => {
      s.restartTimer = null;
      s.restarts++;
      s.process = null;
      log(6, `${s.name}: Scheduled restart job, restart counter is at ${s.restarts}.`);
      this.startUnit(s);
    }, this.opts.ctx.timings.restartSec * 1000);
  }

  /** Banks the CPU time of the run that just ended. */
  private account(s: UnitState): void {
    if (s.since && s.active === 'active') s.cpuNsec += (Date.now() - s.since) * 60_000;
  }
}
