// One terminal line made of styled segments, fitted to an exact width before Ink sees it, so Ink
// never wraps data text. Memoised on the segments' content: an unchanged row costs nothing to
// reconcile. With colour off no colour prop is ever passed (bold/inverse stay: they carry focus
// and selection without colour).
import { memo } from 'react';
import { Text } from 'ink';
import chalk, { type ChalkInstance } from 'chalk';
import { displayWidth, truncate } from '../../text/format/width.js';
import type { Color } from '../../text/format/states.js';

export interface Seg {
  text: string;
  color?: Color | undefined;
  bold?: boolean | undefined;
  dim?: boolean | undefined;
  inverse?: boolean | undefined;
}

/** A pane's body line: its segments and whether it is the selected row. */
export interface BodyLine { segs: Seg[]; selected?: boolean }

export interface LineProps {
  segs: readonly Seg[];
  width: number;
  color: boolean;
  /** Highlight the whole line (selected row); the line is padded to `width` so the bar is full. */
  inverse?: boolean | undefined;
  /** Pad to `width` even when not inverse (e.g. title rules). */
  pad?: boolean | undefined;
}

/** Cut segments so their total display width is at most `width`; optionally pad with spaces. */
export function fitSegs(segs: readonly Seg[], width: number, pad = false): Seg[] {
  const out: Seg[] = [];
  let used = 0;
  // An index loop: at the bin's baseline compiler (--max-opt=1) for…of allocates per step.
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (used >= width) break;
    if (seg.text === '') continue;
    const w = displayWidth(seg.text);
    if (used + w <= width) {
      out.push(seg);
      used += w;
    } else {
      const text = truncate(seg.text, width - used);
      out.push({ ...seg, text });
      used += displayWidth(text);
      break;
    }
  }
  if (pad && used < width) out.push({ text: ' '.repeat(width - used) });
  return out;
}

/**
 * A line as the string Ink draws: the segments fitted to `width` and styled. Empty when nothing
 * fits; a selected line is padded to `width` and wrapped in inverse.
 */
export function lineText(segs: readonly Seg[], width: number, color: boolean, inverse = false, pad = false): string {
  if (width <= 0) return '';
  const fitted = fitSegs(segs, width, inverse || pad);
  let text = '';
  for (let i = 0; i < fitted.length; i++) text += styled(fitted[i]!, color);
  return inverse && text !== '' ? chalk.inverse(text) : text;
}

function LineImpl({ segs, width, color, inverse, pad }: LineProps) {
  // One <Text> whose string carries the segments' styles, not one <Text> per segment: a changed
  // row was ~3 fibers and an Ink node per segment to render, diff and squash, every refresh.
  // No wrap="truncate": the segments are already fitted, and Ink's truncation pass costs ~10 ms
  // per 120×40 frame. Panes clip with overflow="hidden" should anything ever be too long.
  return <Text>{lineText(segs, width, color, Boolean(inverse), Boolean(pad)) || ' '}</Text>;
}

/**
 * A segment as Ink's <Text color dimColor bold inverse> would style it: Ink's own chalk, so the
 * terminal's colour support decides as it does for Ink, in Ink's order (dim innermost, inverse
 * outermost).
 */
function styled(s: Seg, color: boolean): string {
  const dim = color && s.dim === true;
  const hue = color ? s.color : undefined;
  if (!dim && !hue && !s.bold && !s.inverse) return s.text;
  return styler(hue, dim, s.bold === true, s.inverse === true)(s.text);
}

// Chalk builds a new styler object for every chained property read: one per style, ever.
const stylers = new Map<Color | undefined, ChalkInstance[]>();

function styler(hue: Color | undefined, dim: boolean, bold: boolean, inverse: boolean): ChalkInstance {
  let byFlags = stylers.get(hue);
  if (!byFlags) stylers.set(hue, byFlags = []);
  const flags = (dim ? 1 : 0) | (bold ? 2 : 0) | (inverse ? 4 : 0);
  let chain = byFlags[flags];
  if (!chain) {
    chain = chalk;
    if (inverse) chain = chain.inverse;
    if (bold) chain = chain.bold;
    if (hue) chain = chain[hue];
    if (dim) chain = chain.dim;
    byFlags[flags] = chain;
  }
  return chain;
}

function sameSegs(a: readonly Seg[], b: readonly Seg[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.text !== y.text || x.color !== y.color || x.bold !== y.bold || x.dim !== y.dim || x.inverse !== y.inverse) return false;
  }
  return true;
}

export const Line = memo(LineImpl, (a, b) => a.width === b.width && a.color === b.color
  && a.inverse === b.inverse && a.pad === b.pad && sameSegs(a.segs, b.segs));

/** Plain text helper: one segment. */
export function seg(text: string, color?: Color, extra: Omit<Seg, 'text' | 'color'> = {}): Seg {
  return { text, color, ...extra };
}
