// Polls a condition instead of sleeping a fixed time: returns as soon as it holds, fails with
// the last value seen when it never does.
import { setTimeout as delay } from 'node:timers/promises';

export async function waitFor<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 300)}`);
    await delay(20);
  }
}
