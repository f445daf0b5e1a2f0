// `absurd-top --demo`: an embedded Postgres with one Absurd flavour, an hour of seeded history,
// and a simulated pipeline (producer + 2 workers) behind a systemd-like unit manager. The
// console then runs its production readers and actions against `url`: only the database
// location and the unit manager differ from production.
import pg from 'pg';
import type { UnitsConfig } from '../data/units/index.js';
import type { Flavour } from '../data/snapshot.js';
import { DemoLogSource } from './demo-log-source.js';
import { DemoUnitManager } from './demo-unit-manager.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { seedHistory } from './seed-history.js';
import { demoQueues, pipelineContext, type PipelineTimings } from './simulated-pipeline.js';

export interface DemoOptions {
  flavour?: Flavour;
  /** Start from an empty demo database (--demo-reset). */
  reset?: boolean;
  onProgress?: (text: string) => void;
  /** Default: the XDG cache; null: in memory (tests). */
  dataDir?: string | null;
  /** A fresh database starts from this initdb'd data directory tarball instead of initdb (tests). */
  loadDataDir?: Blob;
  timings?: Partial<PipelineTimings>;
  /** Worker instances running at start (default 2). */
  workers?: number;
  /** Seed an hour of history on a fresh database (default true). */
  seed?: boolean;
  /** Unit names (default: the production defaults from the config schema). */
  units?: UnitsConfig;
  readOnly?: boolean;
}

export interface Demo {
  /** postgres:// URL of the embedded server: hand it to the production reader and actions. */
  url: string;
  flavour: Flavour;
  /** True when this start created the database. */
  fresh: boolean;
  units: DemoUnitManager;
  logs: DemoLogSource;
  /** Stops the simulation (tasks in hand stay claimed) and the embedded server. Idempotent. */
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  const flavour = opts.flavour ?? 'dsa110-v2';
  const say = opts.onProgress ?? (() => undefined);
  const embedded = await startEmbeddedPostgres({
    flavour,
    reset: opts.reset,
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    onProgress: say,
    prepare: async (url) => {
      if (opts.seed === false) return;
      say('seeding history…');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await seedHistory(client, flavour);
      } finally {
        await client.end();
      }
    },
  });
  // The simulation's own connections; the console opens its own pool to the same URL.
  const pool = new pg.Pool({ connectionString: embedded.url, max: 4 });
  pool.on('error', () => { /* the server going away at shutdown is expected */ });
  const logs = new DemoLogSource();
  const ctx = pipelineContext(flavour, pool, opts.timings);
  const units = new DemoUnitManager({ ctx, logs, units: opts.units, readOnly: opts.readOnly });
  try {
    say('starting simulated pipeline…');
    await ctx.ops.ensureQueues(pool, demoQueues);
    units.boot(opts.workers ?? 2);
  } catch (error) {
    await units.shutdown();
    await pool.end().catch(() => undefined);
    await embedded.stop();
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    url: embedded.url,
    flavour,
    fresh: embedded.fresh,
    units,
    logs,
    stop: () => (stopped ??= (async () => {
      await units.shutdown();
      logs.close();
      await pool.end().catch(() => undefined);
      await embedded.stop();
    })()),
  };
}
