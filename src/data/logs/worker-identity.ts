// Joins a systemd unit to the worker id it uses in the database. Pipeline workers call
// themselves `<hostname>-<8 hex>` (new on every start), flavour `absurd` workers `host:pid`;
// neither is derivable from the unit name, but each worker announces its id in its log
// ("Worker dsa110-node1-1a2b3c4d starting"). The newest announcement per unit wins, because a
// restarted unit announces a fresh id.
import type { LogLine } from '../snapshot.js';

/** `<host>-<8 hex>` or `<host>:<pid>`; a host may have dots and dashes. */
const ID = String.raw`([A-Za-z0-9][A-Za-z0-9._-]{0,253}(?:-[0-9a-fA-F]{8}|:\d{1,10}))(?![A-Za-z0-9])`;
const ANNOUNCEMENTS: RegExp[] = [
  // "Worker <id> starting", "Worker <id> started", "worker <id> is starting up"
  new RegExp(String.raw`\bworker\s+["']?${ID}["']?\s+(?:is\s+)?(?:starting|started|running|ready|online|registered|initiali[sz]ed)`, 'i'),
  // "Starting worker <id>", "Started worker: <id>"
  new RegExp(String.raw`\bstart(?:ing|ed)\s+worker\s*[:=]?\s*["']?${ID}`, 'i'),
  // "worker_id=<id>", "worker_id: <id>", "workerId=<id>", "\"worker_id\": \"<id>\"", "worker id <id>"
  new RegExp(String.raw`\bworker[_ -]?id["']?\s*[:=]?\s*["']?${ID}`, 'i'),
];

/** The worker id a log message announces, or null. */
export function extractWorkerId(message: string): string | null {
  for (const re of ANNOUNCEMENTS) {
    const m = re.exec(message);
    if (m) return m[1]!;
  }
  return null;
}

export interface WorkerAnnouncement {
  workerId: string;
  /** When the line was logged (epoch ms). */
  at: number;
}

/** Pure form: unit → newest announced worker id over `lines` (on top of `previous`). */
export function workerIdsFromLines(
  lines: readonly LogLine[],
  previous: ReadonlyMap<string, WorkerAnnouncement> = new Map(),
  isWorkerUnit: (unit: string) => boolean = () => true,
): Map<string, WorkerAnnouncement> {
  const out = new Map(previous);
  for (const line of lines) {
    if (!isWorkerUnit(line.unit)) continue;
    const workerId = extractWorkerId(line.message);
    if (!workerId) continue;
    const known = out.get(line.unit);
    // `>=`: within one batch, later lines are newer even when the clock has ms resolution.
    if (!known || line.time >= known.at) out.set(line.unit, { workerId, at: line.time });
  }
  return out;
}

/** Incremental form for the poller: feed every batch, read ids when building a snapshot. */
export class WorkerIdentityTracker {
  private map: Map<string, WorkerAnnouncement> = new Map();
  private versionCounter = 0;

  constructor(private readonly isWorkerUnit: (unit: string) => boolean = () => true) {}

  /** Returns true when some unit's id changed. */
  update(lines: readonly LogLine[]): boolean {
    const next = workerIdsFromLines(lines, this.map, this.isWorkerUnit);
    let changed = next.size !== this.map.size;
    if (!changed) for (const [unit, a] of next) if (this.map.get(unit)?.workerId !== a.workerId) { changed = true; break; }
    this.map = next;
    if (changed) this.versionCounter++;
    return changed;
  }

  get version(): number { return this.versionCounter; }
  workerId(unit: string): string | null { return this.map.get(unit)?.workerId ?? null; }
  /** Unit → worker id. */
  all(): ReadonlyMap<string, string> {
    return new Map([...this.map].map(([unit, a]) => [unit, a.workerId]));
  }
}

/** A predicate for the configured worker template: `dsa110-absurd-worker@.service` matches `dsa110-absurd-worker@3.service`. */
export function templateMatcher(template: string): (unit: string) => boolean {
  const at = template.indexOf('@');
  if (at === -1) return (unit) => unit === template || unit === template.replace(/\.service$/, '');
  const prefix = template.slice(0, at + 1);
  return (unit) => unit.startsWith(prefix);
}
