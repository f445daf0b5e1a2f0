import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureRequest } from '../src/ui/action-requests.js';
import { disabledReason, type CommandContext } from '../src/ui/command-availability.js';
import { resolveKeymap } from '../src/ui/keymap.js';
import { busySnapshot, disconnectedSnapshot, noUnitsSnapshot } from './helpers/snapshot-fixtures.js';

const keymap = resolveKeymap({ keys: {} });
const busy = busySnapshot();
const failed = busy.db!.failures[0]!;
const running = busy.db!.inFlight[0]!;

function ctx(over: Partial<CommandContext> = {}): CommandContext {
  return {
    keymap, layer: 'dashboard', readOnly: false, focus: 'failures', snapshot: busy, queue: 'dsa110-pipeline',
    task: null, unit: null, failuresInView: busy.db!.failures, stuckInView: busy.db!.stuck, ...over,
  };
}

const cases: [string, Parameters<typeof disabledReason>[0], Partial<CommandContext>, RegExp | null][] = [
  ['retry without selection', 'retry', {}, /^no task selected — focus failures \(3\) and move to a failed task with j\/k$/],
  ['retry on a failed task', 'retry', { task: failed }, null],
  ['retry on a running task', 'retry', { task: running }, /is running; only failed tasks can be retried/],
  ['retry in read-only mode', 'retry', { task: failed, readOnly: true }, /^read-only mode/],
  ['retry with the database down', 'retry', { task: failed, snapshot: disconnectedSnapshot() }, /^database is down \(unreachable: connect ECONNREFUSED/],
  ['cancel a failed task', 'cancel', { task: failed }, /is failed; only pending or running tasks can be cancelled/],
  ['cancel a running task', 'cancel', { task: running }, null],
  ['retry all with nothing failed', 'retry-all', { failuresInView: [] }, /no failed tasks in view/],
  ['reap with nothing stuck', 'reap', { stuckInView: [] }, /no stuck tasks in view/],
  ['clear with all queues selected', 'clear-queue', { queue: null }, /no queue selected — pick one with ]\/\[/],
  ['scale without systemctl', 'scale-up', { snapshot: noUnitsSnapshot() }, /^systemctl unavailable: systemctl: not found/],
  ['restart without a unit', 'restart-unit', {}, /no unit selected — focus workers \(2\)/],
  ['restart a unit', 'restart-unit', { unit: busy.units.units[1]! }, null],
  ['emergency stop', 'emergency-stop', {}, null],
  ['emergency stop read-only', 'emergency-stop', { readOnly: true }, /read-only/],
  ['open without a task', 'open', {}, /no task selected/],
  ['filter outside logs', 'filter', { focus: 'queue' }, /filters the logs pane \(4\)/],
  ['filter in logs', 'filter', { focus: 'logs' }, null],
  ['filter in the browser', 'filter', { focus: 'queue', layer: 'browser' }, null],
  ['navigation is always available', 'down', {}, null],
];

for (const [name, id, over, expected] of cases) {
  test(`availability: ${name}`, () => {
    const reason = disabledReason(id, ctx(over));
    if (expected === null) assert.equal(reason, null);
    else assert.match(reason ?? '(available)', expected);
  });
}

test('reasons name the keys as rebound', () => {
  const rebound = resolveKeymap({ keys: { down: ['ctrl+n'], up: ['ctrl+p'] } });
  assert.match(disabledReason('retry', ctx({ keymap: rebound })) ?? '', /with C-n\/C-p$/);
});

test('captured requests hold explicit targets and the state the operator saw', () => {
  assert.deepEqual(captureRequest('retry', ctx({ task: failed })), { command: 'retry', tasks: [{ id: failed.id, queue: failed.queue, state: failed.rawState }] });
  assert.deepEqual(captureRequest('retry-all', ctx()), { command: 'retry', tasks: busy.db!.failures.map((t) => ({ id: t.id, queue: t.queue, state: t.rawState })) });
  assert.deepEqual(captureRequest('scale-up', ctx()), { command: 'scale', workers: 4, current: 3 });
  assert.deepEqual(captureRequest('scale-down', ctx()), { command: 'scale', workers: 2, current: 3 });
  assert.deepEqual(captureRequest('restart-unit', ctx({ unit: busy.units.units[0]! })), { command: 'restart', unit: { name: 'dsa110-mosaic-daemon.service', host: null } });
  assert.equal(captureRequest('down', ctx()), null);
});
