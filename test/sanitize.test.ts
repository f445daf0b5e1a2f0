import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstLine, sanitize, sanitizeLine, sanitizeMultiline } from '../src/text/sanitize.js';
import { HOSTILE, HOSTILE_ALL, HUGE_ERROR } from './helpers/snapshot-fixtures.js';

// Anything a terminal would act on: C0 (minus none: even \n is not allowed in single-line output),
// DEL, C1, lone surrogates, bidi overrides.
const dangerous = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

test('escape sequences are removed, the text around them kept', () => {
  const table: Array<[string, string]> = [
    ['\x1b]0;pwned\x07hello', 'hello'], // OSC title, BEL-terminated
    ['\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\', 'link'], // OSC 8 hyperlink, ST-terminated
    ['\x1b[2J\x1b[Hclear', 'clear'], // CSI
    ['\x1b[31;1mRED\x1b[0m', 'RED'], // SGR
    ['\x1b[?1049h\x1b[?25lalt', 'alt'], // private modes
    ['\x1bPqsixel\x1b\\after', 'after'], // DCS
    ['\x1b_apc\x1b\\x', 'x'], // APC
    ['\x1bcreset', 'reset'], // RIS
    ['\x1b(Bcharset', 'charset'],
    ['x\x9b31mred', 'xred'], // 8-bit CSI
    ['\x9d0;t\x9cok', 'ok'], // 8-bit OSC with 8-bit ST
    ['\x1b\x1b[31m[2Jnested', '2Jnested'], // removal cannot form a new sequence
  ];
  for (const [input, want] of table) assert.equal(sanitize(input), want, JSON.stringify(input));
});

test('left-over control characters are shown harmlessly', () => {
  const table: Array<[string, string]> = [
    ['a\x00b', 'a␀b'],
    ['ding\x07dong', 'ding␇dong'],
    ['back\x08space', 'back␈space'],
    ['del\x7f', 'del␡'],
    ['lone esc\x1b', 'lone esc␛'],
    ['unterminated \x1b]0;title', 'unterminated 0;title'],
    ['c1\x80\x9f', 'c1\ufffd\ufffd'],
    ['half\ud800pair', 'half\ufffdpair'],
    ['\udc00tail', '\ufffdtail'],
    ['emoji 🔭 stays', 'emoji 🔭 stays'],
    ['abc\u202edcba\u2066x\u2069', 'abcdcbax'],
    ['\ufeffbom', 'bom'],
    ['bad \ufffd\ufffd kept', 'bad \ufffd\ufffd kept'],
  ];
  for (const [input, want] of table) assert.equal(sanitize(input), want, JSON.stringify(input));
});

test('single-line collapses newlines and tabs; multi-line keeps lines and expands tabs', () => {
  assert.equal(sanitize('first line\n\tsecond\tline\r\nthird'), 'first line second line third');
  assert.equal(sanitize('  lead\n\n\ntrail  '), 'lead trail');
  assert.equal(sanitize('a  b'), 'a  b');
  assert.equal(sanitize('progress 10%\rprogress 99%'), 'progress 10% progress 99%');
  assert.equal(sanitize('a\u2028b\u2029c\x85d'), 'a b c d');
  assert.equal(sanitizeMultiline('first\n\tsecond\r\nthird\rfourth'), 'first\n    second\nthird\nfourth');
  assert.equal(sanitize('ab\tc', { multiline: true, tabWidth: 4 }), 'ab  c');
  assert.equal(sanitizeMultiline('x\x1b[2Jy\x00\nz'), 'xy␀\nz');
});

test('length is capped before the expensive work, with an ellipsis', () => {
  const started = performance.now();
  const out = sanitize(HUGE_ERROR, { maxLength: 200 });
  assert.ok(performance.now() - started < 50, 'a 1 MB error is cut first');
  assert.equal(out.length, 200);
  assert.ok(out.endsWith('…'));
  assert.ok(out.startsWith('Traceback (most recent call last): E'));
  assert.equal(sanitize('x'.repeat(2000)).length, 1000);
  assert.equal(sanitize('short', { maxLength: 10 }), 'short');
  // Never half a surrogate pair at the cut.
  const emoji = sanitize('🔭'.repeat(10), { maxLength: 4 });
  assert.ok(!dangerous.test(emoji), JSON.stringify(emoji));
  assert.equal(sanitize('🔭🔭🔭', { maxLength: 3 }), '🔭…');
});

test('combining-mark towers are cut to four marks', () => {
  const zalgo = `z${'\u0301'.repeat(50)}a`;
  assert.equal(sanitize(zalgo), `z${'\u0301'.repeat(4)}a`);
  assert.equal(sanitize('e\u0301'), 'e\u0301');
});

test('non-strings and empty values', () => {
  assert.equal(sanitize(null), '');
  assert.equal(sanitize(undefined), '');
  assert.equal(sanitize(42), '42');
  assert.equal(sanitizeLine(''), '');
  assert.equal(firstLine(null), '');
});

test('firstLine picks the first non-blank line of a huge multi-line error', () => {
  assert.equal(firstLine('\n\n  Traceback: boom  \nmore'), 'Traceback: boom');
  assert.equal(firstLine(`${HOSTILE.osc}OSError: no space\n${'x'.repeat(1 << 20)}`), 'OSError: no space');
  assert.equal(firstLine('x'.repeat(1 << 20), 80).length, 80);
  assert.equal(firstLine('\x1b[31m\n\x1b[0merror here'), 'error here');
});

test('no hostile sample leaves anything dangerous behind', () => {
  for (const [name, sample] of Object.entries(HOSTILE)) {
    for (const out of [sanitize(sample), sanitizeLine(sample, 20), firstLine(sample)]) {
      assert.ok(!dangerous.test(out), `${name}: ${JSON.stringify(out)}`);
    }
    const multi = sanitizeMultiline(sample);
    assert.ok(!dangerous.test(multi.replace(/\n/g, '')), `${name} multi: ${JSON.stringify(multi)}`);
  }
  assert.ok(!dangerous.test(sanitize(HOSTILE_ALL)));
  assert.ok(!dangerous.test(sanitize(HUGE_ERROR)));
  // Random bytes decoded as latin1 (every C0/C1 code point) come out clean too.
  let seed = 7;
  for (let i = 0; i < 200; i++) {
    const chars = Array.from({ length: 64 }, () => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return String.fromCharCode(seed % 0xe000); });
    const out = sanitize(chars.join(''));
    assert.ok(!dangerous.test(out), JSON.stringify(out));
  }
});
