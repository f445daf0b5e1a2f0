// The console's clock: an idle screen redraws about once a minute, a screen with second-old
// ages every few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newestShownTime, nextTickMs, fastTickMs } from '../src/ui/clock.js';
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
});
