// The demo's journal: the simulated producer, workers and "systemd" write lines here, and the
// logs pane follows it through the same LogSource interface as journalctl in production. Like
// `journalctl -n <backlog> -f`, a new follower first gets the recent backlog, then live lines
// in batches.
import type { LogLine } from '../data/snapshot.js';
import type { LogSource } from '../data/sources.js';

export class DemoLogSource implements LogSource {
  private readonly recent: LogLine[] = [];
  private readonly followers = new Set<(lines: LogLine[]) => void>();
  private pending: LogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;

  constructor(private readonly opts: { backlog?: number; flushMs?: number } = {}) {}

  /** A writer for one unit's journal. */
  writer(unit: string): (priority: number, message: string) => void {
    return (priority, message) => this.write(unit, priority, message);
  }

  write(unit: string, priority: number, message: string): void {
    const line: LogLine = { seq: ++this.seq, time: Date.now(), unit, host: null, priority, message };
    this.recent.push(line);
    if (this.recent.length > (this.opts.backlog ?? 200)) this.recent.shift();
    if (this.followers.size === 0) return;
    this.pending.push(line);
    // One batch per flush interval: a burst of claims is one update for the logs pane, not ten.
    this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 100);
  }

  /** The backlog as it stands (newest last). */
  lines(): LogLine[] {
    return [...this.recent];
  }

  follow(onLines: (lines: LogLine[]) => void, onProblem: (problem: string | null) => void): () => void {
    onProblem(null);
    // Lines still waiting for the next flush arrive with it: leave them out of the backlog.
    const backlog = this.recent.slice(0, Math.max(0, this.recent.length - this.pending.length));
    if (backlog.length > 0) onLines(backlog);
    this.followers.add(onLines);
    return () => {
      this.followers.delete(onLines);
      if (this.followers.size === 0) this.close();
    };
  }

  /** Stops delivering; pending lines are dropped. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private flush(): void {
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    for (const follower of this.followers) follower(batch);
  }
}
