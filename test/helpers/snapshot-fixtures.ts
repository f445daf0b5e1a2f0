// Realistic Snapshots for view, diagnosis and report tests. Every builder takes `now` (epoch ms)
// so frames are reproducible; `NOW` is a fixed default. Overrides are shallow per object.
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';
import type {
  DbSnapshot, DbWorker, Disk, HostSnapshot, LogLine, QueueStats, Snapshot, StuckTask, TaskSummary, Unit,
} from '../../src/data/snapshot.js';
import type { HistoryPoint } from '../../src/data/poller.js';
import type { DashboardProps, FooterHint, TerminalSize, ViewState } from '../../src/ui/view-state.js';

export const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const GB = 1024 ** 3;

export const TARGET = 'postgres://absurd:***@db.example:5432/dsa110_absurd';

/** Hostile text as it reaches us from the database or a log (already decoded to a JS string). */
export const HOSTILE = {
  /** OSC 0: sets the terminal window title. */
  osc: '\x1b]0;pwned\x07',
  /** CSI 2J: clears the screen; CSI H homes the cursor. */
  clear: '\x1b[2J\x1b[H',
  sgr: '\x1b[31;1mRED\x1b[0m',
  bell: 'ding\x07dong',
  nul: 'nul\x00byte',
  /** Invalid UTF-8 bytes after the driver decoded them (U+FFFD) and a lone surrogate. */
  invalidUtf8: Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x28]).toString('utf8'),
  loneSurrogate: 'half\ud800pair',
  c1: 'c1\x9b2Jx\x85y',
  bidi: 'abc\u202edcba',
  cr: 'progress 10%\rprogress 99%',
  tabsAndNewlines: 'first line\n\tsecond\tline\r\nthird',
  dcs: '\x1bPqsixel\x1b\\',
  /** Wide characters and combining marks (display width ≠ string length). */
  wide: '画像処理パイプライン🔭',
  zalgo: 'z\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308a',
} as const;

/** Every hostile sample joined, for one-field tests. */
export const HOSTILE_ALL = Object.values(HOSTILE).join(' ');
export const HUGE_ERROR = `Traceback (most recent call last):\n${HOSTILE.osc}${'E'.repeat(1024 * 1024)}\nthe end`;
export const LONG_NAME = `task-${'n'.repeat(10_000)}`;
export const LONG_QUEUE = `queue-${'q'.repeat(10_000)}${HOSTILE.clear}`;

export function testConfig(input: ConfigInput = {}): Config {
  return configSchema.parse(input);
}

let seq = 0;
function id(prefix: string): string {
  seq += 1;
  const hex = (seq * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${prefix}${hex}-0000-4000-8000-${String(seq).padStart(12, '0')}`;
}

export function task(over: Partial<TaskSummary> = {}, now = NOW): TaskSummary {
  return {
    id: over.id ?? id('7a'),
    queue: 'dsa110-pipeline',
    name: 'imaging',
    state: 'pending',
    rawState: over.state === 'running' ? 'claimed' : (over.state ?? 'pending'),
    attempts: 0,
    maxAttempts: 3,
    workerId: null,
    createdAt: now - 5 * MIN,
    claimedAt: null,
    completedAt: null,
    error: null,
    ...over,
  };
}

export function stuckTask(over: Partial<StuckTask> = {}, now = NOW): StuckTask {
  return {
    ...task({ state: 'running', rawState: 'claimed', attempts: 1, workerId: 'lxd110h17-deadbeef', claimedAt: now - 3 * HOUR, createdAt: now - 3 * HOUR - MIN }, now),
    reason: 'lease-expired',
    detail: 'lease expired, held by lxd110h17-deadbeef',
    ...over,
  };
}

export function queueStats(name: string, over: Partial<QueueStats> = {}, now = NOW): QueueStats {
  return {
    name,
    live: { pending: 0, running: 0, sleeping: 0, retrying: 0 },
    terminal: { completed: 0, failed: 0, cancelled: 0 },
    terminalScope: 'all-time',
    terminalWindowMinutes: null,
    terminalAsOf: now - 20 * SEC,
    throughputPerMin: { m1: 0, m5: 0, m60: 0 },
    completedLastHour: 0,
    failedLastHour: 0,
    failureRateLastHour: null,
    waitSec: { p50: null, p95: null },
    runSec: { p50: null, p95: null },
    oldestPendingAt: null,
    lastCompletionAt: null,
    ...over,
  };
}

export function dbWorker(over: Partial<DbWorker> = {}, now = NOW): DbWorker {
  return {
    id: 'lxd110h17-1a2b3c4d',
    host: 'lxd110h17',
    lastSeenAt: now - 10 * SEC,
    currentTaskId: null,
    currentTaskName: null,
    currentTaskSince: null,
    stuck: false,
    finishedLastHour: 0,
    ...over,
  };
}

export function unit(over: Partial<Unit> = {}, now = NOW): Unit {
  return {
    name: 'dsa110-absurd-worker@1.service',
    host: null,
    role: 'worker',
    instance: '1',
    load: 'loaded',
    active: 'active',
    sub: 'running',
    since: now - 26 * HOUR,
    mainPid: 4242,
    restarts: 0,
    memoryBytes: 512 * 1024 * 1024,
    cpuNsec: 3_600_000_000_000,
    workerId: null,
    ...over,
  };
}

export function disk(path: string, usedPct: number | null, over: Partial<Disk> = {}): Disk {
  const size = 10 * 1024 * GB;
  return {
    path,
    mount: path.split('/').slice(0, 2).join('/') || '/',
    exists: true,
    sizeBytes: usedPct === null ? null : size,
    usedBytes: usedPct === null ? null : Math.round(size * usedPct / 100),
    usedPct,
    level: usedPct === null ? 'ok' : usedPct >= 90 ? 'critical' : usedPct >= 80 ? 'warning' : 'ok',
    ...over,
  };
}

export function host(over: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    disks: [disk('/data', 41), disk('/data/incoming', 41), disk('/stage', 62), disk('/stage/dsa110-contimg', 62)],
    backlog: { dir: '/data/incoming', exists: true, files: 12, oldestAgeSec: 140 },
    load: [2.31, 2.05, 1.8],
    memUsedPct: 47,
    problem: null,
    ...over,
  };
}

export function db(over: Partial<DbSnapshot> = {}, now = NOW): DbSnapshot {
  return {
    flavour: 'dsa110-v2',
    schemaVersion: '2.1',
    target: TARGET,
    queues: [queueStats('dsa110-pipeline', {}, now)],
    inFlight: [],
    stuck: [],
    failures: [],
    errorResults: [],
    recent: [],
    workers: [],
    roundTripMs: 12,
    diagnostics: [],
    fetchedAt: now - 1 * SEC,
    ...over,
  };
}

export function snapshot(over: Partial<Snapshot> = {}, now = NOW): Snapshot {
  return {
    takenAt: now - 1 * SEC,
    db: db({}, now),
    dbProblem: null,
    units: { units: [], problem: null },
    host: host(),
    ...over,
  };
}

/** A quiet, healthy pipeline: producer and two workers up, nothing queued, nothing failed. */
export function emptySnapshot(now = NOW): Snapshot {
  return snapshot({
    db: db({ queues: [queueStats('dsa110-pipeline', { terminal: { completed: 0, failed: 0, cancelled: 0 } }, now)] }, now),
    units: {
      units: [
        unit({ name: 'dsa110-mosaic-daemon.service', role: 'producer', instance: null }, now),
        unit({ name: 'dsa110-absurd-worker@1.service', instance: '1' }, now),
        unit({ name: 'dsa110-absurd-worker@2.service', instance: '2', mainPid: 4343 }, now),
      ],
      problem: null,
    },
    host: host({ backlog: { dir: '/data/incoming', exists: true, files: 0, oldestAgeSec: null } }),
  }, now);
}

/** A busy single-queue pipeline with running, failed, stuck and error-result tasks. */
export function busySnapshot(now = NOW): Snapshot {
  const running = [1, 2, 3].map((n) => task({
    id: `run-${n}-0000-4000-8000-000000000000`,
    name: ['imaging', 'calibration-solve', 'create-mosaic'][n - 1]!,
    state: 'running', rawState: 'claimed', attempts: 1,
    workerId: `lxd110h17-0000000${n}`, createdAt: now - (10 + n) * MIN, claimedAt: now - n * 4 * MIN,
  }, now));
  const failures = [
    task({ id: 'fail-1-0000-4000-8000-000000000000', name: 'convert-uvh5-to-ms', state: 'failed', rawState: 'failed', attempts: 3, createdAt: now - 30 * MIN, completedAt: now - 2 * MIN, error: "OSError: [Errno 28] No space left on device: '/stage/dsa110-contimg/ms/2026-12-01T11:58:00.ms'\n  at write()" }, now),
    task({ id: 'fail-2-0000-4000-8000-000000000000', name: 'calibration-apply', state: 'failed', rawState: 'failed', attempts: 1, createdAt: now - 50 * MIN, completedAt: now - 20 * MIN, error: 'CASA error: table not found' }, now),
  ];
  const stuck = [
    stuckTask({ id: 'stuck-1-000-4000-8000-000000000000', name: 'photometry', workerId: 'lxd110h17-deadbeef', claimedAt: now - 3 * HOUR, detail: 'lease expired, held by lxd110h17-deadbeef' }, now),
    stuckTask({ id: 'stuck-2-000-4000-8000-000000000000', name: 'crossmatch', workerId: 'lxd110h17-cafef00d', claimedAt: now - 4 * HOUR, reason: 'over-timeout', detail: 'over its timeout of 1h, by lxd110h17-cafef00d' }, now),
  ];
  const errorResults = [
    task({ id: 'errres-1-00-4000-8000-000000000000', name: 'validation', state: 'completed', rawState: 'completed', attempts: 1, completedAt: now - 5 * MIN, error: '{"status":"error","message":"too few sources"}' }, now),
  ];
  const pending = [0, 1].map((n) => task({ id: `pend-${n}-0000-4000-8000-000000000000`, name: 'imaging', createdAt: now - (n + 1) * MIN }, now));
  return snapshot({
    db: db({
      queues: [queueStats('dsa110-pipeline', {
        live: { pending: 37, running: 3, sleeping: 1, retrying: 2 },
        terminal: { completed: 12_345, failed: 67, cancelled: 4 },
        throughputPerMin: { m1: 2, m5: 1.6, m60: 1.4 },
        completedLastHour: 84, failedLastHour: 2, failureRateLastHour: 2 / 86,
        waitSec: { p50: 42, p95: 310 }, runSec: { p50: 95, p95: 640 },
        oldestPendingAt: now - (250) * 1000, lastCompletionAt: now - 40 * SEC,
      }, now)],
      inFlight: running,
      stuck,
      failures,
      errorResults,
      recent: [...pending, ...running],
      workers: [
        dbWorker({ id: 'lxd110h17-00000001', currentTaskId: running[0]!.id, currentTaskName: 'imaging', currentTaskSince: now - 4 * MIN, finishedLastHour: 30 }, now),
        dbWorker({ id: 'lxd110h17-00000002', currentTaskId: running[1]!.id, currentTaskName: 'calibration-solve', currentTaskSince: now - 8 * MIN, finishedLastHour: 28 }, now),
        dbWorker({ id: 'lxd110h17-00000003', currentTaskId: running[2]!.id, currentTaskName: 'create-mosaic', currentTaskSince: now - 12 * MIN, finishedLastHour: 26 }, now),
        dbWorker({ id: 'lxd110h17-deadbeef', lastSeenAt: now - 3 * HOUR, currentTaskId: stuck[0]!.id, currentTaskName: 'photometry', currentTaskSince: now - 3 * HOUR, stuck: true }, now),
      ],
      roundTripMs: 18,
    }, now),
    units: {
      units: [
        unit({ name: 'dsa110-mosaic-daemon.service', role: 'producer', instance: null, mainPid: 1200, memoryBytes: 180 * 1024 * 1024 }, now),
        unit({ name: 'dsa110-absurd-worker@1.service', instance: '1', workerId: 'lxd110h17-00000001', restarts: 0 }, now),
        unit({ name: 'dsa110-absurd-worker@2.service', instance: '2', workerId: 'lxd110h17-00000002', restarts: 2, mainPid: 4343, since: now - 2 * HOUR }, now),
        unit({ name: 'dsa110-absurd-worker@3.service', instance: '3', workerId: 'lxd110h17-00000003', mainPid: 4444 }, now),
        unit({ name: 'dsa110-absurd-worker@4.service', instance: '4', active: 'failed', sub: 'failed', mainPid: null, restarts: 5, memoryBytes: null, since: now - 30 * MIN }, now),
      ],
      problem: null,
    },
    host: host({
      disks: [disk('/data', 41), disk('/data/incoming', 41), disk('/stage', 93), disk('/stage/dsa110-contimg', 93)],
      backlog: { dir: '/data/incoming', exists: true, files: 12, oldestAgeSec: 140 },
    }),
  }, now);
}

/** Several queues: a busy main one, a DLQ, and a monitoring queue nobody consumes. */
export function multiQueueSnapshot(now = NOW): Snapshot {
  const base = busySnapshot(now);
  const main = base.db!.queues[0]!;
  return {
    ...base,
    db: {
      ...base.db!,
      queues: [
        main,
        queueStats('dsa110-pipeline-dlq', { live: { pending: 0, running: 0, sleeping: 0, retrying: 0 }, terminal: { completed: 0, failed: 9, cancelled: 0 } }, now),
        queueStats('dsa110-ingestion', { live: { pending: 3, running: 1, sleeping: 0, retrying: 0 }, terminal: { completed: 880, failed: 1, cancelled: 0 }, throughputPerMin: { m1: 1, m5: 0.8, m60: 0.7 }, completedLastHour: 41, lastCompletionAt: now - 20 * SEC, oldestPendingAt: now - (30 ) * 1000}, now),
        queueStats('dsa110-monitoring', { live: { pending: 12, running: 0, sleeping: 0, retrying: 0 }, terminal: { completed: 0, failed: 0, cancelled: 0 }, oldestPendingAt: now - (3 * 86_400 + 4 * 3600 ) * 1000}, now),
      ],
    },
  };
}

/** The database went away 3 minutes ago; the last good picture (5 min old) is kept. */
export function disconnectedSnapshot(now = NOW): Snapshot {
  const base = busySnapshot(now);
  return {
    ...base,
    takenAt: now - SEC,
    db: { ...base.db!, fetchedAt: now - 5 * MIN },
    dbProblem: { kind: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.5:5432', since: now - 3 * MIN },
  };
}

/** No systemctl on this machine; the database still works. */
export function noUnitsSnapshot(now = NOW): Snapshot {
  return snapshot({
    units: { units: [], problem: 'systemctl: not found on PATH (is this a systemd host? set units.localUnits=false)' },
  }, now);
}

/** Hostile text in every field that reaches the screen. */
export function hostileSnapshot(now = NOW): Snapshot {
  const base = multiQueueSnapshot(now);
  const evil = (s: string) => `${HOSTILE.osc}${s}${HOSTILE.clear}${HOSTILE.nul}${HOSTILE.invalidUtf8}${HOSTILE.loneSurrogate}${HOSTILE.bell}${HOSTILE.c1}${HOSTILE.bidi}`;
  const d = base.db!;
  return {
    ...base,
    db: {
      ...d,
      target: evil('postgres://x:***@h/db'),
      schemaVersion: evil('v9'),
      queues: [...d.queues.map((q) => ({ ...q, name: evil(q.name) })), queueStats(LONG_QUEUE, { live: { pending: 1, running: 0, sleeping: 0, retrying: 0 } }, now)],
      inFlight: d.inFlight.map((t) => ({ ...t, name: evil(t.name), workerId: evil(t.workerId ?? 'w'), queue: evil(t.queue) })),
      stuck: d.stuck.map((t) => ({ ...t, name: LONG_NAME, detail: evil(t.detail) })),
      failures: [
        task({ id: 'hostile-1-0-4000-8000-000000000000', name: evil('convert'), state: 'failed', rawState: 'failed', attempts: 3, completedAt: now - MIN, error: HUGE_ERROR }, now),
        task({ id: evil('hostile-id'), name: HOSTILE.wide.repeat(50), state: 'failed', rawState: 'failed', attempts: 1, completedAt: now - 2 * MIN, error: `${HOSTILE.tabsAndNewlines}${HOSTILE.cr}${HOSTILE.sgr}${HOSTILE.zalgo}${HOSTILE.dcs}` }, now),
        ...d.failures,
      ],
      errorResults: d.errorResults.map((t) => ({ ...t, error: evil(t.error ?? '') })),
      recent: d.recent.map((t) => ({ ...t, name: evil(t.name) })),
      workers: d.workers.map((w) => ({ ...w, id: evil(w.id), host: evil(w.host ?? ''), currentTaskName: w.currentTaskName ? evil(w.currentTaskName) : null })),
      diagnostics: [{ level: 'warning', message: evil('missing index on tasks(status)') }],
    },
    units: {
      units: base.units.units.map((u) => ({ ...u, host: u.instance === '3' ? evil('ops@worker2') : u.host, workerId: u.workerId ? evil(u.workerId) : null, sub: evil(u.sub) })),
      problem: null,
    },
    host: {
      ...base.host,
      disks: [...base.host.disks, disk(evil('/mnt/evil'), 99)],
      backlog: { dir: evil('/data/incoming'), exists: true, files: 3, oldestAgeSec: 60 },
      problem: evil('sensors'),
    },
  };
}

export function logLine(over: Partial<LogLine> = {}, now = NOW): LogLine {
  seq += 1;
  return { seq, time: now - SEC, unit: 'dsa110-absurd-worker@1.service', host: null, priority: 6, message: 'claimed task imaging', ...over };
}

/** A plausible tail of worker and daemon logs, oldest first, with sequence numbers 1..n. */
export function sampleLogs(now = NOW, count = 40): LogLine[] {
  const units = ['dsa110-absurd-worker@1.service', 'dsa110-absurd-worker@2.service', 'dsa110-mosaic-daemon.service'];
  const messages = [
    [6, 'Worker lxd110h17-00000001 starting'],
    [6, 'claimed task imaging 7a3f'],
    [6, 'task imaging completed in 95.2s'],
    [4, 'slow CASA call: 41s in tclean'],
    [3, "OSError: [Errno 28] No space left on device: '/stage/dsa110-contimg/ms'"],
    [6, 'found new group 2026-12-01T11:55:00 (16 subbands)'],
    [7, 'poll: 0 new files'],
  ] as const;
  return Array.from({ length: count }, (_, i) => {
    const [priority, message] = messages[i % messages.length]!;
    return { seq: i + 1, time: now - (count - i) * 5 * SEC, unit: units[i % units.length]!, host: null, priority, message: `${message} #${i + 1}` };
  });
}

export function hostileLogs(now = NOW): LogLine[] {
  return [
    ...sampleLogs(now, 5),
    { seq: 6, time: now - 3 * SEC, unit: `${HOSTILE.osc}evil.service`, host: HOSTILE.clear, priority: 3, message: HUGE_ERROR },
    { seq: 7, time: now - 2 * SEC, unit: 'dsa110-absurd-worker@1.service', host: null, priority: 4, message: HOSTILE_ALL },
    { seq: 8, time: now - SEC, unit: 'dsa110-absurd-worker@1.service', host: null, priority: 6, message: LONG_NAME },
  ];
}

export function historyPoints(now = NOW, count = 60): HistoryPoint[] {
  return Array.from({ length: count }, (_, i) => ({
    at: now - (count - i) * 2 * SEC,
    pending: 20 + Math.round(15 * Math.sin(i / 6)) + i % 3,
    running: 3,
    completedPerMin: 1 + (i % 5) * 0.4,
  }));
}

export function view(over: Partial<ViewState> = {}): ViewState {
  return { focus: 'queue', queue: null, selectedId: null, logFilter: { unit: null, text: '' }, logScroll: 0, paused: false, ...over };
}

export const FOOTER: FooterHint[] = [
  { keys: 'q', label: 'quit' }, { keys: '?', label: 'help' }, { keys: 'Tab', label: 'pane' },
  { keys: 'j/k', label: 'move' }, { keys: 'Enter', label: 'detail' }, { keys: 'r', label: 'retry' },
  { keys: 'c', label: 'cancel' }, { keys: '+/-', label: 'scale' }, { keys: 's', label: 'restart' },
  { keys: 'x', label: 'reap' }, { keys: 'p', label: 'pause' }, { keys: '/', label: 'filter' },
];

export function dashboardProps(over: Partial<DashboardProps> & { size?: TerminalSize } = {}, now = NOW): DashboardProps {
  return {
    snapshot: busySnapshot(now),
    logs: sampleLogs(now),
    size: { columns: 120, rows: 40 },
    view: view(),
    config: testConfig({ color: false }),
    status: null,
    footer: FOOTER,
    history: historyPoints(now),
    now,
    target: TARGET,
    ...over,
  };
}
