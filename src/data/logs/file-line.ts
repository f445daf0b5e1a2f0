// Reading meaning into a plain log-file line: which unit it belongs to, when it was written
// and how bad it is. Files carry no structured priority, so it is guessed from the level word
// most formatters print (Python logging, loguru, structlog's level=…).
import { basename } from 'node:path';

/** `/data/dsa110-contimg/state/logs/absurd-worker.log` → `absurd-worker`. */
export function fileUnitName(path: string): string {
  return basename(path).replace(/\.log$/i, '') || path;
}

const LEVELS: Record<string, number> = {
  EMERG: 0, EMERGENCY: 0, ALERT: 1, CRIT: 2, CRITICAL: 2, FATAL: 2,
  ERR: 3, ERROR: 3, EXCEPTION: 3, WARN: 4, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7, TRACE: 7,
};
// Upper-case only for bare words: "no error found" must not turn a line red.
const BARE_LEVEL = /\b(EMERG(?:ENCY)?|ALERT|CRIT(?:ICAL)?|FATAL|ERR(?:OR)?|EXCEPTION|WARN(?:ING)?|NOTICE|INFO|DEBUG|TRACE)\b/;
const KEYED_LEVEL = /\b(?:level|lvl|severity)\s*[=:]\s*"?([A-Za-z]+)/i;

/** syslog priority (0..7) from the level word near the start of the line; 6 (info) when none. */
export function guessPriority(line: string): number {
  const head = line.slice(0, 300);
  const keyed = KEYED_LEVEL.exec(head);
  if (keyed) {
    const p = LEVELS[keyed[1]!.toUpperCase()];
    if (p !== undefined) return p;
  }
  const bare = BARE_LEVEL.exec(head);
  if (bare) return LEVELS[bare[1]!] ?? 6;
  if (head.startsWith('Traceback (most recent call last)')) return 3;
  return 6;
}

const LEADING_TIME = /^\s*\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?(?![\d])/;

/** Epoch ms of an ISO-like timestamp at the start of the line (local time when no zone), else null. */
export function parseLeadingTime(line: string): number | null {
  const m = LEADING_TIME.exec(line);
  if (!m) return null;
  const frac = m[3] ? `.${m[3].slice(0, 3).padEnd(3, '0')}` : '';
  let zone = m[4] ?? '';
  if (zone && zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${frac}${zone}`);
  return Number.isFinite(ms) ? ms : null;
}
