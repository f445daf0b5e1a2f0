import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { enterFullScreen, ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, SHOW_CURSOR } from '../src/ui/terminal.js';

function fakes() {
  const written: string[] = [];
  const rawModes: boolean[] = [];
  const exits: number[] = [];
  const proc = Object.assign(new EventEmitter(), { exit: (code?: number) => { exits.push(code ?? 0); } });
  const streams = {
    stdout: { write: (s: string) => { written.push(s); return true; } },
    stdin: { isTTY: true, setRawMode: (m: boolean) => { rawModes.push(m); } },
  };
  return { written, rawModes, exits, proc, streams };
}
const restored = SHOW_CURSOR + LEAVE_ALT_SCREEN;

test('enter writes the alternate screen; restore shows the cursor, leaves raw mode and the alt screen, once', () => {
  const f = fakes();
  const session = enterFullScreen(f.streams, f.proc);
  assert.deepEqual(f.written, [ENTER_ALT_SCREEN]);
  session.restore();
  session.restore();
  assert.deepEqual(f.written, [ENTER_ALT_SCREEN, restored]);
  assert.deepEqual(f.rawModes, [false]);
  assert.equal(session.restored, true);
  assert.equal(f.proc.listenerCount('SIGTERM'), 0, 'handlers are removed on restore');
});

for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const) {
  test(`${signal} restores the terminal, then asks the app to quit with exit code ${code}`, () => {
    const f = fakes();
    const seen: [string, number][] = [];
    enterFullScreen(f.streams, f.proc, { onSignal: (s, c) => seen.push([s, c]) });
    f.proc.emit(signal);
    assert.equal(f.written.at(-1), restored);
    assert.deepEqual(seen, [[signal, code]]);
  });
}

test('without an onSignal handler a signal exits with 128 + signal number', () => {
  const f = fakes();
  enterFullScreen(f.streams, f.proc);
  f.proc.emit('SIGTERM');
  assert.deepEqual(f.exits, [143]);
});

for (const event of ['uncaughtException', 'unhandledRejection']) {
  test(`${event}: the terminal comes back before the error is reported, exit code 1`, () => {
    const f = fakes();
    const order: string[] = [];
    f.streams.stdout.write = (s: string) => { order.push(s === restored ? 'restored' : 'other'); return true; };
    enterFullScreen(f.streams, f.proc, { report: () => order.push('reported') });
    f.proc.emit(event, new Error('boom'));
    assert.deepEqual(order, ['other', 'restored', 'reported']);
    assert.deepEqual(f.exits, [1]);
  });
}

test('process exit restores too, and a closed terminal does not throw', () => {
  const f = fakes();
  f.streams.stdin.setRawMode = () => { throw new Error('EIO'); };
  enterFullScreen(f.streams, f.proc);
  f.streams.stdout.write = () => { throw new Error('EPIPE'); };
  assert.doesNotThrow(() => f.proc.emit('exit'));
});
