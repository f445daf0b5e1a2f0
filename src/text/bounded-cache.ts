// A least-recently-used map of fixed size: Ink 6.8 memoises text measurements in module-level
// maps that are never evicted (vadimdemedes/ink#986), so a console that draws changing numbers
// and log lines for weeks grows without bound. The build swaps Ink's caches for these, and the
// text widths (string-width.ts) are memoised in one too.

export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get size(): number { return this.entries.size; }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-inserting marks the entry as the most recently used (Maps iterate in insertion order).
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
