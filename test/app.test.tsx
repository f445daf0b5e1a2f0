/** @jsxRuntime automatic */
// The interactive shell with fake sources at fixed sizes: selection by id, confirmation dialogs
// that capture their targets, disabled keys that say why, typed words, help, screens and quit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { ConfigInput } from '../src/config/schema.js';
import { LogBuffer } from '../src/data/logs/log-buffer.js';
import type { Snapshot } from '../src/data/snapshot.js';
import { App } from '../src/ui/app.js';
import type { TaskReader } from '../src/ui/screens/task-detail.js';
import type { BrowseQuery } from '../src/data/sources.js';
import { resolveKeymap } from '../src/ui/keymap.js';
import { FakeActions, FakePoller, fakeReader } from './helpers/console-fakes.js';
import { busySnapshot, NOW, sampleLogs, task, testConfig } from './helpers/snapshot-fixtures.js';
import { waitUntil } from './helpers/wait-until.js';

const keys = { enter: '\r', esc: '\x1b', down: '\x1b[B', left: '\x1b[D', tab: '\t' };

function start(opts: { config?: ConfigInput; snapshot?: Snapshot; columns?: number; rows?: number; reader?: TaskReader } = {}) {
  const config = testConfig({ color: false, ...opts.config });
  const poller = new FakePoller(opts.snapshot ?? busySnapshot());
  const actions = new FakeActions();
  const logs = new LogBuffer(500);
  logs.append(sampleLogs());
  const fake = fakeReader(() => poller.state.snapshot);
  const reader = opts.reader ?? fake;
  let quits = 0;
  const app = render(
    <App config={config} keymap={resolveKeymap(config)} poller={poller} logs={logs} actions={actions} reader={reader}
      target="postgres://absurd:***@db/dsa110_absurd" onQuit={() => { quits++; }}
      size={{ columns: opts.columns ?? 120, rows: opts.rows ?? 40 }} now={() => NOW} />,
  );
  const frame = () => app.lastFrame() ?? '';
  const see = (what: string | RegExp, timeoutMs = 5000) => waitUntil(
    () => (typeof what === 'string' ? frame().includes(what) : what.test(frame())),
    { what: `${String(what)} on screen; last frame:\n${frame()}`, timeoutMs },
  );
  const gone = (what: string) => waitUntil(() => !frame().includes(what), { what: `${what} to disappear; last frame:\n${frame()}` });
  /** Writes one key and waits until Ink has drawn whatever it changed (or a short settle). */
  const press = async (...sequence: string[]) => {
    for (const key of sequence) {
      const before = app.frames.length;
      app.stdin.write(key);
      await waitUntil(() => app.frames.length > before, { timeoutMs: 300 }).catch(() => undefined);
    }
  };
  const selectedLine = () => frame().split('\n').find((l) => l.includes('▸')) ?? '';
  return { app, poller, actions, browsed: fake.browsed, frame, see, gone, press, selectedLine, quits: () => quits };
}

const failedIds = () => busySnapshot().db!.failures.map((t) => t.id);

test('j/k move the selection by id, and it follows the task when a refresh reorders the rows', async () => {
  const ui = start();
  await ui.see('3 Failures');
  await ui.press('3');
  await ui.see(/▸ convert-uvh5-to-ms/);
  await ui.press('j');
  await ui.see(/▸ calibration-apply/);

  // Refresh: the two failures swap places and a new failure arrives on top.
  const base = busySnapshot();
  const [first, second] = base.db!.failures;
  const newest = task({ id: 'fail-9-0000-4000-8000-000000000000', name: 'imaging', state: 'failed', rawState: 'failed', completedAt: NOW, error: 'boom' });
  ui.poller.emit({ ...base, db: { ...base.db!, failures: [newest, second!, { ...first!, completedAt: NOW - 60 * 60_000 }] } });
  await ui.see(/failed \(3\)/);
  assert.match(ui.selectedLine(), /calibration-apply/, 'selection stayed on the same task id');

  // The selected task disappears (retried elsewhere): the row now at its position is selected.
  ui.poller.emit({ ...base, db: { ...base.db!, failures: [newest, first!] } });
  await ui.see(/failed \(2\)/);
  assert.match(ui.selectedLine(), /convert-uvh5-to-ms/);
  await ui.press('k');
  await ui.see(/▸ imaging/);
  ui.app.unmount();
});

test('r opens a dialog with the exact SQL; n, Esc and a bare Enter cancel without running anything', async () => {
  const ui = start();
  await ui.see('3 Failures');
  await ui.press('3', 'r');
  await ui.see(`SELECT absurd.retry_task('${failedIds()[0]}'::uuid)`);
  await ui.see('No');
  await ui.press('n');
  await ui.gone('Will run:');
  await ui.see('cancelled: nothing ran');
  await ui.press('r');
  await ui.see('Will run:');
  await ui.press(keys.esc);
  await ui.gone('Will run:');
  await ui.press('r');
  await ui.see('Will run:');
  await ui.press(keys.enter); // the dialog defaults to No
  await ui.gone('Will run:');
  assert.equal(ui.actions.ran.length, 0);
  assert.equal(ui.actions.planned.length, 3);
  ui.app.unmount();
});

test('y runs exactly the target captured when the dialog opened, even after the rows changed', async () => {
  const ui = start();
  await ui.see('3 Failures');
  await ui.press('3', 'j', 'r');
  const target = failedIds()[1]!;
  await ui.see(`retry_task('${target}'`);
  const base = busySnapshot();
  ui.poller.emit({ ...base, db: { ...base.db!, failures: [...base.db!.failures].reverse() } });
  await ui.press('y');
  await waitUntil(() => ui.actions.ran.length === 1, { what: 'run to be called' });
  assert.deepEqual(ui.actions.ran[0], { command: 'retry', tasks: [{ id: target, queue: 'dsa110-pipeline', state: 'failed' }] });
  await ui.see('retried 1 task');
  assert.ok(ui.poller.refreshes >= 1, 'an action is followed by an immediate refresh');
  ui.app.unmount();
});

test('Tab then Enter on Yes runs; the result of a refusal lands in the status line', async () => {
  const ui = start();
  ui.actions.result = { status: 'refused', action: 'cancel', reason: 'task is completed', commands: [] };
  await ui.see('1 Queue');
  await ui.press('1'); // in-flight tasks are listed first in the queue pane
  await ui.see(/▸ .*imaging/);
  await ui.press('c');
  await ui.see("cancel_task('run-1-0000");
  await ui.press(keys.tab, keys.enter);
  await waitUntil(() => ui.actions.ran.length === 1, { what: 'run' });
  await ui.see('refused: task is completed');
  ui.app.unmount();
});

test('a key that cannot act says why instead of doing nothing', async () => {
  const ui = start();
  await ui.see('4 Logs');
  await ui.press('4', 'r');
  await ui.see('no task selected — focus failures (3) and move to a failed task with j/k');
  await ui.press('1', 'r');
  await ui.see(/task run-1-00 is running; only failed tasks can be retried/);
  await ui.press('C');
  await ui.see('no queue selected — pick one with ]/[');
  assert.equal(ui.actions.planned.length, 0);
  ui.app.unmount();
});

test('read-only: no action in the footer or help, and the keys say so', async () => {
  const ui = start({ config: { readOnly: true } });
  await ui.see('3 Failures');
  const footer = ui.frame().split('\n').at(-1) ?? '';
  assert.doesNotMatch(footer, /retry|cancel|scale/);
  await ui.press('3', 'r');
  await ui.see('read-only mode: actions are disabled');
  await ui.press('?');
  await ui.see('Moving around');
  assert.doesNotMatch(ui.frame(), /Retry the selected failed task/);
  assert.equal(ui.actions.planned.length, 0);
  ui.app.unmount();
});

test('emergency stop needs the typed word: y, q and a wrong word do nothing', async () => {
  const ui = start();
  await ui.see('1 Queue');
  await ui.press('E');
  await ui.see('Type STOP to confirm');
  await ui.press('y', 'q', keys.enter);
  await ui.see('That is not "STOP"');
  assert.equal(ui.actions.ran.length, 0);
  await ui.press(keys.esc);
  await ui.gone('Type STOP');
  await ui.press('E');
  await ui.see('Type STOP to confirm');
  await ui.press('S', 'T', 'O', 'P');
  await ui.see('STOP ');
  await ui.press(keys.enter);
  await waitUntil(() => ui.actions.ran.length === 1, { what: 'emergency stop to run' });
  assert.deepEqual(ui.actions.ran[0], { command: 'emergency-stop' });
  assert.equal(ui.quits(), 0, 'q inside the text field was text, not quit');
  ui.app.unmount();
});

test('? lists the commands from the keymap; q closes it; q on the dashboard quits', async () => {
  const ui = start({ rows: 60, columns: 120 });
  await ui.see('1 Queue');
  await ui.press('?');
  await ui.see('Retry the selected failed task');
  await ui.see('Emergency stop');
  await ui.press('q');
  await ui.gone('Moving around');
  assert.equal(ui.quits(), 0);
  await ui.press('q');
  await waitUntil(() => ui.quits() === 1, { what: 'quit' });
  ui.app.unmount();
});

test('Enter opens the task detail: full error and params; Left goes back', async () => {
  const ui = start();
  await ui.see('3 Failures');
  await ui.press('3', keys.enter);
  await ui.see('Task fail-1-0');
  await ui.see('No space left on device');
  await ui.see('"subbands": 16');
  await ui.press('r'); // actions work from the detail too, on the task shown
  await ui.see(`retry_task('${failedIds()[0]}'`);
  await ui.press('n', keys.left);
  await ui.see('3 Failures');
  ui.app.unmount();
});

test('t browses the queue, f filters by state, Enter opens a task, q walks back', async () => {
  const ui = start();
  await ui.see('1 Queue');
  await ui.press('t');
  await ui.see('Tasks in dsa110-pipeline');
  await ui.see('all states');
  await ui.press('f', 'f'); // all -> pending -> running
  await ui.see('state=running');
  await waitUntil(() => ui.browsed.at(-1)?.states?.[0] === 'running', { what: 'a browse for running tasks' });
  assert.equal(ui.browsed.at(-1)?.queue, 'dsa110-pipeline');
  await ui.see('photometry'); // the first running task, newest first
  await ui.press(keys.enter);
  await ui.see('Task stuck-1');
  await ui.see('lxd110h17-deadbeef');
  await ui.press('q');
  await ui.see('state=running');
  await ui.press('q');
  await ui.see('1 Queue');
  assert.equal(ui.quits(), 0);
  ui.app.unmount();
});

test('/ in the logs pane filters the log lines by text', async () => {
  const ui = start();
  await ui.see('4 Logs');
  await ui.press('4', '/');
  await ui.see('Filter logs:');
  await ui.press('t', 'c', 'l', 'e', 'a', 'n', keys.enter);
  await ui.gone('Filter logs:');
  await ui.see('slow CASA call');
  assert.doesNotMatch(ui.frame(), /poll: 0 new files/);
  ui.app.unmount();
});

test('at 80×24 the dialog still fits and the frame stays under the row count', async () => {
  const ui = start({ columns: 80, rows: 24 });
  await ui.see('Failures');
  await ui.press('3', 'R');
  await ui.see('Will run:');
  const lines = ui.frame().split('\n');
  assert.ok(lines.length <= 23, `frame has ${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= 80));
  ui.app.unmount();
});

test('the task browser pages by keyset: moving past the last row loads the next, older page', async () => {
  const all = Array.from({ length: 130 }, (_, i) => task({ id: `t-${String(i).padStart(3, '0')}-0000-4000-8000-000000000000`, name: `task-${i}`, createdAt: NOW - i * 1000 }));
  const queries: BrowseQuery[] = [];
  const reader: TaskReader = {
    taskDetail: async () => null,
    async browse(query) {
      queries.push(query);
      const from = query.after ? all.findIndex((t) => t.id === query.after!.id) + 1 : 0;
      const tasks = all.slice(from, from + (query.limit ?? 50));
      const last = tasks.at(-1);
      return { tasks, next: from + tasks.length < all.length && last ? { createdAt: last.createdAt!, id: last.id } : null };
    },
  };
  const ui = start({ reader });
  await ui.see('1 Queue');
  await ui.press('t');
  await ui.see('more below');
  const first = queries.length;
  await ui.press('G');
  await waitUntil(() => queries.length > first, { what: 'a second page' });
  const loaded = queries.at(-1)!;
  const limit = queries[0]!.limit!;
  assert.deepEqual(loaded.after, { createdAt: NOW - (limit - 1) * 1000, id: all[limit - 1]!.id });
  await ui.see(`${Math.min(130, limit * 2)} loaded`);
  ui.app.unmount();
});
