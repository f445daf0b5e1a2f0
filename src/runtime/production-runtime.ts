// Builds the real sources and action context from the configuration. The demo builds the same
// shape with another database URL and the simulated unit manager; nothing else differs.
import type pg from 'pg';
import type { Config } from '../config/schema.js';
import type { HostReader, LogSource, UnitManager } from '../data/sources.js';
import { createPool } from '../data/pg/connect.js';
import { SystemdUnitManager } from '../data/units/index.js';
import { createLogSource } from '../data/logs/index.js';
import { SystemHostReader, hostReaderOptionsFromConfig } from '../data/host/system-host-reader.js';
import { createAuditLog, defaultAuditLogPath, type AuditFn } from '../actions/audit-log.js';

export interface Runtime {
  config: Config;
  pool: pg.Pool;
  units: UnitManager;
  host: HostReader;
  logs: LogSource;
  audit: AuditFn;
  /** Closes the pool and stops whatever the runtime started (the demo's embedded server). */
  close(): Promise<void>;
}

export interface RuntimeParts {
  units?: UnitManager;
  logs?: LogSource;
  /** Pool size (default 3). */
  poolMax?: number;
  onClose?: () => Promise<void>;
}

export function buildRuntime(config: Config, parts: RuntimeParts = {}): Runtime {
  const pool = createPool(config, parts.poolMax === undefined ? {} : { max: parts.poolMax });
  return {
    config,
    pool,
    // A worker finishing its task may take a while to stop: actions get longer than listings.
    units: parts.units ?? new SystemdUnitManager({ units: config.units, sudo: config.sudo, readOnly: config.readOnly, actionTimeoutMs: 60_000 }),
    host: new SystemHostReader(hostReaderOptionsFromConfig(config)),
    logs: parts.logs ?? createLogSource(config),
    audit: createAuditLog(defaultAuditLogPath(config)),
    async close() {
      await pool.end().catch(() => undefined);
      await parts.onClose?.();
    },
  };
}
