// Which unit names absurd-top may ever pass to systemctl, and what role each plays. Every name and
// host is checked here against the configuration before any command line is built: argv never
// meets a shell, but a unit name the operator did not configure must not be started either.
import { hostSchema, unitNameSchema, type Config } from '../../config/schema.js';
import type { UnitRef } from '../sources.js';

export type UnitsConfig = Pick<Config['units'], 'producer' | 'workerTemplate' | 'hosts' | 'localUnits'>;
export type UnitRole = 'producer' | 'worker' | 'other';

/** Instance numbers above this are refused: no site runs a million workers, and it bounds argv. */
export const maxInstanceNumber = 9999;

/** `dsa110-absurd-worker@.service` → { prefix: 'dsa110-absurd-worker@', suffix: '.service' }. */
export function splitTemplate(template: string): { prefix: string; suffix: string } {
  const at = template.indexOf('@.');
  if (at < 0) return { prefix: `${template}@`, suffix: '.service' };
  return { prefix: template.slice(0, at + 1), suffix: template.slice(at + 1) };
}

export function workerInstanceName(template: string, instance: number): string {
  const { prefix, suffix } = splitTemplate(template);
  return `${prefix}${instance}${suffix}`;
}

/** Glob for `systemctl list-units`: every instance of the template and nothing else. */
export function workerPattern(template: string): string {
  const { prefix, suffix } = splitTemplate(template);
  return `${prefix}*${suffix}`;
}

/** The instance number of a configured worker unit, or null for anything else. */
export function instanceNumber(name: string, template: string): number | null {
  const { prefix, suffix } = splitTemplate(template);
  if (!name.startsWith(prefix) || !name.endsWith(suffix)) return null;
  const middle = name.slice(prefix.length, name.length - suffix.length);
  // Positive integers without leading zeros: `@03` and `@3` would be two different units.
  if (!/^[1-9][0-9]*$/.test(middle)) return null;
  const n = Number(middle);
  return n <= maxInstanceNumber ? n : null;
}

/** Maps a unit to its role and template instance, as the snapshot's `role`/`instance` fields. */
export function classifyUnit(name: string, units: Pick<UnitsConfig, 'producer' | 'workerTemplate'>): { role: UnitRole; instance: string | null } {
  if (name === units.producer) return { role: 'producer', instance: null };
  const n = instanceNumber(name, units.workerTemplate);
  return n === null ? { role: 'other', instance: null } : { role: 'worker', instance: String(n) };
}

/** The hosts units are listed on: null (this machine) first when localUnits, then the configured ones. */
export function unitHosts(units: Pick<UnitsConfig, 'hosts' | 'localUnits'>): (string | null)[] {
  return [...(units.localUnits ? [null] : []), ...units.hosts];
}

export function hostLabel(host: string | null): string {
  return host ?? 'this host';
}

/** null when systemctl may be pointed at this host (null = this machine), else why not. */
export function checkHost(host: string | null, units: Pick<UnitsConfig, 'hosts' | 'localUnits'>): string | null {
  if (host === null) {
    return units.localUnits ? null
      : `local units are disabled (units.localUnits is false); name one of the hosts ${units.hosts.join(', ') || '(none configured)'}`;
  }
  // A leading "-" would reach ssh (behind systemctl -H) as an option, whatever the config says.
  if (typeof host !== 'string' || !hostSchema.safeParse(host).success || host.startsWith('-')) {
    return `refused host ${JSON.stringify(host)}: not a host for systemctl -H (e.g. ops@worker2)`;
  }
  if (!units.hosts.includes(host)) {
    return `refused host ${host}: not in units.hosts (${units.hosts.join(', ') || 'none configured'}); add it to the config to manage its units`;
  }
  return null;
}

/** A unit name systemctl will take as a name: the config's character set, and no leading "-" (an option). */
export function isUnitName(name: unknown): name is string {
  return typeof name === 'string' && unitNameSchema.safeParse(name).success && !name.startsWith('-');
}

export type UnitRefCheck = { ok: true; ref: UnitRef; role: 'producer' | 'worker'; instance: number | null } | { ok: false; reason: string };

/**
 * Accepts the producer and instances `prefix@N.suffix` (N a positive integer) on a configured host.
 * A name without its suffix (`dsa110-absurd-worker@3`) is completed, as systemctl itself would.
 */
export function checkUnitRef(ref: UnitRef, units: UnitsConfig): UnitRefCheck {
  const shown = JSON.stringify(ref.name);
  if (!isUnitName(ref.name)) {
    return { ok: false, reason: `refused unit name ${shown}: not a systemd unit name (only letters, digits and ":_.@\\-" are allowed)` };
  }
  const hostProblem = checkHost(ref.host, units);
  if (hostProblem) return { ok: false, reason: ref.host === null ? `refused ${ref.name} on this host: ${hostProblem}` : hostProblem };
  const { suffix } = splitTemplate(units.workerTemplate);
  const candidates = [ref.name, ...(ref.name.includes('.') ? [] : [`${ref.name}${suffix}`, `${ref.name}.service`])];
  for (const name of candidates) {
    if (name === units.producer) return { ok: true, ref: { name, host: ref.host }, role: 'producer', instance: null };
    const n = instanceNumber(name, units.workerTemplate);
    if (n !== null) return { ok: true, ref: { name, host: ref.host }, role: 'worker', instance: n };
  }
  const example = workerInstanceName(units.workerTemplate, 1);
  return {
    ok: false,
    reason: `refused unit ${shown}: not a configured unit; expected the producer ${units.producer} or a worker instance such as ${example} (units.producer / units.workerTemplate in the config)`,
  };
}
