// Pure pieces of the data layer, as tables: state mapping, durations, worker hosts, UUIDv7
// floors, the minute cache and the activity-window history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostOf } from '../src/data/flavours/assemble.js';
import { fromJsonRows } from '../src/data/flavours/context.js';
import { MinuteCache } from '../src/data/flavours/minute-cache.js';
import { formatSeconds, mapState, pgTime } from '../src/data/flavours/rows.js';
import { LiveHistory } from '../src/data/flavours/window-floor.js';
import { uuidv7Floor, uuidv7Time } from '../src/data/pg/sql-text.js';
import type { Flavour, TaskState } from '../src/data/snapshot.js';

test('mapState: every flavour onto one vocabulary', () => {
  const cases: [Flavour, string, number | null, TaskState][] = [
    ['absurd', 'sleeping', null, 'sleeping'], ['absurd', 'running', null, 'running'],
    ['dsa110-v2', 'claimed', null, 'running'], ['dsa110-v2', 'retrying', null, 'retrying'],
    ['dsa110-v1', 'claimed', 0, 'running'], ['dsa110-v1', 'pending', 0, 'pending'], ['dsa110-v1', 'pending', 2, 'retrying'],
    ['dsa110-v1', 'weird-manual-status', 0, 'cancelled'],
  ];
  for (const [flavour, raw, retries, want] of cases) assert.equal(mapState(flavour, raw, retries), want, `${flavour} ${raw}`);
});

test('formatSeconds', () => {
  const cases: [number, string][] = [[0, '0s'], [59.4, '59s'], [60, '1m'], [125, '2m 5s'], [3600, '1h'], [10_920, '3h 2m'], [90_000, '1d 1h']];
  for (const [sec, want] of cases) assert.equal(formatSeconds(sec), want);
});

test('hostOf: host:pid (absurd) and host-8hex (dsa110)', () => {
  const cases: [string, string | null][] = [['lxd110h17:4242', 'lxd110h17'], ['lxd110h17-1a2b3c4d', 'lxd110h17'], ['worker', null], ['a-b-deadbeef', 'a-b']];
  for (const [id, want] of cases) assert.equal(hostOf(id), want, id);
});

test('uuidv7Floor sorts before every UUIDv7 of that millisecond and after older ones', () => {
  const ms = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  const floor = uuidv7Floor(ms);
  assert.equal(uuidv7Time(floor), ms);
  const same = `${floor.slice(0, 14)}abc-9def-0123456789ab`;
  const older = uuidv7Floor(ms - 1).replace(/0{12}$/, 'ffffffffffff');
  assert.ok(floor <= same && older < floor);
  assert.equal(uuidv7Time('9fc6d77c-deb7-4768-ae96-d61f2297cf4c'), null, 'a v4 id has no time');
});

test('pgTime: Date, ISO text from JSON, and infinity', () => {
  assert.equal(pgTime.parse(new Date(5)), 5);
  assert.equal(pgTime.parse('2026-12-01T04:15:27.123456+00:00'), Date.UTC(2026, 11, 1, 4, 15, 27, 123));
  assert.equal(pgTime.parse(Infinity), null, 'node-postgres turns timestamptz infinity into Infinity');
  assert.equal(pgTime.parse(-Infinity), null);
  assert.equal(pgTime.parse('infinity'), null);
  assert.equal(pgTime.parse(null), null);
  for (const wrong of [true, {}, undefined, [1]]) {
    assert.match(pgTime.safeParse(wrong).error?.issues[0]?.message ?? 'accepted', /a time \(a Date, a number, a string or null\)/, String(wrong));
  }
});

test('fromJsonRows: each row\'s text and the database clock of a jsonRows statement, or a message naming what came instead', () => {
  assert.deepEqual(fromJsonRows([{ rows: ['{"id":"a"}', '{"id":"b"}'], now_ms: 5 }]), { texts: ['{"id":"a"}', '{"id":"b"}'], nowMs: 5 });
  assert.deepEqual(fromJsonRows([{ rows: [], now_ms: 5 }]), { texts: [], nowMs: 5 });
  assert.throws(() => fromJsonRows([{ id: 'a' }]), /a JSON array of row texts was expected/);
  assert.throws(() => fromJsonRows([{ rows: [{ id: 'a' }], now_ms: 5 }]), /a JSON array of row texts was expected/);
  assert.throws(() => fromJsonRows([{ rows: [] }]), /the database clock \(now_ms\) was expected/);
  assert.throws(() => fromJsonRows(undefined), /a JSON array of row texts was expected/);
});

test('MinuteCache: first call waits, then one background refresh per period, errors kept aside', async () => {
  let now = 0;
  let loads = 0;
  let fail = false;
  const cache = new MinuteCache(async () => {
    loads++;
    if (fail) throw new Error('boom');
    return loads;
  }, 60_000, () => now);
  assert.deepEqual(await cache.get(), { value: 1, asOf: 0, error: null });
  now = 59_999;
  assert.equal((await cache.get()).value, 1);
  now = 60_000;
  assert.equal((await cache.get()).value, 1, 'stale value returned at once');
  await cache.get(); // no second refresh while one runs
  await cache.settled();
  assert.deepEqual(await cache.get(), { value: 2, asOf: 60_000, error: null });
  assert.equal(loads, 2);
  fail = true;
  now = 130_000;
  await cache.get();
  await cache.settled();
  assert.deepEqual(await cache.get(), { value: 2, asOf: 60_000, error: 'boom' });
});

test('LiveHistory: remembers the oldest live task for one hour', () => {
  let now = 10_000_000;
  const h = new LiveHistory(() => now);
  assert.equal(h.oldestMs(), null);
  h.observe(5_000);
  now += 1000;
  h.observe(8_000);
  h.observe(null);
  assert.equal(h.oldestMs(), 5_000);
  now += 3600_001;
  assert.equal(h.oldestMs(), null, 'both observations are over an hour old');
  h.observe(9_000);
  assert.equal(h.oldestMs(), 9_000);
});

test('LiveHistory: an older value seen mid-hour wins until it is an hour old, then the next oldest', () => {
  let now = 10_000_000;
  const h = new LiveHistory(() => now);
  const at = (sec: number, oldest: number | null) => { now = 10_000_000 + sec * 1000; h.observe(oldest); };
  at(0, 7_000);
  at(600, 3_000); // a long-pending task became visible
  at(1200, 8_000);
  at(1800, 6_000);
  assert.equal(h.oldestMs(), 3_000);
  now = 10_000_000 + 4201_000; // 3,000 (seen at 600 s) is now over an hour old
  assert.equal(h.oldestMs(), 6_000, 'the oldest still within the hour, not the newest');
  now = 10_000_000 + 5401_000;
  assert.equal(h.oldestMs(), null);
});

test('LiveHistory: a fast refresh keeps a bounded history that still answers right', () => {
  let now = 0;
  const h = new LiveHistory(() => now);
  // An hour of refreshes every 100 ms while the queue drains: the oldest live task keeps getting younger.
  for (let i = 0; i < 36_000; i++) { now = i * 100; h.observe(1_000 + i); }
  assert.equal(h.oldestMs(), 1_000, 'the oldest seen in the last hour');
  now = 3600_000 + 10_001; // the first 10 s bucket (kept at its latest time, 9.9 s) is over an hour old
  assert.equal(h.oldestMs(), 1_000 + 100, 'the oldest of the next 10 s');
  const kept = (h as unknown as { kept: unknown[] }).kept.length;
  assert.ok(kept <= 361, `one entry per 10 s at most, not one per refresh (kept ${kept})`);
});
