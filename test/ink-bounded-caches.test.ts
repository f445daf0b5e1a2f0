// Ink 6.8 memoises every text it measures or wraps forever (vadimdemedes/ink#986); the bin is
// built with bounded replacements. They must answer exactly as Ink's own modules do, stay
// within their capacity, and actually be the ones the built bin uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import measureText, { measureCache } from '../src/ui/ink/measure-text.js';
import wrapText, { wrapCache } from '../src/ui/ink/wrap-text.js';
import { BoundedCache } from '../src/text/bounded-cache.js';
import cachedStringWidth, { oneColumnEach } from '../src/text/format/string-width.js';
import stringWidth from 'string-width';
import CachedOutput, { rowCache, sharedOutputCaches } from '../src/ui/ink/output.js';
import sanitizeAnsi, { sanitizeCache } from '../src/ui/ink/sanitize-ansi.js';
import { styledCharsOf } from '../src/ui/ink/styled-chars.js';
import { styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize';

const repo = fileURLToPath(new URL('..', import.meta.url));
const inkBuild = join(repo, 'node_modules/ink/build');
const samples = ['', 'plain', 'two\nlines longer', '\u001b[1mpane\u001b[22m\n\n  全角 row\n\u001b[7mselected\u001b[27m\n', '\u001b[31mred\u001b[39m text', '全角 wide', 'a'.repeat(300)];

test('measure-text and wrap-text give the same answers as Ink 6.8 own modules', async () => {
  const inkMeasure = (await import(join(inkBuild, 'measure-text.js'))).default as typeof measureText;
  const inkWrap = (await import(join(inkBuild, 'wrap-text.js'))).default as typeof wrapText;
  for (const text of samples) {
    assert.deepEqual(measureText(text), inkMeasure(text), JSON.stringify(text));
    for (const mode of ['wrap', 'truncate', 'truncate-middle', 'truncate-start']) {
      assert.equal(wrapText(text, 7, mode), inkWrap(text, 7, mode), `${mode} ${JSON.stringify(text)}`);
    }
  }
});

test('sanitize-ansi keeps colours and strips cursor moves, screen clears and C1 controls as Ink 6.8 does, asked once or twice', async () => {
  const inkSanitize = (await import(join(inkBuild, 'sanitize-ansi.js'))).default as typeof sanitizeAnsi;
  const texts = [
    'plain', '\u001b[31mred\u001b[39m', 'a\u001b[2Jb\u001b[Hc', '\u001b]8;;https://x\u0007link\u001b]8;;\u0007', 'c1 \u009b2J here', '\u001b[38;5;208morange\u001b[0m \u001b[1A up',
  ];
  for (const text of texts) {
    for (let i = 0; i < 2; i++) assert.equal(sanitizeAnsi(text), inkSanitize(text), JSON.stringify(text));
  }
  assert.equal(sanitizeAnsi('a\u001b[2Jb'), 'ab');
  for (let i = 0; i < 3000; i++) sanitizeAnsi(`\u001b[32mline ${i}\u001b[1A`);
  assert.equal(sanitizeCache.size, 1000, 'bounded');
});

test('sanitize-ansi gives Ink 6.8 results for multi-line texts mixing colours with other sequences, and leaves styled-only text uncached', async () => {
  const inkSanitize = (await import(join(inkBuild, 'sanitize-ansi.js'))).default as typeof sanitizeAnsi;
  // Pieces a pane's text is made of (chalk's SGR, newlines) and the ones Ink must strip or keep,
  // including strings that span a newline (an OSC, a DCS) and an SGR with an intermediate byte.
  const pieces = ['row', ' ', '\n', '\u001b[31m', '\u001b[39m', '\u001b[1;7m', '\u001b[38;5;208m', '\u001b[0m', '\u001b[2J', '\u001b[1A',
    '\u001b]8;;https://x\u0007', '\u001b]0;ti\ntle\u0007', '\u001bP1\n2\u001b\\', '\u009b2J', '\u001b[ m', '\u001b[3:4m', '\u001b', 'é'];
  let seed = 7;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed; };
  for (let n = 0; n < 2000; n++) {
    let text = '';
    for (let k = next() % 12; k >= 0; k--) text += pieces[next() % pieces.length];
    assert.equal(sanitizeAnsi(text), inkSanitize(text), JSON.stringify(text));
  }
  const pane = Array.from({ length: 40 }, (_, i) => `\u001b[2m${i}\u001b[22m \u001b[7m\u001b[1mrow\u001b[22m\u001b[27m`).join('\n');
  assert.equal(sanitizeAnsi(pane), pane);
  assert.equal(sanitizeCache.get(pane), undefined, 'a styled-only text took a cache entry');
});

test('the caches stop growing at their capacity however many distinct lines are drawn', () => {
  for (let i = 0; i < 10_000; i++) {
    measureText(`processing group ${i}`);
    wrapText(`log line ${i} that is too long`, 10, 'truncate');
  }
  assert.equal(measureCache.size, 4000);
  assert.equal(wrapCache.size, 2000);
  assert.deepEqual(measureText('processing group 9999'), { width: 21, height: 1 });
  // Whole panes (multi-line texts, new on most refreshes) are measured, never kept.
  const pane = Array.from({ length: 30 }, (_, i) => `row ${i} ${'x'.repeat(100)}`).join('\n');
  assert.deepEqual(measureText(pane), { width: 107, height: 30 });
  assert.equal(measureCache.get(pane), undefined, 'a whole pane was kept in the measure cache');
});

test('a bounded cache evicts the least recently used entry, not one just read', () => {
  const cache = new BoundedCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
});

test('the frame output with caches kept across frames is the same as Ink builds it, frame after frame', async () => {
  const InkOutput = (await import(join(inkBuild, 'output.js'))).default as typeof CachedOutput;
  const draw = (Out: typeof CachedOutput, n: number) => {
    const out = new Out({ width: 30, height: 4 });
    out.write(0, 0, `\u001b[31mpending ${n}\u001b[39m  全角 …`, { transformers: [] });
    out.clip({ x1: 0, x2: 10, y1: 1, y2: 3 });
    out.write(2, 1, 'clipped text that is too long\nsecond', { transformers: [] });
    out.unclip();
    return out.get();
  };
  for (const n of [1, 2, 1, 3]) assert.deepEqual(draw(CachedOutput, n), draw(InkOutput, n));
  assert.ok((sharedOutputCaches.styledChars as unknown as BoundedCache<unknown>).size > 0, 'lines tokenised once are kept for the next frame');
});

test('rows kept from earlier frames give exactly the frames Ink draws, over a thousand random frames', async () => {
  const InkOutput = (await import(join(inkBuild, 'output.js'))).default as typeof CachedOutput;
  let seed = 42; // mulberry32: the same frames every run
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
  const pieces = ['pending 12', '\u001b[1mbold\u001b[22m', '\u001b[32mok\u001b[39m', '全角', '━━', ' ', 'x', '\u001b[7minverse\u001b[27m tail', ''];
  const text = () => Array.from({ length: 1 + random(4) }, () => Array.from({ length: random(4) }, () => pieces[random(pieces.length)]).join('')).join('\n');
  const upper = (line: string, index: number) => (index % 2 ? line.toUpperCase() : line);
  // A frame is a list of operations; most frames repeat the last with one write changed, as a
  // console's frames do, so rows come from the cache as well as fresh.
  type Op = ['write', number, number, string, boolean] | ['clip', number, number] | ['unclip'];
  const frame = (): Op[] => Array.from({ length: 3 + random(8) }, (): Op[] => {
    const write: Op = ['write', random(34) - 2, random(14) - 2, text(), random(3) === 0];
    return random(4) === 0 ? [['clip', random(8), random(12)], write, ['unclip']] : [write];
  }).flat();
  const draw = (Out: typeof CachedOutput, ops: Op[], width: number) => {
    const out = new Out({ width, height: 10 });
    for (const op of ops) {
      if (op[0] === 'write') out.write(op[1], op[2], op[3], { transformers: op[4] ? [upper] : [] });
      else if (op[0] === 'clip') out.clip({ x1: undefined, x2: undefined, y1: op[1], y2: op[2] });
      else out.unclip();
    }
    return out.get();
  };
  let ops = frame();
  for (let i = 0; i < 1000; i++) {
    if (random(3) === 0) ops = frame();
    else { ops = [...ops]; const k = random(ops.length); if (ops[k]![0] === 'write') ops[k] = ['write', ops[k]![1] as number, ops[k]![2] as number, text(), false]; }
    const width = random(5) === 0 ? 20 : 30;
    assert.deepEqual(draw(CachedOutput, ops, width), draw(InkOutput, ops, width), JSON.stringify({ i, width, ops }));
  }
  assert.ok(rowCache.size > 400, `rows are kept (${rowCache.size})`);
});

test('styled characters of a line are the ones ansi-tokenize gives, for plain, coloured, wide, combining and linked text', () => {
  const lines = [
    '', 'plain ascii', '━━ 1 Queue ━━ █▇▆ ·', '\u001b[31mred\u001b[39m plain \u001b[1mbold \u001b[2mdim\u001b[22m end',
    '\u001b[38;5;208morange\u001b[0m', '\u001b[1;3;31mcompound\u001b[m', '\u001b[7minverse\u001b[27m', '\u001b[31m\u001b[32mtwice\u001b[39m',
    '全角 wide', 'e\u0301 combining', '\u001b]8;;https://x\u0007link\u001b]8;;\u0007', 'lone \u001b escape', '\u001b[2Jclear', 'emoji 👩‍👩‍👧 family', 'tab\there',
    '\u001b[31mred with 全角\u001b[39m',
  ];
  for (const line of lines) assert.deepEqual(styledCharsOf(line), styledCharsFromTokens(tokenize(line)), JSON.stringify(line));
  let seed = 7;
  const random = (n: number) => { seed = (Math.imul(seed, 48271) >>> 0) % 2147483647; return seed % n; };
  const pieces = ['a', 'Zz ', '·', '━', '\u001b[31m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[2m', '\u001b[0m', '\u001b[38;5;12m', '\u001b[7m', '\u001b[27m', '全', 'e\u0301'];
  for (let i = 0; i < 2000; i++) {
    const line = Array.from({ length: random(12) }, () => pieces[random(pieces.length)]).join('');
    assert.deepEqual(styledCharsOf(line), styledCharsFromTokens(tokenize(line)), JSON.stringify(line));
  }
});

test('every single UTF-16 unit below U+1100 takes one column in a row, as the row builder assumes without asking string-width', () => {
  for (let c = 0; c < 0x1100; c++) assert.equal(Math.max(1, stringWidth(String.fromCharCode(c))), 1, `U+${c.toString(16)}`);
});

test('a frame clipped horizontally is drawn by Ink itself', async () => {
  const InkOutput = (await import(join(inkBuild, 'output.js'))).default as typeof CachedOutput;
  const draw = (Out: typeof CachedOutput) => {
    const out = new Out({ width: 20, height: 3 });
    out.clip({ x1: 2, x2: 8, y1: 0, y2: 2 });
    out.write(0, 0, '\u001b[31mclipped on both sides\u001b[39m\n全角全角全角', { transformers: [] });
    out.unclip();
    return out.get();
  };
  assert.deepEqual(draw(CachedOutput), draw(InkOutput));
  assert.equal(draw(CachedOutput).output.split('\n')[0], '  \u001b[31mipped \u001b[39m');
});

test('the built bin carries the bounded caches instead of Ink unbounded ones', () => {
  const dir = join(repo, 'dist/bin');
  const files = [join(dir, 'absurd-top.js'), ...readdirSync(join(dir, 'chunks')).map((f) => join(dir, 'chunks', f))];
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  assert.match(code, /new BoundedCache\(4e3\)|new BoundedCache\(4000\)/);
  assert.doesNotMatch(code, /var cache = \{\};|const cache = \{\};/, 'Ink wrap-text cache still bundled');
  assert.doesNotMatch(code, /cachedDimensions/, 'Ink measure-text still bundled');
  assert.match(code, /sharedOutputCaches/, 'Ink renderer still builds new caches every frame');
  assert.match(code, /sanitizeCache\.get\(/, 'Ink re-tokenises every coloured line every frame');
  assert.doesNotMatch(code, /typeof fetch/, 'yoga would load undici at start-up to fetch its own embedded WASM');
  // One string-width, memoised, for Ink, its helpers and us (wrap-ansi would bring its own 7.x).
  assert.equal(code.match(/function stringWidth\(/g)?.length, 1, 'more than one string-width bundled');
  assert.match(code, /widthCache\.get\(/, 'string-width is not memoised');
});

test('every character of the one-column fast path is one column to string-width, alone and in a run', () => {
  let checked = 0;
  for (let c = 0x20; c <= 0x2fff; c++) {
    const ch = String.fromCodePoint(c);
    if (!oneColumnEach.test(ch)) continue;
    assert.equal(stringWidth(ch), 1, `U+${c.toString(16)}`);
    assert.equal(stringWidth(`a${ch}${ch}b`), 4, `U+${c.toString(16)} next to others`);
    checked++;
  }
  assert.ok(checked > 1000, `${checked} characters checked`);
  assert.equal(oneColumnEach.test('e\u0301'), false, 'a combining mark is not on the fast path');
  assert.equal(oneColumnEach.test('\u00ad'), false, 'nor the soft hyphen (zero columns)');
});

test('the memoised string-width answers as string-width does, also when asked again', () => {
  const samples = ['plain', 'naïve café', '━━ 1 Queue ━━', '█▇▆ 225', '漢字テキスト', '👩‍👩‍👧 family', 'e\u0301', '\u001b[31mred\u001b[39m', '',
    '\u001b[38;5;208m━━ orange\u001b[39m \u001b[1;3;31mcompound\u001b[m', '\u001b[12345mfive digits', '\u001b[;5mempty first', '\u001b[31m全角\u001b[39m', 'lone \u001b[31 end', '\u001b[2Jclear'];
  for (const text of samples) {
    for (let i = 0; i < 2; i++) assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
  }
  assert.equal(cachedStringWidth('\u001b[31mred', { countAnsiEscapeCodes: true }), stringWidth('\u001b[31mred', { countAnsiEscapeCodes: true }));
});

test('the memoised string-width measures random coloured text as string-width does', () => {
  // Pieces that make or break the coloured one-column path: codes whole and cut, an "m" after a
  // cut code, wide and combining characters, other escapes.
  const pieces = ['a', 'Zz ', '━', '█', '␛', 'm', ';', '[', '1', '\u001b[31m', '\u001b[m', '\u001b[1;38;5;208m', '\u001b[39m', '\u001b[31', '\u001b[', '\u001b',
    '\u001b[2J', '\u001b]0;t\u0007', '漢', 'e\u0301', '👩‍👩‍👧', '\u00ad'];
  let seed = 7;
  const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let i = 0; i < 3000; i++) {
    let text = '';
    for (let k = random(12); k > 0; k--) text += pieces[random(pieces.length)];
    assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
  }
});
