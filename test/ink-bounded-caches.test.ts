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
import CachedOutput, { sharedOutputCaches } from '../src/ui/ink/output.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const inkBuild = join(repo, 'node_modules/ink/build');
const samples = ['', 'plain', 'two\nlines longer', '\u001b[31mred\u001b[39m text', '全角 wide', 'a'.repeat(300)];

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

test('the caches stop growing at their capacity however many distinct lines are drawn', () => {
  for (let i = 0; i < 10_000; i++) {
    measureText(`processing group ${i}`);
    wrapText(`log line ${i} that is too long`, 10, 'truncate');
  }
  assert.equal(measureCache.size, 4000);
  assert.equal(wrapCache.size, 2000);
  assert.deepEqual(measureText('processing group 9999'), { width: 21, height: 1 });
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

test('the built bin carries the bounded caches instead of Ink unbounded ones', () => {
  const dir = join(repo, 'dist/bin');
  const files = [join(dir, 'absurd-top.js'), ...readdirSync(join(dir, 'chunks')).map((f) => join(dir, 'chunks', f))];
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  assert.match(code, /new BoundedCache\(4e3\)|new BoundedCache\(4000\)/);
  assert.doesNotMatch(code, /var cache = \{\};|const cache = \{\};/, 'Ink wrap-text cache still bundled');
  assert.doesNotMatch(code, /cachedDimensions/, 'Ink measure-text still bundled');
  assert.match(code, /sharedOutputCaches/, 'Ink renderer still builds new caches every frame');
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
  const samples = ['plain', 'naïve café', '━━ 1 Queue ━━', '█▇▆ 225', '漢字テキスト', '👩‍👩‍👧 family', 'e\u0301', '\u001b[31mred\u001b[39m', ''];
  for (const text of samples) {
    for (let i = 0; i < 2; i++) assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
  }
  assert.equal(cachedStringWidth('\u001b[31mred', { countAnsiEscapeCodes: true }), stringWidth('\u001b[31mred', { countAnsiEscapeCodes: true }));
});
