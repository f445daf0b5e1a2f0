// The console's clock: an idle screen redraws about once a minute, a screen with second-old
// ages every few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agesNow, newestShownTime, nextTickMs, fastTickMs } from '../src/ui/clock.js';
import { formatElapsed } from '../src/text/format/index.js';
import { emptySnapshot } from '../src/data/poller.js';
import { db, queueStats } from './helpers/snapshot-fixtures.js';

const minute = 60_000;

test('nothing young on screen: the next tick is on the next minute, so all ages move together', () => {
  const now = 10 * minute + 12_345;
  assert.equal(nextTickMs(null, now), minute - 12_345 + 20);
  assert.equal(nextTickMs(now - 5 * minute, now), minute - 12_345 + 20);
});

test('an age under a minute on screen: ticks every few seconds', () => {
  const now = 10 * minute;
  assert.equal(nextTickMs(now - 20_000, now), fastTickMs);
});

test('the newest shown time comes from any timestamp a view shows as an age, not the fetch stamps', () => {
  const now = 100 * minute;
  const snapshot = { ...emptySnapshot(now), db: db({ fetchedAt: now, queues: [queueStats('q', { oldestPendingAt: now - 30_000 })] }) };
  assert.equal(newestShownTime(snapshot), now - 30_000);
  assert.equal(newestShownTime(emptySnapshot(now)), null, 'takenAt is not an age on screen');
  assert.equal(newestShownTime(emptySnapshot(now), [now - 1000, null]), now - 1000, 'extra times such as the status line');
  // Asked again for the same snapshot (the walk is kept per snapshot): extras are not kept with it.
  const quiet = emptySnapshot(now);
  assert.equal(newestShownTime(quiet, [now - 1000]), now - 1000);
  assert.equal(newestShownTime(quiet), null, 'a status time from an earlier question stuck to the snapshot');
  assert.equal(newestShownTime(snapshot, [now - 60_000]), now - 30_000, 'an older extra hid the snapshot\'s newest');
});

test('data arriving between minute ticks is drawn against the last tick, so old ages do not move off the minute', () => {
  const tick = 10 * minute + 20; // when the clock last ticked (nextTickMs lands 20 ms past the minute)
  const claimedAt = tick - 5 * minute - 30_000; // "5m" at the tick, crosses 6m at tick + 30 s
  const later = tick + 45_000; // a refresh brings changed data (a disk figure, a unit) here
  assert.equal(agesNow(claimedAt, later), tick);
  const shown = (at: number) => formatElapsed((at - claimedAt) / 1000);
  assert.equal(shown(agesNow(claimedAt, later)), shown(tick), 'unchanged until the next tick');
  assert.notEqual(shown(later), shown(tick), 'drawn against now it would have moved');
  assert.equal(agesNow(claimedAt, tick + minute + 3), tick + minute, 'the next tick moves every age together');
});

test('with a seconds-old age on screen, data is drawn against now', () => {
  const now = 10 * minute + 31_234;
  assert.equal(agesNow(now - 10_000, now), now);
  assert.equal(agesNow(null, now), 10 * minute + 20, 'nothing shown as an age: the last tick');
});

test('the all-time totals recounted every minute with the same result neither tick the clock nor redraw', async () => {
  const { sameSnapshot } = await import('../src/data/snapshot-diff.js');
  const now = 100 * minute;
  const at = (terminalAsOf: number, completed = 5) => ({
    ...emptySnapshot(now),
    db: db({ fetchedAt: now, queues: [queueStats('q', { terminalAsOf, oldestPendingAt: now - 90 * minute, terminal: { completed, failed: 0, cancelled: 0 } })] }),
  });
  assert.equal(newestShownTime(at(now - 1000)), now - 90 * minute, 'the totals stamp is not an age on screen');
  assert.equal(sameSnapshot(at(now - minute), at(now)), true, 'same counts, new stamp');
  assert.equal(sameSnapshot(at(now - minute), at(now, 6)), false, 'a count that moved is drawn');
});

test('an age that turns a minute old between ticks is not drawn against the tick, where it would read in seconds', () => {
  const tick = 10 * minute + 20;
  const createdAt = tick - 21_000; // 21 s old at the tick
  const now = tick + 45_000; // 66 s old now
  assert.equal(agesNow(createdAt, now), now);
  assert.equal(formatElapsed((agesNow(createdAt, now) - createdAt) / 1000), '1m');
  assert.equal(agesNow(createdAt, tick + minute + 5), tick + minute, 'from the next tick on, ticks again');
});
