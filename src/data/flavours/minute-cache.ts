// Expensive figures (all-time totals, dsa110-v1 full scans) are computed at most once per ttl.
// The first call waits for a value; later calls return the cached one at once and, when it is
// stale, start one background refresh (never two), so a slow count never delays a refresh.
export interface Cached<T> {
  value: T;
  asOf: number;
  /** Message of the last failed background refresh, null when the last attempt worked. */
  error: string | null;
}

export class MinuteCache<T> {
  private current: Cached<T> | null = null;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<Cached<T>> {
    if (!this.current) {
      // Nothing to show yet: the caller waits, and a failure is its failure.
      const asOf = this.now();
      this.current = { value: await this.load(), asOf, error: null };
      return this.current;
    }
    if (this.now() - this.current.asOf >= this.ttlMs && !this.inflight) {
      this.inflight = this.refresh().finally(() => { this.inflight = null; });
    }
    return this.current;
  }

  /** Resolves when a background refresh started by get() has finished (tests, shutdown). */
  settled(): Promise<void> {
    return this.inflight ?? Promise.resolve();
  }

  private async refresh(): Promise<void> {
    const asOf = this.now();
    try {
      const value = await this.load();
      this.current = { value, asOf, error: null };
    } catch (err) {
      if (this.current) this.current = { ...this.current, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
