// One `journalctl -o json` line → one LogLine. journalctl prints a field as a string when it
// is valid UTF-8, as an array of byte values when it is not (or holds control characters), and
// as null when it is larger than 4 KiB (unless --all). Nothing here throws: a line we cannot
// read becomes a visible placeholder rather than a crash or a silent gap.
import type { LogLine } from '../snapshot.js';

/** Messages longer than this are cut: the pane shows one line per entry anyway. */
export const MAX_MESSAGE_CHARS = 8 * 1024;

export interface ParsedJournalLine {
  line: Omit<LogLine, 'seq'>;
  /** Journal position, so a restarted follower resumes after it instead of replaying. */
  cursor: string | null;
}

export function journalFieldText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    // A field seen more than once arrives as an array of its values (each string or bytes).
    if (value.length > 0 && value.every((v) => typeof v === 'number')) {
      return Buffer.from(value as number[]).toString('utf8');
    }
    const parts = value.map(journalFieldText).filter((v): v is string => v !== null);
    return parts.length > 0 ? parts.join(' ') : null;
  }
  return null;
}

export function capMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_MESSAGE_CHARS)} … [${message.length - MAX_MESSAGE_CHARS} more characters]`;
}

/**
 * systemd's own lines about a unit ("Started …", "Main process exited …") come from PID 1,
 * whose _SYSTEMD_UNIT is init.scope; UNIT names the service they are about.
 */
function managerLineUnit(entry: Record<string, unknown>): string | null {
  const systemdUnit = journalFieldText(entry._SYSTEMD_UNIT);
  const unit = journalFieldText(entry.UNIT) ?? journalFieldText(entry.USER_UNIT);
  return unit && (!systemdUnit || systemdUnit === 'init.scope') ? unit : null;
}

function unitOf(entry: Record<string, unknown>): string {
  const managed = managerLineUnit(entry);
  if (managed) return managed;
  const systemdUnit = journalFieldText(entry._SYSTEMD_UNIT);
  const unit = journalFieldText(entry.UNIT) ?? journalFieldText(entry.USER_UNIT);
  return systemdUnit ?? unit ?? journalFieldText(entry.SYSLOG_IDENTIFIER) ?? journalFieldText(entry._COMM) ?? 'journal';
}

function timeOf(entry: Record<string, unknown>, fallback: number): number {
  const micros = Number(journalFieldText(entry.__REALTIME_TIMESTAMP));
  return Number.isFinite(micros) && micros > 0 ? Math.floor(micros / 1000) : fallback;
}

function priorityOf(entry: Record<string, unknown>): number {
  const text = journalFieldText(entry.PRIORITY);
  const p = text === null ? NaN : Number(text);
  return Number.isInteger(p) && p >= 0 && p <= 7 ? p : 6;
}

export function parseJournalEntry(entry: Record<string, unknown>, now = Date.now()): ParsedJournalLine {
  const raw = entry.MESSAGE;
  const text = journalFieldText(raw);
  const message = text === null
    ? (raw === null ? '[message not shown: over 4 KiB, see journalctl --all]' : '[no message]')
    : capMessage(text);
  return {
    line: {
      time: timeOf(entry, now), unit: unitOf(entry), host: null, priority: priorityOf(entry), message,
      ...(managerLineUnit(entry) ? { fromSystemd: true } : {}),
    },
    cursor: journalFieldText(entry.__CURSOR),
  };
}

/** Parses one output line; `truncated` marks a line the splitter had to cut. */
export function parseJournalLine(text: string, truncated: boolean, now = Date.now()): ParsedJournalLine | null {
  if (text.trim() === '') return null;
  if (!truncated) {
    try {
      const entry: unknown = JSON.parse(text);
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) return parseJournalEntry(entry as Record<string, unknown>, now);
    } catch {
      // fall through: show the raw text rather than drop the line
    }
    return { line: { time: now, unit: 'journal', host: null, priority: 4, message: capMessage(`[unreadable journal line] ${text}`) }, cursor: null };
  }
  return salvageTruncated(text, now);
}

/** A cut-off JSON line cannot be parsed; pick out the fields that appear before the cut. */
function salvageTruncated(text: string, now: number): ParsedJournalLine {
  const field = (name: string): string | null => {
    const m = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.){0,${MAX_MESSAGE_CHARS}})`).exec(text);
    if (!m) return null;
    try { return JSON.parse(`"${m[1]}"`) as string; } catch { return m[1]!; }
  };
  const entry: Record<string, unknown> = {};
  for (const name of ['__CURSOR', '__REALTIME_TIMESTAMP', 'PRIORITY', '_SYSTEMD_UNIT', 'UNIT', 'SYSLOG_IDENTIFIER', 'MESSAGE']) {
    const value = field(name);
    if (value !== null) entry[name] = value;
  }
  const parsed = parseJournalEntry(entry, now);
  parsed.line.message = `${parsed.line.message.slice(0, MAX_MESSAGE_CHARS)} … [entry truncated: too large]`;
  return parsed;
}
