import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, overallHealth, staleAfterMs, type Diagnosis } from '../src/data/diagnose.js';
import type { Snapshot } from '../src/data/snapshot.js';
import {
  NOW, busySnapshot, db, disconnectedSnapshot, disk, emptySnapshot, host, hostileSnapshot, multiQueueSnapshot,
  noUnitsSnapshot, queueStats, snapshot, stuckTask, task, testConfig, unit, dbWorker,
} from './helpers/snapshot-fixtures.js';

const config = testConfig();
const MIN = 60_000;

function find(list: Diagnosis[], re: RegExp): Diagnosis | undefined {
  return list.find((d) => re.test(d.message));
}
function messages(list: Diagnosis[]): string {
  return list.map((d) => `${d.level}: ${d.message}`).join('\n');
}

/** A snapshot with one queue whose stats are overridden, workers up. */
function withQueue(over: Parameters<typeof queueStats>[1], extra: Partial<Snapshot> = {}): Snapshot {
  const base = emptySnapshot();
  return { ...base, db: { ...base.db!, queues: [queueStats('dsa110-pipeline', over)] }, ...extra };
}

test('a quiet healthy pipeline says nothing and is ok', () => {
  const list = diagnose(emptySnapshot(), config, NOW);
  assert.deepEqual(list, []);
  assert.equal(overallHealth(emptySnapshot(), config, NOW), 'ok');
});

test('the operator sentences, table-driven', () => {
  const cases: Array<{ name: string; snap: Snapshot; level: Diagnosis['level']; re: RegExp; key?: string }> = [
    {
      name: 'pending with no worker unit running',
      snap: withQueue({ live: { pending: 37, running: 0, sleeping: 0, retrying: 0 }, oldestPendingAt: NOW - (30) * 1000, lastCompletionAt: NOW - 10_000 }, {
        units: { units: [unit({ name: 'dsa110-absurd-worker@1.service', active: 'inactive', sub: 'dead' })], problem: null },
      }),
      level: 'critical', re: /^37 pending, no worker running: press \+ to start one$/, key: '+',
    },
    {
      name: 'tasks claimed by workers that are gone',
      snap: { ...emptySnapshot(), db: db({ stuck: [stuckTask(), stuckTask({ reason: 'stale-heartbeat' })] }) },
      level: 'warning', re: /^2 tasks claimed by workers that are gone: x to reap$/, key: 'x',
    },
    {
      name: 'running past the timeout',
      snap: { ...emptySnapshot(), db: db({ stuck: [stuckTask({ reason: 'over-timeout', claimedAt: NOW - 3 * 60 * MIN })] }) },
      level: 'warning', re: /^1 task running past the timeout \(longest 3h00m\): x to reap$/, key: 'x',
    },
    {
      name: 'disk critical',
      snap: { ...emptySnapshot(), host: host({ disks: [disk('/stage', 93), disk('/stage/dsa110-contimg', 93)] }) },
      level: 'critical', re: /^\/stage 93% full \(717G free\)$/,
    },
    {
      name: 'disk warning',
      snap: { ...emptySnapshot(), host: host({ disks: [disk('/data', 84)] }) },
      level: 'warning', re: /^\/data 84% full/,
    },
    {
      name: 'queue without consumer',
      snap: multiQueueSnapshot(),
      level: 'warning', re: /^queue dsa110-monitoring has 12 pending but no consumer \(nothing claimed in the last hour, oldest waiting 3d4h\)$/,
    },
    {
      name: 'no completion while work waits',
      snap: withQueue({ live: { pending: 40, running: 2, sleeping: 0, retrying: 0 }, lastCompletionAt: NOW - 7 * MIN, oldestPendingAt: NOW - (200) * 1000, completedLastHour: 10 }),
      level: 'warning', re: /^no completion for 7 min while 40 tasks wait$/,
    },
    {
      name: 'failure rate critical',
      snap: withQueue({ completedLastHour: 30, failedLastHour: 16, failureRateLastHour: 16 / 46 }),
      level: 'critical', re: /^35% of tasks failed in the last hour \(16 of 46\)$/,
    },
    {
      name: 'failure rate warning',
      snap: withQueue({ completedLastHour: 40, failedLastHour: 6, failureRateLastHour: 6 / 46 }),
      level: 'warning', re: /^13% of tasks failed in the last hour/,
    },
    {
      name: 'a few failures below the sample size are counted, not rated',
      snap: withQueue({ completedLastHour: 1, failedLastHour: 2, failureRateLastHour: 2 / 3 }),
      level: 'info', re: /^2 tasks failed in the last hour$/,
    },
    {
      name: 'oldest pending critical',
      snap: withQueue({ live: { pending: 3, running: 1, sleeping: 0, retrying: 0 }, oldestPendingAt: NOW - (4000) * 1000, lastCompletionAt: NOW - 10_000, completedLastHour: 5 }),
      level: 'critical', re: /^oldest pending task has waited 1h06m$/,
    },
    {
      name: 'oldest pending warning',
      snap: withQueue({ live: { pending: 3, running: 1, sleeping: 0, retrying: 0 }, oldestPendingAt: NOW - (700) * 1000, lastCompletionAt: NOW - 10_000, completedLastHour: 5 }),
      level: 'warning', re: /^oldest pending task has waited 11m$/,
    },
    {
      name: 'pending over the critical threshold',
      snap: withQueue({ live: { pending: 412, running: 2, sleeping: 0, retrying: 0 }, oldestPendingAt: NOW - (100) * 1000, lastCompletionAt: NOW - 10_000, completedLastHour: 50 }),
      level: 'critical', re: /^412 pending \(limit 100\): \+ adds a worker$/, key: '+',
    },
    {
      name: 'pending over the warning threshold',
      snap: withQueue({ live: { pending: 60, running: 2, sleeping: 0, retrying: 0 }, oldestPendingAt: NOW - (100) * 1000, lastCompletionAt: NOW - 10_000, completedLastHour: 50 }),
      level: 'warning', re: /^60 pending \(limit 50\)/, key: '+',
    },
    {
      name: 'slow database critical',
      snap: { ...emptySnapshot(), db: db({ roundTripMs: 1200 }) },
      level: 'critical', re: /^slow database: 1\.2s round trip \(limit 1\.0s\)$/,
    },
    {
      name: 'slow database warning',
      snap: { ...emptySnapshot(), db: db({ roundTripMs: 640 }) },
      level: 'warning', re: /^slow database: 640ms round trip/,
    },
    {
      name: "the data layer's own diagnostics",
      snap: { ...emptySnapshot(), db: db({ diagnostics: [{ level: 'warning', message: 'no index on tasks(status): counts scan the table' }] }) },
      level: 'warning', re: /^no index on tasks\(status\)/,
    },
    {
      name: 'systemctl missing',
      snap: noUnitsSnapshot(),
      level: 'warning', re: /^units unavailable: systemctl: not found on PATH/,
    },
    {
      name: 'disconnected database',
      snap: disconnectedSnapshot(),
      level: 'critical', re: /^database unreachable for 3m: connect ECONNREFUSED 10\.0\.0\.5:5432; showing data from 5m ago$/,
    },
    {
      name: 'stale data',
      snap: { ...emptySnapshot(), db: db({ fetchedAt: NOW - 45_000 }) },
      level: 'warning', re: /^data is 45s old \(refresh every 2s\): space to refresh now$/, key: 'space',
    },
    {
      name: 'failed worker unit',
      snap: busySnapshot(),
      level: 'warning', re: /^dsa110-absurd-worker@4\.service failed after 5 restarts: s to restart$/, key: 's',
    },
    {
      name: 'producer stopped while files wait',
      snap: { ...emptySnapshot(), units: { units: [unit({ name: 'dsa110-mosaic-daemon.service', role: 'producer', active: 'inactive' }), unit()], problem: null }, host: host() },
      level: 'warning', re: /^producer dsa110-mosaic-daemon\.service is inactive: no new tasks are created, 12 files wait in \/data\/incoming$/, key: 's',
    },
    {
      name: 'a task running too long that the data layer did not flag',
      snap: { ...emptySnapshot(), db: db({ inFlight: [task({ name: 'imaging', state: 'running', claimedAt: NOW - 3 * 60 * MIN })] }) },
      level: 'warning', re: /^imaging has been running for 3h00m \(over 2h00m\)$/,
    },
    {
      name: 'missing disk paths',
      snap: { ...emptySnapshot(), host: host({ disks: [disk('/data', null, { exists: false, level: 'missing', mount: null })] }) },
      level: 'info', re: /^not found: \/data$/,
    },
  ];
  for (const c of cases) {
    const list = diagnose(c.snap, config, NOW);
    const hit = find(list, c.re);
    assert.ok(hit, `${c.name}: expected ${c.re} in\n${messages(list)}`);
    assert.equal(hit.level, c.level, c.name);
    if (c.key !== undefined) assert.equal(hit.key, c.key, `${c.name}: key`);
  }
});

test('most severe first, stable within a level', () => {
  const list = diagnose(busySnapshot(), config, NOW);
  const ranks = list.map((d) => ({ critical: 0, warning: 1, info: 2 })[d.level]);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), messages(list));
  assert.equal(list[0]!.level, 'critical');
  assert.match(list[0]!.message, /\/stage 93% full/);
  assert.equal(overallHealth(busySnapshot(), config, NOW), 'critical');
});

test('a mount is reported once, by the first configured path on it', () => {
  const list = diagnose(busySnapshot(), config, NOW);
  assert.equal(list.filter((d) => /% full/.test(d.message)).length, 1, messages(list));
});

test('no-worker does not also blame every queue', () => {
  const snap = { ...multiQueueSnapshot(), units: { units: [unit({ active: 'inactive' })], problem: null } };
  const list = diagnose(snap, config, NOW);
  assert.ok(find(list, /pending, no worker running/), messages(list));
  assert.equal(find(list, /no consumer/), undefined);
  assert.equal(find(list, /no completion/), undefined);
});

test('without systemd, database workers decide whether anyone is consuming', () => {
  const pendingQueue = queueStats('dsa110-pipeline', { live: { pending: 5, running: 0, sleeping: 0, retrying: 0 }, oldestPendingAt: NOW - (20) * 1000, lastCompletionAt: NOW - 30_000, completedLastHour: 3 });
  const idle = { ...noUnitsSnapshot(), db: db({ queues: [pendingQueue], workers: [] }) };
  assert.ok(find(diagnose(idle, config, NOW), /^5 pending and no worker active in the database/));
  const alive = { ...noUnitsSnapshot(), db: db({ queues: [pendingQueue], workers: [dbWorker({ lastSeenAt: NOW - 20_000 })] }) };
  assert.equal(find(diagnose(alive, config, NOW), /no worker/), undefined);
  const onlyStuck = { ...noUnitsSnapshot(), db: db({ queues: [pendingQueue], workers: [dbWorker({ stuck: true, currentTaskId: 'x' })] }) };
  assert.ok(find(diagnose(onlyStuck, config, NOW), /no worker active/));
});

test('disconnected wins over stale and over old criticals; health words', () => {
  assert.equal(overallHealth(disconnectedSnapshot(), config, NOW), 'disconnected');
  const dl = diagnose(disconnectedSnapshot(), config, NOW);
  assert.equal(dl[0]!.level, 'critical');
  assert.match(dl[0]!.message, /^database unreachable/);
  // Facts from the stale database picture are not repeated as if current.
  assert.equal(find(dl, /claimed by workers that are gone/), undefined);
  // systemd and disks still speak.
  assert.ok(find(dl, /worker@4\.service failed/));
  assert.ok(find(dl, /\/stage 93% full/));

  const stale = { ...emptySnapshot(), db: db({ fetchedAt: NOW - 60_000 }) };
  assert.equal(overallHealth(stale, config, NOW), 'stale');
  assert.equal(overallHealth({ ...emptySnapshot(), db: null }, config, NOW), 'stale');
  assert.ok(find(diagnose({ ...emptySnapshot(), db: null }, config, NOW), /waiting for the first database refresh/));
  assert.equal(overallHealth(withQueue({ live: { pending: 60, running: 1, sleeping: 0, retrying: 0 }, lastCompletionAt: NOW - 5000, completedLastHour: 9, oldestPendingAt: NOW - (10 ) * 1000}), config, NOW), 'warning');
  assert.equal(staleAfterMs(testConfig({ refreshSec: 30 })), 90_000);
  assert.equal(staleAfterMs(config), 9000 > 10_000 ? 9000 : 10_000);
});

test('database auth, schema and timeout problems read as sentences', () => {
  const kinds = [['auth', /database refused the login/], ['no-schema', /database has no Absurd schema/], ['timeout', /database timed out/]] as const;
  for (const [kind, re] of kinds) {
    const snap = snapshot({ db: null, dbProblem: { kind, message: 'boom', since: NOW - 10_000 } });
    const list = diagnose(snap, config, NOW);
    assert.match(list[0]!.message, re);
    assert.match(list[0]!.message, /for 10s: boom$/);
  }
});

test('thresholds come from config', () => {
  const snap = withQueue({ live: { pending: 20, running: 1, sleeping: 0, retrying: 0 }, oldestPendingAt: NOW - (10) * 1000, lastCompletionAt: NOW - 5000, completedLastHour: 9 });
  assert.equal(find(diagnose(snap, config, NOW), /pending \(limit/), undefined);
  const strict = testConfig({ thresholds: { pendingWarn: 10, pendingCrit: 15 } });
  assert.equal(find(diagnose(snap, strict, NOW), /^20 pending \(limit 15\)/)?.level, 'critical');
  const diskStrict = testConfig({ thresholds: { diskWarnPct: 30, diskCritPct: 95 } });
  assert.equal(find(diagnose(emptySnapshot(), diskStrict, NOW), /^\/data 41% full/)?.level, 'warning');
});

test('config.queue narrows the queue checks to that queue', () => {
  const only = testConfig({ queue: 'dsa110-pipeline' });
  assert.equal(find(diagnose(multiQueueSnapshot(), only, NOW), /dsa110-monitoring/), undefined);
  assert.ok(find(diagnose(multiQueueSnapshot(), config, NOW), /dsa110-monitoring/));
});

test('hostile names come out sanitised and short', () => {
  const list = diagnose(hostileSnapshot(), config, NOW);
  assert.ok(list.length > 3);
  for (const d of list) {
    assert.ok(!/[\x00-\x1f\x7f-\x9f]/.test(d.message), JSON.stringify(d.message));
    assert.ok(d.message.length < 400, `${d.message.length} chars`);
  }
});
