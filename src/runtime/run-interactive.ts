// Wires the real sources into the console: poller (database, units, disks), the log follower
// feeding a bounded buffer, the worker-identity join (unit ↔ worker id from its log), and the
// production actions. Returns when the operator quits; the caller closes the runtime.
import type { Runtime } from './production-runtime.js';
import type { DbReader, UnitManager } from '../data/sources.js';
import type { Flavour, UnitsSnapshot } from '../data/snapshot.js';
import { Poller } from '../data/poller.js';
import { unitsPollSec } from '../config/schema.js';
import { createDbReader } from '../data/flavours/create-reader.js';
import { LogBuffer, WorkerIdentityTracker, problemLogLine, templateMatcher } from '../data/logs/index.js';
import { createConsoleActions } from '../actions/console-actions-adapter.js';
import { runConsole } from '../ui/run-console.js';

/** Units as systemd reports them, each worker joined to the database worker id its log announced. */
function withWorkerIds(units: UnitManager, identities: WorkerIdentityTracker): Pick<UnitManager, 'list'> {
  return {
    async list(): Promise<UnitsSnapshot> {
      const snapshot = await units.list();
      return { ...snapshot, units: snapshot.units.map((u) => ({ ...u, workerId: u.workerId ?? identities.workerId(u.name) })) };
    },
  };
}

export async function runProductionConsole(runtime: Runtime, target: string): Promise<void> {
  const { config } = runtime;
  // One reader for the poller, the task detail and the browser; connected lazily so a database
  // that is down at start shows as "disconnected" instead of stopping the console.
  let reader: DbReader | null = null;
  const connect = async (): Promise<DbReader> => (reader = await createDbReader(runtime.pool, config));
  const readerNow = async (): Promise<DbReader> => reader ?? connect();

  const logs = new LogBuffer(config.logs.bufferLines);
  const identities = new WorkerIdentityTracker(templateMatcher(config.units.workerTemplate));
  const poller = new Poller(
    { db: connect, units: withWorkerIds(runtime.units, identities), host: runtime.host },
    { intervalMs: config.refreshSec * 1000, unitsIntervalMs: Math.max(config.refreshSec, unitsPollSec(config)) * 1000 },
  );
  // A follower problem (journalctl missing, no permission) shows in the logs pane itself, where
  // the operator looks for the missing lines, with the fix the source suggests.
  let lastProblem: string | null = null;
  const stopLogs = runtime.logs.follow((lines) => {
    logs.append(lines);
    identities.update(lines);
    // systemd logged a unit starting, stopping or exiting: show its new state now, not at the next ask.
    if (lines.some((l) => l.fromSystemd)) poller.refreshUnits();
  }, (problem) => {
    if (problem === null || problem === lastProblem) { lastProblem = problem; return; }
    lastProblem = problem;
    logs.append([problemLogLine(problem, Date.now())]);
  });

  const actions = createConsoleActions({
    config, pool: runtime.pool, units: runtime.units, audit: runtime.audit,
    flavour: (): Flavour | null => reader?.flavour ?? null,
  });
  try {
    await runConsole({
      config, poller, logs, actions, target,
      reader: {
        taskDetail: async (queue, id) => (await readerNow()).taskDetail(queue, id),
        browse: async (query) => (await readerNow()).browse(query),
      },
    });
  } finally {
    stopLogs();
  }
}
