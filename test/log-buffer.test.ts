import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBuffer, compileFilter } from '../src/data/logs/log-buffer.js';
import { LineSplitter } from '../src/data/logs/line-splitter.js';
import type { LogLine } from '../src/data/snapshot.js';

const line = (message: string, unit = 'dsa110-absurd-worker@1.service', priority = 6): LogLine =>
  ({ seq: 0, time: 1, unit, host: null, priority, message });

test('append stamps contiguous seqs and bumps the version only when lines arrive', () => {
  const buf = new LogBuffer(10);
  assert.equal(buf.version, 0);
  buf.append([]);
  assert.equal(buf.version, 0);
  const stamped = buf.append([line('a'), line('b')]);
  assert.deepEqual(stamped.map((l) => l.seq), [1, 2]);
  assert.equal(buf.version, 1);
  assert.equal(buf.lastSeq, 2);
  assert.equal(buf.firstSeq, 1);
  assert.equal(buf.at(2)?.message, 'b');
});

test('the ring keeps only the newest capacity lines and never grows', () => {
  const buf = new LogBuffer(100);
  for (let i = 0; i < 1050; i++) buf.append([line(`m${i}`)]);
  assert.equal(buf.size, 100);
  assert.equal(buf.firstSeq, 951);
  assert.equal(buf.lastSeq, 1050);
  assert.equal(buf.at(950), undefined);
  assert.equal(buf.at(951)?.message, 'm950');
  assert.deepEqual(buf.tail(3).map((l) => l.message), ['m1047', 'm1048', 'm1049']);
  // One batch larger than the ring: its newest lines survive, seqs still count every line.
  buf.append(Array.from({ length: 250 }, (_, i) => line(`big${i}`)));
  assert.equal(buf.size, 100);
  assert.equal(buf.lastSeq, 1300);
  assert.equal(buf.at(1201)?.message, 'big150');
  assert.equal(buf.tail(1)[0]?.message, 'big249');
});

test('tail, since and slice filter by unit, unit prefix, text (case-insensitive) and priority', () => {
  const buf = new LogBuffer(50);
  buf.append([
    line('Worker starting', 'dsa110-absurd-worker@1.service'),
    line('Found 3 groups', 'dsa110-mosaic-daemon.service'),
    line('Task FAILED: disk full', 'dsa110-absurd-worker@2.service', 3),
    line('idle', 'dsa110-absurd-worker@2.service'),
  ]);
  assert.deepEqual(buf.tail(10, { unit: 'dsa110-mosaic-daemon.service' }).map((l) => l.seq), [2]);
  assert.deepEqual(buf.tail(10, { unit: 'dsa110-absurd-worker@*' }).map((l) => l.seq), [1, 3, 4]);
  assert.deepEqual(buf.tail(10, { text: 'failed' }).map((l) => l.seq), [3]);
  assert.deepEqual(buf.tail(10, { text: 'a.s' }).map((l) => l.seq), [], 'text is literal, not a regex');
  assert.deepEqual(buf.tail(10, { maxPriority: 3 }).map((l) => l.seq), [3]);
  assert.deepEqual(buf.tail(10, { unit: 'dsa110-absurd-worker@2.service', text: 'IDLE' }).map((l) => l.seq), [4]);
  assert.deepEqual(buf.tail(1, { unit: 'dsa110-absurd-worker@*' }, 3).map((l) => l.seq), [3], 'anchored at endSeq');
  assert.deepEqual(buf.since(2).map((l) => l.seq), [3, 4]);
  assert.deepEqual(buf.since(0, { text: 'worker' }, 1).map((l) => l.seq), [1]);
  assert.deepEqual(buf.slice(2, 3).map((l) => l.seq), [2, 3]);
  assert.equal(buf.countMatching({ unit: 'dsa110-absurd-worker@*' }), 3);
  assert.deepEqual(buf.units(), ['dsa110-absurd-worker@1.service', 'dsa110-absurd-worker@2.service', 'dsa110-mosaic-daemon.service']);
  assert.equal(compileFilter({ unit: '', text: '  ' }), null);
});

test('clear empties the buffer but seqs keep increasing', () => {
  const buf = new LogBuffer(5);
  buf.append([line('a'), line('b')]);
  const v = buf.version;
  buf.clear();
  assert.equal(buf.size, 0);
  assert.ok(buf.version > v);
  assert.deepEqual(buf.tail(5), []);
  assert.equal(buf.append([line('c')])[0]?.seq, 3);
});

// How fast this is belongs to bench/logs.ts (tests do not time); here: bounded, newest kept, filters right.
test('5,000 lines per second for a minute keeps only the newest 5,000, and a filtered tail finds the newest matches', () => {
  const buf = new LogBuffer(5000);
  for (let s = 0; s < 60; s++) {
    const batch: LogLine[] = [];
    for (let i = 0; i < 5000; i++) batch.push(line(`second ${s} line ${i}`, `dsa110-absurd-worker@${i % 8}.service`));
    buf.append(batch);
  }
  assert.equal(buf.size, 5000);
  const view = buf.tail(40, { unit: 'dsa110-absurd-worker@3.service', text: 'LINE 4' });
  assert.equal(view.length, 40);
  assert.ok(view.every((l) => l.unit === 'dsa110-absurd-worker@3.service' && /line 4/.test(l.message)), 'only matching lines');
  assert.equal(view.at(-1)?.message, 'second 59 line 4995', 'the newest match last');
});

test('LineSplitter joins lines across chunk boundaries and truncates runaway lines', () => {
  const s = new LineSplitter(10);
  assert.deepEqual(s.push('ab'), []);
  assert.deepEqual(s.push('c\r\nde'), [{ text: 'abc', truncated: false }]);
  assert.deepEqual(s.push('f\n\n'), [{ text: 'def', truncated: false }, { text: '', truncated: false }]);
  // 25 characters in three chunks: cut at 10, the rest skipped up to the newline.
  assert.deepEqual(s.push('0123456'), []);
  assert.deepEqual(s.push('789abcdefghij'), [{ text: '0123456789', truncated: true }]);
  assert.deepEqual(s.push('klmno\nnext\n'), [{ text: 'next', truncated: false }]);
  assert.deepEqual(s.push('tail'), []);
  assert.deepEqual(s.flush(), [{ text: 'tail', truncated: false }]);
});
