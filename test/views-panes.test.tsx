/** @jsxRuntime automatic */
import './helpers/color-on.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { Header } from '../src/ui/panes/header.js';
import { QueuePane, type QueuePaneProps } from '../src/ui/panes/queue-pane.js';
import { WorkersPane, type WorkersPaneProps } from '../src/ui/panes/workers-pane.js';
import { FailuresPane, type FailuresPaneProps } from '../src/ui/panes/failures-pane.js';
import { LogsPane, type LogsPaneProps } from '../src/ui/panes/logs-pane.js';
import { DisksPane, type DisksPaneProps } from '../src/ui/panes/disks-pane.js';
import { DiagnosisLine } from '../src/ui/panes/diagnosis-line.js';
import { StatusLine } from '../src/ui/panes/status-line.js';
import { Footer, fitHints } from '../src/ui/panes/footer.js';
import { Dashboard } from '../src/ui/panes/dashboard.js';
import { Line, fitSegs, type Seg } from '../src/ui/panes/line.js';
import { findUnit, paneItems, unitId } from '../src/ui/pane-items.js';
import type { Snapshot } from '../src/data/snapshot.js';
import { assertFits, assertNoControl, renderFrame, stripSgr } from './helpers/frame.js';
import {
  FOOTER, NOW, busySnapshot, dashboardProps, db, emptySnapshot, historyPoints, host, hostileLogs, hostileSnapshot,
  multiQueueSnapshot, noUnitsSnapshot, queueStats, sampleLogs, testConfig, unit, view,
} from './helpers/snapshot-fixtures.js';

/** Colour codes (foreground/background/dim), as opposed to bold and inverse. */
const COLOR = /\x1b\[(?:3[0-9]|9[0-7]|4[0-9]|10[0-7]|2)m|\x1b\[(?:38|48);/;
const INVERSE = '\x1b[7m';

/** ink-testing-library's stdout is 100 columns: give wider single lines a box of their own. */
function text(el: ReactElement): string {
  return stripSgr(renderFrame(<Box width={300}>{el}</Box>).frame);
}

// ---------------------------------------------------------------- header

test('header: badge, host, target, flavour and schema, queue, refresh, age', () => {
  const el = (width: number, over: Partial<Parameters<typeof Header>[0]> = {}) => (
    <Header width={width} color health="warning" hostname="lxd110h17" target="postgres://absurd:***@db:5432/dsa110_absurd"
      flavour="dsa110-v2" schemaVersion="2.1" queue={null} queueCount={4} refreshSec={2} refreshedAt={NOW - 3000} now={NOW}
      paused={false} readOnly={false} {...over} />
  );
  const wide = text(el(160));
  for (const part of ['WARNING', 'absurd-top', 'lxd110h17', 'postgres://absurd:***@db:5432/dsa110_absurd', 'dsa110-v2 2.1', 'queue: all (4)', 'every 2s', 'live']) {
    assert.ok(wide.includes(part), `${part} in ${wide}`);
  }
  const narrow = text(el(50));
  assert.match(narrow, /WARNING/);
  assert.match(narrow, /queue: all \(4\)/);
  assertFits(renderFrame(el(50)).frame, { columns: 50, rows: 2 });
  assert.match(text(el(120, { queue: 'dsa110-ingestion', paused: true, readOnly: true, health: 'disconnected' })), /DISCONNECTED +PAUSED.*queue: dsa110-ingestion.*read-only/);
  assert.match(text(el(120, { refreshedAt: null, health: 'stale' })), /STALE.*no data yet/);
});

// ---------------------------------------------------------------- queue pane

function queueProps(snapshot: Snapshot, over: Partial<QueuePaneProps> = {}): QueuePaneProps {
  return {
    db: snapshot.db, history: historyPoints(), queue: null, selectedId: null, width: 100, height: 16, focused: true,
    color: true, now: NOW, failureRateWarn: 0.1, failureRateCrit: 0.25, ...over,
  };
}

test('queue pane: counts with their scope, sparklines, rates, percentiles, in-flight tasks', () => {
  const out = text(<QueuePane {...queueProps(busySnapshot())} />);
  assert.match(out, /1 Queue +37 pending · 3 running/);
  assert.match(out, /pending 37 +running 3 +sleeping 1 +retrying 2/);
  assert.match(out, /all time: completed 12\.3k +failed 67 +cancelled 4/);
  assert.match(out, /depth [▁▂▃▄▅▆▇█]+ 37 +done [▁▂▃▄▅▆▇█]+ 2\.0\/m +failed 1h 2% \(2\/86\)/);
  assert.match(out, /oldest pending 4m +wait p50 42s p95 5m10s +run p50 1m35s p95 10m40s/);
  assert.match(out, /in flight \(3\)/);
  assert.match(out, /run +imaging +lxd110h17-00000001 +4m/);
  assert.match(out, /recent/);
});

test('queue pane: windowed and estimated terminal counts are labelled as such', () => {
  const windowed = { ...busySnapshot(), db: db({ queues: [queueStats('q', { terminalScope: 'window', terminalWindowMinutes: 60, terminal: { completed: 5, failed: 1, cancelled: 0 } })] }) };
  assert.match(text(<QueuePane {...queueProps(windowed)} />), /last 1h00m: completed 5 +failed 1/);
  const estimated = { ...busySnapshot(), db: db({ queues: [queueStats('q', { terminalScope: 'estimated', terminal: { completed: 1_200_000, failed: 30, cancelled: 0 } })] }) };
  assert.match(text(<QueuePane {...queueProps(estimated)} />), /estimated: completed ~1\.2M +failed ~30/);
});

test('queue pane: several queues get a compact table; selecting one narrows the numbers', () => {
  const snap = multiQueueSnapshot();
  const all = text(<QueuePane {...queueProps(snap, { height: 20 })} />);
  assert.match(all, /queues \(4\) +pend +run/);
  assert.match(all, /dsa110-monitoring +12 +0 .* 3d4h/);
  assert.match(all, /pending 52/);
  assert.match(all, /worst p95 wait/);
  const one = text(<QueuePane {...queueProps(snap, { queue: 'dsa110-ingestion', height: 20 })} />);
  assert.match(one, /pending 3 +running 1/);
  assert.match(one, /• ?dsa110-ingestion|•dsa110-ingestion/);
});

test('queue pane: no database yet, unknown queue, nothing running', () => {
  assert.match(text(<QueuePane {...queueProps({ ...busySnapshot(), db: null })} />), /no database data yet/);
  assert.match(text(<QueuePane {...queueProps(busySnapshot(), { queue: 'nope' })} />), /no queue named nope/);
  assert.match(text(<QueuePane {...queueProps(emptySnapshot())} />), /nothing running/);
});

// ---------------------------------------------------------------- workers pane

function workersProps(snapshot: Snapshot, over: Partial<WorkersPaneProps> = {}): WorkersPaneProps {
  return {
    units: snapshot.units, db: snapshot.db, takenAt: snapshot.takenAt, selectedId: null, width: 110, height: 12, focused: false,
    color: true, now: NOW, producerUnit: 'dsa110-mosaic-daemon.service', workerTemplate: 'dsa110-absurd-worker@.service', ...over,
  };
}

test('workers pane: units joined with database workers; state, uptime, restarts, memory, task, stuck', () => {
  const out = text(<WorkersPane {...workersProps(busySnapshot())} />);
  assert.match(out, /2 Workers +3\/4 workers active · producer active · 1 stuck · 4 in db/);
  assert.match(out, /dsa110-mosaic-daemon +running +1d2h +0 +180M +producer/);
  assert.match(out, /dsa110-absurd-worker@1 +running +1d2h +0 +512M +imaging +4m/);
  assert.match(out, /dsa110-absurd-worker@2 +running +2h00m +2 +512M +calibration-solve +8m/);
  assert.match(out, /dsa110-absurd-worker@4 +failed +- +5/);
  assert.match(out, /db lxd110h17-deadbeef +no unit +3h00m .*STUCK photometry +3h00m/);
  // producer first, then workers by instance number
  assert.ok(out.indexOf('mosaic-daemon') < out.indexOf('worker@1'));
  assert.ok(out.indexOf('worker@2') < out.indexOf('worker@4'));
});

test('workers pane: remote hosts get a host column; narrow names keep what tells them apart', () => {
  const snap = busySnapshot();
  const remote = { ...snap, units: { units: [...snap.units.units, unit({ name: 'dsa110-absurd-worker@1.service', host: 'ops@worker2', workerId: null })], problem: null } };
  const out = text(<WorkersPane {...workersProps(remote)} />);
  assert.match(out, /host/);
  assert.match(out, /ops@worker2/);
  // A narrow unit column drops the prefix the configured units share instead of cutting from the left.
  const narrow = text(<WorkersPane {...workersProps(snap, { width: 30 })} />);
  assert.match(narrow, /\n +mosaic-daemon +producer/);
  assert.match(narrow, /\n +absurd-worker@1 +imaging/);
  assert.ok(!narrow.includes('…-absurd') && !narrow.includes('…0-mosaic'), narrow);
});

test('workers pane: empty states name the cause', () => {
  assert.match(text(<WorkersPane {...workersProps(noUnitsSnapshot())} />), /no units found — systemctl: not found on PATH/);
  const none = { ...emptySnapshot(), units: { units: [], problem: null } };
  const out = text(<WorkersPane {...workersProps(none)} />);
  assert.match(out, /no units found/);
  assert.match(out, /looked for dsa110-mosaic-daemon and dsa110-absurd-worker@\*\.service/);
});

// ---------------------------------------------------------------- failures pane

function failuresProps(snapshot: Snapshot, over: Partial<FailuresPaneProps> = {}): FailuresPaneProps {
  return { db: snapshot.db, queue: null, selectedId: null, width: 100, height: 12, focused: true, color: true, now: NOW, ...over };
}

test('failures pane: newest failed first with the first error line, then stuck, then error results', () => {
  const out = text(<FailuresPane {...failuresProps(busySnapshot())} />);
  assert.match(out, /3 Failures +2 failed · 2 stuck/);
  assert.match(out, /convert-uvh5-to-ms +2m 3\/3 OSError: \[Errno 28\] No space left on device/);
  assert.ok(!out.includes('at write()'), 'only the first line of the error');
  assert.ok(out.indexOf('convert-uvh5-to-ms') < out.indexOf('calibration-apply'), 'newest first');
  assert.match(out, /stuck \(2\)/);
  assert.match(out, /photometry +lease expired +claimed 3h00m ago: lease expired, held by lxd110h17-deadbeef/);
  assert.match(out, /crossmatch +over timeout +claimed 4h00m ago: over its timeout of 1h/);
  assert.match(out, /completed with error result \(1\)/);
  assert.match(out, /validation .*"status":"error"/);
});

test('failures pane: empty and partly empty', () => {
  assert.match(text(<FailuresPane {...failuresProps(emptySnapshot())} />), /no failures, nothing stuck/);
  const onlyStuck = { ...busySnapshot(), db: { ...busySnapshot().db!, failures: [], errorResults: [] } };
  const out = text(<FailuresPane {...failuresProps(onlyStuck)} />);
  assert.match(out, /no failures/);
  assert.match(out, /stuck \(2\)/);
});

test('failures pane: a 1 MB error and hostile names render as one clean, fitted line each', () => {
  const { frame } = renderFrame(<FailuresPane {...failuresProps(hostileSnapshot(), { width: 90, height: 14 })} />);
  assertNoControl(frame);
  assertFits(frame, { columns: 90, rows: 15 });
  assert.ok(!stripSgr(frame).includes('pwned'));
});

// ---------------------------------------------------------------- selection and colour

test('the selected row is marked and inverse; the focused title is inverse', () => {
  const { frame } = renderFrame(<FailuresPane {...failuresProps(busySnapshot(), { selectedId: 'fail-2-0000-4000-8000-000000000000' })} />);
  const lines = frame.split('\n');
  const selected = lines.find((l) => stripSgr(l).includes('calibration-apply'))!;
  assert.ok(selected.startsWith(INVERSE), 'selected row is inverse');
  assert.match(stripSgr(selected), /^▸ calibration-apply/);
  const other = lines.find((l) => stripSgr(l).includes('convert-uvh5'))!;
  assert.ok(!other.startsWith(INVERSE));
  assert.ok(lines[0]!.includes(`${INVERSE}`), 'focused title is inverse');
  const unfocused = renderFrame(<FailuresPane {...failuresProps(busySnapshot(), { focused: false })} />).frame.split('\n')[0]!;
  assert.ok(!unfocused.includes(INVERSE));
});

test('a selection below the fold scrolls into view', () => {
  const snap = busySnapshot();
  const many = { ...snap, db: { ...snap.db!, failures: Array.from({ length: 30 }, (_, i) => ({ ...snap.db!.failures[0]!, id: `f-${i}`, name: `task-${i}`, completedAt: NOW - i * 1000 })) } };
  const out = text(<FailuresPane {...failuresProps(many, { height: 6, selectedId: 'f-25' })} />);
  assert.match(out, /▸ task-25/);
  assert.ok(!out.includes('task-0 '));
});

test('config.color=false: no colour codes at all, selection still visible (inverse)', () => {
  const props = dashboardProps({ size: { columns: 120, rows: 40 }, config: testConfig({ color: false }), view: view({ focus: 'failures', selectedId: 'fail-1-0000-4000-8000-000000000000' }) });
  const { frame } = renderFrame(<Dashboard {...props} />);
  assert.ok(!COLOR.test(frame), 'no colour escape with color=false');
  assert.ok(frame.includes(INVERSE));
  const coloured = renderFrame(<Dashboard {...{ ...props, config: testConfig({ color: true }) }} />).frame;
  assert.ok(COLOR.test(coloured), 'colours when enabled');
});

test('hostile text with colour on: only Ink\'s own SGR codes, nothing else', () => {
  for (const size of [{ columns: 80, rows: 24 }, { columns: 200, rows: 60 }]) {
    const props = dashboardProps({ size, snapshot: hostileSnapshot(), logs: hostileLogs(), config: testConfig({ color: true }) });
    const { frame } = renderFrame(<Dashboard {...props} />);
    assertNoControl(frame);
    assert.ok(!stripSgr(frame).includes('\x1b'));
    assertFits(frame, size);
  }
});

// ---------------------------------------------------------------- logs pane

function logsProps(over: Partial<LogsPaneProps> = {}): LogsPaneProps {
  return {
    logs: sampleLogs(), filter: { unit: null, text: '' }, scroll: 0, paused: false, selectedId: null, width: 100, height: 8, focused: false, color: true,
    producerUnit: 'dsa110-mosaic-daemon.service', workerTemplate: 'dsa110-absurd-worker@.service', ...over,
  };
}

test('logs pane: follows the newest lines, priority labels, filter by unit and text', () => {
  const out = text(<LogsPane {...logsProps()} />);
  assert.match(out, /4 Logs +40 lines/);
  assert.match(out, /#39\n.*err +OSError/);
  assert.ok(!out.includes('#30 '), 'older lines are above the fold');
  assert.match(out, /err +OSError/);
  assert.match(out, /warn +slow CASA call/);
  const byUnit = text(<LogsPane {...logsProps({ filter: { unit: 'dsa110-mosaic-daemon.service', text: '' } })} />);
  assert.match(byUnit, /unit=dsa110-mosaic-daemon\.service · 13 lines/);
  assert.ok(!byUnit.includes('worker@1'));
  const byText = text(<LogsPane {...logsProps({ filter: { unit: null, text: 'CASA' } })} />);
  assert.match(byText, /text="CASA" · 6 lines/);
  const templ = text(<LogsPane {...logsProps({ filter: { unit: 'dsa110-absurd-worker@', text: '' } })} />);
  assert.match(templ, /27 lines/);
  assert.match(text(<LogsPane {...logsProps({ filter: { unit: null, text: 'zzz' } })} />), /no log lines match the filter/);
  assert.match(text(<LogsPane {...logsProps({ logs: [] })} />), /no log lines yet/);
});

test('logs pane: scrolled back shows older lines and how many are new; paused says so', () => {
  const out = text(<LogsPane {...logsProps({ scroll: 10 })} />);
  assert.match(out, /#30/);
  assert.ok(!out.includes('#40'));
  assert.match(out, /scrolled back, 10 new · G to follow/);
  assert.match(text(<LogsPane {...logsProps({ paused: true })} />), /── paused ──/);
});

test('logs pane: hostile lines are sanitised and cut', () => {
  const { frame } = renderFrame(<LogsPane {...logsProps({ logs: hostileLogs(), width: 80 })} />);
  assertNoControl(frame);
  assertFits(frame, { columns: 80, rows: 9 });
});

// ---------------------------------------------------------------- disks pane

function disksProps(over: Partial<DisksPaneProps> = {}): DisksPaneProps {
  return { host: busySnapshot().host, selectedId: null, width: 90, height: 8, focused: false, color: true, diskWarnPct: 80, diskCritPct: 90, ...over };
}

test('disks pane: bars with thresholds, backlog, load and memory; a strip with one line', () => {
  const { frame } = renderFrame(<DisksPane {...disksProps()} />);
  const out = stripSgr(frame);
  assert.match(out, /\/stage +█+[▏▎▍▌▋▊▉]?░* +93% +9\.3T\/10T/);
  assert.match(out, /\/data +█+.* 41%/);
  assert.match(out, /backlog 12 files in \/data\/incoming, oldest 2m20s/);
  assert.match(out, /load 2\.3 2\.0 1\.8 · mem 47%/);
  const stageLine = frame.split('\n').find((l) => stripSgr(l).includes('/stage '))!;
  assert.ok(stageLine.includes('\x1b[31m'), 'critical disk is red');
  const strip = text(<DisksPane {...disksProps({ height: 1 })} />);
  assert.match(strip, /5 Disks +\/data 41% · \/stage 93% · backlog 12 \(2m20s\) · load/);
  const missing = text(<DisksPane {...disksProps({ host: host({ disks: [{ path: '/data', mount: null, exists: false, sizeBytes: null, usedBytes: null, usedPct: null, level: 'missing' }], backlog: { dir: '/data/incoming', exists: false, files: 0, oldestAgeSec: null } }) })} />);
  assert.match(missing, /\/data +not found/);
  assert.match(missing, /incoming \/data\/incoming: not found/);
});

test('disks pane before the first look at the disks says so, not "no disks configured"', () => {
  const before = { disks: [], backlog: null, load: [], memUsedPct: null, problem: null, asked: false as const };
  for (const height of [8, 1]) {
    const out = text(<DisksPane {...disksProps({ host: before, height })} />);
    assert.match(out, /reading disks…/);
    assert.doesNotMatch(out, /no disks configured/);
  }
  assert.match(text(<DisksPane {...disksProps({ host: { ...before, asked: undefined } })} />), /no disks configured/);
});

// ---------------------------------------------------------------- lines

test('diagnosis line: all clear, or the most severe with a count of the rest', () => {
  assert.match(text(<DiagnosisLine diagnoses={[]} lines={1} width={80} color calm="3 workers running" />), /OK +all clear · 3 workers running/);
  const list = [
    { level: 'critical' as const, message: '37 pending, no worker running: press + to start one', key: '+' },
    { level: 'warning' as const, message: '/stage 85% full' },
    { level: 'info' as const, message: 'not found: /data' },
  ];
  const one = text(<DiagnosisLine diagnoses={list} lines={1} width={80} color />);
  assert.match(one, /CRIT +37 pending, no worker running: press \+ to start one +\(\+2 more\)/);
  const narrow = text(<DiagnosisLine diagnoses={list} lines={1} width={40} color />);
  assert.match(narrow, /\(\+2 more\)/, 'the count survives truncation');
  const three = text(<DiagnosisLine diagnoses={list} lines={3} width={80} color />);
  assert.match(three, /WARN +\/stage 85% full/);
  assert.match(three, /info +not found: \/data/);
});

test('status line and footer', () => {
  assert.match(text(<StatusLine status={{ level: 'error', text: 'retry failed: permission denied', at: NOW - 4000 }} width={80} color now={NOW} />), /\[FAIL\] retry failed: permission denied +4s ago/);
  assert.equal(text(<StatusLine status={null} width={80} color now={NOW} />).trim(), '');
  assert.match(text(<Footer hints={FOOTER} width={200} color />), /q quit +\? help +Tab pane .* \/ filter/);
  const narrow = fitHints(FOOTER, 30);
  assert.ok(narrow.some((h) => h.keys === '?'), 'help survives');
  assert.ok(narrow.length < FOOTER.length);
  assertFits(renderFrame(<Footer hints={FOOTER} width={30} color />).frame, { columns: 30, rows: 2 });
});

test('rows are memoised on content: equal segments compare equal', () => {
  const compare = (Line as unknown as { compare: (a: object, b: object) => boolean }).compare;
  const a = { segs: [{ text: 'x', color: 'red' as const }], width: 10, color: true };
  assert.equal(compare(a, { ...a, segs: [{ text: 'x', color: 'red' as const }] }), true);
  assert.equal(compare(a, { ...a, segs: [{ text: 'y', color: 'red' as const }] }), false);
  assert.equal(compare(a, { ...a, width: 11 }), false);
});

test('a row looks exactly as Ink draws the same segments as nested <Text>s (colour, dim, bold, inverse, selection)', () => {
  const colors = [undefined, 'red', 'cyan', 'gray', 'blueBright'] as const;
  // Every combination of a segment's styles, several segments to a row, selected or not, colour on or off.
  const rows: Seg[][] = [];
  for (let n = 0; n < 64; n++) {
    rows.push([0, 1, 2].map((k) => {
      const bits = (n >> k) + k * 7 + n;
      return { text: k === 1 ? ` seg${n} ` : `x${k}`, color: colors[bits % colors.length], dim: (bits & 2) > 0, bold: (bits & 4) > 0, inverse: (bits & 8) > 0 };
    }));
  }
  const reference = (segs: Seg[], inverse: boolean, color: boolean) => (
    <Text inverse={inverse ? true : undefined}>
      {segs.map((s, i) => (
        <Text key={i} color={color ? s.color : undefined} dimColor={color && s.dim ? true : undefined} bold={s.bold ? true : undefined} inverse={s.inverse ? true : undefined}>{s.text}</Text>
      ))}
    </Text>
  );
  let styled = 0;
  for (const [i, segs] of rows.entries()) {
    for (const color of [true, false]) {
      const inverse = i % 3 === 0;
      const ours = renderFrame(<Line segs={segs} width={60} color={color} inverse={inverse} />).frame;
      const ink = renderFrame(reference(fitSegs(segs, 60, inverse), inverse, color)).frame;
      assert.equal(ours, ink, `row ${i}, colour ${color}, selected ${inverse}`);
      if (ours !== stripSgr(ours)) styled++;
    }
  }
  assert.ok(styled > 100, 'the frames carry styles (colour is on in this file)');
});

// ---------------------------------------------------------------- paneItems

test('paneItems lists exactly the rendered rows, in display order', () => {
  const snap = busySnapshot();
  const logs = sampleLogs();
  const failures = paneItems(snap, logs, view(), 'failures');
  assert.deepEqual(failures.map((i) => i.id), [
    'fail-1-0000-4000-8000-000000000000', 'fail-2-0000-4000-8000-000000000000',
    'stuck-1-000-4000-8000-000000000000', 'stuck-2-000-4000-8000-000000000000',
    'errres-1-00-4000-8000-000000000000',
  ]);
  assert.ok(failures.every((i) => i.kind === 'task' && i.queue === 'dsa110-pipeline'));
  // Same order on screen.
  const out = text(<FailuresPane {...failuresProps(snap, { height: 20 })} />);
  const names = ['convert-uvh5-to-ms', 'calibration-apply', 'photometry', 'crossmatch', 'validation'];
  assert.deepEqual([...names].sort((a, b) => out.indexOf(a) - out.indexOf(b)), names);

  const queue = paneItems(snap, logs, view(), 'queue');
  assert.deepEqual(queue.map((i) => i.id).slice(0, 3), ['run-1-0000-4000-8000-000000000000', 'run-2-0000-4000-8000-000000000000', 'run-3-0000-4000-8000-000000000000']);
  assert.equal(queue.length, 5, 'in-flight then recent, no duplicates');

  const multi = paneItems(multiQueueSnapshot(), logs, view(), 'queue');
  assert.deepEqual(multi.slice(0, 4).map((i) => [i.kind, i.id]), [['queue', 'dsa110-pipeline'], ['queue', 'dsa110-pipeline-dlq'], ['queue', 'dsa110-ingestion'], ['queue', 'dsa110-monitoring']]);

  const workers = paneItems(snap, logs, view(), 'workers');
  assert.deepEqual(workers.map((i) => i.id), [
    'dsa110-mosaic-daemon.service', 'dsa110-absurd-worker@1.service', 'dsa110-absurd-worker@2.service',
    'dsa110-absurd-worker@3.service', 'dsa110-absurd-worker@4.service', 'worker:lxd110h17-deadbeef',
  ]);
  assert.equal(findUnit(snap, 'dsa110-absurd-worker@2.service')?.instance, '2');
  assert.equal(findUnit(snap, 'worker:lxd110h17-deadbeef'), null);
  assert.equal(unitId({ name: 'a.service', host: 'ops@w2' }), 'ops@w2/a.service');

  assert.deepEqual(paneItems(snap, logs, view(), 'disks').map((i) => i.id), ['/data', '/data/incoming', '/stage', '/stage/dsa110-contimg']);
  const logItems = paneItems(snap, logs, view({ logFilter: { unit: null, text: 'CASA' } }), 'logs');
  assert.equal(logItems.length, 6);
  assert.ok(logItems.every((i) => i.kind === 'log'));
  assert.deepEqual(paneItems(snap, logs, view(), 'tasks'), []);
});

test('paneItems follows the queue selection', () => {
  const snap = multiQueueSnapshot();
  const onlyIngestion = paneItems(snap, [], view({ queue: 'dsa110-ingestion' }), 'failures');
  assert.deepEqual(onlyIngestion, []);
  const all = paneItems(snap, [], view({ queue: null }), 'failures');
  assert.equal(all.length, 5);
});
