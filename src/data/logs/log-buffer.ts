// The bounded memory behind the logs pane. A fixed-size ring: appending is O(1) and never
// allocates beyond `capacity` slots, so a unit that logs 5,000 lines/s for days costs the same
// memory as one that is quiet. Every line gets the next `seq` here (sources do not need to
// coordinate), and seqs are contiguous, so a seq maps to its slot by arithmetic.
import type { LogLine } from '../snapshot.js';

export interface LogFilter {
  /** Exact unit name, or a prefix ending in `*` (`dsa110-absurd-worker@*`); empty = all. */
  unit?: string | null;
  /** Case-insensitive substring of the message (or the unit name); empty = all. */
  text?: string | null;
  /** Keep lines at this syslog priority or more urgent (3 = errors and worse). */
  maxPriority?: number | null;
}

export type LinePredicate = (line: LogLine) => boolean;

/** Compile a filter once per query instead of lower-casing every message on every render. */
export function compileFilter(filter: LogFilter | undefined): LinePredicate | null {
  if (!filter) return null;
  const tests: LinePredicate[] = [];
  const unit = filter.unit?.trim();
  if (unit) {
    if (unit.endsWith('*')) {
      const prefix = unit.slice(0, -1);
      tests.push((l) => l.unit.startsWith(prefix));
    } else {
      tests.push((l) => l.unit === unit);
    }
  }
  const text = filter.text?.trim();
  if (text) {
    // A case-insensitive regex tests without allocating a lower-cased copy of each message.
    const re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    tests.push((l) => re.test(l.message) || re.test(l.unit));
  }
  if (filter.maxPriority !== undefined && filter.maxPriority !== null) {
    const max = filter.maxPriority;
    tests.push((l) => l.priority <= max);
  }
  if (tests.length === 0) return null;
  if (tests.length === 1) return tests[0]!;
  return (l) => tests.every((t) => t(l));
}

export class LogBuffer {
  private readonly slots: (LogLine | undefined)[];
  /** Slot index of the oldest line. */
  private head = 0;
  private count = 0;
  private nextSeq = 1;
  private versionCounter = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LogBuffer capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<LogLine | undefined>(capacity);
  }

  /** Bumps whenever lines are added or cleared: views re-render only when it changes. */
  get version(): number { return this.versionCounter; }

  /** Called after every change of `version`, so a view can wait for lines instead of polling. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private changed(): void {
    this.versionCounter++;
    for (const listener of this.listeners) listener();
  }
  get size(): number { return this.count; }
  /** Seq of the oldest line still held (nextSeq when empty). */
  get firstSeq(): number { return this.nextSeq - this.count; }
  /** Seq of the newest line, 0 when nothing was ever appended. */
  get lastSeq(): number { return this.nextSeq - 1; }

  /** Appends lines in order, stamping each with the next seq. Returns the stamped lines. */
  append(lines: readonly LogLine[]): LogLine[] {
    if (lines.length === 0) return [];
    // When one batch alone overflows the ring, only its newest `capacity` lines can survive.
    const skip = Math.max(0, lines.length - this.capacity);
    this.nextSeq += skip;
    const stamped: LogLine[] = [];
    for (let i = skip; i < lines.length; i++) {
      const line = { ...lines[i]!, seq: this.nextSeq++ };
      const slot = (this.head + this.count) % this.capacity;
      this.slots[slot] = line;
      if (this.count < this.capacity) this.count++;
      else this.head = (this.head + 1) % this.capacity;
      stamped.push(line);
    }
    this.changed();
    return stamped;
  }

  /** The line with this seq, if it is still held. */
  at(seq: number): LogLine | undefined {
    const offset = seq - this.firstSeq;
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.count) return undefined;
    return this.slots[(this.head + offset) % this.capacity];
  }

  /**
   * Up to `n` newest lines matching `filter`, oldest first. `endSeq` anchors the window for a
   * view scrolled back in time (only lines with seq <= endSeq). Walks backwards from the
   * anchor and stops after n matches, so an unfiltered tail costs O(n).
   */
  tail(n: number, filter?: LogFilter, endSeq?: number): LogLine[] {
    const test = compileFilter(filter);
    const out: LogLine[] = [];
    if (n <= 0 || this.count === 0) return out;
    const last = Math.min(endSeq ?? this.lastSeq, this.lastSeq);
    for (let seq = last; seq >= this.firstSeq && out.length < n; seq--) {
      const line = this.at(seq)!;
      if (!test || test(line)) out.push(line);
    }
    return out.reverse();
  }

  /** Lines with seq > afterSeq (matching `filter`), oldest first, at most `limit`. */
  since(afterSeq: number, filter?: LogFilter, limit = Infinity): LogLine[] {
    const test = compileFilter(filter);
    const out: LogLine[] = [];
    for (let seq = Math.max(afterSeq + 1, this.firstSeq); seq <= this.lastSeq && out.length < limit; seq++) {
      const line = this.at(seq)!;
      if (!test || test(line)) out.push(line);
    }
    return out;
  }

  /** Lines in [fromSeq, toSeq] (inclusive), oldest first, unfiltered: a view's visible page. */
  slice(fromSeq: number, toSeq: number): LogLine[] {
    const out: LogLine[] = [];
    for (let seq = Math.max(fromSeq, this.firstSeq); seq <= Math.min(toSeq, this.lastSeq); seq++) out.push(this.at(seq)!);
    return out;
  }

  /** How many held lines match (for "12 of 5000 lines" and scroll bars). */
  countMatching(filter?: LogFilter): number {
    const test = compileFilter(filter);
    if (!test) return this.count;
    let n = 0;
    for (let seq = this.firstSeq; seq <= this.lastSeq; seq++) if (test(this.at(seq)!)) n++;
    return n;
  }

  /** Distinct unit names currently held, sorted (for a unit picker). */
  units(): string[] {
    const seen = new Set<string>();
    for (let seq = this.firstSeq; seq <= this.lastSeq; seq++) seen.add(this.at(seq)!.unit);
    return [...seen].sort();
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.changed();
  }
}
