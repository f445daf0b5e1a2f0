// Ink's Output, made cheap for frames that differ from the last in a few rows.
//
// Ink builds a new Output for every frame and, in get(), a grid of one fresh object per cell
// (4,800 at 120x40), then turns every row back into a string, comparing each character's styles
// with its neighbour's. Here a row's string is kept, keyed by what was written on it: a row
// written exactly as before is not rebuilt. A changed row is built as Ink builds it, with
// shortcuts that give the same string: cells are a character and a styles array (no object per
// cell), lines are placed as runs of one styles array (styled-chars.ts), a character styled as
// the one before skips the style diff (three Sets per character in Ink), and the codes between
// two styles are kept by their style arrays. Frames clipped horizontally (absurd-top clips only
// vertically) are left wholly to Ink. The caches that outlive a frame are Ink's own cache object
// with its maps swapped for bounded ones. The build (scripts/ink-fixes.mjs) puts this class
// where Ink's renderer imports './output.js'.
import InkOutput from '../../../node_modules/ink/build/output.js';
import { ansiCodesToString, diffAnsiCodes, type StyledChar } from '@alcalzone/ansi-tokenize';
import { BoundedCache } from '../../text/bounded-cache.js';
import { noStyles, styledCharsOf, styledRunsOf, type StyledRuns } from './styled-chars.js';

interface OutputCaches {
  widths: { get(key: string): unknown; set(key: string, value: unknown): void };
  blockWidths: OutputCaches['widths'];
  styledChars: OutputCaches['widths'];
  getStyledChars(line: string): StyledChar[];
  getStringWidth(text: string): number;
}

type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

const cachesOf = (output: InkOutput) => (output as unknown as { caches: OutputCaches }).caches;

/** Ink's own cache object (its methods, its results), its maps swapped for bounded ones and its styled characters made by styled-chars.ts. */
export const sharedOutputCaches: OutputCaches = Object.assign(cachesOf(new InkOutput({ width: 0, height: 0 })), {
  // A line's styled characters take ~40 KB (an object and a styles array per character), so
  // keep about three frames of lines (~12 MB at most), enough for the next frame's repeats.
  styledChars: new BoundedCache<unknown>(300),
  widths: new BoundedCache<unknown>(4000), // every character and line measured
  blockWidths: new BoundedCache<unknown>(2000),
  getStyledChars(line: string): StyledChar[] {
    let chars = sharedOutputCaches.styledChars.get(line) as StyledChar[] | undefined;
    if (chars === undefined) {
      chars = styledCharsOf(line);
      sharedOutputCaches.styledChars.set(line, chars);
    }
    return chars;
  },
});

/** Row strings by what was written on the row; a few frames of rows, at most ~1 MB. */
export const rowCache = new BoundedCache<string>(500);

/** What reaches a row, in drawing order: x and the line after clipping and transformers. */
interface RowWrites { key: string; xs: number[]; lines: string[] }

/** Each row's writes; null when clipped horizontally. */
function writesByRow(operations: Operation[], height: number): RowWrites[] | null {
  const rows: RowWrites[] = Array.from({ length: height }, () => ({ key: '', xs: [], lines: [] }));
  const clips: Clip[] = [];
  // Index loops here and in drawRow: at V8's baseline compiler (the bin's --max-opt=1) every
  // step of a for…of over an array allocates its iterator result, ~250 KB a flowing frame.
  for (let o = 0; o < operations.length; o++) {
    const operation = operations[o]!;
    if (operation.type === 'clip') clips.push(operation.clip);
    if (operation.type === 'unclip') clips.pop();
    if (operation.type !== 'write') continue;
    let { y } = operation;
    let lines = operation.text.split('\n');
    const clip = clips.at(-1);
    if (clip && typeof clip.x1 === 'number' && typeof clip.x2 === 'number') return null;
    if (clip && typeof clip.y1 === 'number' && typeof clip.y2 === 'number') {
      // As Ink clips (output.js): the innermost clip only, rows outside it dropped.
      if (y + lines.length < clip.y1 || y > clip.y2) continue;
      const from = y < clip.y1 ? clip.y1 - y : 0;
      const to = y + lines.length > clip.y2 ? clip.y2 - y : lines.length;
      lines = lines.slice(from, to);
      if (y < clip.y1) y = clip.y1;
    }
    // As Ink: once a line falls off the grid, the rest of the text is dropped with it.
    let offsetY = 0;
    for (let index = 0; index < lines.length; index++) {
      const row = rows[y + offsetY];
      if (!row) continue;
      let line = lines[index]!;
      for (let t = 0; t < operation.transformers.length; t++) line = operation.transformers[t]!(line, index);
      row.xs.push(operation.x);
      row.lines.push(line);
      row.key += `${operation.x},${line.length};${line}`; // lengths make the key unambiguous
      offsetY++;
    }
  }
  return rows;
}

type Styles = StyledChar['styles'];
const transitions = new WeakMap<Styles, WeakMap<Styles, string>>();

/**
 * The codes that turn one style into the next, as Ink writes them (from no style: the style's own
 * codes). Kept by the two style arrays, which the styled characters of a cached line share:
 * working it out builds four Sets, and a coloured row has a transition at every segment.
 */
function transition(from: Styles, to: Styles): string {
  let byTo = transitions.get(from);
  if (!byTo) transitions.set(from, byTo = new WeakMap());
  let codes = byTo.get(to);
  if (codes === undefined) {
    codes = ansiCodesToString(diffAnsiCodes(from, to));
    byTo.set(to, codes);
  }
  return codes;
}

function sameStyles(a: Styles, b: Styles): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  return true;
}

/**
 * Ink's width of a placed character: at least one column. One UTF-16 unit below U+1100 (where
 * East Asian wide characters start) is always one; asking the cache for it moved a Map entry
 * for every character of every changed row.
 */
function columnsOf(value: string): number {
  if (value.length === 1 && value.charCodeAt(0) < 0x1100) return 1;
  return Math.max(1, sharedOutputCaches.getStringWidth(value));
}

/** Lines as styled runs (null: the line needs Ink's per-character path), a few frames' worth. */
const runsCache = new BoundedCache<StyledRuns | null>(500);

function runsOf(line: string): StyledRuns | null {
  let runs = runsCache.get(line);
  if (runs === undefined) {
    runs = styledRunsOf(line);
    runsCache.set(line, runs);
  }
  return runs;
}

/**
 * One row as Ink's Output.get() draws it: characters placed in drawing order, styles between
 * them. Cells are two parallel arrays (character, styles), not an object per cell.
 */
function drawRow(width: number, writes: RowWrites): string {
  const fast = drawRunsRow(width, writes);
  if (fast !== null) return fast;
  const values: (string | undefined)[] = new Array<string>(width).fill(' ');
  const styles: (Styles | undefined)[] = new Array<Styles>(width).fill(noStyles);
  for (let w = 0; w < writes.xs.length; w++) {
    let x = writes.xs[w]!;
    const line = writes.lines[w]!;
    const runs = runsOf(line);
    if (runs) {
      for (let r = 0; r < runs.texts.length; r++) {
        const text = runs.texts[r]!;
        const runStyles = runs.styles[r]!;
        for (let k = 0; k < text.length; k++, x++) {
          values[x] = text[k]!;
          styles[x] = runStyles;
        }
      }
      continue;
    }
    const characters = sharedOutputCaches.getStyledChars(line);
    for (let c = 0; c < characters.length; c++) {
      const character = characters[c]!;
      values[x] = character.value;
      styles[x] = character.styles;
      // A wide character's second column: empty, in its styles (as Ink).
      const characterWidth = columnsOf(character.value);
      for (let k = 1; k < characterWidth; k++) {
        values[x + k] = '';
        styles[x + k] = character.styles;
      }
      x += characterWidth;
    }
  }
  // Written past the width extends the row, as in Ink; holes and negative columns are skipped.
  // Pieces joined once: adding to a string per character left a chain of partial rows behind.
  const pieces: string[] = [];
  let previous: Styles | undefined;
  for (let c = 0; c < values.length; c++) {
    const value = values[c];
    if (value === undefined) continue;
    const current = styles[c]!;
    if (!previous) pieces.push(transition(noStyles, current));
    else if (!sameStyles(previous, current)) pieces.push(transition(previous, current));
    pieces.push(value);
    previous = current;
  }
  if (previous && previous.length > 0) pieces.push(transition(previous, noStyles));
  return pieces.join('').trimEnd();
}

/** A stretch of one row in one styles array (a run, or what is left of one once overwritten). */
interface Segment { x: number; text: string; styles: Styles }

/**
 * The same row as drawRow, built from runs rather than cells: a row of a pane is two or three
 * writes of a few runs each, so painting runs over runs and joining them costs a few strings
 * where the cells cost two arrays of the row's width and a piece per character. Null, for
 * drawRow's cell by cell path, when a line is not runs of one-column text or a write starts left
 * of the row or ends past its width (Ink's holes and extended rows).
 */
function drawRunsRow(width: number, writes: RowWrites): string | null {
  let segments: Segment[] = [];
  for (let w = 0; w < writes.xs.length; w++) {
    const runs = runsOf(writes.lines[w]!);
    if (!runs) return null;
    let x = writes.xs[w]!;
    if (x < 0) return null;
    for (let r = 0; r < runs.texts.length; r++) {
      const text = runs.texts[r]!;
      if (text.length === 0) continue;
      if (x + text.length > width) return null;
      segments = paint(segments, { x, text, styles: runs.styles[r]! });
      x += text.length;
    }
  }
  const pieces: string[] = [];
  let previous: Styles = noStyles;
  let at = 0;
  const place = (text: string, styles: Styles) => {
    if (!sameStyles(previous, styles)) pieces.push(transition(previous, styles));
    pieces.push(text);
    previous = styles;
  };
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.x > at) place(' '.repeat(segment.x - at), noStyles);
    place(segment.text, segment.styles);
    at = segment.x + segment.text.length;
  }
  if (at < width) place(' '.repeat(width - at), noStyles);
  if (previous.length > 0) pieces.push(transition(previous, noStyles));
  return pieces.join('').trimEnd();
}

/** Segments in column order with `top` drawn over them: what it covers is cut away. */
function paint(segments: Segment[], top: Segment): Segment[] {
  const last = segments[segments.length - 1];
  // Runs are mostly drawn left to right without overlap: appended, no new array.
  if (!last || last.x + last.text.length <= top.x) {
    segments.push(top);
    return segments;
  }
  const end = top.x + top.text.length;
  const out: Segment[] = [];
  let placed = false;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const sEnd = s.x + s.text.length;
    if (sEnd <= top.x || s.x >= end) {
      if (!placed && s.x >= end) { out.push(top); placed = true; }
      out.push(s);
      continue;
    }
    if (s.x < top.x) out.push({ x: s.x, text: s.text.slice(0, top.x - s.x), styles: s.styles });
    if (!placed) { out.push(top); placed = true; }
    if (sEnd > end) out.push({ x: end, text: s.text.slice(end - s.x), styles: s.styles });
  }
  if (!placed) out.push(top);
  return out;
}

export default class Output extends InkOutput {
  constructor(options: { width: number; height: number }) {
    super(options);
    // A plain property at run time (private only in Ink's types).
    (this as unknown as { caches: OutputCaches }).caches = sharedOutputCaches;
  }

  override get(): { output: string; height: number } {
    const rows = writesByRow((this as unknown as { operations: Operation[] }).operations, this.height);
    if (!rows) return super.get();
    const output = rows.map((writes) => {
      const key = `${this.width};${writes.key}`;
      let row = rowCache.get(key);
      if (row === undefined) {
        row = drawRow(this.width, writes);
        rowCache.set(key, row);
      }
      return row;
    });
    return { output: output.join('\n'), height: this.height };
  }
}
