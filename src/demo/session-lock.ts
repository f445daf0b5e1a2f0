// Who owns the one PGlite session. FIFO, handed straight to the next waiter so nobody can cut
// in; a waiter may give up after a deadline (its statement_timeout), as a PostgreSQL backend
// waiting on a lock would.
export type Acquired = 'passed' | 'held' | 'timeout';

export class SessionLock {
  private owner: object | null = null;
  private readonly waiters: { who: object; wake: () => void }[] = [];

  /** 'passed': the session just passed to `who`; 'held': it already had it; 'timeout': gave up. */
  async acquire(who: object, timeoutMs = 0): Promise<Acquired> {
    if (this.owner === who) return 'held';
    if (this.owner === null) { this.owner = who; return 'passed'; }
    return new Promise<Acquired>((resolve) => {
      const waiter = { who, wake: () => { clearTimeout(timer); resolve('passed'); } };
      const timer = timeoutMs > 0 ? setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        resolve('timeout');
      }, timeoutMs) : undefined;
      this.waiters.push(waiter);
    });
  }

  release(who: object): void {
    if (this.owner !== who) return;
    const next = this.waiters.shift();
    this.owner = next?.who ?? null;
    next?.wake();
  }

  holds(who: object): boolean { return this.owner === who; }
}
