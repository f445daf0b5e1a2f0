// Flavour `dsa110-v1` reader against a real database (shared checks in helpers/flavour-suite.ts),
// plus what only v1 has: heartbeats, requeue-as-retrying, and the missing-index diagnosis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flavourSuite } from './helpers/flavour-suite.js';
import { dsaWorkers } from './helpers/seed.js';

const suite = flavourSuite({
  flavour: 'dsa110-v1',
  otherQueue: 'dsa110-pipeline',
  inFlight: ['overTimeout', 'running', 'staleHeartbeat'],
  stuck: { staleHeartbeat: 'stale-heartbeat', overTimeout: 'over-timeout' },
  failuresInclude: ['failed'],
  failuresExclude: ['oldFailed', 'requeued'],
  errorResults: [],
  workers: [dsaWorkers.a, dsaWorkers.b, dsaWorkers.c],
  stuckWorkers: [dsaWorkers.b, dsaWorkers.c],
});

test('dsa110-v1: missing index is diagnosed with the statement to run', async () => {
  const snap = await (await suite.reader()).snapshot();
  const diag = snap.diagnostics.find((d) => d.message.startsWith('dsa110-v1:'));
  assert.ok(diag, 'diagnostic present');
  assert.match(diag.message, /CREATE INDEX CONCURRENTLY t_tasks_status_created_idx ON absurd\.t_tasks \(status, created_at\);/);
  assert.match(diag.message, /every refresh scans/);
});
