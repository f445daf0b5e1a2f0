// `--demo`: the production runtime (pool, readers, actions, host reader, audit) pointed at the
// embedded database, with the simulated unit manager and its journal. Nothing else differs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedFlags } from '../config/args.js';
import { UsageError } from '../config/args.js';
import { xdgDir } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { flavourSchema } from '../data/snapshot.js';
import { buildRuntime, type Runtime } from '../runtime/production-runtime.js';
import { startDemo } from './start-demo.js';

/** Progress goes to stderr at once, so the cold first start says what it is doing. */
const printProgress = (text: string): void => { process.stderr.write(`absurd-top --demo: ${text}\n`); };

export async function startDemoRuntime(config: Config, flags: ParsedFlags, onProgress: (text: string) => void = printProgress): Promise<Runtime> {
  const parsed = flavourSchema.safeParse(flags['demo-flavour'] ?? 'dsa110-v2');
  if (!parsed.success) throw new UsageError(`--demo-flavour: expected absurd, dsa110-v2 or dsa110-v1, got "${flags['demo-flavour']}"`);
  const demo = await startDemo({
    flavour: parsed.data, reset: flags['demo-reset'] === true, onProgress, units: demoConfig(config, '').units, readOnly: config.readOnly,
  });
  return buildRuntime(demoConfig(config, demo.url, parsed.data), { units: demo.units, logs: demo.logs, onClose: demo.stop });
}

/** The user's config with the demo's database, no remote hosts, real local disks and its own audit log. */
export function demoConfig(config: Config, url: string, flavour: Config['flavour'] = null): Config {
  // The pipeline's /data and /stage rarely exist on a newcomer's machine: show the disks that do.
  const paths = config.disks.paths.filter((p) => existsSync(p));
  return {
    ...config,
    database: url,
    flavour,
    units: { ...config.units, hosts: [], localUnits: true },
    disks: {
      paths: paths.length > 0 ? paths : ['/', xdgDir('cache')].filter((p) => existsSync(p)),
      incoming: config.disks.incoming && existsSync(config.disks.incoming) ? config.disks.incoming : null,
    },
    // Simulated actions must not land in the real audit trail.
    auditLog: config.auditLog ?? join(xdgDir('state'), 'demo-audit.log'),
  };
}
