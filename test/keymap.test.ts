import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Key } from 'ink';
import { ConfigError } from '../src/config/load-config.js';
import {
  commandTable, editText, footerHints, helpRows, keyOf, layerScopes, matchCommand, resolveKeymap, splitKeys, type Layer,
} from '../src/ui/keymap.js';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};
const k = (over: Partial<Key>): Key => ({ ...noKey, ...over });
const keymap = resolveKeymap({ keys: {} });
const layers = Object.keys(layerScopes) as Layer[];

test('every command is in the table once, has keys, a description and a scope some layer uses', () => {
  const ids = commandTable.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate command ids');
  for (const c of commandTable) {
    assert.ok(c.keys.length > 0, `${c.id} has no key`);
    assert.ok(c.description.length > 8, `${c.id} has no description`);
    assert.ok(layers.some((l) => layerScopes[l].includes(c.scope)), `${c.id}: scope ${c.scope} is in no layer`);
  }
});

test('the keys the issue asks for are bound', () => {
  const keysOf = (id: string) => keymap.byId.get(id as never)?.keys ?? [];
  const expected: Record<string, string[]> = {
    'focus-next': ['tab'], 'focus-prev': ['shift+tab'], 'focus-queue': ['1'], 'focus-tasks': ['6'],
    down: ['j', 'down'], up: ['k', 'up'], top: ['g'], bottom: ['G'], 'page-up': ['pageup'], 'page-down': ['pagedown'],
    open: ['enter'], back: ['escape', 'left', 'q'], filter: ['/'], help: ['?'], quit: ['q'], pause: ['p'],
    refresh: ['space'], browse: ['t'], retry: ['r'], 'retry-all': ['R'], cancel: ['c'], 'clear-queue': ['C'],
    'scale-up': ['+'], 'scale-down': ['-'], 'restart-unit': ['s'], 'emergency-stop': ['E'], reap: ['x'],
  };
  for (const [id, keys] of Object.entries(expected)) {
    for (const key of keys) assert.ok(keysOf(id).includes(key), `${id} should be bound to ${key}`);
  }
});

test('no key is bound twice within a layer', () => {
  for (const layer of layers) {
    const seen = new Map<string, string>();
    for (const c of keymap.commands.filter((c) => layerScopes[layer].includes(c.scope))) {
      for (const key of c.keys) {
        assert.equal(seen.get(key), undefined, `${layer}: ${key} bound to ${seen.get(key)} and ${c.id}`);
        seen.set(key, c.id);
      }
    }
  }
});

test('keyOf names what Ink reports; matchCommand respects layers', () => {
  assert.equal(keyOf('', k({ tab: true, shift: true })), 'shift+tab');
  assert.equal(keyOf('\r', k({ return: true })), 'enter');
  assert.equal(keyOf('', k({ escape: true, meta: true })), 'escape');
  assert.equal(keyOf(' ', noKey), 'space');
  assert.equal(keyOf('c', k({ ctrl: true })), 'ctrl+c');
  assert.equal(keyOf('G', k({ shift: true })), 'G');
  assert.equal(keyOf('jjj', noKey), null, 'a paste is not a key');
  assert.equal(matchCommand(keymap, 'q', noKey, 'dashboard'), 'quit');
  assert.equal(matchCommand(keymap, 'q', noKey, 'detail'), 'back');
  assert.equal(matchCommand(keymap, '', k({ leftArrow: true }), 'help'), 'back');
  assert.equal(matchCommand(keymap, 'n', noKey, 'dialog'), 'confirm-no');
  assert.equal(matchCommand(keymap, 'r', noKey, 'dialog'), null, 'a dialog does not dispatch actions');
  assert.equal(matchCommand(keymap, 'q', noKey, 'input'), null, 'a text field takes q as text');
  assert.equal(matchCommand(keymap, 'c', k({ ctrl: true }), 'input'), 'force-quit');
});

test('the help lists every command exactly once; read-only leaves out exactly the actions', () => {
  const rows = helpRows(keymap, false);
  assert.deepEqual(rows.map((r) => r.id).sort(), commandTable.map((c) => c.id).sort());
  const readOnly = helpRows(keymap, true).map((r) => r.id);
  const actions = commandTable.filter((c) => 'action' in c).map((c) => c.id);
  assert.ok(actions.length >= 9);
  for (const id of actions) assert.ok(!readOnly.includes(id), `${id} shown in read-only help`);
  assert.equal(readOnly.length, rows.length - actions.length);
});

test('footer hints follow the layer and hide actions in read-only mode', () => {
  const normal = footerHints(keymap, { layer: 'dashboard', readOnly: false, focus: 'failures' });
  assert.ok(normal.some((h) => h.label === 'retry' && h.keys === 'r'));
  assert.ok(normal.some((h) => h.label === 'quit'));
  assert.ok(!normal.some((h) => h.label === 'unit'), 'logs-pane hints only when the logs pane has focus');
  const readOnly = footerHints(keymap, { layer: 'dashboard', readOnly: true, focus: 'logs' });
  assert.ok(!readOnly.some((h) => ['retry', 'cancel', 'scale'].includes(h.label)));
  assert.ok(readOnly.some((h) => h.label === 'unit'));
  const dialog = footerHints(keymap, { layer: 'dialog', readOnly: false }).map((h) => h.label);
  assert.deepEqual(dialog, ['back', 'yes', 'no']);
});

test('rebinding replaces keys; the footer and matching follow it', () => {
  const rebound = resolveKeymap({ keys: { retry: ['ctrl+r', 'T'] } });
  assert.equal(matchCommand(rebound, 'r', k({ ctrl: true }), 'dashboard'), 'retry');
  assert.equal(matchCommand(rebound, 'r', noKey, 'dashboard'), null);
  assert.ok(footerHints(rebound, { layer: 'dashboard', readOnly: false }).some((h) => h.label === 'retry' && h.keys === 'C-r/T'));
});

test('bad rebinding is a config error that names the problem', () => {
  assert.throws(() => resolveKeymap({ keys: { 'retry-everything': ['r'] } }), (e: Error) =>
    e instanceof ConfigError && /keys\.retry-everything: unknown command/.test(e.message));
  assert.throws(() => resolveKeymap({ keys: { retry: ['c'] } }), (e: Error) =>
    e instanceof ConfigError && /"c" is bound to both "retry" and "cancel"/.test(e.message));
  assert.throws(() => resolveKeymap({ keys: { retry: ['ctrl+'] } }), (e: Error) =>
    e instanceof ConfigError && /keys\.retry: "ctrl\+" is not a key/.test(e.message));
  assert.throws(() => resolveKeymap({ keys: { retry: [] } }), /at least one key/);
  // The same key in different layers is fine: y is only a dialog key.
  assert.doesNotThrow(() => resolveKeymap({ keys: { browse: ['y'] } }));
});

test('editText edits a field: printable text, paste, backspace, ctrl+u; commands are not edits', () => {
  assert.equal(editText('ab', 'c', noKey), 'abc');
  assert.equal(editText('ab', 'q', noKey), 'abq');
  assert.equal(editText('ab', ' ', noKey), 'ab ');
  assert.equal(editText('ab', 'xy\x1bz', noKey), 'abxyz');
  assert.equal(editText('ab', '', k({ backspace: true })), 'a');
  assert.equal(editText('ab', 'u', k({ ctrl: true })), '');
  assert.equal(editText('ab', '\r', k({ return: true })), null);
  assert.equal(editText('ab', '', k({ upArrow: true })), null);
});

test('keys that arrive in one chunk are split into single keys', () => {
  const names = (input: string, key: Key = noKey) => splitKeys(input, key).map(([i, kk]) => keyOf(i, kk));
  assert.deepEqual(names('jjG'), ['j', 'j', 'G']);
  assert.deepEqual(names('3\r'), ['3', 'enter']);
  assert.deepEqual(names('a\tb\x7f'), ['a', 'tab', 'b', 'backspace']);
  assert.deepEqual(names('\x03q'), ['ctrl+c', 'q']);
  assert.deepEqual(names('', k({ upArrow: true })), ['up'], 'a named key stays one key');
  assert.deepEqual(names('r', k({ ctrl: true })), ['ctrl+r']);
});

test('the ? overlay lists every command description exactly once, with its keys', async () => {
  const { helpLines } = await import('../src/ui/overlays/help-overlay.js');
  const text = helpLines(keymap, false).map((segs) => segs.map((s) => s.text).join('')).join('\n');
  for (const c of commandTable) {
    assert.equal(text.split(c.description).length - 1, 1, `${c.id} listed once`);
  }
  assert.match(text, /r\s+Retry the selected failed task/);
  const readOnly = helpLines(keymap, true).map((segs) => segs.map((s) => s.text).join('')).join('\n');
  assert.doesNotMatch(readOnly, /Retry the selected failed task|Emergency stop/);
});
