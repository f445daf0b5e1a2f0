// `absurd-top --once [--json]`: one refresh through the same poller the console uses, printed
// as a report (or the snapshot as JSON), with an exit code monitoring checks can use.
import type { Runtime } from './production-runtime.js';
import { Poller } from '../data/poller.js';
import { createDbReader } from '../data/flavours/create-reader.js';
import { diagnose, overallHealth } from '../data/diagnose.js';
import { renderOnceReport, healthExitCode } from '../report/once-report.js';
import { onceJson } from '../report/once-json.js';

export async function runOnce(runtime: Runtime, opts: { json: boolean; target: string; color: boolean; width?: number }): Promise<number> {
  const { config } = runtime;
  const poller = new Poller(
    { db: () => createDbReader(runtime.pool, config), units: runtime.units, host: runtime.host },
    { intervalMs: config.refreshSec * 1000, timeoutMs: config.statementTimeoutMs + 5000 },
  );
  await poller.refreshNow();
  await poller.stop();
  const snapshot = poller.state.snapshot;
  const now = Date.now();
  const diagnoses = diagnose(snapshot, config, now);
  const health = overallHealth(snapshot, config, now, diagnoses);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(onceJson(snapshot, diagnoses, health), null, 2)}\n`);
  } else {
    process.stdout.write(renderOnceReport({ snapshot, diagnoses, health, config, target: opts.target, now, color: opts.color, ...(opts.width ? { width: opts.width } : {}) }));
  }
  if (snapshot.dbProblem?.kind === 'unknown-queue') return 2;
  return healthExitCode(health, snapshot);
}
