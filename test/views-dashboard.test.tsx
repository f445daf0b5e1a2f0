/** @jsxRuntime automatic */
import './helpers/color-off.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dashboard } from '../src/ui/panes/dashboard.js';
import { allocate, layoutDashboard } from '../src/ui/panes/layout.js';
import type { DashboardProps, TerminalSize } from '../src/ui/view-state.js';
import { assertFits, assertNoControl, renderFrame } from './helpers/frame.js';
import {
  NOW, busySnapshot, dashboardProps, disconnectedSnapshot, emptySnapshot, hostileLogs, hostileSnapshot,
  multiQueueSnapshot, noUnitsSnapshot, testConfig, view,
} from './helpers/snapshot-fixtures.js';

const sizes: TerminalSize[] = [{ columns: 80, rows: 24 }, { columns: 120, rows: 40 }, { columns: 200, rows: 60 }];

function frameOf(over: Partial<DashboardProps>): { frame: string; lines: string[]; size: TerminalSize } {
  const props = dashboardProps({ hostname: 'lxd110h17', ...over });
  const { frame, lines } = renderFrame(<Dashboard {...props} />);
  return { frame, lines, size: props.size };
}

for (const size of sizes) {
  test(`busy pipeline at ${size.columns}×${size.rows}: every pane shows its content and the frame fits`, () => {
    const { frame, lines } = frameOf({ size, status: { level: 'ok', text: 'retried 1 task in dsa110-pipeline', at: NOW - 2000 } });
    assertFits(frame, size, `${size.columns}x${size.rows}`);
    assert.equal(lines.length, size.rows - 1, 'the frame uses rows - 1 lines');
    assertNoControl(frame);
    // header
    assert.match(lines[0]!, /CRITICAL/);
    assert.match(lines[0]!, /postgres:\/\/absurd:\*\*\*@d/);
    assert.match(lines[0]!, /queue: all/);
    assert.match(lines[0]!, /  live$/, "fresh data says live, not a ticking age");
    // diagnosis, most severe first
    assert.match(lines[1]!, /CRIT +\/stage 93% full/);
    // every pane title
    for (const title of ['1 Queue', '2 Workers', '3 Failures', '4 Logs', '5 Disks']) assert.ok(frame.includes(title), `${title} missing`);
    // queue pane
    assert.match(frame, /pending 37 +running 3/);
    assert.match(frame, /all time: completed 12\.3k +failed 67/);
    assert.match(frame, /oldest pending 4m /);
    // workers pane: unit joined with its database worker's task
    assert.match(frame, /worker@1 +running .*imaging +4m/);
    // failures pane
    assert.match(frame, /convert-uvh5-to-ms +2m 3\/3 OSError: \[Errno 28\]/);
    // logs pane
    assert.match(frame, /No space left on device|slow CASA call|poll: 0 new files/);
    // disks (a strip when stacked, bars when in columns)
    assert.match(frame, /\/stage.*93%/);
    // status and footer
    assert.match(frame, /retried 1 task in dsa110-pipeline/);
    assert.match(lines.at(-1)!, /q quit/);
  });
}

test('wide terminals put panes side by side, narrow ones stack them', () => {
  const wide = frameOf({ size: { columns: 200, rows: 60 } });
  const queueLine = wide.lines.find((l) => l.includes('1 Queue'))!;
  assert.ok(queueLine.includes('3 Failures'), 'queue and failures share a line at 200 columns');
  const narrow = frameOf({ size: { columns: 80, rows: 24 } });
  assert.ok(!narrow.lines.some((l) => l.includes('1 Queue') && l.includes('3 Failures')));
  // Wide enough for the full disk pane with bars.
  assert.match(wide.frame, /\/stage\/dsa110-contimg +█+/);
  assert.match(wide.frame, /backlog 12 files in \/data\/incoming, oldest 2m20s/);
});

test('the focused pane gets more room', () => {
  const queueFocused = frameOf({ size: { columns: 80, rows: 24 }, view: view({ focus: 'queue' }) });
  const failuresFocused = frameOf({ size: { columns: 80, rows: 24 }, view: view({ focus: 'failures' }) });
  assert.ok(!queueFocused.frame.includes('calibration-apply'));
  assert.ok(failuresFocused.frame.includes('calibration-apply'));
  assert.ok(failuresFocused.frame.includes('completed with error result'));
});

test('empty states say so', () => {
  const quiet = frameOf({ snapshot: emptySnapshot(), logs: [], size: { columns: 120, rows: 40 } });
  assert.match(quiet.frame, /OK +all clear · 2 workers running/);
  assert.match(quiet.frame, /no failures, nothing stuck/);
  assert.match(quiet.frame, /nothing running/);
  assert.match(quiet.frame, /no log lines yet/);
  assert.match(quiet.lines[0]!, /^ OK /);
  const noUnits = frameOf({ snapshot: noUnitsSnapshot(), size: { columns: 120, rows: 40 } });
  assert.match(noUnits.frame, /no units found — systemctl: not found on PATH/);
  assert.match(noUnits.frame, /WARNING/);
});

test('disconnected: badge, sentence with since-when, stale data kept on screen', () => {
  for (const size of sizes) {
    const { frame, lines } = frameOf({ snapshot: disconnectedSnapshot(), size });
    assertFits(frame, size);
    assert.match(lines[0]!, /DISCONNECTED/);
    assert.match(lines[0]!, /updated 5m ago/);
    assert.match(frame, /database unreachable for 3m: connect ECONNREFUSED/);
    assert.match(frame, /pending 37/, 'the last good numbers stay visible');
  }
  const never = frameOf({ snapshot: { ...disconnectedSnapshot(), db: null }, size: { columns: 80, rows: 24 } });
  assert.match(never.frame, /no database data yet/);
  assert.match(never.lines[0]!, /no data yet/);
});

test('several queues: per-queue table and the unconsumed queue named', () => {
  const { frame } = frameOf({ snapshot: multiQueueSnapshot(), size: { columns: 200, rows: 60 } });
  assert.match(frame, /queue: all \(4\)/);
  assert.match(frame, /queues \(4\) +pend/);
  assert.match(frame, /dsa110-monitoring +12 +0/);
  assert.match(frame, /\(\+2 more\)/);
  const one = frameOf({ snapshot: multiQueueSnapshot(), size: { columns: 120, rows: 40 }, view: view({ queue: 'dsa110-ingestion' }) });
  assert.match(one.frame, /queue: dsa110-ingestion/);
  assert.match(one.frame, /pending 3 +running 1/);
});

const hostileSizes: TerminalSize[] = [...sizes, { columns: 59, rows: 20 }, { columns: 100, rows: 12 }, { columns: 30, rows: 8 }];
for (const size of hostileSizes) {
  test(`hostile text at ${size.columns}×${size.rows}: no escape or control character reaches the frame`, () => {
    for (const focus of ['queue', 'failures', 'workers', 'logs', 'disks'] as const) {
      const { frame } = frameOf({ snapshot: hostileSnapshot(), logs: hostileLogs(), size, view: view({ focus, logFilter: { unit: null, text: '' } }) });
      // Colour level 0: Ink adds no escape of its own, so any ESC would come from the data.
      assert.ok(!frame.includes('\x1b'), `ESC in frame (focus ${focus})`);
      assertNoControl(frame, `focus ${focus}`);
      assertFits(frame, size, `focus ${focus}`);
      assert.ok(!frame.includes('pwned'), 'the OSC title payload is dropped, not shown');
    }
  });
}

test('hostile: very long names are cut, wide characters measured right', () => {
  const size = { columns: 120, rows: 40 };
  const { frame } = frameOf({ snapshot: hostileSnapshot(), logs: hostileLogs(), size, view: view({ focus: 'failures' }) });
  assert.match(frame, /画像処理/);
  assert.match(frame, /task-n+…/);
  assert.match(frame, /Traceback \(most recent call last\)/);
  assertFits(frame, size);
});

test('compact view below 60 columns or 16 rows: header, counts, diagnosis', () => {
  for (const size of [{ columns: 50, rows: 20 }, { columns: 100, rows: 12 }, { columns: 59, rows: 30 }]) {
    const { frame, lines } = frameOf({ size });
    assertFits(frame, size, `${size.columns}x${size.rows}`);
    assert.match(lines[0]!, /CRITICAL/);
    assert.match(lines[1]!, /pend 37 run 3 fail1h 2 wrk 3/);
    assert.match(frame, /CRIT +\/stage 93% full/);
    assert.ok(!frame.includes('1 Queue'), 'no panes in the compact view');
  }
});

test('tiny and degenerate sizes never overflow', () => {
  for (const size of [{ columns: 20, rows: 4 }, { columns: 10, rows: 2 }, { columns: 1, rows: 1 }, { columns: 0, rows: 0 }, { columns: 5, rows: 100 }, { columns: 300, rows: 16 }]) {
    const { frame } = frameOf({ size });
    assertFits(frame, size, `${size.columns}x${size.rows}`);
  }
});

test('every size from 40×10 to 220×70 fits (sampled)', () => {
  for (let columns = 40; columns <= 220; columns += 23) {
    for (let rows = 10; rows <= 70; rows += 11) {
      const size = { columns, rows };
      const { frame } = frameOf({ size, snapshot: multiQueueSnapshot(), status: { level: 'error', text: 'refused: read-only', at: NOW } });
      assertFits(frame, size, `${columns}x${rows}`);
    }
  }
});

test('read-only and paused show in the header; logs scrolled back say how many are new', () => {
  const { frame, lines } = frameOf({
    size: { columns: 160, rows: 40 },
    config: testConfig({ color: false, readOnly: true }),
    view: view({ paused: true, logScroll: 5, focus: 'logs' }),
  });
  assert.match(lines[0]!, /PAUSED/);
  assert.match(lines[0]!, /read-only/);
  assert.match(frame, /paused · scrolled back, 5 new · G to follow/);
});

test('layout: panes share exactly the room, minimums first, focus grabs more', () => {
  const wants = {
    queue: { id: 'queue' as const, min: 4, want: 12 },
    workers: { id: 'workers' as const, min: 2, want: 8 },
    failures: { id: 'failures' as const, min: 2, want: 9 },
    logs: { id: 'logs' as const, min: 2, want: 400 },
    disks: { id: 'disks' as const, min: 1, want: 1 },
  };
  const order = [wants.queue, wants.workers, wants.failures, wants.logs, wants.disks];
  for (let total = 0; total < 60; total++) {
    const h = allocate(order, total, 'failures');
    assert.equal(h.reduce((a, b) => a + b, 0), total, `total ${total}: ${h}`);
  }
  assert.deepEqual(allocate(order, 20, 'queue'), [10, 3, 3, 3, 1]);
  assert.deepEqual(allocate(order, 5, 'queue'), [4, 1, 0, 0, 0]);
  const l = layoutDashboard({ columns: 120, rows: 40 }, 'queue', wants, true);
  assert.equal(l.mode, 'columns');
  for (const col of l.columns) assert.equal(col.reduce((n, b) => n + b.height, 0) + l.header + l.diagnosis + l.status + l.footer, 39);
  assert.equal(layoutDashboard({ columns: 59, rows: 40 }, 'queue', wants, false).mode, 'compact');
  assert.equal(layoutDashboard({ columns: 80, rows: 15 }, 'queue', wants, false).mode, 'compact');
  assert.equal(layoutDashboard({ columns: 80, rows: 16 }, 'queue', wants, false).mode, 'stack');
  assert.equal(layoutDashboard({ columns: 0, rows: 10 }, 'queue', wants, false).mode, 'empty');
});

test('identical props render identical frames (pure view)', () => {
  const props = dashboardProps({ snapshot: busySnapshot() });
  const a = renderFrame(<Dashboard {...props} />).frame;
  const b = renderFrame(<Dashboard {...props} />).frame;
  assert.equal(a, b);
});
