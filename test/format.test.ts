import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bar, displayWidth, fit, fitColumns, formatAge, formatBytes, formatCount, formatDuration, formatMs,
  formatPct, formatRate, formatRatio, formatSpan, healthColor, priorityColor, relativeTime, renderRow, sliceToWidth,
  sparkline, stateColor, stateLabel, truncate, unitStateColor,
} from '../src/text/format/index.js';

test('formatDuration: two units at most, largest first', () => {
  const table: Array<[number | null, string]> = [
    [0, '0s'], [3, '3s'], [59.9, '59s'], [60, '1m00s'], [252, '4m12s'], [3599, '59m59s'],
    [3600, '1h00m'], [7500, '2h05m'], [86_399, '23h59m'], [86_400, '1d0h'], [273_600, '3d4h'],
    [100 * 86_400, '100d'], [-5, '0s'], [null, '-'], [Number.NaN, '-'], [Number.POSITIVE_INFINITY, 'never'],
  ];
  for (const [input, want] of table) assert.equal(formatDuration(input), want, `formatDuration(${input})`);
});

test('formatMs, formatAge, relativeTime, formatSpan', () => {
  assert.equal(formatMs(0), '0ms');
  assert.equal(formatMs(250.4), '250ms');
  assert.equal(formatMs(1234), '1.2s');
  assert.equal(formatMs(65_000), '1m05s');
  assert.equal(formatMs(null), '-');
  const now = 1_000_000_000;
  assert.equal(formatAge(now - 252_000, now), '4m', 'minutes only: the screen moves once a minute');
  assert.equal(formatAge(now - 42_400, now), '42s');
  assert.equal(formatAge(now - 7_500_000, now), '2h05m');
  assert.equal(formatDuration(252), '4m12s', 'a fixed duration keeps its seconds');
  assert.equal(formatAge(now + 5000, now), '0s');
  assert.equal(formatAge(null, now), '-');
  assert.equal(formatAge(Number.NEGATIVE_INFINITY, now), 'never');
  assert.equal(relativeTime(now - 252_000, now), '4m ago');
  assert.equal(relativeTime(now + 30_000, now), 'in 30s');
  assert.equal(relativeTime(now - 200, now), 'just now');
  assert.equal(relativeTime(null, now), 'never');
  assert.equal(formatSpan(420), '7 min');
  assert.equal(formatSpan(45), '45s');
  assert.equal(formatSpan(7500), '2h05m');
});

test('formatBytes: df -h style, base 1024', () => {
  const table: Array<[number | null, string]> = [
    [0, '0B'], [512, '512B'], [1536, '1.5K'], [10 * 1024, '10K'], [212 * 1024 ** 2, '212M'],
    [1.25 * 1024 ** 3, '1.3G'], [3.4 * 1024 ** 4, '3.4T'], [1023.9 * 1024, '1.0M'], [null, '-'], [-1, '-'],
  ];
  for (const [input, want] of table) assert.equal(formatBytes(input), want, `formatBytes(${input})`);
});

test('percentages, ratios, counts and rates', () => {
  assert.equal(formatPct(93.2), '93%');
  assert.equal(formatPct(0.42), '0.4%');
  assert.equal(formatPct(0), '0%');
  assert.equal(formatPct(null), '-');
  assert.equal(formatRatio(0.32), '32%');
  assert.equal(formatRatio(2 / 86), '2%');
  const counts: Array<[number, string]> = [
    [0, '0'], [999, '999'], [9999, '9999'], [12_345, '12.3k'], [123_456, '123k'], [999_950, '1.0M'],
    [1_234_567, '1.2M'], [12_345_678, '12.3M'], [2_500_000_000, '2.5G'], [-12_345, '-12.3k'],
  ];
  for (const [input, want] of counts) assert.equal(formatCount(input), want, `formatCount(${input})`);
  assert.equal(formatRate(0), '0/m');
  assert.equal(formatRate(1.64), '1.6/m');
  assert.equal(formatRate(12.4), '12/m');
});

test('states have a label, a short label and a colour', () => {
  assert.equal(stateLabel('running'), 'running');
  assert.equal(stateLabel('completed', true), 'done');
  assert.equal(stateColor('failed'), 'red');
  assert.equal(stateColor('completed'), 'green');
  assert.equal(stateColor('running'), 'yellow');
  assert.equal(unitStateColor('active'), 'green');
  assert.equal(unitStateColor('failed'), 'red');
  assert.equal(unitStateColor('inactive'), 'gray');
  assert.equal(priorityColor(3), 'red');
  assert.equal(priorityColor(4), 'yellow');
  assert.equal(priorityColor(6), undefined);
  assert.equal(healthColor('disconnected'), 'red');
});

test('sparkline scales from zero to the maximum and keeps the newest values', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([0, 0, 0], 3), '▁▁▁');
  assert.equal(sparkline([5, 5], 2), '██');
  assert.equal(sparkline([1, 2, 3, 100], 2), '▁█');
  assert.equal(sparkline([], 5), '');
  assert.equal(sparkline([1, 2], 0), '');
  assert.equal(sparkline([Number.NaN, 4], 2), '▁█');
  assert.equal(sparkline([1, 2], 2, { max: 4 }), '▃▅');
});

test('bar fills in eighths and is always exactly the width', () => {
  assert.equal(bar(0, 10), '░░░░░░░░░░');
  assert.equal(bar(100, 10), '██████████');
  assert.equal(bar(50, 10), '█████░░░░░');
  assert.equal(bar(93, 10), '█████████▎');
  assert.equal(bar(150, 4), '████');
  for (let p = 0; p <= 100; p += 7) assert.equal(displayWidth(bar(p, 13)), 13, `bar(${p})`);
  assert.equal(bar(null, 3), '?  ');
});

test('truncate and fit are display-width aware', () => {
  const table: Array<[string, number, string]> = [
    ['hello', 10, 'hello'],
    ['hello world', 5, 'hell…'],
    ['hello', 5, 'hello'],
    ['hello', 1, '…'],
    ['hello', 0, ''],
    ['日本語のテキスト', 7, '日本語…'],
    ['日本語', 6, '日本語'],
    ['日本語', 5, '日本…'],
    ['🔭🔭🔭', 4, '🔭…'],
    ['e\u0301e\u0301e\u0301e\u0301', 3, 'e\u0301e\u0301…'],
    ['👩‍👩‍👧‍👦 family', 3, '👩‍👩‍👧‍👦…'],
  ];
  for (const [text, width, want] of table) {
    const got = truncate(text, width);
    assert.equal(got, want, `truncate(${JSON.stringify(text)}, ${width})`);
    assert.ok(displayWidth(got) <= width);
  }
  assert.equal(fit('ab', 5), 'ab   ');
  assert.equal(fit('ab', 5, 'right'), '   ab');
  assert.equal(fit('日本語', 5), '日本…');
  assert.equal(fit('日本語', 4), '日… ');
  assert.equal(displayWidth(fit('x'.repeat(100_000), 40)), 40);
  assert.equal(sliceToWidth('ab日c', 3), 'ab');
});

test('fitColumns: shrink growers, drop by priority, grow into spare room', () => {
  const specs = [
    { key: 'id', width: 8 },
    { key: 'name', width: 30, minWidth: 10, grow: true },
    { key: 'age', width: 6, align: 'right' as const, drop: 2 },
    { key: 'worker', width: 20, drop: 1 },
  ];
  assert.deepEqual(fitColumns(specs, 80).map((c) => [c.key, c.width]), [['id', 8], ['name', 43], ['age', 6], ['worker', 20]]);
  assert.deepEqual(fitColumns(specs, 48).map((c) => [c.key, c.width]), [['id', 8], ['name', 11], ['age', 6], ['worker', 20]]);
  // worker (drop 1) outlives age (drop 2)
  assert.deepEqual(fitColumns(specs, 40).map((c) => [c.key, c.width]), [['id', 8], ['name', 10], ['worker', 20]]);
  assert.deepEqual(fitColumns(specs, 25).map((c) => [c.key, c.width]), [['id', 8], ['name', 16]]);
  assert.deepEqual(fitColumns(specs, 12).map((c) => [c.key, c.width]), [['id', 8], ['name', 3]]);
  assert.deepEqual(fitColumns(specs, 5).map((c) => [c.key, c.width]), [['id', 5]]);
  assert.deepEqual(fitColumns(specs, 0), []);
  for (let w = 1; w < 120; w++) {
    const cols = fitColumns(specs, w);
    const row = renderRow(cols, { id: 'abcdefgh', name: '日本語'.repeat(20), age: '4m12s', worker: 'lxd110h17-1a2b3c4d' });
    assert.ok(displayWidth(row) <= w, `row at ${w} is ${displayWidth(row)} wide`);
  }
  assert.equal(renderRow(fitColumns(specs, 48), { id: 'a', name: 'b', age: '3s', worker: 'w' }), `a        b               3s w${' '.repeat(19)}`);
});
