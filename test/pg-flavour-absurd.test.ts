// Flavour `absurd` reader against a real database: see helpers/flavour-suite.ts for the shared
// checks; below, what only this layout has (runs, checkpoints, event waits, UUIDv7 windows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flavourSuite, weirdQueue } from './helpers/flavour-suite.js';
import { workers } from './helpers/seed.js';

const suite = flavourSuite({
  flavour: 'absurd',
  otherQueue: 'default',
  inFlight: ['running', 'stuck'],
  stuck: { stuck: 'lease-expired' },
  // Failed runs are found through the state index without a time bound, old ones included.
  failuresInclude: ['failed', 'oldFailed'],
  failuresExclude: ['sleeping'],
  errorResults: [],
  workers: [workers.a, workers.b, workers.c],
  stuckWorkers: [workers.c],
});

test('absurd: detail has runs and checkpoints; schema version is read', async () => {
  const reader = await suite.reader();
  const { ids } = suite.seeded();
  const done = await reader.taskDetail(weirdQueue, ids.completed!);
  assert.equal(done?.runs.length, 1);
  assert.equal(done?.runs[0]?.claimedBy, workers.a);
  assert.deepEqual(done?.checkpoints.map((c) => c.name).sort(), ['convert', 'flag']);
  const retried = await reader.taskDetail(weirdQueue, ids.sleeping!);
  assert.deepEqual(retried?.runs.map((r) => r.state), ['failed', 'sleeping']);
  // The event wait has available_at = 'infinity': it must not break anything, and maps to null.
  const waiting = await reader.taskDetail(weirdQueue, ids.waiting!);
  assert.equal(waiting?.state, 'sleeping');
  assert.equal((await reader.snapshot()).schemaVersion, '0.4.0');
});
