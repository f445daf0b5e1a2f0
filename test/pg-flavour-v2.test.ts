// Flavour `dsa110-v2` reader against a real database (shared checks in helpers/flavour-suite.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flavourSuite, weirdQueue } from './helpers/flavour-suite.js';
import { dsaWorkers } from './helpers/seed.js';

const suite = flavourSuite({
  flavour: 'dsa110-v2',
  otherQueue: 'dsa110-pipeline',
  inFlight: ['overTimeout', 'running', 'stuck'],
  stuck: { stuck: 'over-timeout', overTimeout: 'over-timeout' },
  // The failures list covers the last 24 h (bounded so rare failures never walk the index).
  failuresInclude: ['failed'],
  failuresExclude: ['oldFailed', 'retrying'],
  errorResults: ['errorResult'],
  workers: [dsaWorkers.a, dsaWorkers.b, dsaWorkers.c],
  stuckWorkers: [dsaWorkers.b, dsaWorkers.c],
});

test('dsa110-v2: stuck details name the limit that was crossed', async () => {
  const snap = await (await suite.reader({ queue: weirdQueue })).snapshot();
  const { ids } = suite.seeded();
  const byId = new Map(snap.stuck.map((s) => [s.id, s.detail]));
  assert.match(byId.get(ids.stuck!) ?? '', /^over its limit of 2h, by nodeb-5e6f7a8b$/);
  assert.match(byId.get(ids.overTimeout!) ?? '', /^over its timeout of 1m, by nodec-9c0d1e2f$/);
  const err = snap.errorResults[0];
  assert.equal(err?.error, 'no calibrator in field');
});

test('dsa110-v2: browse keeps microsecond order across pages', async () => {
  const pool = suite.db().pool;
  // Five tasks inside one millisecond, two with the very same instant: only a cursor that keeps
  // microseconds (and the id as tie-break) pages through all of them.
  await pool.query(`insert into absurd.tasks (queue_name, task_name, created_at)
    select 'micro', 'imaging', timestamptz '2026-06-01 00:00:00.123' + make_interval(secs => us / 1e6)
      from unnest(array[100, 200, 200, 300, 400]) us`);
  const reader = await suite.reader();
  const seen: string[] = [];
  let page = await reader.browse({ queue: 'micro', limit: 1 });
  for (;;) {
    seen.push(...page.tasks.map((t) => t.id));
    if (!page.next) break;
    page = await reader.browse({ queue: 'micro', limit: 1, after: page.next });
  }
  assert.equal(new Set(seen).size, 5);
});
