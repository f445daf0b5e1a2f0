/** @jsxRuntime automatic */
// Unit names in the workers pane and the logs pane's unit column, at the sizes operators use: a
// narrow column drops ".service" and the prefix the configured units share ("dsa110-") rather
// than cutting the start off ("…0-mosaic-daemon"), and a wide one shows the full name.
import './helpers/color-off.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dashboard } from '../src/ui/panes/dashboard.js';
import type { DashboardProps } from '../src/ui/view-state.js';
import { assertFits, renderFrame } from './helpers/frame.js';
import { dashboardProps, view } from './helpers/snapshot-fixtures.js';

function frameOf(over: Partial<DashboardProps>): string {
  const props = dashboardProps(over);
  const { frame } = renderFrame(<Dashboard {...props} />);
  assertFits(frame, props.size);
  return frame;
}

/** The rows of the workers pane, from its title to the next pane's title (left column when side by side). */
function workersRows(frame: string, columns: number): string[] {
  const lines = frame.split('\n').map((l) => (columns >= 110 ? l.slice(0, Math.floor((columns - 1) / 2)) : l));
  const from = lines.findIndex((l) => l.includes('2 Workers'));
  const to = lines.findIndex((l, i) => i > from && /^[─━] +\d /.test(l));
  return lines.slice(from + 1, to < 0 ? undefined : to);
}

test('120×40: short unit labels that keep the producer readable and the worker instance', () => {
  const size = { columns: 120, rows: 40 };
  for (const focus of ['workers', 'logs'] as const) {
    const frame = frameOf({ size, view: view({ focus }) });
    const rows = workersRows(frame, size.columns).join('\n');
    assert.match(rows, /^ {2}mosaic-daemon +running/m, rows);
    for (const n of [1, 2, 3]) assert.match(rows, new RegExp(`^ {2}absurd-worker@${n} +running`, 'm'), rows);
    assert.match(rows, /^ {2}absurd-worker@4 +failed/m, rows);
    assert.ok(!frame.includes('…-absurd-worker') && !frame.includes('…0-mosaic-daemon'), 'no name is cut from the left');
    assert.match(frame, /mosaic-daemon {4}warn +slow CASA call/);
    assert.match(frame, /absurd-worker@1 {2}err +OSError/);
  }
});

test('80×24: the full-width workers pane shows full names, the logs unit column the short labels', () => {
  const size = { columns: 80, rows: 24 };
  const workers = workersRows(frameOf({ size, view: view({ focus: 'workers' }) }), size.columns).join('\n');
  assert.match(workers, /^ {2}dsa110-mosaic-daemon +running/m, workers);
  assert.match(workers, /^ {2}dsa110-absurd-worker@1 +running/m, workers);
  const logs = frameOf({ size, view: view({ focus: 'logs' }) });
  assert.match(logs, /\d\d:\d\d:\d\d mosaic-daemon {4}warn +slow CASA call/);
  assert.match(logs, /\d\d:\d\d:\d\d absurd-worker@1 {2}err +OSError/);
  assert.match(logs, /\d\d:\d\d:\d\d absurd-worker@2 {8}\S/);
  assert.ok(!logs.includes('…-absurd-worker') && !logs.includes('…0-mosaic-daemon'), 'no name is cut from the left');
});

test('200×60: wide enough for the full names everywhere', () => {
  const frame = frameOf({ size: { columns: 200, rows: 60 }, view: view({ focus: 'logs' }) });
  assert.match(frame, /^ {2}dsa110-mosaic-daemon +running/m);
  assert.match(frame, /dsa110-absurd-worker@1 +err +OSError/);
  assert.match(frame, /dsa110-mosaic-daemon +warn +slow CASA call/);
});
