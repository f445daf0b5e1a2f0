import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerIdentityTracker, extractWorkerId, templateMatcher, workerIdsFromLines } from '../src/data/logs/worker-identity.js';
import type { LogLine } from '../src/data/snapshot.js';

const at = (unit: string, message: string, time: number): LogLine => ({ seq: 0, time, unit, host: null, priority: 6, message });

test('extractWorkerId understands the phrasings workers use', () => {
  const cases: [string, string | null][] = [
    ['Worker dsa110-node1-1a2b3c4d starting', 'dsa110-node1-1a2b3c4d'],
    ['2024-01-15 10:00:00 INFO Worker lxd110h23-0badc0de started, queue=dsa110-pipeline', 'lxd110h23-0badc0de'],
    ['worker "calib.node.ovro-deadbeef" is starting up', 'calib.node.ovro-deadbeef'],
    ['Starting worker dsa110-deadbeef-1a2b3c4d on queue dsa110-pipeline', 'dsa110-deadbeef-1a2b3c4d'],
    ['claimed task 42 worker_id=dsa110-node2:48213 queue=maintenance', 'dsa110-node2:48213'],
    ['{"event": "boot", "worker_id": "dsa110-node2-00ff00ff"}', 'dsa110-node2-00ff00ff'],
    ['workerId: node7:901', 'node7:901'],
    ['Worker dsa110-node1-1a2b3c4dxyz starting', null],
    ['Worker 3 starting', null],
    ['Task convert-uvh5-to-ms finished on node1', null],
    ['', null],
  ];
  for (const [message, expected] of cases) assert.equal(extractWorkerId(message), expected, message);
});

test('newest announcement per unit wins; other units and lines are ignored', () => {
  const w1 = 'dsa110-absurd-worker@1.service';
  const w2 = 'dsa110-absurd-worker@2.service';
  const lines = [
    at(w1, 'Worker node1-aaaaaaaa starting', 100),
    at(w2, 'Worker node1-bbbbbbbb starting', 110),
    at(w1, 'processing task 7', 120),
    at(w1, 'Worker node1-cccccccc starting', 200), // restarted: a fresh id
    at('dsa110-mosaic-daemon.service', 'Worker node1-dddddddd starting', 210),
  ];
  const isWorker = templateMatcher('dsa110-absurd-worker@.service');
  const ids = workerIdsFromLines(lines, new Map(), isWorker);
  assert.deepEqual([...ids].map(([u, a]) => [u, a.workerId]), [[w1, 'node1-cccccccc'], [w2, 'node1-bbbbbbbb']]);
  // An older line arriving later (a file backlog) does not override a newer announcement.
  const again = workerIdsFromLines([at(w1, 'Worker node1-eeeeeeee starting', 150)], ids, isWorker);
  assert.equal(again.get(w1)?.workerId, 'node1-cccccccc');
  assert.equal(ids.get(w1)?.workerId, 'node1-cccccccc', 'the input map is not mutated');
});

test('tracker reports changes and exposes unit → worker id', () => {
  const tracker = new WorkerIdentityTracker(templateMatcher('dsa110-absurd-worker@.service'));
  assert.equal(tracker.update([at('dsa110-absurd-worker@1.service', 'idle', 1)]), false);
  assert.equal(tracker.update([at('dsa110-absurd-worker@1.service', 'Worker h-12345678 starting', 2)]), true);
  assert.equal(tracker.version, 1);
  assert.equal(tracker.update([at('dsa110-absurd-worker@1.service', 'Worker h-12345678 starting', 3)]), false, 'same id again');
  assert.equal(tracker.workerId('dsa110-absurd-worker@1.service'), 'h-12345678');
  assert.equal(tracker.workerId('dsa110-absurd-worker@9.service'), null);
  assert.deepEqual([...tracker.all()], [['dsa110-absurd-worker@1.service', 'h-12345678']]);
  // A template without an instance marker (flavour absurd's single `absurd-worker` unit).
  const single = templateMatcher('absurd-worker.service');
  assert.equal(single('absurd-worker'), true);
  assert.equal(single('absurd-scheduler'), false);
});
