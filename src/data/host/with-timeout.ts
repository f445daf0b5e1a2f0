// Guards for calls that can hang (df, stat or readdir on a dead NFS mount). A timeout alone is
// not enough: a call hung in the kernel never returns, so repeating it every tick would pile
// up hung df processes and fill libuv's four-thread pool until even log tailing stalls. So a
// key's call is made once and shared by everyone who asks while it is still in flight.

export class TimeoutError extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what} timed out after ${ms} ms`);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Not unref'd: the timer must keep a `--once` run alive until it can report the timeout.
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Cached, single-flight calls by key: fresh results are reused for ttlMs, a pending call is shared. */
export class GuardedCalls {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly cache = new Map<string, { value: unknown; at: number }>();

  constructor(private readonly timeoutMs: number) {}

  run<T>(key: string, ttlMs: number, fn: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && now - hit.at < ttlMs) return Promise.resolve(hit.value as T);
    let pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = fn().then((value) => {
        this.cache.set(key, { value, at: Date.now() });
        return value;
      }).finally(() => this.inFlight.delete(key));
      // Nobody may be awaiting it when it finally fails after a timeout: keep that silent.
      pending.catch(() => undefined);
      this.inFlight.set(key, pending);
    }
    return withTimeout(pending, this.timeoutMs, key);
  }
}
