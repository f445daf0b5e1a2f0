// `systemctl show -p … unit…` prints one block of key=value lines per unit, blocks separated
// by a blank line, properties in systemd's own order. Unset values show as empty, "[not set]",
// or the all-ones "infinity" of a 64-bit counter; all of those become null here.
import { z } from 'zod';

export const showProperties = [
  'Id', 'LoadState', 'ActiveState', 'SubState', 'ActiveEnterTimestamp', 'ExecMainStartTimestamp',
  'StateChangeTimestamp', 'MainPID', 'NRestarts', 'MemoryCurrent', 'CPUUsageNSec',
] as const;

export function parseShowBlocks(text: string): Record<string, string>[] {
  const blocks: Record<string, string>[] = [];
  let current: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (Object.keys(current).length > 0) blocks.push(current);
      current = {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    current[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  if (Object.keys(current).length > 0) blocks.push(current);
  return blocks;
}

const unset = (v: string | undefined): boolean =>
  v === undefined || v === '' || v === '[not set]' || v === 'infinity' || v === '18446744073709551615';

/** A counter (bytes, nanoseconds, restarts); null when unset or not a number. */
export function showNumber(v: string | undefined): number | null {
  if (unset(v) || !/^[0-9]+$/.test(v ?? '')) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

const tzOffsets: Record<string, number> = { UTC: 0, GMT: 0, Z: 0 };

/**
 * systemd timestamps: `@1705314225` (with --timestamp=unix) or `Mon 2024-01-15 10:23:45 UTC`,
 * optionally with microseconds and a zone name or ±hhmm offset. A zone name other than UTC is
 * read as this machine's local time, which is what systemctl itself used to format it.
 */
export function showTimestamp(v: string | undefined): number | null {
  if (unset(v) || v === undefined || v === 'n/a') return null;
  const unix = /^@([0-9]+)(?:\.([0-9]+))?$/.exec(v);
  if (unix) return Number(unix[1]) * 1000 + Math.floor(Number(`0.${unix[2] ?? '0'}`) * 1000);
  const m = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:\s+([A-Za-z]+|[+-]\d{2}:?\d{2}))?\s*$/.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Math.floor(Number(`0.${frac ?? '0'}`) * 1000);
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms] as const;
  if (zone && /^[+-]/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    return Date.UTC(...fields) - offsetMin * 60_000;
  }
  if (zone && zone.toUpperCase() in tzOffsets) return Date.UTC(...fields);
  const local = new Date(...fields).getTime();
  return Number.isFinite(local) ? local : null;
}

/** The fields of one block the snapshot needs; every property may be missing on old systemd. */
export const showBlockSchema = z.object({
  Id: z.string().min(1),
  LoadState: z.string().optional(),
  ActiveState: z.string().optional(),
  SubState: z.string().optional(),
  ActiveEnterTimestamp: z.string().optional(),
  ExecMainStartTimestamp: z.string().optional(),
  StateChangeTimestamp: z.string().optional(),
  MainPID: z.string().optional(),
  NRestarts: z.string().optional(),
  MemoryCurrent: z.string().optional(),
  CPUUsageNSec: z.string().optional(),
}).loose();
export type ShowBlock = z.infer<typeof showBlockSchema>;

export interface ShownUnit {
  name: string;
  load: string;
  active: string;
  sub: string;
  since: number | null;
  mainPid: number | null;
  restarts: number | null;
  memoryBytes: number | null;
  cpuNsec: number | null;
}

export function toShownUnit(block: ShowBlock): ShownUnit {
  const active = block.ActiveState || 'unknown';
  // "Since when" the unit is in its current state: when it became active, else its last change.
  const since = active === 'active' || active === 'reloading'
    ? showTimestamp(block.ActiveEnterTimestamp) ?? showTimestamp(block.ExecMainStartTimestamp)
    : showTimestamp(block.StateChangeTimestamp);
  const pid = showNumber(block.MainPID);
  return {
    name: block.Id,
    load: block.LoadState || 'unknown',
    active,
    sub: block.SubState || 'unknown',
    since,
    mainPid: pid === 0 ? null : pid,
    restarts: showNumber(block.NRestarts),
    memoryBytes: showNumber(block.MemoryCurrent),
    cpuNsec: showNumber(block.CPUUsageNSec),
  };
}
